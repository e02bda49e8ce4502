"""The beneficiary kinds' drop-down shared by list filters (khuyencong.reference_choices)."""

from khuyencong.reference_choices import ReferencePart

from .models import BeneficiaryKind

KIND = ReferencePart(BeneficiaryKind.objects.all, "name", "order", lambda r: (r[2], r[0]), lambda r: r[1])

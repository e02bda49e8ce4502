"""The programmes' reference drop-downs shared by list filters (khuyencong.reference_choices)."""

from khuyencong.reference_choices import ReferencePart

from .models import ActivityContent, FundingSource

CONTENT = ReferencePart(
    ActivityContent.objects.all, "short_name", "number", lambda r: r[2], lambda r: f"{r[2]}. {r[1]}"
)
SOURCE = ReferencePart(FundingSource.objects.all, "name", "order", lambda r: (r[2], r[0]), lambda r: r[1])

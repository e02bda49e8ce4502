"""The provinces' drop-down shared by list filters (khuyencong.reference_choices), in Vietnamese order."""

from khuyencong.listing import province_sort_key
from khuyencong.reference_choices import ReferencePart

from .models import AdministrativeUnit

PROVINCE = ReferencePart(
    lambda: AdministrativeUnit.objects.current().provinces(),
    "full_name",
    None,
    lambda r: province_sort_key(r[1]),
    lambda r: r[1],
)

"""The reference drop-downs several list filters share (contents, funding sources, beneficiary kinds,
provinces): what to read for each (a part of `khuyencong.listing.choice_sets`) and how it is shown."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet

from beneficiaries.models import BeneficiaryKind
from places.models import AdministrativeUnit
from programs.models import ActivityContent, FundingSource

from .listing import province_sort_key

Row = tuple[int, str, int]

# name -> (queryset, label field, sort field), the order rows are shown in, and their label.
_PARTS: dict[
    str, tuple[Callable[[], QuerySet], str, str | None, Callable[[Row], object], Callable[[Row], str]]
] = {
    "content": (
        ActivityContent.objects.all,
        "short_name",
        "number",
        lambda r: r[2],
        lambda r: f"{r[2]}. {r[1]}",
    ),
    "source": (FundingSource.objects.all, "name", "order", lambda r: (r[2], r[0]), lambda r: r[1]),
    "kind": (BeneficiaryKind.objects.all, "name", "order", lambda r: (r[2], r[0]), lambda r: r[1]),
    "province": (
        lambda: AdministrativeUnit.objects.current().provinces(),
        "full_name",
        None,
        lambda r: province_sort_key(r[1]),
        lambda r: r[1],
    ),
}


def reference_parts(*names: str) -> dict[str, tuple[QuerySet, str, str | None]]:
    """The `choice_sets` parts for these reference drop-downs."""
    parts = {}
    for name in names:
        queryset, label, sort, _order, _show = _PARTS[name]
        parts[name] = (queryset(), label, sort)
    return parts


def reference_choices(name: str, rows: list[Row]) -> list[tuple[int, str]]:
    """(value, label) options of a reference drop-down, in the order people expect."""
    _queryset, _label, _sort, order, label = _PARTS[name]
    return [(row[0], label(row)) for row in sorted(rows, key=order)]

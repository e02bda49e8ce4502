"""The reference drop-downs several list filters share (contents, funding sources, beneficiary kinds,
provinces): what to read for each (a part of `khuyencong.listing.choice_sets`) and how it is shown.

Each part is declared by the app that owns its model (`programs.choices`, `beneficiaries.choices`,
`places.choices`); the core holds only the mechanism, so it imports no domain app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet

Row = tuple[int, str, int]


@dataclass(frozen=True)
class ReferencePart:
    """A drop-down's rows: the queryset, its label and sort fields, the order rows are shown in, their label."""

    queryset: Callable[[], QuerySet]
    label: str
    sort: str | None
    order: Callable[[Row], object]
    show: Callable[[Row], str]

    def choices(self, rows: list[Row]) -> list[tuple[int, str]]:
        """(value, label) options of the drop-down, in the order people expect."""
        return [(row[0], self.show(row)) for row in sorted(rows, key=self.order)]


def reference_parts(parts: dict[str, ReferencePart]) -> dict[str, tuple[QuerySet, str, str | None]]:
    """The `choice_sets` parts for these reference drop-downs, by name."""
    return {name: (part.queryset(), part.label, part.sort) for name, part in parts.items()}

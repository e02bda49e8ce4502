"""Rows of the reports: plain dataclasses that the PDF, the workbook and the dashboard print alike."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from khuyencong.money import AmountQualifier
from places.models import AdministrativeUnit
from projects.models import ProjectStatus

from ..periods import Period

# Statuses from which a đề án counts as part of the plan being carried out.
APPROVED_STATUSES = frozenset(
    {
        ProjectStatus.APPROVED,
        ProjectStatus.CONTRACTED,
        ProjectStatus.IN_PROGRESS,
        ProjectStatus.ADJUSTING,
        ProjectStatus.ACCEPTED,
        ProjectStatus.CLOSED,
        ProjectStatus.SETTLED,
    }
)
FINISHED_STATUSES = frozenset({ProjectStatus.ACCEPTED, ProjectStatus.CLOSED, ProjectStatus.SETTLED})
NOTABLE_COUNT = 5


def qualifier_prefix(qualifier: str) -> str:
    """The word before a stated figure ("trên", "gần", "khoảng"); nothing for an exact one."""
    if qualifier in (None, "", AmountQualifier.EXACT):
        return ""
    return str(AmountQualifier(qualifier).label)


def combined_qualifier(qualifiers) -> str:
    """How a sum is stated: exact when every figure in it is; otherwise as its loose figures are (one kind
    alone), or "khoảng" when they differ (a total of "trên" and "gần" is neither a floor nor a ceiling)."""
    loose = {q for q in qualifiers if q not in (None, "", AmountQualifier.EXACT)}
    if not loose:
        return AmountQualifier.EXACT
    return loose.pop() if len(loose) == 1 else AmountQualifier.ABOUT


def with_qualifier(amount: int, qualifier: str) -> str:
    """ "trên 1.144.000.000" or "1.144.000.000": a figure printed as it was stated."""
    from khuyencong.money import format_dong

    prefix = qualifier_prefix(qualifier)
    return f"{prefix} {format_dong(amount)}" if prefix and amount else format_dong(amount)


# --------------------------------------------------------------------------------------------------
# Rows


@dataclass
class StatusRow:
    status: str
    label: str
    count: int = 0
    planned: int = 0


@dataclass
class SourceRow:
    """Money of one funding source (None = the source document did not name the budget level)."""

    source_id: int | None
    name: str
    short_name: str = ""
    planned: int = 0
    allocated: int = 0
    allocated_qualifier: str = AmountQualifier.EXACT
    advanced: int = 0
    disbursed: int = 0
    disbursed_in_period: int = 0
    settled: int = 0

    @property
    def allocated_prefix(self) -> str:
        return qualifier_prefix(self.allocated_qualifier)


@dataclass
class ContentRow:
    content_id: int | None
    number: int | None
    name: str
    short_name: str = ""
    projects: int = 0
    planned: int = 0


@dataclass
class PlaceRow:
    """A place as it was when the đề án ran, rolled up into today's province."""

    today_province: str
    unit_name: str
    unit_is_old: bool
    level: int = 0
    communes: list[str] = field(default_factory=list)
    projects: int = 0
    planned: int = 0
    in_own_province: bool = True


@dataclass
class BeneficiaryKindRow:
    kind_id: int
    name: str
    beneficiaries: int = 0
    projects: int = 0
    women_owned: int = 0
    ethnic_minority: int = 0
    support: int = 0
    counterpart: int = 0


@dataclass
class OutputRow:
    indicator_id: int
    name: str
    unit: str
    projects: int = 0
    planned: int = 0
    achieved: int = 0

    @property
    def share(self) -> float | None:
        return round(100 * self.achieved / self.planned, 1) if self.planned else None


@dataclass
class ProjectRow:
    id: int
    code: str
    title: str
    status: str
    status_label: str
    kind_label: str
    year: int
    plan_name: str
    contents: str
    implementing_unit: str
    planned: int
    by_source: dict[int | None, int] = field(default_factory=dict)
    beneficiaries: int = 0


@dataclass
class AllocationLine:
    source_name: str
    amount: int
    qualifier: str
    note: str

    @property
    def prefix(self) -> str:
        return qualifier_prefix(self.qualifier)


@dataclass
class DeclaredPlan:
    """What the approved plan said, beside what the portal holds for it."""

    name: str
    kind_label: str
    decision: str
    declared_project_count: int | None
    entered_project_count: int
    declared_total: int | None
    declared_total_qualifier: str
    allocations: list[AllocationLine]
    note: str
    source_note: str

    @property
    def declared_total_prefix(self) -> str:
        return qualifier_prefix(self.declared_total_qualifier)


@dataclass
class CounterpartSummary:
    committed: int = 0
    beneficiaries: int = 0
    committed_links: int = 0


@dataclass
class Totals:
    planned: int = 0
    allocated: int = 0
    advanced: int = 0
    disbursed: int = 0
    disbursed_in_period: int = 0
    settled: int = 0
    # A total that adds up a figure stated loosely ("trên 1.144.000.000") is itself stated so.
    allocated_qualifier: str = AmountQualifier.EXACT

    @property
    def allocated_prefix(self) -> str:
        return qualifier_prefix(self.allocated_qualifier)


def source_totals(rows: list[SourceRow]) -> Totals:
    return Totals(
        planned=sum(r.planned for r in rows),
        allocated=sum(r.allocated for r in rows),
        advanced=sum(r.advanced for r in rows),
        disbursed=sum(r.disbursed for r in rows),
        disbursed_in_period=sum(r.disbursed_in_period for r in rows),
        settled=sum(r.settled for r in rows),
        allocated_qualifier=combined_qualifier(r.allocated_qualifier for r in rows if r.allocated),
    )


@dataclass
class AnnualReport:
    province: AdministrativeUnit
    period: Period
    project_count: int
    by_status: list[StatusRow]
    by_source: list[SourceRow]
    source_totals: Totals
    counterpart: CounterpartSummary
    by_content: list[ContentRow]
    content_planned_total: int
    by_place: list[PlaceRow]
    by_beneficiary_kind: list[BeneficiaryKindRow]
    outputs: list[OutputRow]
    notable: list[ProjectRow]
    declared_plans: list[DeclaredPlan]
    generated_on: datetime.date

    @property
    def status_total_planned(self) -> int:
        return sum(r.planned for r in self.by_status)

    @property
    def kind_totals(self) -> BeneficiaryKindRow:
        rows = self.by_beneficiary_kind
        return BeneficiaryKindRow(
            kind_id=0,
            name=_("Tổng cộng"),
            beneficiaries=sum(r.beneficiaries for r in rows),
            women_owned=sum(r.women_owned for r in rows),
            ethnic_minority=sum(r.ethnic_minority for r in rows),
            support=sum(r.support for r in rows),
            counterpart=sum(r.counterpart for r in rows),
        )

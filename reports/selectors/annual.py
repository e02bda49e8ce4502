"""The annual (or half-year, quarter) report of one province, and the Ministry's national view."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from functools import partial

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.money import AmountQualifier
from places.models import AdministrativeUnit
from programs.models import AnnualPlan
from projects.models import Project

from .. import money_moves
from ..money_moves import fold
from ..periods import Period
from ..scope import Scope
from .blocks import (
    allocation_reads,
    allocations_from,
    content_count_read,
    content_rows,
    contents_read,
    declared_allocations,
    declared_from,
    declared_reads,
    overview_from,
    planned_overview_read,
    planned_read,
    province_plans,
    province_scope,
    source_read,
    source_rows,
    sources_from,
    status_count_read,
    status_rows,
)
from .listed_rows import (
    beneficiary_reads,
    beneficiary_rows,
    certified_read,
    certified_rows,
    largest,
    listed_reads,
    output_read,
    output_rows,
    place_read,
    place_rows,
    places_from,
    project_rows_from,
)
from .one_read import Read, read_together
from .rows import (
    APPROVED_STATUSES,
    FINISHED_STATUSES,
    NOTABLE_COUNT,
    AnnualReport,
    ProjectRow,
    SourceRow,
    StatusRow,
    Totals,
    combined_qualifier,
    qualifier_prefix,
    source_totals,
)

# --------------------------------------------------------------------------------------------------
# The reports


def _province_reads(inputs: dict, *, own_period: bool, user=None) -> dict[str, Read]:
    """Every read of a province's report, named; `inputs`: year, province (id), start and end of the period."""
    year, end = inputs["year"], inputs["end"]
    projects = province_scope(inputs["province"], year, user)
    plans = province_plans(inputs["province"], year, user)
    period = _Days(year, inputs["start"], end, not own_period)
    reads: dict[str, Read] = {
        "overview": planned_overview_read(projects),
        "sources": source_read(),
        "content_counts": content_count_read(projects),
        "contents": contents_read(),
        "outputs": output_read(projects),
        "certified": certified_read(projects, end),
        "places": place_read(projects),
    }
    for prefix, group in (
        ("moves.", money_moves.sum_reads(projects, period, ("source",))),
        ("beneficiaries.", beneficiary_reads(projects)),
        ("declared.", declared_reads(plans, on=end)),
    ):
        reads.update({prefix + name: read for name, read in group.items()})
    return reads


@dataclass(frozen=True)
class _Days:
    """What the money moves read of a period: its year and days (stand-ins while the statement is compiled)."""

    year: int
    start: datetime.date
    end: datetime.date
    is_whole_year: bool


def _notable(ids: list[int]) -> list[ProjectRow]:
    """The largest đề án, known once the first read is back: a second round trip (compiled once per count)."""
    if not ids:
        return []
    rows = read_together(
        ("notable", len(ids)),
        lambda inputs: listed_reads([inputs[f"p{i}"] for i in range(len(ids))]),
        {f"p{i}": pk for i, pk in enumerate(ids)},
        model=Project,
    )
    return project_rows_from(rows.pop("items"), rows)


def _group(rows: dict[str, list[tuple]], prefix: str) -> dict[str, list[tuple]]:
    return {name[len(prefix) :]: value for name, value in rows.items() if name.startswith(prefix)}


def annual_report(*, province: AdministrativeUnit, period: Period, user=None) -> AnnualReport:
    """Báo cáo kết quả thực hiện kế hoạch khuyến công of one province for a year, half-year or quarter.

    Every table is read in two statements on PostgreSQL (`one_read`), compiled once per kind of period: the
    province, the year and the period's days are the statement's parameters; what the user may see is part of
    the statement's shape."""
    own_period = not period.is_whole_year
    inputs = {"year": period.year, "province": province.pk, "start": period.start, "end": period.end}
    rows = read_together(
        ("annual_report", own_period, _scope_key(user)),
        partial(_province_reads, own_period=own_period, user=user),
        inputs,
        model=Project,
    )
    projects = province_scope(province, period.year, user)
    # Each đề án's planned money and status once, for the places, the notable đề án and the status counts;
    # and the budget lines by source, content and status together, each table taking its fold.
    by_project, planned = overview_from(rows["overview"])
    # The plans' tables, read once: what each plan declared, and the allocated money by source.
    declared = _group(rows, "declared.")
    counts: dict[str, int] = defaultdict(int)
    for _code, _planned, status in by_project.values():
        counts[status] += 1
    by_source = source_rows(
        projects,
        None,
        sources=sources_from(rows["sources"]),
        planned=fold(planned, 0),
        allocations={k[0]: v for k, v in declared_allocations(declared).items()},
        moves=money_moves.moves_from(_group(rows, "moves."), 1, own_period=own_period).fold(0),
    )
    by_content = content_rows(
        projects, planned=fold(planned, 1), counts=dict(rows["content_counts"]), contents=rows["contents"]
    )
    by_status = status_rows(projects, counts=counts, planned=fold(planned, 2))
    by_kind, counterpart = beneficiary_rows(projects, read=_group(rows, "beneficiaries."))
    return AnnualReport(
        province=province,
        period=period,
        project_count=sum(r.count for r in by_status),
        by_status=by_status,
        by_source=by_source,
        source_totals=source_totals(by_source),
        counterpart=counterpart,
        by_content=by_content,
        content_planned_total=sum(r.planned for r in by_content),
        by_place=place_rows(projects, province, planned=by_project, read=places_from(rows["places"])),
        by_beneficiary_kind=by_kind,
        outputs=output_rows(projects, read=rows["outputs"]),
        notable=_notable(largest(by_project, NOTABLE_COUNT)),
        declared_plans=declared_from(declared),
        certified=certified_rows(projects, period.end, read=rows["certified"]),
        generated_on=timezone.localdate(),
    )


# ---- National view: one row per province of today's map


@dataclass
class ProvinceRow:
    province_id: int
    code: str
    name: str
    projects: int = 0
    approved: int = 0
    finished: int = 0
    planned: int = 0
    allocated: int = 0
    disbursed: int = 0
    settled: int = 0
    declared_projects: int = 0
    allocated_qualifier: str = AmountQualifier.EXACT

    @property
    def allocated_prefix(self) -> str:
        return qualifier_prefix(self.allocated_qualifier)


@dataclass
class NationalReport:
    period: Period
    rows: list[ProvinceRow]
    totals: ProvinceRow
    by_source: list[SourceRow]
    source_totals: Totals
    by_status: list[StatusRow]
    generated_on: datetime.date


def national_report(*, period: Period, user=None, advances: bool = True) -> NationalReport:
    """The annual report across provinces: one row per province of today's map, whatever its data.

    Each table is read once, grouped by province and source (or status) together: Python adds the few
    hundred resulting rows up into the province rows, the source rows and the status rows. Without
    `advances` (the dashboard, which does not show them) the advance table is not read and the source
    rows carry no advanced money. The reads go in two statements on PostgreSQL (`one_read`), compiled once per
    kind of period and of user."""
    own_period = not period.is_whole_year
    rows = read_together(
        ("national_report", own_period, advances, _scope_key(user)),
        partial(_national_reads, own_period=own_period, user=user, advances=advances),
        {"year": period.year, "start": period.start, "end": period.end},
        model=Project,
    )
    projects = Scope(year=period.year, user=user)
    counts: dict[int, dict[str, int]] = {}
    by_status: dict[str, int] = {}
    for province_id, status, n in rows["counts"]:
        c = counts.setdefault(province_id, {"n": 0, "approved": 0, "finished": 0})
        c["n"] += n
        c["approved"] += n if status in APPROVED_STATUSES else 0
        c["finished"] += n if status in FINISHED_STATUSES else 0
        by_status[status] = by_status.get(status, 0) + n
    planned = {row[:-1]: row[-1] or 0 for row in rows["planned"]}
    allocations = allocations_from(_group(rows, "allocated."))
    allocated = fold({k: total for k, (total, _loose) in allocations.items()}, 0)
    loose_provinces = {province for (province, _source), (_t, loose) in allocations.items() if loose}
    by_source_allocations: dict[int | None, tuple[int, int]] = {}
    for (_province, source_id), (total, loose) in allocations.items():
        t, q = by_source_allocations.get(source_id, (0, 0))
        by_source_allocations[source_id] = (t + total, q + loose)
    declared = dict(rows["declared"])
    moves = money_moves.moves_from(_group(rows, "moves."), 2, own_period=own_period)
    moves_by_province = moves.fold(0)
    moves_by_source = moves.fold(1)
    planned_by_province = fold(planned, 0)
    province_rows = []
    for pk, code, full_name in rows["provinces"]:
        c = counts.get(pk, {})
        province_rows.append(
            ProvinceRow(
                province_id=pk,
                code=code,
                name=full_name,
                projects=c.get("n", 0),
                approved=c.get("approved", 0),
                finished=c.get("finished", 0),
                planned=planned_by_province.get(pk) or 0,
                allocated=allocated.get(pk) or 0,
                disbursed=moves_by_province.disbursed.get(pk, 0),
                settled=moves_by_province.settled.get(pk, 0),
                declared_projects=declared.get(pk) or 0,
                allocated_qualifier=AmountQualifier.OVER if pk in loose_provinces else AmountQualifier.EXACT,
            )
        )
    totals = ProvinceRow(province_id=0, code="", name=_("Tổng cộng"))
    for attr in (
        "projects",
        "approved",
        "finished",
        "planned",
        "allocated",
        "disbursed",
        "settled",
        "declared_projects",
    ):
        setattr(totals, attr, sum(getattr(r, attr) for r in province_rows))
    totals.allocated_qualifier = combined_qualifier(
        r.allocated_qualifier for r in province_rows if r.allocated
    )
    by_source = source_rows(
        projects,
        None,
        period=period,
        sources=sources_from(rows["sources"]),
        planned=fold(planned, 1),
        allocations=by_source_allocations,
        moves=moves_by_source,
    )
    return NationalReport(
        period=period,
        rows=province_rows,
        totals=totals,
        by_source=by_source,
        source_totals=source_totals(by_source),
        by_status=status_rows(projects, counts=by_status, planned=fold(planned, 2)),
        generated_on=timezone.localdate(),
    )


def _scope_key(user) -> tuple | None:
    """What of a user shapes a report's statements: `province_filter` is all a report asks of the user."""
    if user is None:
        return None
    from accounts.scoping import sees_all_provinces, user_province_id

    return (sees_all_provinces(user), user_province_id(user))


def _national_reads(inputs: dict, *, own_period: bool, user, advances: bool) -> dict[str, Read]:
    """Every read of the national view, named; `inputs`: the year, the start and the end of the period."""
    year = inputs["year"]
    projects = Scope(year=year, user=user)
    plans = AnnualPlan.objects.filter(year=year)
    provinces = AdministrativeUnit.objects.current().provinces().order_by("code")
    if user is not None:
        plans = plans.visible_to(user)
        from accounts.scoping import province_filter

        provinces = provinces.filter(province_filter(user, "pk"))
    period = _Days(year, inputs["start"], inputs["end"], not own_period)
    reads: dict[str, Read] = {
        "counts": status_count_read(projects, ("province", "status")),
        "planned": planned_read(projects, ("project__province", "source", "project__status")),
        "declared": plans.order_by()
        .values_list("province__current_province")
        .annotate(t=Sum("declared_project_count")),
        "provinces": provinces.values_list("pk", "code", "full_name"),
        "sources": source_read(),
    }
    keys = ("plan__province__current_province", "source")
    for prefix, group in (
        ("allocated.", allocation_reads(plans, keys, on=inputs["end"])),
        (
            "moves.",
            money_moves.sum_reads(projects, period, ("project__province", "source"), advances=advances),
        ),
    ):
        reads.update({prefix + name: read for name, read in group.items()})
    return reads

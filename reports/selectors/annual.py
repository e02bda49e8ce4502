"""The annual (or half-year, quarter) report of one province, and the Ministry's national view."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from places.models import AdministrativeUnit
from programs.models import (
    AnnualPlan,
    PlanAllocation,
)
from projects.models import BudgetLine, Project

from .. import money_moves
from ..periods import Period
from ..scope import pin
from .blocks import (
    beneficiary_kind_rows,
    content_rows,
    counterpart_summary,
    declared_plans,
    output_rows,
    place_rows,
    project_rows,
    province_plans,
    province_projects,
    source_rows,
    status_rows,
)
from .rows import (
    APPROVED_STATUSES,
    FINISHED_STATUSES,
    NOTABLE_COUNT,
    AnnualReport,
    SourceRow,
    StatusRow,
    Totals,
    source_totals,
)

# --------------------------------------------------------------------------------------------------
# The reports


def annual_report(*, province: AdministrativeUnit, period: Period, user=None) -> AnnualReport:
    """Báo cáo kết quả thực hiện kế hoạch khuyến công of one province for a year, half-year or quarter."""
    projects = pin(province_projects(province, period.year, user))
    plans = province_plans(province, period.year, user)
    by_source = source_rows(projects, plans, period=period)
    by_content = content_rows(projects)
    by_status = status_rows(projects)
    return AnnualReport(
        province=province,
        period=period,
        project_count=sum(r.count for r in by_status),
        by_status=by_status,
        by_source=by_source,
        source_totals=source_totals(by_source),
        counterpart=counterpart_summary(projects),
        by_content=by_content,
        content_planned_total=sum(r.planned for r in by_content),
        by_place=place_rows(projects, province),
        by_beneficiary_kind=beneficiary_kind_rows(projects),
        outputs=output_rows(projects),
        notable=project_rows(projects, limit=NOTABLE_COUNT, order="planned"),
        declared_plans=declared_plans(plans),
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


@dataclass
class NationalReport:
    period: Period
    rows: list[ProvinceRow]
    totals: ProvinceRow
    by_source: list[SourceRow]
    source_totals: Totals
    by_status: list[StatusRow]
    generated_on: datetime.date


def national_report(*, period: Period, user=None) -> NationalReport:
    """The annual report across provinces: one row per province of today's map, whatever its data."""
    projects = Project.objects.filter(plan__year=period.year)
    plans = AnnualPlan.objects.filter(year=period.year)
    provinces = AdministrativeUnit.objects.current().provinces().order_by("code")
    if user is not None:
        projects = projects.visible_to(user)
        plans = plans.visible_to(user)
        from accounts.scoping import province_filter

        provinces = provinces.filter(province_filter(user, "pk"))
    counts = {
        row["province"]: row
        for row in projects.order_by()
        .values("province")
        .annotate(
            n=Count("id"),
            approved=Count("id", filter=Q(status__in=APPROVED_STATUSES)),
            finished=Count("id", filter=Q(status__in=FINISHED_STATUSES)),
        )
    }
    planned = dict(
        BudgetLine.objects.filter(project__in=projects)
        .order_by()
        .values_list("project__province")
        .annotate(t=Sum("amount"))
    )
    allocated = dict(
        PlanAllocation.objects.filter(plan__in=plans)
        .order_by()
        .values_list("plan__province__current_province")
        .annotate(t=Sum("amount"))
    )
    declared = dict(
        plans.order_by().values_list("province__current_province").annotate(t=Sum("declared_project_count"))
    )
    moves = money_moves.by_province(projects, period)
    rows = []
    for p in provinces:
        c = counts.get(p.pk, {})
        rows.append(
            ProvinceRow(
                province_id=p.pk,
                code=p.code,
                name=p.full_name,
                projects=c.get("n", 0),
                approved=c.get("approved", 0),
                finished=c.get("finished", 0),
                planned=planned.get(p.pk) or 0,
                allocated=allocated.get(p.pk) or 0,
                disbursed=moves.disbursed.get(p.pk, 0),
                settled=moves.settled.get(p.pk, 0),
                declared_projects=declared.get(p.pk) or 0,
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
        setattr(totals, attr, sum(getattr(r, attr) for r in rows))
    by_source = source_rows(projects, plans, period=period)
    return NationalReport(
        period=period,
        rows=rows,
        totals=totals,
        by_source=by_source,
        source_totals=source_totals(by_source),
        by_status=status_rows(projects),
        generated_on=timezone.localdate(),
    )

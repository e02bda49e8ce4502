"""The year at a glance for leadership and officers, and the same across provinces for the Ministry.

A fixed number of queries whatever the number of đề án, programmes or provinces: every block is one
grouped aggregate.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, Sum
from django.utils import timezone

from accounts.scoping import province_filter, sees_all_provinces, user_province_id
from places.models import AdministrativeUnit
from programs.models import AnnualPlan, Programme, ProgrammeTarget
from projects.models import ProjectOutput

from .. import money_moves
from ..money_moves import fold
from ..periods import Period
from ..scope import Scope
from .annual import ProvinceRow, national_report
from .blocks import planned_sums, source_rows, status_rows
from .programme import plan_belongs
from .rows import SourceRow, StatusRow, Totals, source_totals


@dataclass
class ProgrammeProgress:
    programme: Programme
    targets: list[dict] = field(default_factory=list)


@dataclass
class Dashboard:
    """The figures the dashboard shows. Its source rows carry planned, allocated, disbursed and settled money;
    advances are not shown there, so they are not read (`advanced` is 0: the reports carry them)."""

    year: int
    years: list[int]
    province: AdministrativeUnit | None
    national: bool
    by_source: list[SourceRow]
    totals: Totals
    by_status: list[StatusRow]
    project_count: int
    programmes: list[ProgrammeProgress]
    provinces: list[ProvinceRow] | None
    province_totals: ProvinceRow | None


def dashboard_years(user) -> list[int]:
    """Years that have a plan the user may see, newest first (one query)."""
    return list(
        AnnualPlan.objects.visible_to(user).order_by("-year").values_list("year", flat=True).distinct()
    )


def default_year(years: list[int]) -> int:
    """This year if it has a plan, else the latest year that has one, else this year."""
    today = timezone.localdate().year
    if today in years or not years:
        return today
    past = [y for y in years if y <= today]
    return past[0] if past else years[-1]


def programme_progress(programmes: list[Programme], user=None) -> list[ProgrammeProgress]:
    """Targets of several programmes against the sum of their đề án's outputs (three queries in all).

    Only the đề án `user` may see (all of them without a user), and only the outputs of the indicators that
    some target counts. The outputs are summed per plan and indicator over the programmes' years (by the year
    each đề án keeps from its plan: one range of an index, no join to the plans in the large query); the few
    hundred plans are then read to tell which programme each belongs to."""
    ids = [p.pk for p in programmes]
    quantified = list(
        ProgrammeTarget.objects.filter(programme_id__in=ids, indicator__isnull=False, min_value__isnull=False)
        .select_related("indicator")
        .order_by("programme", "order", "id")
    )
    achieved: dict[tuple[int, int], int] = defaultdict(int)
    if quantified:
        years = [p.start_year for p in programmes] + [p.end_year for p in programmes]
        outputs = ProjectOutput.objects.filter(
            achieved__isnull=False,
            indicator__in={t.indicator_id for t in quantified},
            project__year__range=(min(years), max(years)),
        )
        if user is not None:
            # Empty for those who see every province: no filter then.
            outputs = outputs.filter(province_filter(user, "project__province"))
        rows = list(
            outputs.order_by().values_list("project__plan", "indicator").annotate(total=Sum("achieved"))
        )
        # The plans of those years (and any other plan met, should a đề án's year ever differ from its plan's).
        plans = {
            pk: rest
            for pk, *rest in AnnualPlan.objects.filter(
                Q(year__range=(min(years), max(years))) | Q(pk__in={plan_id for plan_id, _i, _t in rows})
            ).values_list("pk", "programme", "kind", "year", "province__current_province")
        }
        running = {p.pk for p in programmes}
        for plan_id, indicator_id, total in rows:
            programme_id, kind, year, province_id = plans[plan_id]
            if programme_id is not None:
                # A plan of a programme belongs to that programme only (plan_belongs' first rule).
                if programme_id in running:
                    achieved[(programme_id, indicator_id)] += total or 0
                continue
            for p in programmes:
                if plan_belongs(p, programme_id=None, kind=kind, year=year, province_id=province_id):
                    achieved[(p.pk, indicator_id)] += total or 0
    targets = defaultdict(list)
    for t in quantified:
        value = achieved.get((t.programme_id, t.indicator_id), 0)
        share = round(100 * value / t.min_value, 1) if t.min_value else None
        targets[t.programme_id].append(
            {
                "description": t.description,
                "unit": t.unit or t.indicator.unit,
                "min_value": t.min_value,
                "max_value": t.max_value,
                "achieved": value,
                "share": share,
                "bar": min(100, int(share or 0)),
            }
        )
    return [ProgrammeProgress(p, targets.get(p.pk, [])) for p in programmes]


def dashboard(user, *, year: int | None = None) -> Dashboard:
    years = dashboard_years(user)
    year = year or default_year(years)
    national = sees_all_provinces(user)
    province_id = user_province_id(user)
    province = None
    if not national and province_id is not None:
        province = AdministrativeUnit.objects.get(pk=province_id)
    provinces = province_totals = None
    if national:
        # The dashboard does not show advances: their table is not read.
        report = national_report(period=Period(year), user=user, advances=False)
        provinces, province_totals = report.rows, report.totals
        by_source, by_status = report.by_source, report.by_status
    else:
        projects = Scope(year=year, user=user)
        plans = AnnualPlan.objects.visible_to(user).filter(year=year)
        # The budget lines once, by source and status together.
        planned = planned_sums(projects, ("source", "project__status"))
        moves = money_moves.sums(projects, Period(year), ("source",), advances=False).fold(0)
        by_source = source_rows(projects, plans, period=Period(year), planned=fold(planned, 0), moves=moves)
        by_status = status_rows(projects, planned=fold(planned, 1))
    running = list(
        Programme.objects.visible_to(user)
        .filter(start_year__lte=year, end_year__gte=year, targets__isnull=False)
        .select_related("province")
        .distinct()
        .order_by("level", "start_year", "name")
    )
    return Dashboard(
        year=year,
        years=years,
        province=province,
        national=national,
        by_source=by_source,
        totals=source_totals(by_source),
        by_status=by_status,
        project_count=sum(r.count for r in by_status),
        programmes=programme_progress(running, user),
        provinces=provinces,
        province_totals=province_totals,
    )

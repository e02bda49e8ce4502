"""Building blocks: each one or two aggregate queries over a queryset of đề án already scoped by the caller."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from beneficiaries.models import BeneficiaryKind
from khuyencong.money import AmountQualifier
from places.models import AdministrativeUnit
from programs.models import (
    ActivityContent,
    AnnualPlan,
    FundingSource,
    PlanAllocation,
)
from projects.models import BudgetLine, Project, ProjectBeneficiary, ProjectOutput, ProjectStatus

from .. import money_moves
from ..periods import Period
from ..scope import ProjectIds, as_queryset, of_projects
from .rows import (
    AllocationLine,
    BeneficiaryKindRow,
    ContentRow,
    CounterpartSummary,
    DeclaredPlan,
    OutputRow,
    PlaceRow,
    ProjectRow,
    SourceRow,
    StatusRow,
)

# --------------------------------------------------------------------------------------------------
# Building blocks, each one or two queries over a queryset of đề án (already scoped by the caller)


def province_projects(province: AdministrativeUnit, year: int, user=None) -> QuerySet[Project]:
    qs = Project.objects.filter(province=province, plan__year=year)
    return qs.visible_to(user) if user is not None else qs


def province_plans(province: AdministrativeUnit, year: int, user=None) -> QuerySet[AnnualPlan]:
    qs = AnnualPlan.objects.filter(province__current_province=province, year=year)
    return qs.visible_to(user) if user is not None else qs


def _sources() -> list[FundingSource]:
    return list(FundingSource.objects.order_by("order", "code"))


def status_rows(projects: QuerySet[Project]) -> list[StatusRow]:
    if isinstance(projects, ProjectIds):
        counts: dict[str, int] = defaultdict(int)
        planned: dict[str, int] = defaultdict(int)
        by_project = _planned_by_project(projects)
        for pk, status in projects.statuses.items():
            counts[status] += 1
            planned[status] += by_project.get(pk, 0)
    else:
        counts = dict(projects.order_by().values_list("status").annotate(n=Count("id")))
        planned = dict(
            BudgetLine.objects.filter(project__in=projects)
            .order_by()
            .values_list("project__status")
            .annotate(total=Sum("amount"))
        )
    return [
        StatusRow(status=value, label=str(label), count=counts.get(value, 0), planned=planned.get(value) or 0)
        for value, label in ProjectStatus.choices
        if counts.get(value)
    ]


def source_rows(
    projects: QuerySet[Project],
    plans: QuerySet[AnnualPlan],
    *,
    period: Period | None = None,
    sources: list[FundingSource] | None = None,
) -> list[SourceRow]:
    """Planned (budget lines), allocated (plan allocations) and the money moves, per funding source."""
    sources = _sources() if sources is None else sources
    planned = dict(
        BudgetLine.objects.filter(**of_projects(projects))
        .order_by()
        .values_list("source")
        .annotate(total=Sum("amount"))
    )
    allocated: dict[int | None, int] = {}
    qualifiers: dict[int | None, str] = {}
    for source_id, total, stated_over in (
        PlanAllocation.objects.filter(plan__in=plans)
        .order_by()
        .values_list("source")
        .annotate(total=Sum("amount"), qualified=Count("id", filter=~Q(qualifier=AmountQualifier.EXACT)))
    ):
        allocated[source_id] = total or 0
        if stated_over:
            qualifiers[source_id] = AmountQualifier.OVER
    moves = money_moves.by_source(projects, period)
    rows = [
        SourceRow(
            source_id=s.pk,
            name=s.name,
            short_name=s.short_name,
            planned=planned.get(s.pk) or 0,
            allocated=allocated.get(s.pk, 0),
            allocated_qualifier=qualifiers.get(s.pk, AmountQualifier.EXACT),
            advanced=moves.advanced.get(s.pk, 0),
            disbursed=moves.disbursed.get(s.pk, 0),
            disbursed_in_period=moves.disbursed_in_period.get(s.pk, 0),
            settled=moves.settled.get(s.pk, 0),
        )
        for s in sources
    ]
    unnamed = [
        planned.get(None) or 0,
        allocated.get(None, 0),
        moves.advanced.get(None, 0),
        moves.disbursed.get(None, 0),
        moves.settled.get(None, 0),
    ]
    if any(unnamed):
        rows.append(
            SourceRow(
                source_id=None,
                name=_("Ngân sách nhà nước (văn bản gốc không nêu cấp ngân sách)"),
                short_name=_("NSNN (không nêu cấp)"),
                planned=unnamed[0],
                allocated=unnamed[1],
                allocated_qualifier=qualifiers.get(None, AmountQualifier.EXACT),
                advanced=unnamed[2],
                disbursed=unnamed[3],
                settled=unnamed[4],
            )
        )
    return rows


def counterpart_summary(projects: QuerySet[Project]) -> CounterpartSummary:
    agg = ProjectBeneficiary.objects.filter(**of_projects(projects)).aggregate(
        committed=Sum("counterpart_amount", filter=Q(counterpart_committed=True)),
        beneficiaries=Count("beneficiary", distinct=True, filter=Q(counterpart_committed=True)),
        links=Count("id", filter=Q(counterpart_committed=True)),
    )
    return CounterpartSummary(
        committed=agg["committed"] or 0, beneficiaries=agg["beneficiaries"], committed_links=agg["links"]
    )


def content_rows(projects: QuerySet[Project]) -> list[ContentRow]:
    """All nine contents, as the paper forms list them, with đề án counts and planned money."""
    through = Project.contents.through
    counts = dict(
        through.objects.filter(**of_projects(projects))
        .order_by()
        .values_list("activitycontent")
        .annotate(n=Count("project", distinct=True))
    )
    planned = dict(
        BudgetLine.objects.filter(**of_projects(projects))
        .order_by()
        .values_list("content")
        .annotate(total=Sum("amount"))
    )
    rows = [
        ContentRow(
            content_id=c.pk,
            number=c.number,
            name=c.name,
            short_name=c.short_name,
            projects=counts.get(c.pk, 0),
            planned=planned.get(c.pk) or 0,
        )
        for c in ActivityContent.objects.order_by("number")
    ]
    if planned.get(None):
        rows.append(
            ContentRow(
                content_id=None,
                number=None,
                name=_("Chưa phân theo nội dung (dự toán không ghi nội dung)"),
                planned=planned[None],
            )
        )
    return rows


def _planned_by_project(projects: QuerySet[Project]) -> dict[int, int]:
    if isinstance(projects, ProjectIds) and projects.planned is not None:
        return projects.planned
    planned = {
        pk: total or 0
        for pk, total in BudgetLine.objects.filter(**of_projects(projects))
        .order_by()
        .values_list("project")
        .annotate(total=Sum("amount"))
    }
    if isinstance(projects, ProjectIds):
        projects.planned = planned
    return planned


def place_rows(projects: QuerySet[Project], province: AdministrativeUnit | None = None) -> list[PlaceRow]:
    """Đề án by the place where they ran, as it was then (old districts stay visible), under today's province.

    A commune of the old map is shown under its old district; a đề án with several places counts in each.
    """
    through = Project.sites.through
    links = list(
        through.objects.filter(**of_projects(projects))
        .order_by()
        .values_list("project_id", "administrativeunit_id")
    )
    planned = _planned_by_project(projects)
    unit_ids = {u for _p, u in links}
    units = {
        u.pk: u
        for u in AdministrativeUnit.objects.filter(pk__in=unit_ids).select_related(
            "parent", "current_province", "province"
        )
    }
    groups: dict[int, tuple[AdministrativeUnit, set[int], set[str]]] = {}
    for project_id, unit_id in links:
        unit = units[unit_id]
        group = unit
        commune_name = None
        if unit.level == AdministrativeUnit.Level.COMMUNE and unit.era == AdministrativeUnit.Era.OLD:
            group = unit.parent or unit
            commune_name = unit.full_name
        entry = groups.setdefault(group.pk, (group, set(), set()))
        entry[1].add(project_id)
        if commune_name:
            entry[2].add(commune_name)
    # Today's province names come from the parent's roll-up when a group is a district.
    today_ids = {g.current_province_id for g, _p, _c in groups.values() if g.current_province_id}
    today_names = dict(AdministrativeUnit.objects.filter(pk__in=today_ids).values_list("pk", "full_name"))
    rows = []
    for group, project_ids, communes in groups.values():
        rows.append(
            PlaceRow(
                today_province=today_names.get(group.current_province_id, _("Không xác định")),
                unit_name=group.full_name,
                unit_is_old=group.era == AdministrativeUnit.Era.OLD,
                level=group.level,
                communes=sorted(communes),
                projects=len(project_ids),
                planned=sum(planned.get(p, 0) for p in project_ids),
                in_own_province=province is None or group.current_province_id == province.pk,
            )
        )
    if isinstance(projects, ProjectIds):
        placed = {p for p, _u in links}
        without_ids = [pk for pk in projects if pk not in placed]
    else:
        without_ids = list(projects.filter(sites__isnull=True).order_by().values_list("pk", flat=True))
    if without_ids:
        rows.append(
            PlaceRow(
                today_province="",
                unit_name=_("Không ghi địa bàn"),
                unit_is_old=False,
                level=9,
                projects=len(without_ids),
                planned=sum(planned.get(p, 0) for p in without_ids),
            )
        )
    rows.sort(key=lambda r: (r.level == 9, not r.in_own_province, r.today_province, r.level, r.unit_name))
    return rows


def beneficiary_kind_rows(projects: QuerySet[Project]) -> list[BeneficiaryKindRow]:
    agg = {
        row["beneficiary__kind"]: row
        for row in ProjectBeneficiary.objects.filter(**of_projects(projects))
        .order_by()
        .values("beneficiary__kind")
        .annotate(
            beneficiaries=Count("beneficiary", distinct=True),
            projects=Count("project", distinct=True),
            women=Count("beneficiary", distinct=True, filter=Q(beneficiary__women_owned=True)),
            ethnic=Count("beneficiary", distinct=True, filter=Q(beneficiary__ethnic_minority=True)),
            support=Sum("support_amount"),
            counterpart=Sum("counterpart_amount"),
        )
    }
    rows = []
    for kind in BeneficiaryKind.objects.order_by("order", "code"):
        a = agg.get(kind.pk)
        rows.append(
            BeneficiaryKindRow(
                kind_id=kind.pk,
                name=kind.name,
                beneficiaries=a["beneficiaries"] if a else 0,
                projects=a["projects"] if a else 0,
                women_owned=a["women"] if a else 0,
                ethnic_minority=a["ethnic"] if a else 0,
                support=(a["support"] or 0) if a else 0,
                counterpart=(a["counterpart"] or 0) if a else 0,
            )
        )
    return rows


def output_rows(projects: QuerySet[Project]) -> list[OutputRow]:
    rows = []
    for row in (
        ProjectOutput.objects.filter(**of_projects(projects))
        .order_by()
        .values("indicator", "indicator__name", "indicator__unit", "indicator__order")
        .annotate(projects=Count("project", distinct=True), planned=Sum("planned"), achieved=Sum("achieved"))
        .order_by("indicator__order", "indicator")
    ):
        rows.append(
            OutputRow(
                indicator_id=row["indicator"],
                name=row["indicator__name"],
                unit=row["indicator__unit"],
                projects=row["projects"],
                planned=row["planned"] or 0,
                achieved=row["achieved"] or 0,
            )
        )
    return rows


def project_rows(
    projects: QuerySet[Project], *, limit: int | None = None, order: str = "code"
) -> list[ProjectRow]:
    """Đề án with their planned money by source (two queries plus contents, whatever the number of rows)."""
    if isinstance(projects, ProjectIds) and order == "planned" and limit:
        # The largest few: chosen from the per-đề án totals already summed, then only those are read.
        planned = _planned_by_project(projects)
        projects = ProjectIds(sorted(projects, key=lambda pk: -planned.get(pk, 0))[:limit])
    qs = (
        as_queryset(projects)
        .select_related("plan", "implementing_agency")
        .prefetch_related("contents")
        .annotate(
            planned_total=Sum("budget_lines__amount"),
        )
    )
    if order == "planned":
        qs = qs.order_by(F("planned_total").desc(nulls_last=True), "code")
    else:
        qs = qs.order_by("plan__year", "code")
    if limit:
        qs = qs[:limit]
    items = list(qs)
    ids = [p.pk for p in items]
    by_source: dict[int, dict[int | None, int]] = defaultdict(dict)
    for project_id, source_id, total in (
        BudgetLine.objects.filter(project_id__in=ids)
        .order_by()
        .values_list("project", "source")
        .annotate(total=Sum("amount"))
    ):
        by_source[project_id][source_id] = total or 0
    beneficiaries = dict(
        ProjectBeneficiary.objects.filter(project_id__in=ids)
        .order_by()
        .values_list("project")
        .annotate(n=Count("id"))
    )
    return [
        ProjectRow(
            id=p.pk,
            code=p.code,
            title=p.title,
            status=p.status,
            status_label=p.get_status_display(),
            kind_label=p.get_kind_display(),
            year=p.plan.year,
            plan_name=p.plan.name,
            contents="; ".join(
                f"{c.number}. {c.short_name}" for c in sorted(p.contents.all(), key=lambda c: c.number)
            ),
            implementing_unit=p.implementing_unit,
            planned=p.planned_total or 0,
            by_source=by_source.get(p.pk, {}),
            beneficiaries=beneficiaries.get(p.pk, 0),
        )
        for p in items
    ]


def declared_plans(plans: QuerySet[AnnualPlan]) -> list[DeclaredPlan]:
    result = []
    for plan in (
        plans.annotate(entered=Count("projects"))
        .prefetch_related("allocations__source")
        .order_by("kind", "name")
    ):
        decision = " ".join(
            part
            for part in (
                plan.decision_number,
                plan.decision_date.strftime("%d/%m/%Y") if plan.decision_date else "",
                plan.decision_authority,
            )
            if part
        )
        result.append(
            DeclaredPlan(
                name=plan.name,
                kind_label=plan.get_kind_display(),
                decision=decision,
                declared_project_count=plan.declared_project_count,
                entered_project_count=plan.entered,
                declared_total=plan.declared_total,
                declared_total_qualifier=plan.declared_total_qualifier,
                allocations=[
                    AllocationLine(
                        source_name=a.source.name if a.source_id else _("Không nêu cấp ngân sách"),
                        amount=a.amount,
                        qualifier=a.qualifier,
                        note=a.note,
                    )
                    for a in sorted(plan.allocations.all(), key=lambda a: a.source.order if a.source else 99)
                ],
                note=plan.note,
                source_note=plan.source_note,
            )
        )
    return result

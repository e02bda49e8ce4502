"""Building blocks: a few grouped aggregates over the đề án of a report, folded into its several views.

A block takes the đề án in scope either as a `reports.scope.Scope` (a year, a province, a user: each child
table is filtered through its own path to the đề án) or as any queryset of đề án. Blocks that read the same
child table are merged: the budget lines are summed once by source, content, status (and province, for the
national view) and Python adds the few hundred resulting rows up into each table of the report.
"""

from __future__ import annotations

import datetime
import heapq
from collections import defaultdict

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
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
from ..money_moves import fold
from ..periods import Period
from ..scope import Scope, as_queryset, of_projects
from .rows import (
    AllocationLine,
    BeneficiaryKindRow,
    CertifiedRow,
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
# Building blocks, each one or two queries over the đề án in scope


def province_scope(province: AdministrativeUnit, year: int, user=None) -> Scope:
    return Scope(year=year, province=province, user=user)


def province_plans(province: AdministrativeUnit, year: int, user=None) -> QuerySet[AnnualPlan]:
    qs = AnnualPlan.objects.filter(province__current_province=province, year=year)
    return qs.visible_to(user) if user is not None else qs


def _sources() -> list[FundingSource]:
    return list(FundingSource.objects.order_by("order", "code"))


def planned_sums(projects: Scope | QuerySet[Project], keys: tuple[str, ...]) -> dict[tuple, int]:
    """Planned money (budget lines) summed by several keys at once ("source", "content", "project__status",
    "project__province"): one read of the lines, keyed by tuples in the order of `keys`."""
    return {
        row[:-1]: row[-1] or 0
        for row in BudgetLine.objects.filter(of_projects(projects))
        .order_by()
        .values_list(*keys)
        .annotate(total=Sum("amount"))
    }


def allocation_sums(
    plans: QuerySet[AnnualPlan], keys: tuple[str, ...], *, on: datetime.date | None = None
) -> dict[tuple, tuple[int, int]]:
    """Allocated money of the plans and the number of allocations stated loosely ("trên", "khoảng"), by keys.

    With `on` (a period's last day), a plan kept as approved versions counts the version in force that day
    (nothing before its first approval); other plans count their allocations as entered."""
    allocations = PlanAllocation.objects.filter(plan__in=plans)
    result: dict[tuple, tuple[int, int]] = {}
    if on is not None:
        from planning.selectors import lines_in_force, managed_plan_ids

        allocations = allocations.exclude(plan__in=managed_plan_ids(plans))
        version_keys = tuple(f"version__{k}" if k.startswith("plan__") else k for k in keys)
        for row in (
            lines_in_force(plans, on).order_by().values_list(*version_keys).annotate(total=Sum("amount"))
        ):
            result[row[:-1]] = (row[-1] or 0, 0)
    for row in (
        allocations.order_by()
        .values_list(*keys)
        .annotate(total=Sum("amount"), qualified=Count("id", filter=~Q(qualifier=AmountQualifier.EXACT)))
    ):
        total, loose = result.get(row[:-2], (0, 0))
        result[row[:-2]] = (total + (row[-2] or 0), loose + row[-1])
    return result


def status_counts(
    projects: Scope | QuerySet[Project], keys: tuple[str, ...] = ("status",)
) -> dict[tuple, int]:
    """Đề án counted by status (and any other keys of the đề án, e.g. the province): one query."""
    return {
        row[:-1]: row[-1]
        for row in as_queryset(projects).order_by().values_list(*keys).annotate(n=Count("id"))
    }


def status_rows(
    projects: Scope | QuerySet[Project],
    *,
    counts: dict[str, int] | None = None,
    planned: dict[str, int] | None = None,
) -> list[StatusRow]:
    """Đề án and their planned money by status; `counts` and `planned` when the caller already summed them."""
    if counts is None:
        counts = fold(status_counts(projects), 0)
    if planned is None:
        planned = fold(planned_sums(projects, ("project__status",)), 0)
    return [
        StatusRow(status=value, label=str(label), count=counts.get(value, 0), planned=planned.get(value) or 0)
        for value, label in ProjectStatus.choices
        if counts.get(value)
    ]


def source_rows(
    projects: Scope | QuerySet[Project],
    plans: QuerySet[AnnualPlan],
    *,
    period: Period | None = None,
    sources: list[FundingSource] | None = None,
    planned: dict[int | None, int] | None = None,
    allocations: dict[int | None, tuple[int, int]] | None = None,
    moves: money_moves.Moves | None = None,
) -> list[SourceRow]:
    """Planned (budget lines), allocated (plan allocations) and the money moves, per funding source.

    `planned`, `allocations` ({source: (total, loosely stated)}) and `moves` by source, when the caller has
    already summed them with other keys; otherwise read here."""
    sources = _sources() if sources is None else sources
    if planned is None:
        planned = fold(planned_sums(projects, ("source",)), 0)
    if allocations is None:
        on = period.end if period is not None else None
        allocations = {k[0]: v for k, v in allocation_sums(plans, ("source",), on=on).items()}
    allocated: dict[int | None, int] = {}
    qualifiers: dict[int | None, str] = {}
    for source_id, (total, stated_over) in allocations.items():
        allocated[source_id] = total
        if stated_over:
            qualifiers[source_id] = AmountQualifier.OVER
    if moves is None:
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


def content_rows(
    projects: Scope | QuerySet[Project], *, planned: dict[int | None, int] | None = None
) -> list[ContentRow]:
    """All nine contents, as the paper forms list them, with đề án counts and planned money."""
    through = Project.contents.through
    counts = dict(
        through.objects.filter(of_projects(projects))
        .order_by()
        .values_list("activitycontent")
        .annotate(n=Count("project", distinct=True))
    )
    if planned is None:
        planned = fold(planned_sums(projects, ("content",)), 0)
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


def planned_by_project(projects: Scope | QuerySet[Project]) -> dict[int, tuple[str, int | None, str]]:
    """Each đề án's code, planned money (None without budget lines) and status: one grouped query, read by the
    places, the notable đề án and the status counts. Measured on a province's year (5.434 đề án, 6.692
    places): reading these few columns once and grouping the places in Python takes about half the time of
    grouping them in the database, where each place needs its đề án's budget lines summed again."""
    return {
        pk: (code, planned, status)
        for pk, code, status, planned in as_queryset(projects)
        .order_by()
        .values_list("pk", "code", "status")
        .annotate(planned=Sum("budget_lines__amount"))
    }


def planned_overview(
    projects: Scope | QuerySet[Project],
) -> tuple[dict[int, tuple[str, int | None, str]], dict[tuple, int]]:
    """planned_by_project and planned_sums by (source, content, status), from one read of the budget lines on
    PostgreSQL (GROUPING SETS: one set per đề án, one per source, content and status; 11 ms instead of 24 on a
    province's year), from two grouped queries elsewhere (SQLite has no GROUPING SETS)."""
    if connection.vendor != "postgresql" or not isinstance(projects, Scope):
        return planned_by_project(projects), planned_sums(projects, ("source", "content", "project__status"))
    scope = projects.projects()
    compiler = scope.query.get_compiler(using=scope.db)
    try:
        where, params = compiler.compile(scope.query.where)
    except EmptyResultSet:
        return {}, {}
    project, line = Project._meta.db_table, BudgetLine._meta.db_table
    sql = f"""
        SELECT GROUPING({project}.id), {project}.id, MIN({project}.code), {project}.status,
               {line}.source_id, {line}.content_id, SUM({line}.amount)
        FROM {project} LEFT JOIN {line} ON {line}.project_id = {project}.id
        WHERE {where}
        GROUP BY GROUPING SETS (({project}.id, {project}.status), ({line}.source_id, {line}.content_id, {project}.status))
    """
    by_project: dict[int, tuple[str, int | None, str]] = {}
    by_key: dict[tuple, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for by_keys, pk, code, status, source_id, content_id, total in cursor.fetchall():
            # SUM of bigint comes back as numeric: whole đồng as int, as the ORM gives them.
            total = None if total is None else int(total)
            if not by_keys:
                by_project[pk] = (code, total, status)
            elif total is not None:  # not the empty side of a đề án without budget lines
                by_key[(source_id, content_id, status)] = total
    return by_project, by_key


def _is_old_commune(level: int, era: str) -> bool:
    return level == AdministrativeUnit.Level.COMMUNE and era == AdministrativeUnit.Era.OLD


def place_rows(
    projects: Scope | QuerySet[Project],
    province: AdministrativeUnit | None = None,
    *,
    planned: dict[int, tuple[str, int | None, str]] | None = None,
) -> list[PlaceRow]:
    """Đề án by the place where they ran, as it was then (old districts stay visible), under today's province.

    A commune of the old map is shown under its old district; a đề án with several places counts in each
    (once per district however many of its communes it ran in). `planned`: planned_by_project, when the
    caller has it. Three queries: the đề án's planned money, their places (two ids each), the units named.
    """
    if planned is None:
        planned = planned_by_project(projects)
    through = Project.sites.through
    links = list(
        through.objects.filter(of_projects(projects))
        .order_by()
        .values_list("project_id", "administrativeunit_id")
    )
    unit_ids = {u for _p, u in links}
    # Each unit with its parent (an old commune is shown under its old district) and both one's province of
    # today, in one read by primary key: no second pass over the parents' ids, no scan of the whole map.
    fields = (
        "pk",
        "parent_id",
        "level",
        "era",
        "full_name",
        "current_province_id",
        "current_province__full_name",
    )
    parent_fields = tuple(f"parent__{f}" if f != "pk" else "parent_id" for f in fields)
    units: dict[int, tuple] = {}
    for row in (
        AdministrativeUnit.objects.filter(pk__in=unit_ids).order_by().values_list(*fields, *parent_fields[1:])
    ):
        units[row[0]] = row[:7]
        if row[1] is not None and row[1] not in units:
            units[row[1]] = (row[1], *row[7:])
    # The unit each place is shown under: an old commune under its old district (itself without one).
    shown_under = {}
    communes: dict[int, set[str]] = defaultdict(set)
    for pk in unit_ids:
        _pk, parent_id, level, era, name, _today_id, _today = units[pk]
        if _is_old_commune(level, era):
            shown_under[pk] = parent_id or pk
            communes[parent_id or pk].add(name)
        else:
            shown_under[pk] = pk
    groups: dict[int, set[int]] = defaultdict(set)
    for project_id, unit_id in links:
        groups[shown_under[unit_id]].add(project_id)
    province_id = getattr(province, "pk", province)
    rows = []
    for group, project_ids in groups.items():
        _pk, _parent, level, era, name, today_id, today_name = units[group]
        rows.append(
            PlaceRow(
                today_province=today_name if today_id else _("Không xác định"),
                unit_name=name,
                unit_is_old=era == AdministrativeUnit.Era.OLD,
                level=level,
                communes=sorted(communes.get(group, ())),
                projects=len(project_ids),
                planned=sum(planned[p][1] or 0 for p in project_ids),
                in_own_province=province is None or today_id == province_id,
            )
        )
    placed = {p for p, _u in links}
    without = [pk for pk in planned if pk not in placed]
    if without:
        rows.append(
            PlaceRow(
                today_province="",
                unit_name=_("Không ghi địa bàn"),
                unit_is_old=False,
                level=9,
                projects=len(without),
                planned=sum(planned[p][1] or 0 for p in without),
            )
        )
    rows.sort(key=lambda r: (r.level == 9, not r.in_own_province, r.today_province, r.level, r.unit_name))
    return rows


def beneficiary_rows(
    projects: Scope | QuerySet[Project],
) -> tuple[list[BeneficiaryKindRow], CounterpartSummary]:
    """Beneficiaries by kind, and the counterpart funds committed: one read of the đề án–beneficiary links.

    A beneficiary has one kind, so distinct beneficiaries per kind add up to the distinct beneficiaries of all.
    """
    committed = Q(counterpart_committed=True)
    links = ProjectBeneficiary.objects.filter(of_projects(projects))
    if isinstance(projects, Scope):
        # The same đề án once more through their plans' year: a redundant condition, but with it PostgreSQL
        # expects fewer đề án and looks each one's links up by the covering index (48 ms on a province's
        # year) instead of reading all 530.000 links in parallel and hashing them (80 ms).
        links = links.filter(project__plan__year=projects.year)
    agg = {
        row["beneficiary__kind"]: row
        for row in links.order_by()
        .values("beneficiary__kind")
        .annotate(
            beneficiaries=Count("beneficiary", distinct=True),
            projects=Count("project", distinct=True),
            women=Count("beneficiary", distinct=True, filter=Q(beneficiary__women_owned=True)),
            ethnic=Count("beneficiary", distinct=True, filter=Q(beneficiary__ethnic_minority=True)),
            support=Sum("support_amount"),
            counterpart=Sum("counterpart_amount"),
            committed=Sum("counterpart_amount", filter=committed),
            committed_beneficiaries=Count("beneficiary", distinct=True, filter=committed),
            # Every link has a beneficiary: counting them keeps the query on the links' covering index.
            committed_links=Count("beneficiary", filter=committed),
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
    counterpart = CounterpartSummary(
        committed=sum(a["committed"] or 0 for a in agg.values()),
        beneficiaries=sum(a["committed_beneficiaries"] for a in agg.values()),
        committed_links=sum(a["committed_links"] for a in agg.values()),
    )
    return rows, counterpart


def output_rows(projects: Scope | QuerySet[Project]) -> list[OutputRow]:
    rows = []
    for row in (
        ProjectOutput.objects.filter(of_projects(projects))
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
    projects: Scope | QuerySet[Project],
    *,
    limit: int | None = None,
    order: str = "code",
    planned: dict[int, tuple[str, int | None, str]] | None = None,
) -> list[ProjectRow]:
    """Đề án with their planned money by source (two queries plus contents, whatever the number of rows).

    The largest few (`order="planned"` and a `limit`) are chosen from `planned` (planned_by_project) when the
    caller has it, else by the database; then only those are read in full."""
    projects = as_queryset(projects)
    if order == "planned" and limit:
        if planned is not None:
            # Largest first, đề án without budget lines last, ties by code: as the database orders them below.
            largest = heapq.nsmallest(
                limit,
                planned,
                key=lambda pk: (planned[pk][1] is None, -(planned[pk][1] or 0), planned[pk][0]),
            )
        else:
            largest = (
                projects.order_by()
                .annotate(planned_total=Sum("budget_lines__amount"))
                .order_by(F("planned_total").desc(nulls_last=True), "code")
                .values_list("pk", flat=True)
            )
        projects = Project.objects.filter(pk__in=list(largest[:limit]))
    # Plain rows, not model instances: a national list has tens of thousands.
    fields = (
        "pk", "code", "title", "status", "kind", "plan__year", "plan__name", "implementing_agency__name",
        "implementing_unit_name",
    )  # fmt: skip
    if order == "planned":
        qs = projects.annotate(planned_total=Sum("budget_lines__amount")).order_by(
            F("planned_total").desc(nulls_last=True), "code"
        )
    else:
        # Listed by year and code: each đề án's planned money is the sum of its sources, read below.
        qs = projects.order_by("plan__year", "code")
    if limit:
        qs = qs[:limit]
    items = list(qs.values_list(*fields))
    # The child rows of the few đề án listed, or of the whole list by the same filter (no list of ids).
    listed = (
        Q(project_id__in=[p[0] for p in items]) if limit else Q(project__in=projects.order_by().values("pk"))
    )
    by_source: dict[int, dict[int | None, int]] = defaultdict(dict)
    for project_id, source_id, total in (
        BudgetLine.objects.filter(listed)
        .order_by()
        .values_list("project", "source")
        .annotate(total=Sum("amount"))
    ):
        by_source[project_id][source_id] = total or 0
    beneficiaries = dict(
        ProjectBeneficiary.objects.filter(listed).order_by().values_list("project").annotate(n=Count("id"))
    )
    # Contents as plain values, not prefetched objects: a prefetched list ties each đề án into a reference
    # cycle that only the garbage collector frees, so a long streamed list would hold every chunk read.
    contents: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for project_id, number, short_name in (
        Project.contents.through.objects.filter(listed)
        .order_by()
        .values_list("project_id", "activitycontent__number", "activitycontent__short_name")
    ):
        contents[project_id].append((number, short_name))
    # Each label translated once, not once a row (a lazy label costs a catalogue lookup every time).
    status_labels = {value: str(label) for value, label in ProjectStatus.choices}
    kind_labels = {value: str(label) for value, label in Project.Kind.choices}
    return [
        ProjectRow(
            id=pk,
            code=code,
            title=title,
            status=status,
            status_label=status_labels.get(status, status),
            kind_label=kind_labels.get(kind, kind),
            year=year,
            plan_name=plan_name,
            contents="; ".join(f"{number}. {name}" for number, name in sorted(contents[pk])),
            implementing_unit=agency if agency is not None else unit_name,
            planned=sum(by_source.get(pk, {}).values()),
            by_source=by_source.get(pk, {}),
            beneficiaries=beneficiaries.get(pk, 0),
        )
        for pk, code, title, status, kind, year, plan_name, agency, unit_name in items
    ]


def declared_plans(plans: QuerySet[AnnualPlan], *, on: datetime.date | None = None) -> list[DeclaredPlan]:
    result = []
    in_force: dict[int, list[AllocationLine]] = {}
    decisions: dict[int, str] = {}
    if on is not None:
        # Plans kept as approved versions show the version in force on the period's last day.
        from planning.selectors import lines_in_force, managed_plan_ids

        for plan_id in managed_plan_ids(plans).values_list("plan_id", flat=True).distinct():
            in_force.setdefault(plan_id, [])
        rows = (
            lines_in_force(plans, on)
            .order_by("source__order")
            .values_list(
                "version__plan_id",
                "source__name",
                "version__number",
                "version__decision_number",
                "version__decision_date",
            )
            .annotate(total=Sum("amount"))
        )
        for plan_id, source_name, number, decision_number, decision_date, total in rows:
            in_force[plan_id].append(
                AllocationLine(
                    source_name=source_name, amount=total or 0, qualifier=AmountQualifier.EXACT, note=""
                )
            )
            label = _("Kế hoạch ban đầu") if number == 1 else _("Điều chỉnh lần %(n)s") % {"n": number - 1}
            decisions[plan_id] = f"{decision_number} {decision_date:%d/%m/%Y} ({label})"
    for plan in (
        plans.annotate(entered=Count("projects"))
        # The allocations with their source in one query (not a third for the sources).
        .prefetch_related(Prefetch("allocations", queryset=PlanAllocation.objects.select_related("source")))
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
                decision=decisions.get(plan.pk, "" if plan.pk in in_force else decision),
                declared_project_count=plan.declared_project_count,
                entered_project_count=plan.entered,
                declared_total=plan.declared_total,
                declared_total_qualifier=plan.declared_total_qualifier,
                allocations=in_force[plan.pk]
                if plan.pk in in_force
                else [
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


def certified_rows(projects: Scope | QuerySet[Project], on: datetime.date) -> list[CertifiedRow]:
    """Establishments of the đề án holding a CNNT tiêu biểu or OCOP certification in force on `on`, counted
    once per scheme and grade (one establishment with two grades counts in both rows)."""
    from beneficiaries.models import Certification

    beneficiaries = ProjectBeneficiary.objects.filter(of_projects(projects)).values("beneficiary_id")
    in_force = (Q(issued_on__isnull=True) | Q(issued_on__lte=on)) & (
        Q(expires_on__isnull=True) | Q(expires_on__gte=on)
    )
    rows = (
        Certification.objects.filter(in_force, beneficiary_id__in=beneficiaries)
        .order_by()
        .values_list("scheme", "level", "stars")
        .annotate(n=Count("beneficiary", distinct=True))
    )
    levels = dict(Certification.Level.choices)
    result = []
    for scheme, level, stars, n in sorted(rows, key=lambda r: (r[0], r[2] or 0, r[1])):
        if scheme == Certification.Scheme.OCOP:
            label = _("OCOP %(stars)s sao") % {"stars": stars} if stars else _("OCOP (chưa ghi số sao)")
        else:
            label = _("Sản phẩm CNNT tiêu biểu %(level)s") % {"level": levels.get(level, "")}
        result.append(CertifiedRow(label=label.strip(), beneficiaries=n))
    return result

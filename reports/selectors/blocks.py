"""Building blocks: a few grouped aggregates over the đề án of a report, folded into its several views.

A block takes the đề án in scope either as a `reports.scope.Scope` (a year, a province, a user: each child
table is filtered through its own path to the đề án) or as any queryset of đề án. Blocks that read the same
child table are merged: the budget lines are summed once by source, content, status (and province, for the
national view) and Python adds the few hundred resulting rows up into each table of the report.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, Q, QuerySet, Sum, Value
from django.utils.translation import gettext as _

from khuyencong.money import AmountQualifier
from places.models import AdministrativeUnit
from programs.models import (
    ActivityContent,
    AnnualPlan,
    FundingSource,
    PlanAllocation,
)
from projects.models import BudgetLine, Project, ProjectStatus

from .. import money_moves
from ..money_moves import fold
from ..periods import Period
from ..scope import Scope, as_queryset, of_projects
from .rows import (
    AllocationLine,
    ContentRow,
    DeclaredPlan,
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


def source_read() -> QuerySet:
    return FundingSource.objects.order_by("order", "code").values_list("pk", "name", "short_name")


def sources_from(rows: list[tuple]) -> list[FundingSource]:
    """The funding sources named by the rows of `source_read` (what the source rows print of them)."""
    return [FundingSource(pk=pk, name=name, short_name=short_name) for pk, name, short_name in rows]


def planned_read(projects: Scope | QuerySet[Project], keys: tuple[str, ...]) -> QuerySet:
    return (
        BudgetLine.objects.filter(of_projects(projects))
        .order_by()
        .values_list(*keys)
        .annotate(total=Sum("amount"))
    )


def planned_sums(projects: Scope | QuerySet[Project], keys: tuple[str, ...]) -> dict[tuple, int]:
    """Planned money (budget lines) summed by several keys at once ("source", "content", "project__status",
    "project__province"): one read of the lines, keyed by tuples in the order of `keys`."""
    return {row[:-1]: row[-1] or 0 for row in planned_read(projects, keys)}


def allocation_reads(
    plans: QuerySet[AnnualPlan], keys: tuple[str, ...], *, on: datetime.date | None = None
) -> dict[str, QuerySet]:
    """The reads behind `allocation_sums`: "versions" (with `on`) and "allocations", values_list querysets."""
    allocations = PlanAllocation.objects.filter(plan__in=plans)
    reads: dict[str, QuerySet] = {}
    if on is not None:
        from planning.selectors import lines_in_force, managed_plan_ids

        allocations = allocations.exclude(plan__in=managed_plan_ids(plans))
        version_keys = tuple(f"version__{k}" if k.startswith("plan__") else k for k in keys)
        reads["versions"] = (
            lines_in_force(plans, on).order_by().values_list(*version_keys).annotate(total=Sum("amount"))
        )
    reads["allocations"] = (
        allocations.order_by()
        .values_list(*keys)
        .annotate(total=Sum("amount"), qualified=Count("id", filter=~Q(qualifier=AmountQualifier.EXACT)))
    )
    return reads


def allocations_from(rows: dict[str, list[tuple]]) -> dict[tuple, tuple[int, int]]:
    """`allocation_sums` from the rows of `allocation_reads`."""
    result: dict[tuple, tuple[int, int]] = {}
    for row in rows.get("versions", ()):
        result[row[:-1]] = (row[-1] or 0, 0)
    for row in rows["allocations"]:
        total, loose = result.get(row[:-2], (0, 0))
        result[row[:-2]] = (total + (row[-2] or 0), loose + row[-1])
    return result


def allocation_sums(
    plans: QuerySet[AnnualPlan], keys: tuple[str, ...], *, on: datetime.date | None = None
) -> dict[tuple, tuple[int, int]]:
    """Allocated money of the plans and the number of allocations stated loosely ("trên", "khoảng"), by keys.

    With `on` (a period's last day), a plan kept as approved versions counts the version in force that day
    (nothing before its first approval); other plans count their allocations as entered."""
    reads = allocation_reads(plans, keys, on=on)
    return allocations_from({name: list(qs) for name, qs in reads.items()})


def status_counts(
    projects: Scope | QuerySet[Project], keys: tuple[str, ...] = ("status",)
) -> dict[tuple, int]:
    """Đề án counted by status (and any other keys of the đề án, e.g. the province): one query."""
    return {row[:-1]: row[-1] for row in status_count_read(projects, keys)}


def status_count_read(projects: Scope | QuerySet[Project], keys: tuple[str, ...] = ("status",)) -> QuerySet:
    return as_queryset(projects).order_by().values_list(*keys).annotate(n=Count("id"))


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
    plans: QuerySet[AnnualPlan] | None,
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


def content_count_read(projects: Scope | QuerySet[Project]) -> QuerySet:
    """Đề án per content: (content id, count)."""
    return (
        Project.contents.through.objects.filter(of_projects(projects))
        .order_by()
        .values_list("activitycontent")
        # A đề án names a content once (the pair is unique): no DISTINCT, so no sort of the links.
        .annotate(n=Count("project"))
    )


def contents_read() -> QuerySet:
    return ActivityContent.objects.order_by("number").values_list("pk", "number", "name", "short_name")


def content_rows(
    projects: Scope | QuerySet[Project],
    *,
    planned: dict[int | None, int] | None = None,
    counts: dict[int, int] | None = None,
    contents: list[tuple] | None = None,
) -> list[ContentRow]:
    """All nine contents, as the paper forms list them, with đề án counts and planned money (`counts` and
    `contents`: the rows of `content_count_read` and `contents_read`, when the caller read them)."""
    if counts is None:
        counts = dict(content_count_read(projects))
    if contents is None:
        contents = list(contents_read())
    if planned is None:
        planned = fold(planned_sums(projects, ("content",)), 0)
    rows = [
        ContentRow(
            content_id=pk,
            number=number,
            name=name,
            short_name=short_name,
            projects=counts.get(pk, 0),
            planned=planned.get(pk) or 0,
        )
        for pk, number, name, short_name in contents
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


_P, _L = Project._meta.db_table, BudgetLine._meta.db_table
_OVERVIEW_SQL = f"""
    SELECT GROUPING({_P}.id), {_P}.id, MIN({_P}.code), {_P}.status, {_L}.source_id, {_L}.content_id, SUM({_L}.amount)
    FROM {_P} LEFT JOIN {_L} ON {_L}.project_id = {_P}.id
    WHERE {{where}}
    GROUP BY GROUPING SETS (({_P}.id, {_P}.status), ({_L}.source_id, {_L}.content_id, {_P}.status))
"""


def planned_overview_read(projects: Scope):
    """planned_by_project and planned_sums by (source, content, status) from one read of the budget lines, as a
    `one_read.RawPart`: rows (set, id, code, status, source, content, planned), set 0 per đề án and set 1 per
    source, content and status (GROUPING SETS on PostgreSQL: 11 ms instead of 24 on a province's year; two
    grouped queries by the ORM elsewhere)."""
    from .one_read import RawPart

    def fallback() -> list[tuple]:
        rows = [
            (0, pk, code, status, None, None, total)
            for pk, (code, total, status) in planned_by_project(projects).items()
        ]
        sums = planned_sums(projects, ("source", "content", "project__status"))
        rows += [
            (1, None, None, status, source, content, total)
            for (source, content, status), total in sums.items()
        ]
        return rows

    return RawPart(_OVERVIEW_SQL, projects.projects(), 7, fallback)


def overview_from(
    rows: list[tuple],
) -> tuple[dict[int, tuple[str, int | None, str]], dict[tuple, int]]:
    """(planned_by_project, planned_sums by source, content and status) from the rows of
    `planned_overview_read`."""
    by_project: dict[int, tuple[str, int | None, str]] = {}
    by_key: dict[tuple, int] = {}
    for by_keys, pk, code, status, source_id, content_id, total in rows:
        # SUM of bigint comes back as numeric: whole đồng as int, as the ORM gives them.
        total = None if total is None else int(total)
        if not by_keys:
            by_project[pk] = (code, total, status)
        elif total is not None:  # not the empty side of a đề án without budget lines
            by_key[(source_id, content_id, status)] = total
    return by_project, by_key


def declared_reads(plans: QuerySet[AnnualPlan], *, on: datetime.date | None = None) -> dict[str, QuerySet]:
    """The reads behind `declared_plans`, values_list querysets: the plans with their đề án entered (and, with
    `on`, whether each is kept as approved versions), their allocations as entered and, with `on`, the lines of
    the version in force."""
    reads: dict[str, QuerySet] = {}
    # Each plan with its đề án entered and, with `on`, whether it is kept as approved versions (then it shows
    # the version in force on the period's last day).
    plan_rows = (
        plans.order_by("kind", "name")
        .values_list(
            "pk", "name", "kind", "decision_number", "decision_date", "decision_authority",
            "declared_project_count", "declared_total", "declared_total_qualifier", "note", "source_note",
        )
        .annotate(entered=Count("projects"))
    )  # fmt: skip
    if on is None:
        reads["plans"] = plan_rows.annotate(managed=Value(False))
    else:
        from planning.selectors import kept_as_versions, lines_in_force

        reads["plans"] = plan_rows.annotate(managed=kept_as_versions())
        # By source as well as by its name and order, so that the allocated money by source
        # (`declared_allocations`) is summed from the same rows.
        reads["in_force"] = (
            lines_in_force(plans, on)
            .order_by("source__order")
            .values_list(
                "version__plan_id",
                "source",
                "source__name",
                "source__order",
                "version__number",
                "version__decision_number",
                "version__decision_date",
            )
            .annotate(total=Sum("amount"))
        )
    reads["allocations"] = (
        PlanAllocation.objects.filter(plan__in=plans)
        .order_by("pk")
        .values_list("plan_id", "source_id", "source__name", "source__order", "amount", "qualifier", "note")
    )
    return reads


def declared_from(rows: dict[str, list[tuple]]) -> list[DeclaredPlan]:
    """`declared_plans` from the rows of `declared_reads`."""
    in_force: dict[int, list[AllocationLine]] = {row[0]: [] for row in rows["plans"] if row[-1]}
    decisions: dict[int, str] = {}
    # A line per source name and order: two sources of the same name and order make one line.
    lines: dict[tuple, AllocationLine] = {}
    for plan_id, _source, source_name, order, number, decision_number, decision_date, total in rows.get(
        "in_force", ()
    ):
        line = lines.get((plan_id, source_name, order))
        if line is not None:
            line.amount += total or 0
            continue
        line = AllocationLine(
            source_name=source_name, amount=total or 0, qualifier=AmountQualifier.EXACT, note=""
        )
        lines[(plan_id, source_name, order)] = line
        in_force[plan_id].append(line)
        label = _("Kế hoạch ban đầu") if number == 1 else _("Điều chỉnh lần %(n)s") % {"n": number - 1}
        decisions[plan_id] = f"{decision_number} {decision_date:%d/%m/%Y} ({label})"
    allocations: dict[int, list[tuple]] = {}
    for row in rows["allocations"]:
        allocations.setdefault(row[0], []).append(row)
    kinds = dict(AnnualPlan._meta.get_field("kind").flatchoices)
    result = []
    for (
        pk, name, kind, decision_number, decision_date, authority, declared_count, declared_total,
        declared_qualifier, note, source_note, entered, _managed,
    ) in rows["plans"]:  # fmt: skip
        decision = " ".join(
            part
            for part in (
                decision_number,
                decision_date.strftime("%d/%m/%Y") if decision_date else "",
                authority,
            )
            if part
        )
        entered_lines = sorted(allocations.get(pk, ()), key=lambda a: a[3] if a[1] is not None else 99)
        result.append(
            DeclaredPlan(
                name=name,
                kind_label=str(kinds.get(kind, kind)),
                decision=decisions.get(pk, "" if pk in in_force else decision),
                declared_project_count=declared_count,
                entered_project_count=entered,
                declared_total=declared_total,
                declared_total_qualifier=declared_qualifier,
                allocations=in_force[pk]
                if pk in in_force
                else [
                    AllocationLine(
                        source_name=source_name if source_id is not None else _("Không nêu cấp ngân sách"),
                        amount=amount,
                        qualifier=qualifier,
                        note=line_note,
                    )
                    for _plan, source_id, source_name, _order, amount, qualifier, line_note in entered_lines
                ],
                note=note,
                source_note=source_note,
            )
        )
    return result


def declared_allocations(rows: dict[str, list[tuple]]) -> dict[tuple, tuple[int, int]]:
    """`allocation_sums` by source (with `on`) from the rows of `declared_reads`, which hold the same money
    plan by plan: the lines of the version in force of the plans kept as versions, the allocations as
    entered of the others. A report that shows both reads the plans' tables once."""
    managed = {row[0] for row in rows["plans"] if row[-1]}
    versions: dict[tuple, int] = defaultdict(int)
    for _plan, source_id, *_version, total in rows["in_force"]:
        versions[(source_id,)] += total or 0
    entered: dict[tuple, tuple[int, int]] = {}
    for plan_id, source_id, _name, _order, amount, qualifier, _note in rows["allocations"]:
        if plan_id not in managed:
            total, loose = entered.get((source_id,), (0, 0))
            entered[(source_id,)] = (total + (amount or 0), loose + (qualifier != AmountQualifier.EXACT))
    return allocations_from(
        {
            "versions": [(*key, total) for key, total in versions.items()],
            "allocations": [(*key, total, loose) for key, (total, loose) in entered.items()],
        }
    )


def declared_plans(plans: QuerySet[AnnualPlan], *, on: datetime.date | None = None) -> list[DeclaredPlan]:
    """What each plan declared (decision, đề án count, total, allocations) beside the đề án entered for it."""
    return declared_from({name: list(qs) for name, qs in declared_reads(plans, on=on).items()})

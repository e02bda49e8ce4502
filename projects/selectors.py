"""Reads that join several models: money of a đề án, the moves a user may make, a user's tasks."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from accounts.roles import user_roles
from accounts.scoping import user_province_id
from programs.models import FundingSource

from .models import (
    Advance,
    Appraisal,
    AppraisalRule,
    BudgetLine,
    Disbursement,
    ProgressReport,
    Project,
    ProjectStatus,
    ProjectTransition,
    SettlementLine,
    WorkflowAction,
    due_date_for,
)
from .permissions import (
    can_take,
    is_ministry_actor,
    is_read_only,
    is_system_admin,
    may_take_step,
    rules_cache,
    step_roles,
)
from .workflow import (
    MOVES,
    OPTIONAL_MOVES,
    PLAN_MOVES,
    RECORD_STATUSES,
    action_allowed_for,
    action_allowed_in,
)

# ---------------------------------------------------------------------------------------------- appraisal


@dataclass(frozen=True)
class AppraisalStanding:
    """The appraisal a đề án has against the rule its province's procedure sets for approval."""

    rule: AppraisalRule | None
    sheets: int
    average: float | None

    @property
    def problems(self) -> list[str]:
        from django.utils.translation import gettext as _

        if self.rule is None:
            return []
        found = []
        if self.sheets < self.rule.min_sheets:
            found.append(
                _("Cần ít nhất %(need)s phiếu thẩm định, hiện có %(have)s phiếu.")
                % {"need": self.rule.min_sheets, "have": self.sheets}
            )
        if self.rule.min_average is not None and self.sheets and (self.average or 0) < self.rule.min_average:
            found.append(
                _("Điểm bình quân các phiếu là %(average)s/100, thấp hơn mức tối thiểu %(minimum)s/100.")
                % {"average": f"{self.average:.1f}".replace(".", ","), "minimum": self.rule.min_average}
            )
        return found

    @property
    def met(self) -> bool:
        return not self.problems


def appraisal_standing(project: Project, *, sheets: list[Appraisal] | None = None) -> AppraisalStanding:
    """The rule of whoever approves the đề án (its province's, or the national default; the Ministry's for a
    national đề án), the number of sheets and their average total score (of `sheets` when the caller has
    read them already)."""
    if sheets is not None:
        totals = [sheet.total for sheet in sheets]
    else:
        rows = Appraisal.objects.filter(project=project).order_by().values_list(*Appraisal.CRITERIA)
        totals = [sum(row) for row in rows]
    return AppraisalStanding(
        rule=AppraisalRule.objects.for_project(project),
        sheets=len(totals),
        average=round(sum(totals) / len(totals), 1) if totals else None,
    )


# ---------------------------------------------------------------------------------------------- money


def _sum_by_source(qs: QuerySet) -> dict[int, int]:
    return {
        row["source_id"]: row["total"] or 0
        for row in qs.filter(source__isnull=False)
        .order_by()
        .values("source_id")
        .annotate(total=Sum("amount"))
    }


def budget_by_source(project: Project) -> dict[int, int]:
    """The đề án's cost estimate per source (the approved amount once the đề án is approved)."""
    return _sum_by_source(BudgetLine.objects.filter(project=project))


def advanced_by_source(project: Project, *, statuses=(Advance.Status.APPROVED,)) -> dict[int, int]:
    return _sum_by_source(Advance.objects.filter(project=project, status__in=statuses))


def disbursed_by_source(project: Project) -> dict[int, int]:
    return _sum_by_source(Disbursement.objects.filter(project=project))


def settled_by_source(project: Project) -> dict[int, int]:
    return _sum_by_source(SettlementLine.objects.filter(project=project))


APPROVED_OR_LATER = frozenset(
    {
        ProjectStatus.APPROVED,
        ProjectStatus.CONTRACTED,
        ProjectStatus.IN_PROGRESS,
        ProjectStatus.ADJUSTING,
        ProjectStatus.ACCEPTED,
        ProjectStatus.CLOSED,
        ProjectStatus.SETTLED,
        ProjectStatus.STOPPED,
    }
)


@dataclass
class MoneyRow:
    source: FundingSource | None
    approved: int = 0
    advanced: int = 0
    disbursed: int = 0
    settled: int = 0

    @property
    def remaining_to_disburse(self) -> int:
        return self.approved - self.disbursed

    @property
    def settled_minus_approved(self) -> int:
        return self.settled - self.approved


@dataclass
class ProjectMoney:
    rows: list[MoneyRow] = field(default_factory=list)
    total: MoneyRow = field(default_factory=lambda: MoneyRow(source=None))
    is_approved: bool = False


def project_money(project: Project) -> ProjectMoney:
    """Approved, advanced (approved advances), disbursed, settled and remaining per source, with totals.
    Everything is derived from the records; nothing is stored twice."""
    parts = {
        "approved": budget_by_source(project),
        "advanced": advanced_by_source(project),
        "disbursed": disbursed_by_source(project),
        "settled": settled_by_source(project),
    }
    source_ids = set().union(*parts.values())
    sources = FundingSource.objects.in_bulk(source_ids)
    money = ProjectMoney(is_approved=project.status in APPROVED_OR_LATER)
    for source_id in sorted(source_ids, key=lambda pk: (sources[pk].order, sources[pk].code)):
        row = MoneyRow(source=sources[source_id], **{k: v.get(source_id, 0) for k, v in parts.items()})
        money.rows.append(row)
        for name in parts:
            setattr(money.total, name, getattr(money.total, name) + getattr(row, name))
    return money


# ---------------------------------------------------------------------------------------------- moves


@dataclass(frozen=True)
class AvailableMove:
    action: str
    label: str
    target: str | None  # the status a move leads to; None for a record (report, advance…)


def available_moves(user, project: Project) -> list[AvailableMove]:
    """The steps the user may take on this đề án now, in the table's order (what buttons to show)."""
    moves = [
        AvailableMove(action, WorkflowAction(action).label, move.target)
        for action, move in MOVES.items()
        if action not in PLAN_MOVES and can_take(user, project, action)
    ]
    records = [
        AvailableMove(action, WorkflowAction(action).label, None)
        for action in RECORD_STATUSES
        if can_take(user, project, action)
    ]
    return moves + records


def appraisal_summary(project: Project) -> dict:
    """The average total score and each appraiser's recommendation, for leadership."""
    sheets = list(
        Appraisal.objects.filter(project=project).select_related("appraiser").order_by("submitted_at", "id")
    )
    totals = [s.total for s in sheets]
    return {
        "count": len(sheets),
        "average": round(sum(totals) / len(totals), 1) if totals else None,
        "sheets": sheets,
        "recommendations": {
            key: sum(1 for s in sheets if s.recommendation == key)
            for key in {s.recommendation for s in sheets}
        },
    }


def transition_history(project: Project) -> QuerySet[ProjectTransition]:
    return project.transitions.select_related("actor").order_by("created_at", "id")


# ---------------------------------------------------------------------------------------------- progress


def _first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


RUNNING = (ProjectStatus.IN_PROGRESS, ProjectStatus.ADJUSTING)


def _missing_months(
    start: datetime.date | None, end: datetime.date | None, reported: set[datetime.date], today: datetime.date
) -> list[datetime.date]:
    if start is None:
        return []
    last = _first_of_month(today)
    if end is not None:
        last = min(last, _first_of_month(end))
    months, month = [], _first_of_month(start)
    while month <= last:
        if month not in reported and due_date_for(month) < today:
            months.append(month)
        month = _next_month(month)
    return months


@dataclass
class OverdueReport:
    project: Project
    month: datetime.date

    @property
    def due_on(self) -> datetime.date:
        return due_date_for(self.month)


def overdue_reports(
    projects: QuerySet[Project], *, today: datetime.date | None = None
) -> list[OverdueReport]:
    """Monthly reports missing after their due day (the 25th) for the in-progress đề án among `projects`.

    Reports are due from the planned start (the contractual schedule; else the day the đề án went into
    progress) to the planned end. A fixed number of queries whatever the number of đề án."""
    running = list(projects.filter(status__in=RUNNING).order_by("code"))
    return _overdue_of(running, today=today or timezone.localdate())


def _overdue_of(running: list[Project], *, today: datetime.date) -> list[OverdueReport]:
    ids = [p.pk for p in running]
    reported: dict[int, set[datetime.date]] = defaultdict(set)
    for project_id, month in (
        ProgressReport.objects.filter(project_id__in=ids, submitted_at__isnull=False)
        .order_by()
        .values_list("project_id", "month")
    ):
        reported[project_id].add(month)
    moved: dict[int, datetime.date] = {}
    undated = [p.pk for p in running if p.start_date is None]
    if undated:
        for project_id, at in (
            ProjectTransition.objects.filter(project_id__in=undated, to_status=ProjectStatus.IN_PROGRESS)
            .order_by("created_at")
            .values_list("project_id", "created_at")
        ):
            moved.setdefault(project_id, timezone.localdate(at))
    found = []
    for project in running:
        start = project.start_date or moved.get(project.pk)
        missing = _missing_months(start, project.end_date, reported[project.pk], today)
        found += [OverdueReport(project, month) for month in missing]
    return found


def report_start(project: Project) -> datetime.date | None:
    """The first day monthly reports are due from: the planned start, else the day the đề án went into
    progress."""
    if project.start_date is not None:
        return project.start_date
    at = (
        ProjectTransition.objects.filter(project=project, to_status=ProjectStatus.IN_PROGRESS)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return timezone.localdate(at) if at is not None else None


def next_report_month(project: Project, *, today: datetime.date | None = None) -> datetime.date:
    """The month a new progress report is most likely for: the earliest month of the đề án's period up to
    this month that has no report yet; else this month, kept within the period."""
    today = today or timezone.localdate()
    this_month = _first_of_month(today)
    start = report_start(project)
    end = _first_of_month(project.end_date) if project.end_date else None
    if start is None:
        return this_month if end is None else min(this_month, end)
    reported = set(ProgressReport.objects.filter(project=project).order_by().values_list("month", flat=True))
    last = this_month if end is None else min(this_month, end)
    month = _first_of_month(start)
    while month <= last:
        if month not in reported:
            return month
        month = _next_month(month)
    return max(_first_of_month(start), last)


def overdue_months(project: Project, *, today: datetime.date | None = None) -> list[datetime.date]:
    """The months of one in-progress đề án whose report is overdue."""
    if project.status not in RUNNING:
        return []
    return [r.month for r in _overdue_of([project], today=today or timezone.localdate())]


# ---------------------------------------------------------------------------------------------- tasks


@dataclass
class Tasks:
    projects: list[tuple[Project, list[str]]] = field(default_factory=list)  # đề án and the steps waiting
    overdue_reports: list[OverdueReport] = field(default_factory=list)
    advances_to_decide: list[Advance] = field(default_factory=list)
    national_plans: list = field(default_factory=list)  # national plans waiting on the Minister's decision
    # With a limit (the dashboard shows the first few), how many there are in all; else the lists' lengths.
    projects_total: int | None = None
    advances_total: int | None = None

    @property
    def projects_count(self) -> int:
        return len(self.projects) if self.projects_total is None else self.projects_total

    @property
    def advances_count(self) -> int:
        return len(self.advances_to_decide) if self.advances_total is None else self.advances_total

    @property
    def count(self) -> int:
        return (
            self.projects_count + len(self.overdue_reports) + self.advances_count + len(self.national_plans)
        )


# Steps that make a đề án show up in "my tasks" (records always possible are left out).
_TASK_ACTIONS = [
    *(a for a in MOVES if a not in OPTIONAL_MOVES and a not in PLAN_MOVES),
    WorkflowAction.APPRAISE,
    WorkflowAction.CUC_APPRAISE,
]
_SHEETS = (WorkflowAction.APPRAISE, WorkflowAction.CUC_APPRAISE)


class _TaskProbe(NamedTuple):
    """What the steps waiting on a đề án depend on."""

    pk: int
    status: str
    kind: str
    files_with_ministry: bool


def tasks_for(user, *, today: datetime.date | None = None, limit: int | None = None) -> Tasks:
    """What waits on the user: đề án whose next step is theirs (an appraisal sheet not yet sent counts),
    overdue monthly reports, and advances to decide. A province's users see their province's đề án, local
    and national; the Cục's officers, council and leadership see the national đề án of every province.

    With `limit`, only the first `limit` đề án and advances are read in full; the others are counted
    (`projects_total`, `advances_total`): a province's leader may have thousands waiting."""
    tasks = Tasks()
    if not getattr(user, "is_authenticated", False) or is_read_only(user):
        return tasks
    province_id = user_province_id(user)
    admin = is_system_admin(user)
    ministry = is_ministry_actor(user) and not admin
    if province_id is None and not ministry:
        return tasks  # tasks are a province's; a national administrator has none of their own
    roles = user_roles(user)
    cache = rules_cache(user)
    if ministry:
        mine = Project.objects.national()
        kinds = [Project.Kind.NATIONAL]
    else:
        mine = Project.objects.visible_to(user).filter(province_id=province_id)
        kinds = [Project.Kind.LOCAL, Project.Kind.NATIONAL]

    def takes(action: str, kind: str) -> bool:
        return admin or bool(roles & step_roles(action, province_id, cache=cache, kind=kind))

    # Which steps wait depends only on the đề án's kind and status (a provincial user's đề án are all of one
    # province; the Ministry's rights do not depend on the province): worked out once per kind and status
    # (a leader may have thousands of đề án waiting), not once per đề án and step.
    waiting: dict[tuple[str, str], list[str]] = {}
    for kind in kinds:
        my_actions = [a for a in _TASK_ACTIONS if takes(a, kind)]
        statuses = set()
        for action in my_actions:
            statuses |= MOVES[action].sources if action in MOVES else RECORD_STATUSES[action]
        for status in statuses:
            probe = Project(province_id=province_id or 0, status=status, kind=kind)
            steps = [a for a in my_actions if may_take_step(user, probe, a) and action_allowed_in(a, status)]
            if steps:
                waiting[(kind, status)] = steps
    condition = Q(pk__in=[])
    for kind, status in waiting:
        condition |= Q(kind=kind, status=status)
    projects = (
        mine.filter(condition)
        .only("id", "code", "title", "status", "kind", "province_id", "plan_id", "files_with_ministry")
        .order_by("status", "code")
    )
    appraised = set(Appraisal.objects.filter(appraiser=user).order_by().values_list("project_id", flat=True))

    def steps_for(project) -> list[str]:
        steps = waiting[(project.kind, project.status)]
        if project.pk in appraised:
            steps = [a for a in steps if a not in _SHEETS]
        # The national route (filed with the Sở or directly with the Cục) depends on the đề án itself.
        return [a for a in steps if action_allowed_for(project, a)]

    if limit is None:
        for project in projects:
            if steps := steps_for(project):
                tasks.projects.append((project, steps))
    else:
        # The same rows as plain tuples (no model instance for each of thousands); instances for the first few.
        fields = ["id", "code", "title", "status", "kind", "province_id", "plan_id", "files_with_ministry"]
        tasks.projects_total = 0
        for row in projects.values_list(*fields):
            probe = _TaskProbe(row[0], row[3], row[4], row[7])
            if steps := steps_for(probe):
                tasks.projects_total += 1
                if len(tasks.projects) < limit:
                    tasks.projects.append((Project.from_db(projects.db, fields, row), steps))
    if ministry or any(takes(WorkflowAction.REPORT_PROGRESS, k) for k in kinds):
        # The Cục follows the monthly reports of every national đề án: overdue ones are on its desk too.
        tasks.overdue_reports = overdue_reports(mine, today=today)
    deciding = [k for k in kinds if takes(WorkflowAction.DECIDE_ADVANCE, k)]
    if deciding:
        advances = Advance.objects.filter(
            status=Advance.Status.REQUESTED, project__in=mine, project__kind__in=deciding
        )
        advances = advances.select_related("project", "source", "requested_by").order_by("requested_at")
        if limit is None:
            tasks.advances_to_decide = list(advances)
        else:
            tasks.advances_total = advances.count()
            tasks.advances_to_decide = list(advances[:limit])
    if ministry and takes(WorkflowAction.NATIONAL_APPROVE, Project.Kind.NATIONAL):
        from .models import NationalPlan

        tasks.national_plans = list(
            NationalPlan.objects.filter(status=NationalPlan.Status.DRAFT, lines__isnull=False).distinct()
        )
    return tasks

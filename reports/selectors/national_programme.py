"""The national-programme report of a year: the national plan (the Minister's decision, money per đề án and
content) against execution — each đề án's estimate, advances, disbursements and settlement — by province,
implementing unit, content and source. Figures are summed by the database; Python arranges the rows."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.utils import timezone

from programs.models import ActivityContent, FundingSource
from projects.models import (
    COMMITTED_STATUSES,
    Advance,
    BudgetLine,
    Disbursement,
    NationalPlan,
    NationalPlanLine,
    Project,
    ProjectStatus,
    SettlementLine,
)

MONEY = ("plan", "estimate", "advanced", "disbursed", "settled")


@dataclass
class Row:
    key: str
    name: str
    projects: int = 0
    plan: int = 0
    estimate: int = 0
    advanced: int = 0
    disbursed: int = 0
    settled: int = 0

    def add(self, other: Row) -> None:
        self.projects += other.projects
        for name in MONEY:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class NationalProgrammeReport:
    year: int
    plans: list[NationalPlan]
    generated_on: datetime.date
    by_province: list[Row] = field(default_factory=list)
    by_unit: list[Row] = field(default_factory=list)
    by_content: list[Row] = field(default_factory=list)
    by_source: list[Row] = field(default_factory=list)
    projects: list[Row] = field(default_factory=list)
    total: Row = field(default_factory=lambda: Row("", ""))
    plan_total: int = 0  # the total of the approved national plan(s) as decided

    @property
    def has_data(self) -> bool:
        return bool(self.projects)


def _sums(qs, *keys: str) -> dict[tuple, int]:
    """SUM(amount) grouped by the keys, in one query: one read of a money table serves every breakdown."""
    out: dict[tuple, int] = defaultdict(int)
    for *key, total in qs.values_list(*keys).annotate(total=Sum("amount")).order_by():
        out[tuple(key)] += total or 0
    return out


def _fold(sums: dict[tuple, int], position: int) -> dict:
    """The sums of `_sums` added up by the key at `position`; rows without that key (no source) left out."""
    out: dict = defaultdict(int)
    for key, total in sums.items():
        if key[position] is not None:
            out[key[position]] += total
    return out


def national_programme_report(*, year: int, user=None) -> NationalProgrammeReport:
    """Every national đề án of the year the user may see, with its plan money and what happened to it."""
    projects = Project.objects.national().in_year(year)
    if user is not None:
        projects = projects.visible_to(user)
    projects = projects.select_related("province", "implementing_agency").order_by("province__name", "code")
    project_list = list(projects)
    # The child tables filtered by the same query of đề án (a subquery), not by thousands of ids as parameters.
    ids = projects.order_by().values("pk")
    plans = list(NationalPlan.objects.filter(year=year, status=NationalPlan.Status.APPROVED))
    # Each money table read once, grouped by every key a breakdown needs, and folded in Python: each read pays
    # for the subquery of đề án again.
    lines = _sums(
        NationalPlanLine.objects.filter(plan__in=plans, project_id__in=ids), "project_id", "content_id"
    )
    plan_by_project, plan_by_content = _fold(lines, 0), _fold(lines, 1)
    # The estimate counts once a đề án holds money (approved or later); before that it is only a proposal.
    committed = BudgetLine.objects.filter(project_id__in=ids, project__status__in=COMMITTED_STATUSES)
    estimates = _sums(committed, "project_id", "content_id", "source_id")
    estimate_by_project = _fold(estimates, 0)
    estimate_by_content = _fold(estimates, 1)
    estimate_by_source = _fold(estimates, 2)
    moves = {
        "advanced": _sums(
            Advance.objects.filter(project_id__in=ids, status=Advance.Status.APPROVED),
            "project_id",
            "source_id",
        ),
        "disbursed": _sums(Disbursement.objects.filter(project_id__in=ids), "project_id", "source_id"),
        "settled": _sums(SettlementLine.objects.filter(project_id__in=ids), "project_id", "source_id"),
    }
    money_by_project = {name: _fold(sums, 0) for name, sums in moves.items()}
    money_by_source = {name: _fold(sums, 1) for name, sums in moves.items()}
    report = NationalProgrammeReport(year=year, plans=plans, generated_on=timezone.localdate())
    report.plan_total = sum(p.total for p in plans)
    provinces: dict[int, Row] = {}
    units: dict[str, Row] = {}
    # Each label translated once, not once a đề án.
    status_labels = {value: str(label) for value, label in ProjectStatus.choices}
    for project in project_list:
        row = Row(
            project.code,
            project.title,
            projects=1,
            plan=plan_by_project.get(project.pk, 0),
            estimate=estimate_by_project.get(project.pk, 0),
            **{k: v.get(project.pk, 0) for k, v in money_by_project.items()},
        )
        row.province = project.province.name
        row.unit = project.implementing_unit or "—"
        row.status = status_labels.get(project.status, project.status)
        report.projects.append(row)
        provinces.setdefault(project.province_id, Row(project.province.code, project.province.name)).add(row)
        units.setdefault(row.unit, Row(row.unit, row.unit)).add(row)
        report.total.add(row)
    report.by_province = list(provinces.values())
    report.by_unit = sorted(units.values(), key=lambda r: r.name)
    content_counts = dict(
        Project.contents.through.objects.filter(project_id__in=ids)
        .values("activitycontent_id")
        .annotate(n=Count("project_id"))
        .values_list("activitycontent_id", "n")
    )
    for content in ActivityContent.objects.order_by("number"):
        row = Row(
            str(content.number),
            f"{content.number}. {content.short_name}",
            projects=content_counts.get(content.pk, 0),
            plan=plan_by_content.get(content.pk, 0),
            estimate=estimate_by_content.get(content.pk, 0),
        )
        if row.projects or row.plan or row.estimate:
            report.by_content.append(row)
    source_ids = set(estimate_by_source)
    for part in money_by_source.values():
        source_ids |= set(part)
    source_ids.discard(None)
    national_source = FundingSource.objects.filter(code="kcqg").first()
    if national_source is not None and plan_by_project:
        source_ids.add(national_source.pk)
    for source in FundingSource.objects.filter(pk__in=source_ids).order_by("order", "code"):
        report.by_source.append(
            Row(
                source.code,
                source.name,
                # The national plan gives money from the national source only.
                plan=sum(plan_by_project.values()) if source.code == "kcqg" else 0,
                estimate=estimate_by_source.get(source.pk, 0),
                **{k: v.get(source.pk, 0) for k, v in money_by_source.items()},
            )
        )
    return report

"""Đề án lists and beneficiary support history for any filter the staff pages offer."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from beneficiaries.models import BeneficiaryKind
from places.models import AdministrativeUnit
from programs.models import (
    ActivityContent,
    AnnualPlan,
    FundingSource,
    Indicator,
    Programme,
)
from projects.models import BudgetLine, Project, ProjectBeneficiary, ProjectStatus

from .blocks import (
    _sources,
)
from .listed_rows import (
    project_rows,
)
from .rows import (
    ProjectRow,
)

# ---- Lists for any filter of the staff pages


@dataclass
class ProjectFilter:
    province: AdministrativeUnit | None = None
    year: int | None = None
    programme: Programme | None = None
    plan: AnnualPlan | None = None
    content: ActivityContent | None = None
    status: str | None = None
    source: FundingSource | None = None
    kind: str | None = None
    search: str | None = None

    def apply(self, qs: QuerySet[Project]) -> QuerySet[Project]:
        if self.province is not None:
            qs = qs.filter(province=self.province)
        if self.year:
            qs = qs.filter(plan__year=self.year)
        if self.programme is not None:
            qs = qs.filter(plan__programme=self.programme)
        if self.plan is not None:
            qs = qs.filter(plan=self.plan)
        if self.content is not None:
            qs = qs.filter(
                pk__in=Project.contents.through.objects.filter(activitycontent=self.content).values("project")
            )
        if self.status:
            qs = qs.filter(status=self.status)
        if self.source is not None:
            qs = qs.filter(pk__in=BudgetLine.objects.filter(source=self.source).values("project"))
        if self.kind:
            qs = qs.filter(kind=self.kind)
        if self.search:
            qs = qs.search(self.search)
        return qs

    def describe(self) -> str:
        parts = []
        if self.province is not None:
            parts.append(self.province.full_name)
        if self.year:
            parts.append(_("năm %(year)s") % {"year": self.year})
        if self.programme is not None:
            parts.append(str(self.programme))
        if self.plan is not None:
            parts.append(str(self.plan))
        if self.content is not None:
            parts.append(str(self.content))
        if self.status:
            parts.append(str(ProjectStatus(self.status).label))
        if self.source is not None:
            parts.append(self.source.name)
        if self.kind:
            parts.append(str(Project.Kind(self.kind).label))
        if self.search:
            parts.append(f"«{self.search}»")
        return "; ".join(parts) or _("tất cả đề án")


@dataclass
class ProjectListReport:
    description: str
    sources: list[FundingSource]
    rows: list[ProjectRow]
    has_unnamed_source: bool
    total_planned: int
    total_by_source: dict[int | None, int]
    generated_on: datetime.date


def project_list(*, projects: QuerySet[Project], description: str) -> ProjectListReport:
    """The đề án of a filtered queryset (the staff list's own filter, already scoped) with money by source."""
    rows = project_rows(projects)
    total_by_source: dict[int | None, int] = defaultdict(int)
    for r in rows:
        for k, v in r.by_source.items():
            total_by_source[k] += v
    return ProjectListReport(
        description=description,
        sources=_sources(),
        rows=rows,
        has_unnamed_source=None in total_by_source,
        total_planned=sum(r.planned for r in rows),
        total_by_source=dict(total_by_source),
        generated_on=timezone.localdate(),
    )


def iter_project_rows(projects: QuerySet[Project], *, chunk: int = 2000) -> Iterator[ProjectRow]:
    """The rows of `project_list`, in the same order, read a chunk of đề án at a time: the memory of a
    national list stays that of one chunk (the ids themselves are a few megabytes)."""
    ids = list(projects.order_by("plan__year", "code").values_list("pk", flat=True))
    for start in range(0, len(ids), chunk):
        yield from project_rows(Project.objects.filter(pk__in=ids[start : start + chunk]))


def has_unnamed_source(projects: QuerySet[Project]) -> bool:
    return BudgetLine.objects.filter(
        project__in=projects.order_by().values("pk"), source__isnull=True
    ).exists()


@dataclass
class SupportRow:
    beneficiary_id: int
    beneficiary: str
    tax_code: str
    kind: str
    year: int
    project_code: str
    project_title: str
    contents: str
    status_label: str
    support: int
    counterpart: int


@dataclass
class SupportHistoryReport:
    description: str
    rows: list[SupportRow]
    beneficiaries: int
    total_support: int
    total_counterpart: int
    generated_on: datetime.date


def support_history(
    *, projects: QuerySet[Project], description: str, kind: BeneficiaryKind | None = None
) -> SupportHistoryReport:
    """Beneficiary support history: every support a cơ sở received, across years and contents."""
    links = (
        ProjectBeneficiary.objects.filter(project__in=projects)
        .select_related("beneficiary__kind", "project__plan")
        .order_by("beneficiary__name", "beneficiary_id", "project__plan__year", "project__code")
    )
    if kind is not None:
        links = links.filter(beneficiary__kind=kind)
    links = list(links)
    contents: dict[int, list[str]] = defaultdict(list)
    through = Project.contents.through
    for project_id, number, short in (
        through.objects.filter(project_id__in={link.project_id for link in links})
        .order_by("activitycontent__number")
        .values_list("project_id", "activitycontent__number", "activitycontent__short_name")
    ):
        contents[project_id].append(f"{number}. {short}")
    rows = [
        SupportRow(
            beneficiary_id=link.beneficiary_id,
            beneficiary=link.beneficiary.name,
            tax_code=link.beneficiary.tax_code or "",
            kind=link.beneficiary.kind.name,
            year=link.project.plan.year,
            project_code=link.project.code,
            project_title=link.project.title,
            contents="; ".join(contents.get(link.project_id, [])),
            status_label=link.project.get_status_display(),
            support=link.support_amount,
            counterpart=link.counterpart_amount,
        )
        for link in links
    ]
    if kind is not None:
        description = f"{description}; {kind.name}"
    return SupportHistoryReport(
        description=description,
        rows=rows,
        beneficiaries=len({r.beneficiary_id for r in rows}),
        total_support=sum(r.support for r in rows),
        total_counterpart=sum(r.counterpart for r in rows),
        generated_on=timezone.localdate(),
    )


def indicators_by_id() -> dict[int, Indicator]:
    return {i.pk: i for i in Indicator.objects.all()}

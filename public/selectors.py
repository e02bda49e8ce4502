"""What the public may see: approved đề án, programme targets against achievements, the national picture.

The publication rules (Law on Access to Information 2016 Art. 17; Law on Personal Data Protection
91/2025/QH15) live here and nowhere else: only đề án that were approved (and what followed) are shown;
enterprises and cooperatives are named; household businesses, artisans and other individuals are only
counted, and no field that could identify them (name, tax code, representative, phone, e-mail, address)
is ever read into a public row. Places are shown down to the commune, never a street address.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum

from places.models import AdministrativeUnit
from programs.models import AnnualPlan, FundingSource, Programme
from projects.models import BudgetLine, Project, ProjectBeneficiary, ProjectOutput, ProjectStatus

S = ProjectStatus
# Approved, and every status an approved đề án can reach. Draft, submitted, in appraisal, returned,
# rejected and withdrawn đề án are internal work and never published.
PUBLIC_STATUSES: frozenset[str] = frozenset(
    {S.APPROVED, S.CONTRACTED, S.IN_PROGRESS, S.ADJUSTING, S.ACCEPTED, S.CLOSED, S.SETTLED, S.STOPPED}
)
# Beneficiary kinds that are legal entities and are published by name. Every other kind (household
# businesses, artisans, cooperative groups, "other") is a person or may be one, and is only counted.
NAMED_KINDS: frozenset[str] = frozenset({"dn-nho-va-vua", "htx", "lien-hiep-htx"})
HIDDEN = "[…]"


def public_projects() -> QuerySet[Project]:
    return Project.objects.filter(status__in=PUBLIC_STATUSES)


@dataclass
class NamedBeneficiary:
    name: str
    kind: str
    commune: str
    support: int


@dataclass
class PublicProject:
    code: str
    title: str
    year: int
    province_code: str
    province: str
    kind: str
    status: str
    status_label: str
    contents: list[str]
    implementing_unit: str
    places: list[str]
    objectives: str
    support_by_source: list[tuple[str, str, int]]  # (source code, source name, amount)
    total: int
    outputs: list[tuple[str, str, int | None, int | None]]  # (indicator, unit, planned, achieved)
    named_beneficiaries: list[NamedBeneficiary]
    unnamed_counts: list[tuple[str, int]]  # (kind name, count): households and individuals, counted only
    approval_decision: str = ""
    start_date: str = ""
    end_date: str = ""
    extra: dict = field(default_factory=dict)


def _place_name(unit: AdministrativeUnit | None) -> str:
    """A unit's name if it is a commune or coarser (every unit of the map is); never a street address."""
    return str(unit) if unit is not None else ""


def redact(text: str, names: list[str]) -> str:
    """Hide the names of unnamed beneficiaries should an officer have written one into a public text."""
    for name in names:
        if len(name.strip()) >= 3:
            text = re.sub(re.escape(name.strip()), HIDDEN, text, flags=re.IGNORECASE)
    return text


def _projects_with_parts(projects) -> list[Project]:
    return list(
        projects.select_related("province", "implementing_agency").prefetch_related(
            "contents",
            "sites",
            Prefetch(
                "budget_lines", queryset=BudgetLine.objects.select_related("source").order_by("order", "id")
            ),
            Prefetch("outputs", queryset=ProjectOutput.objects.select_related("indicator")),
            Prefetch(
                "beneficiary_links",
                queryset=ProjectBeneficiary.objects.select_related(
                    "beneficiary__kind", "beneficiary__current_unit", "beneficiary__unit_at_time"
                ).order_by("beneficiary__name", "id"),
            ),
        )
    )


def to_public(project: Project) -> PublicProject:
    """One đề án as the public sees it (from a đề án read by `_projects_with_parts`)."""
    named: list[NamedBeneficiary] = []
    unnamed: dict[str, int] = defaultdict(int)
    hidden_names: list[str] = []
    for link in project.beneficiary_links.all():
        b = link.beneficiary
        if b.kind.code in NAMED_KINDS:
            unit = b.current_unit or b.unit_at_time
            named.append(NamedBeneficiary(b.name, b.kind.name, _place_name(unit), link.support_amount))
        else:
            unnamed[b.kind.name] += 1
            hidden_names.extend(n for n in (b.name, b.representative) if n)
    by_source: dict[tuple[str, str], int] = defaultdict(int)
    for line in project.budget_lines.all():
        key = (line.source.code, line.source.name) if line.source_id else ("", "")
        by_source[key] += line.amount
    return PublicProject(
        code=project.code,
        title=redact(project.title, hidden_names),
        year=project.year,
        province_code=project.province.code,
        province=str(project.province),
        kind=project.get_kind_display(),
        status=project.status,
        status_label=str(project.get_status_display()),
        contents=[c.name for c in project.contents.all()],
        implementing_unit=redact(project.implementing_unit or "", hidden_names),
        places=[_place_name(u) for u in project.sites.all()],
        objectives=redact(project.objectives, hidden_names),
        support_by_source=[(code, name, amount) for (code, name), amount in by_source.items()],
        total=sum(by_source.values()),
        outputs=[
            (o.indicator.name, o.indicator.unit, o.planned, o.achieved)
            for o in sorted(project.outputs.all(), key=lambda o: (o.indicator.order, o.indicator_id))
        ],
        named_beneficiaries=named,
        unnamed_counts=sorted(unnamed.items()),
        approval_decision=project.approval_decision_number,
        start_date=project.start_date.isoformat() if project.start_date else "",
        end_date=project.end_date.isoformat() if project.end_date else "",
    )


def province_projects(
    province: AdministrativeUnit, year: int, *, offset: int = 0, limit: int | None = None
) -> list[PublicProject]:
    qs = public_projects().filter(province=province, year=year).order_by("code")
    if limit is not None:
        qs = qs[offset : offset + limit]
    return [to_public(p) for p in _projects_with_parts(qs)]


def projects_for_download(year: int, province: AdministrativeUnit | None = None, *, chunk: int = 500):
    """Every public đề án of a year (and province), read in chunks so a national file stays in bounds."""
    qs = public_projects().filter(year=year)
    if province is not None:
        qs = qs.filter(province=province)
    ids = list(qs.order_by("code").values_list("pk", flat=True))
    for start in range(0, len(ids), chunk):
        batch = Project.objects.filter(pk__in=ids[start : start + chunk]).order_by("code")
        yield from (to_public(p) for p in _projects_with_parts(batch))


def public_years() -> list[int]:
    """The years of the annual plans (a small table), newest first."""
    return sorted(set(AnnualPlan.objects.order_by().values_list("year", flat=True).distinct()), reverse=True)


def count_in(province: AdministrativeUnit, year: int) -> int:
    return public_projects().filter(province=province, year=year).count()


@dataclass
class ProvinceFigures:
    province: AdministrativeUnit
    projects: int
    by_source: dict[str, int]
    total: int
    beneficiaries: int


@dataclass
class NationalPicture:
    year: int
    sources: list[FundingSource]
    rows: list[ProvinceFigures]
    totals: dict[str, int]
    total: int
    projects: int


def national_picture(year: int) -> NationalPicture:
    """Per province of today's map: public đề án of the year, their estimate by source, beneficiaries.

    Three grouped queries over the year's range of the (year, province) indexes, whatever the scale."""
    scope = public_projects().filter(year=year)
    counts = dict(scope.order_by().values_list("province").annotate(n=Count("id")))
    money: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for province_id, source_code, total in (
        BudgetLine.objects.filter(project__year=year, project__status__in=PUBLIC_STATUSES)
        .order_by()
        .values_list("project__province", "source__code")
        .annotate(total=Sum("amount"))
    ):
        money[province_id][source_code or ""] += total or 0
    people = dict(
        ProjectBeneficiary.objects.filter(project__year=year, project__status__in=PUBLIC_STATUSES)
        .order_by()
        .values_list("project__province")
        .annotate(n=Count("beneficiary", distinct=True))
    )
    sources = list(FundingSource.objects.all())
    rows = []
    for province in AdministrativeUnit.objects.current().provinces().order_by("code"):
        by_source = dict(money.get(province.pk, {}))
        rows.append(
            ProvinceFigures(
                province=province,
                projects=counts.get(province.pk, 0),
                by_source=by_source,
                total=sum(by_source.values()),
                beneficiaries=people.get(province.pk, 0),
            )
        )
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        for code, amount in row.by_source.items():
            totals[code] += amount
    return NationalPicture(
        year=year,
        sources=sources,
        rows=rows,
        totals=dict(totals),
        total=sum(totals.values()),
        projects=sum(r.projects for r in rows),
    )


@dataclass
class PublicTarget:
    description: str
    indicator: str
    unit: str
    min_value: int | None
    max_value: int | None
    qualifier: str
    achieved: int

    @property
    def percent(self) -> int | None:
        if not self.min_value:
            return None
        return min(100, round(100 * self.achieved / self.min_value))


def public_programmes():
    return Programme.objects.select_related("province").order_by("-start_year", "name")


def programme_targets(programme: Programme) -> list[PublicTarget]:
    """Each target of a programme against the achieved outputs of its published đề án."""
    achieved = dict(
        ProjectOutput.objects.filter(
            Q(project__plan__programme=programme), project__status__in=PUBLIC_STATUSES, achieved__isnull=False
        )
        .order_by()
        .values_list("indicator")
        .annotate(total=Sum("achieved"))
    )
    return [
        PublicTarget(
            description=t.description,
            indicator=t.indicator.name if t.indicator_id else "",
            unit=t.unit or (t.indicator.unit if t.indicator_id else ""),
            min_value=t.min_value,
            max_value=t.max_value,
            qualifier=t.qualifier,
            achieved=achieved.get(t.indicator_id, 0) if t.indicator_id else 0,
        )
        for t in programme.targets.select_related("indicator").order_by("order", "id")
    ]


def programme_years(programme: Programme) -> list[tuple[int, int, int]]:
    """(year, published đề án, their estimate) for each year of the programme's plans."""
    counts = dict(
        public_projects()
        .filter(plan__programme=programme)
        .order_by()
        .values_list("year")
        .annotate(n=Count("id"))
    )
    money = dict(
        BudgetLine.objects.filter(project__plan__programme=programme, project__status__in=PUBLIC_STATUSES)
        .order_by()
        .values_list("project__year")
        .annotate(t=Sum("amount"))
    )
    return [
        (y, counts.get(y, 0), money.get(y) or 0) for y in range(programme.start_year, programme.end_year + 1)
    ]


def last_change():
    """When published data last changed (for validators): the newest đề án update."""
    return public_projects().aggregate(m=Max("updated_at"))["m"]

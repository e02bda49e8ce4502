"""What the public may see: approved đề án, programme targets against achievements, the national picture.

The publication rules (Law on Access to Information 2016 Art. 17; Law on Personal Data Protection
91/2025/QH15) live here and nowhere else: only đề án that were approved (and what followed) are shown;
enterprises and cooperatives are named; household businesses, artisans and other individuals are only
counted, and no field that could identify them (name, tax code, representative, phone, e-mail, address)
is ever read into a public row. Places are shown down to the commune, never a street address.
"""

from __future__ import annotations

import contextlib
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, Max, Q, QuerySet, Sum

from beneficiaries.models import BeneficiaryKind
from places.models import AdministrativeUnit
from programs.models import Agency, AnnualPlan, FundingSource, Indicator, Programme
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
    folded = text.casefold()
    for name in names:
        name = name.strip()
        # The search only where the name may be (a substring test is far cheaper than a regular expression,
        # and casefold() matches at least what IGNORECASE does).
        if len(name) >= 3 and name.casefold() in folded:
            text = re.sub(re.escape(name), HIDDEN, text, flags=re.IGNORECASE)
    return text


PROJECT_FIELDS = (
    "id",
    "code",
    "title",
    "year",
    "province_id",
    "kind",
    "status",
    "implementing_agency_id",
    "implementing_unit_name",
    "objectives",
    "approval_decision_number",
    "start_date",
    "end_date",
)


class _Parts:
    """Everything the public rows of some đề án need, read as plain values in one query per part (no model
    instances: at national scale building them was most of a download's time), with the small reference
    tables (sources, indicators, kinds) read once."""

    def __init__(self, rows: list[dict]):
        ids = [r["id"] for r in rows]
        self.sources = {s.pk: (s.code, s.name) for s in FundingSource.objects.all()}
        self.indicators = {i.pk: i for i in Indicator.objects.all()}
        self.kinds = {k.pk: k for k in BeneficiaryKind.objects.all()}
        self.statuses = {value: str(label) for value, label in ProjectStatus.choices}
        self.project_kinds = {value: str(label) for value, label in Project.Kind.choices}
        self.contents = self._group(
            Project.contents.through.objects.filter(project_id__in=ids)
            .order_by("activitycontent__number")
            .values_list("project_id", "activitycontent__name")
        )
        sites = self._group(
            Project.sites.through.objects.filter(project_id__in=ids)
            .order_by("-administrativeunit__era", "administrativeunit__level", "administrativeunit__code")
            .values_list("project_id", "administrativeunit_id")
        )
        self.lines = self._group(
            BudgetLine.objects.filter(project_id__in=ids)
            .order_by("order", "id")
            .values_list("project_id", "source_id", "amount"),
            whole=True,
        )
        self.outputs = self._group(
            ProjectOutput.objects.filter(project_id__in=ids)
            .order_by()
            .values_list("project_id", "indicator_id", "planned", "achieved"),
            whole=True,
        )
        self.links = self._group(
            ProjectBeneficiary.objects.filter(project_id__in=ids)
            .order_by("beneficiary__name", "id")
            .values_list(
                "project_id",
                "support_amount",
                "beneficiary__name",
                "beneficiary__representative",
                "beneficiary__kind_id",
                "beneficiary__current_unit_id",
                "beneficiary__unit_at_time_id",
            ),
            whole=True,
        )
        unit_ids = {r["province_id"] for r in rows}
        unit_ids |= {u for units in sites.values() for u in units}
        unit_ids |= {link[5] or link[6] for links in self.links.values() for link in links}
        unit_ids.discard(None)
        self.units = {
            u.pk: u
            for u in AdministrativeUnit.objects.filter(pk__in=unit_ids).only("id", "code", "full_name", "era")
        }
        self.unit_names = {pk: _place_name(u) for pk, u in self.units.items()}
        self.sites = {pid: [self.unit_names[u] for u in units] for pid, units in sites.items()}
        agency_ids = {r["implementing_agency_id"] for r in rows} - {None}
        self.agencies = dict(Agency.objects.filter(pk__in=agency_ids).values_list("id", "name"))

    @staticmethod
    def _group(rows, *, whole: bool = False) -> dict[int, list]:
        grouped: dict[int, list] = defaultdict(list)
        for row in rows:
            grouped[row[0]].append(row if whole else row[1])
        return grouped


def _read(projects: QuerySet[Project]) -> list[PublicProject]:
    rows = list(projects.values(*PROJECT_FIELDS))
    parts = _Parts(rows)
    return [to_public(row, parts) for row in rows]


def to_public(project: dict, parts: _Parts) -> PublicProject:
    """One đề án as the public sees it (a row of `PROJECT_FIELDS` and the parts read with it)."""
    pid = project["id"]
    named: list[NamedBeneficiary] = []
    unnamed: dict[str, int] = defaultdict(int)
    hidden_names: list[str] = []
    for _pid, support, name, representative, kind_id, current_unit, unit_at_time in parts.links.get(pid, []):
        kind = parts.kinds[kind_id]
        if kind.code in NAMED_KINDS:
            place = parts.unit_names.get(current_unit or unit_at_time, "")
            named.append(NamedBeneficiary(name, kind.name, place, support))
        else:
            unnamed[kind.name] += 1
            hidden_names.extend(n for n in (name, representative) if n)
    by_source: dict[tuple[str, str], int] = defaultdict(int)
    for _pid, source_id, amount in parts.lines.get(pid, []):
        by_source[parts.sources[source_id] if source_id else ("", "")] += amount
    outputs = sorted(parts.outputs.get(pid, []), key=lambda o: (parts.indicators[o[1]].order, o[1]))
    province = parts.units[project["province_id"]]
    agency = project["implementing_agency_id"]
    unit_name = parts.agencies.get(agency, "") if agency else project["implementing_unit_name"]
    return PublicProject(
        code=project["code"],
        title=redact(project["title"], hidden_names),
        year=project["year"],
        province_code=province.code,
        province=parts.unit_names[project["province_id"]],
        kind=parts.project_kinds.get(project["kind"], project["kind"]),
        status=project["status"],
        status_label=parts.statuses.get(project["status"], project["status"]),
        contents=list(parts.contents.get(pid, [])),
        implementing_unit=redact(unit_name or "", hidden_names),
        places=list(parts.sites.get(pid, [])),
        objectives=redact(project["objectives"], hidden_names),
        support_by_source=[(code, name, amount) for (code, name), amount in by_source.items()],
        total=sum(by_source.values()),
        outputs=[
            (parts.indicators[i].name, parts.indicators[i].unit, planned, achieved)
            for _pid, i, planned, achieved in outputs
        ],
        named_beneficiaries=named,
        unnamed_counts=sorted(unnamed.items()),
        approval_decision=project["approval_decision_number"],
        start_date=project["start_date"].isoformat() if project["start_date"] else "",
        end_date=project["end_date"].isoformat() if project["end_date"] else "",
    )


def province_projects(
    province: AdministrativeUnit, year: int, *, offset: int = 0, limit: int | None = None
) -> list[PublicProject]:
    qs = public_projects().filter(province=province, year=year).order_by("code")
    if limit is not None:
        qs = qs[offset : offset + limit]
    return _read(qs)


def projects_for_download(year: int, province: AdministrativeUnit | None = None, *, chunk: int = 2000):
    """Every public đề án of a year (and province), read in chunks so a national file stays in bounds."""
    qs = public_projects().filter(year=year)
    if province is not None:
        qs = qs.filter(province=province)
    ids = list(qs.order_by("code").values_list("pk", flat=True))
    for start in range(0, len(ids), chunk):
        yield from _read(Project.objects.filter(pk__in=ids[start : start + chunk]).order_by("code"))


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


Figures = tuple[int, dict[str, int], int]  # (đề án, estimate by source code, beneficiaries)


# Up to this many provinces (the national page after a change in one or two), figures are read in serial
# plans; for the whole country the planner's parallel plans are faster.
SERIAL_PROVINCES = 5


@contextlib.contextmanager
def _without_parallel_workers():
    """PostgreSQL plans a few provinces' grouped reads with parallel workers and a scan of the whole link
    table; their start-up costs more than the work (the busiest province's beneficiaries on the national
    dataset: 100 ms in parallel, 25 ms by index) and takes cores from other requests."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        yield


def province_figures(year: int, province_ids: list[int]) -> dict[int, Figures]:
    """Public đề án of the year in these provinces, their estimate by source, their beneficiaries: three
    grouped queries over the (year, province) indexes."""
    if len(province_ids) > SERIAL_PROVINCES:
        return _province_figures(year, province_ids)
    with _without_parallel_workers():
        return _province_figures(year, province_ids)


def _province_figures(year: int, province_ids: list[int]) -> dict[int, Figures]:
    scope = public_projects().filter(year=year, province__in=province_ids)
    counts = dict(scope.order_by().values_list("province").annotate(n=Count("id")))
    money: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for province_id, source_code, total in (
        BudgetLine.objects.filter(
            project__year=year, project__status__in=PUBLIC_STATUSES, project__province__in=province_ids
        )
        .order_by()
        .values_list("project__province", "source__code")
        .annotate(total=Sum("amount"))
    ):
        money[province_id][source_code or ""] += total or 0
    people = dict(
        ProjectBeneficiary.objects.filter(
            project__year=year, project__status__in=PUBLIC_STATUSES, project__province__in=province_ids
        )
        .order_by()
        .values_list("project__province")
        .annotate(n=Count("beneficiary", distinct=True))
    )
    return {pk: (counts.get(pk, 0), dict(money.get(pk, {})), people.get(pk, 0)) for pk in province_ids}


def national_picture(year: int, figures=province_figures) -> NationalPicture:
    """Per province of today's map: public đề án of the year, their estimate by source, beneficiaries.
    `figures(year, province_ids)` reads them (the public pages pass one that keeps each province's figures
    in the cache until that province's data changes)."""
    provinces = list(AdministrativeUnit.objects.current().provinces().order_by("code"))
    read = figures(year, [p.pk for p in provinces])
    sources = list(FundingSource.objects.all())
    rows = []
    for province in provinces:
        projects, by_source, people = read[province.pk]
        rows.append(
            ProvinceFigures(
                province=province,
                projects=projects,
                by_source=by_source,
                total=sum(by_source.values()),
                beneficiaries=people,
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

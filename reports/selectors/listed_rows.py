"""The rows of a report that list things (places, beneficiaries, outputs, đề án, certified establishments),
each one or two queries over the đề án in scope, as the aggregate blocks in `blocks` are."""

from __future__ import annotations

import datetime
import heapq
from collections import defaultdict

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from beneficiaries.models import BeneficiaryKind
from places.models import AdministrativeUnit
from projects.models import BudgetLine, Project, ProjectBeneficiary, ProjectOutput, ProjectStatus

from ..scope import Scope, as_queryset, of_projects
from .blocks import planned_by_project
from .rows import (
    BeneficiaryKindRow,
    CertifiedRow,
    CounterpartSummary,
    OutputRow,
    PlaceRow,
    ProjectRow,
)


def _is_old_commune(level: int, era: str) -> bool:
    return level == AdministrativeUnit.Level.COMMUNE and era == AdministrativeUnit.Era.OLD


_UNIT_FIELDS = (
    "pk",
    "parent_id",
    "level",
    "era",
    "full_name",
    "current_province_id",
    "current_province__full_name",
)


def place_reads(projects: Scope | QuerySet[Project]) -> dict[str, QuerySet]:
    """The reads behind `place_rows`: "sites" (đề án, unit) and "units" (each unit with its parent), values_list
    querysets; the units by the same filter as the sites (no list of ids)."""
    sites = Project.sites.through.objects.filter(of_projects(projects)).order_by()
    return {
        "sites": sites.values_list("project_id", "administrativeunit_id"),
        "units": _units(sites.values("administrativeunit_id")),
    }


_P, _S, _U = Project._meta.db_table, Project.sites.through._meta.db_table, AdministrativeUnit._meta.db_table
_PLACES_SQL = f"""
    WITH sites AS MATERIALIZED (
        SELECT {_S}.project_id, {_S}.administrativeunit_id
        FROM {_P} JOIN {_S} ON {_S}.project_id = {_P}.id
        WHERE {{where}}
    )
    SELECT 0, json_build_array(sites.project_id, sites.administrativeunit_id) FROM sites
    UNION ALL
    SELECT 1, json_build_array(
        u.id, u.parent_id, u.level, u.era, u.full_name, u.current_province_id, today.full_name,
        parent.parent_id, parent.level, parent.era, parent.full_name, parent.current_province_id, parent_today.full_name
    )
    FROM {_U} u
    LEFT JOIN {_U} parent ON parent.id = u.parent_id
    LEFT JOIN {_U} today ON today.id = u.current_province_id
    LEFT JOIN {_U} parent_today ON parent_today.id = parent.current_province_id
    WHERE u.id IN (SELECT sites.administrativeunit_id FROM sites)
"""


def place_read(projects: Scope):
    """The rows of `place_reads` in one read, as a `one_read.RawPart`: (0, [đề án, unit]) per place of a đề án
    and (1, [the unit's fields, its parent's]) per unit named. The đề án's places are read once for both (the
    two reads by the ORM read them twice: 4,2 -> 3,9 ms on a median province's year, median of 180 runs); two
    reads by the ORM elsewhere. `places_from` gives `place_reads`' rows back."""
    from .one_read import RawPart

    def fallback() -> list[tuple]:
        reads = place_reads(projects)
        return [(0, list(row)) for row in reads["sites"]] + [(1, list(row)) for row in reads["units"]]

    return RawPart(_PLACES_SQL, projects.projects(), 2, fallback)


def places_from(rows: list[tuple]) -> dict[str, list[tuple]]:
    """The rows of `place_reads` ("sites", "units") from those of `place_read`."""
    return {
        "sites": [tuple(values) for kind, values in rows if kind == 0],
        "units": [tuple(values) for kind, values in rows if kind == 1],
    }


def _units(ids) -> QuerySet:
    """Each unit with its parent (an old commune is shown under its old district) and both one's province of
    today, in one read by primary key: no second pass over the parents' ids, no scan of the whole map."""
    parent_fields = ("parent__parent_id", *(f"parent__{f}" for f in _UNIT_FIELDS[2:]))
    return AdministrativeUnit.objects.filter(pk__in=ids).order_by().values_list(*_UNIT_FIELDS, *parent_fields)


def place_rows(
    projects: Scope | QuerySet[Project],
    province: AdministrativeUnit | None = None,
    *,
    planned: dict[int, tuple[str, int | None, str]] | None = None,
    read: dict[str, list[tuple]] | None = None,
) -> list[PlaceRow]:
    """Đề án by the place where they ran, as it was then (old districts stay visible), under today's province.

    A commune of the old map is shown under its old district; a đề án with several places counts in each
    (once per district however many of its communes it ran in). `planned`: planned_by_project, when the
    caller has it; `read`: the rows of `place_reads`, when the caller read them. Three queries: the đề án's
    planned money, their places (two ids each), the units named.
    """
    if planned is None:
        planned = planned_by_project(projects)
    if read is None:
        links = list(
            Project.sites.through.objects.filter(of_projects(projects))
            .order_by()
            .values_list("project_id", "administrativeunit_id")
        )
        unit_rows = list(_units({u for _p, u in links}))
    else:
        links, unit_rows = read["sites"], read["units"]
    unit_ids = {u for _p, u in links}
    units: dict[int, tuple] = {}
    for row in unit_rows:
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


def beneficiary_reads(projects: Scope | QuerySet[Project]) -> dict[str, QuerySet]:
    """The reads behind `beneficiary_rows`: "beneficiaries" (one row per kind: kind, beneficiaries, đề án,
    women-owned, ethnic minority, support, counterpart, committed, committed beneficiaries, committed links)
    and "kinds" (id, name in order)."""
    committed = Q(counterpart_committed=True)
    links = ProjectBeneficiary.objects.filter(of_projects(projects))
    if isinstance(projects, Scope):
        # The same đề án once more through their plans' year: a redundant condition, but with it PostgreSQL
        # expects fewer đề án and looks each one's links up by the covering index (48 ms on a province's
        # year) instead of reading all 530.000 links in parallel and hashing them (80 ms).
        links = links.filter(project__plan__year=projects.year)
    return {
        "beneficiaries": links.order_by()
        .values_list("beneficiary__kind")
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
        ),
        "kinds": BeneficiaryKind.objects.order_by("order", "code").values_list("pk", "name"),
    }


def beneficiary_rows(
    projects: Scope | QuerySet[Project], *, read: dict[str, list[tuple]] | None = None
) -> tuple[list[BeneficiaryKindRow], CounterpartSummary]:
    """Beneficiaries by kind, and the counterpart funds committed: one read of the đề án–beneficiary links
    (`read`: the rows of `beneficiary_reads`, when the caller read them).

    A beneficiary has one kind, so distinct beneficiaries per kind add up to the distinct beneficiaries of all.
    """
    if read is None:
        read = {name: list(qs) for name, qs in beneficiary_reads(projects).items()}
    agg = {row[0]: row for row in read["beneficiaries"]}
    rows = []
    for kind_id, name in read["kinds"]:
        a = agg.get(kind_id)
        rows.append(
            BeneficiaryKindRow(
                kind_id=kind_id,
                name=name,
                beneficiaries=a[1] if a else 0,
                projects=a[2] if a else 0,
                women_owned=a[3] if a else 0,
                ethnic_minority=a[4] if a else 0,
                support=(a[5] or 0) if a else 0,
                counterpart=(a[6] or 0) if a else 0,
            )
        )
    counterpart = CounterpartSummary(
        committed=sum(a[7] or 0 for a in agg.values()),
        beneficiaries=sum(a[8] for a in agg.values()),
        committed_links=sum(a[9] for a in agg.values()),
    )
    return rows, counterpart


def output_read(projects: Scope | QuerySet[Project]) -> QuerySet:
    """Outputs by indicator: (indicator, name, unit, order, đề án, planned, achieved), in the indicators' order."""
    return (
        ProjectOutput.objects.filter(of_projects(projects))
        .order_by()
        .values_list("indicator", "indicator__name", "indicator__unit", "indicator__order")
        # One output per đề án and indicator (unique): đề án counted without DISTINCT, so without a sort.
        .annotate(projects=Count("project"), planned=Sum("planned"), achieved=Sum("achieved"))
        .order_by("indicator__order", "indicator")
    )


def output_rows(projects: Scope | QuerySet[Project], *, read: list[tuple] | None = None) -> list[OutputRow]:
    return [
        OutputRow(
            indicator_id=indicator,
            name=name,
            unit=unit,
            projects=n,
            planned=planned or 0,
            achieved=achieved or 0,
        )
        for indicator, name, unit, _order, n, planned, achieved in (
            output_read(projects) if read is None else read
        )
    ]


# Plain rows, not model instances: a national list has tens of thousands.
_PROJECT_FIELDS = (
    "pk", "code", "title", "status", "kind", "plan__year", "plan__name", "implementing_agency__name",
    "implementing_unit_name",
)  # fmt: skip


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
            chosen = largest(planned, limit)
        else:
            chosen = (
                projects.order_by()
                .annotate(planned_total=Sum("budget_lines__amount"))
                .order_by(F("planned_total").desc(nulls_last=True), "code")
                .values_list("pk", flat=True)
            )
        projects = Project.objects.filter(pk__in=list(chosen[:limit]))
    if order == "planned":
        qs = projects.annotate(planned_total=Sum("budget_lines__amount")).order_by(
            F("planned_total").desc(nulls_last=True), "code"
        )
    else:
        # Listed by year and code: each đề án's planned money is the sum of its sources, read below.
        qs = projects.order_by("plan__year", "code")
    if limit:
        qs = qs[:limit]
    items = list(qs.values_list(*_PROJECT_FIELDS))
    # The child rows of the few đề án listed, or of the whole list by the same filter (no list of ids).
    listed = (
        Q(project_id__in=[p[0] for p in items]) if limit else Q(project__in=projects.order_by().values("pk"))
    )
    read = {name: list(qs) for name, qs in _listed_reads(listed).items()}
    return project_rows_from(items, read)


def largest(planned: dict[int, tuple[str, int | None, str]], limit: int) -> list[int]:
    """The `limit` đề án with the most planned money (planned_by_project): largest first, đề án without budget
    lines last, ties by code, as the database orders them in `project_rows`."""
    return heapq.nsmallest(
        limit, planned, key=lambda pk: (planned[pk][1] is None, -(planned[pk][1] or 0), planned[pk][0])
    )


def listed_reads(ids: list[int]) -> dict[str, QuerySet]:
    """The reads of `project_rows` for a few đề án named by id, largest first: "items" and their child rows."""
    items = (
        Project.objects.filter(pk__in=ids)
        .annotate(planned_total=Sum("budget_lines__amount"))
        .order_by(F("planned_total").desc(nulls_last=True), "code")
    )
    return {"items": items.values_list(*_PROJECT_FIELDS), **_listed_reads(Q(project_id__in=ids))}


def _listed_reads(listed: Q) -> dict[str, QuerySet]:
    return {
        "by_source": BudgetLine.objects.filter(listed)
        .order_by()
        .values_list("project", "source")
        .annotate(total=Sum("amount")),
        "beneficiaries": ProjectBeneficiary.objects.filter(listed)
        .order_by()
        .values_list("project")
        .annotate(n=Count("id")),
        # Contents as plain values, not prefetched objects: a prefetched list ties each đề án into a reference
        # cycle that only the garbage collector frees, so a long streamed list would hold every chunk read.
        "contents": Project.contents.through.objects.filter(listed)
        .order_by()
        .values_list("project_id", "activitycontent__number", "activitycontent__short_name"),
    }


def project_rows_from(items: list[tuple], read: dict[str, list[tuple]]) -> list[ProjectRow]:
    """Rows of đề án from their fields (`_PROJECT_FIELDS`) and the rows of their children (`_listed_reads`)."""
    by_source: dict[int, dict[int | None, int]] = defaultdict(dict)
    for project_id, source_id, total in read["by_source"]:
        by_source[project_id][source_id] = total or 0
    beneficiaries = dict(read["beneficiaries"])
    contents: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for project_id, number, short_name in read["contents"]:
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


def certified_read(projects: Scope | QuerySet[Project], on: datetime.date) -> QuerySet:
    """Certifications in force on `on` of the đề án's establishments: (scheme, level, stars, establishments)."""
    from beneficiaries.models import Certification

    beneficiaries = ProjectBeneficiary.objects.filter(of_projects(projects)).values("beneficiary_id")
    in_force = (Q(issued_on__isnull=True) | Q(issued_on__lte=on)) & (
        Q(expires_on__isnull=True) | Q(expires_on__gte=on)
    )
    return (
        Certification.objects.filter(in_force, beneficiary_id__in=beneficiaries)
        .order_by()
        .values_list("scheme", "level", "stars")
        .annotate(n=Count("beneficiary", distinct=True))
    )


def certified_rows(
    projects: Scope | QuerySet[Project], on: datetime.date, *, read: list[tuple] | None = None
) -> list[CertifiedRow]:
    """Establishments of the đề án holding a CNNT tiêu biểu or OCOP certification in force on `on`, counted
    once per scheme and grade (one establishment with two grades counts in both rows)."""
    from beneficiaries.models import Certification

    rows = certified_read(projects, on) if read is None else read
    levels = dict(Certification.Level.choices)
    result = []
    for scheme, level, stars, n in sorted(rows, key=lambda r: (r[0], r[2] or 0, r[1])):
        if scheme == Certification.Scheme.OCOP:
            label = _("OCOP %(stars)s sao") % {"stars": stars} if stars else _("OCOP (chưa ghi số sao)")
        else:
            label = _("Sản phẩm CNNT tiêu biểu %(level)s") % {"level": levels.get(level, "")}
        result.append(CertifiedRow(label=label.strip(), beneficiaries=n))
    return result

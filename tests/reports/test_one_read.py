"""Reads of a report sent together and compiled once per shape (reports.selectors.one_read)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.models import FundingSource
from projects.models import Project
from reports.periods import Period
from reports.selectors import annual_report, one_read
from reports.selectors.annual import _province_reads
from reports.selectors.blocks import province_scope
from reports.selectors.listed_rows import place_read, place_reads, places_from

from .conftest import YEAR

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="one statement on PostgreSQL only"
)


def _compiled_each_time(province, period: Period):
    """The same report with its statements compiled on this call (no shape kept)."""
    inputs = {"year": period.year, "province": province.pk, "start": period.start, "end": period.end}
    build = lambda inputs: _province_reads(inputs, own_period=not period.is_whole_year)  # noqa: E731
    return one_read.read_together(None, build, inputs, model=Project)


@pytest.mark.parametrize("period", [Period(YEAR), Period(YEAR, quarter=2), Period(YEAR - 1)])
def test_a_kept_statement_gives_each_province_and_period_its_own_rows(world, period):
    one_read._shapes.clear()
    for province in (world.other, world.province):  # the shape is kept from the first, used for the second
        inputs = {"year": period.year, "province": province.pk, "start": period.start, "end": period.end}
        kept = one_read.read_together(
            ("test", period.is_whole_year),
            lambda inputs, period=period: _province_reads(inputs, own_period=not period.is_whole_year),
            inputs,
            model=Project,
        )
        assert kept == _compiled_each_time(province, period)
    assert any(kept.values())  # the province's rows are there, not only empty reads


def test_the_report_is_the_same_before_and_after_its_statement_is_kept(world):
    one_read._shapes.clear()
    first = annual_report(province=world.province, period=Period(YEAR))
    annual_report(province=world.other, period=Period(YEAR))
    again = annual_report(province=world.province, period=Period(YEAR))
    first.generated_on = again.generated_on
    assert first == again
    assert first.project_count > 0


@postgres_only
def test_a_provinces_report_costs_a_few_statements_whatever_its_size(world):
    one_read._shapes.clear()
    annual_report(province=world.province, period=Period(YEAR))
    with CaptureQueriesContext(connection) as captured:
        annual_report(province=world.province, period=Period(YEAR))
    # Two statements for the tables (eight reads each at most), one for the largest đề án.
    assert len(captured.captured_queries) == 3


@postgres_only
def test_a_value_derived_from_an_input_is_not_kept_and_still_read_right(world):
    one_read._shapes.clear()

    def build(inputs):
        return {"projects": Project.objects.filter(year=inputs["year"] + 1).values_list("pk").order_by("pk")}

    rows = one_read.read_together(("derived",), build, {"year": YEAR - 1}, model=Project)
    assert one_read._shapes[("default", ("derived",))] is None
    assert rows["projects"] == list(Project.objects.filter(year=YEAR).values_list("pk").order_by("pk"))


def test_rows_are_the_querysets_tuples_with_days_as_days(world):
    source = FundingSource.objects.order_by("pk").first()
    FundingSource.objects.filter(pk=source.pk).update(short_name="NS")

    def build(inputs):
        return {
            "sources": FundingSource.objects.filter(pk=inputs["source"]).values_list("pk", "short_name"),
            "plans": world.plans[0]
            .__class__.objects.filter(pk=world.plans[0].pk)
            .values_list("decision_date"),
        }

    rows = one_read.read_together(("days",), build, {"source": source.pk}, model=Project)
    assert rows["sources"] == [(source.pk, "NS")]
    day = rows["plans"][0][0]
    assert day is None or isinstance(day, datetime.date)


def test_querysets_must_list_fields_before_annotations():
    from django.db.models import Count

    with pytest.raises(ValueError):
        one_read._compile(Project.objects.annotate(n=Count("budget_lines")).values_list("n", "pk"))


def test_reads_go_to_the_database_the_router_reads_the_model_from(world, monkeypatch):
    # A report page inside replica_reads() reads from the replica: the statements must go there too.
    asked, used = [], []

    class Router:
        def db_for_read(self, model, **hints):
            asked.append(model)
            return "elsewhere"

    class Connections:
        def __getitem__(self, alias):
            used.append(alias)
            return connection

    monkeypatch.setattr(one_read, "router", Router())
    monkeypatch.setattr(one_read, "connections", Connections())
    rows = one_read.read_together(
        None,
        lambda inputs: {
            "projects": Project.objects.filter(year=inputs["year"]).values_list("pk").order_by("pk")
        },
        {"year": YEAR},
        model=Project,
    )
    assert asked == [Project]
    assert used and set(used) == {"elsewhere"}
    assert rows["projects"] == list(Project.objects.filter(year=YEAR).values_list("pk").order_by("pk"))


@postgres_only
def test_the_places_read_once_are_the_rows_of_the_two_orm_reads(world):
    # The đề án's places and the units they name come from one hand-written read on PostgreSQL.
    projects = province_scope(world.province, YEAR)
    rows = one_read.read_together(None, lambda inputs: {"places": place_read(projects)}, {}, model=Project)
    got = places_from(rows["places"])
    expected = {name: list(qs) for name, qs in place_reads(projects).items()}
    assert sorted(got["sites"]) == sorted(expected["sites"]) and got["sites"]
    assert sorted(got["units"]) == sorted(expected["units"])
    assert any(unit[7] is not None for unit in got["units"])  # a unit shown with its parent

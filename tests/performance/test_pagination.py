"""EstimatedCountPaginator: exact like Django's on small lists and on SQLite; on PostgreSQL, above the
threshold, the planner's estimate instead of COUNT(*), and "next page" known from one extra row."""

import pytest
from django.core.paginator import EmptyPage
from django.db import connection

from khuyencong.pagination import EstimatedCountPaginator, planner_estimate
from places.models import AdministrativeUnit

pytestmark = pytest.mark.django_db


def communes():
    return AdministrativeUnit.objects.current().communes().order_by("code")


def test_small_lists_are_counted_exactly(loaded_places):
    paginator = EstimatedCountPaginator(communes()[:30], 10)
    assert not paginator.count_is_estimate
    assert paginator.count == 30 and paginator.num_pages == 3
    assert [u.code for u in paginator.page(2)] == [u.code for u in communes()[10:20]]


def test_sqlite_always_counts(loaded_places):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL estimates")
    paginator = EstimatedCountPaginator(communes(), 25)
    paginator.exact_count_below = 1
    assert not paginator.count_is_estimate
    assert paginator.count == communes().count()


def test_postgresql_estimates_large_lists_and_pages_by_one_extra_row(
    loaded_places, django_assert_num_queries
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's planner")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE places_administrativeunit")
    exact = communes().count()
    estimate = planner_estimate(communes())
    assert 0.5 * exact <= estimate <= 2 * exact
    paginator = EstimatedCountPaginator(communes(), 25)
    paginator.exact_count_below = 100
    assert paginator.count_is_estimate
    with django_assert_num_queries(1):  # the page (its keys chosen in a subquery): no COUNT(*)
        page = paginator.page(3)
    assert [u.code for u in page] == [u.code for u in communes()[50:75]]
    assert page.has_next() and page.has_previous()
    last = paginator.page((exact + 24) // 25)
    assert not last.has_next()
    with pytest.raises(EmptyPage):
        paginator.page((exact + 24) // 25 + 1)


def test_whole_table_estimate_reads_the_statistics(loaded_places):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's statistics")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE places_administrativeunit")
    total = AdministrativeUnit.objects.count()
    assert abs(planner_estimate(AdministrativeUnit.objects.all()) - total) <= total * 0.1


def test_pages_read_narrow_first_keep_the_order_and_the_annotations(loaded_places):
    from django.db.models import Count

    listed = (
        AdministrativeUnit.objects.current()
        .provinces()
        .annotate(n=Count("province_units"))
        .order_by("-n", "code")
    )
    paginator = EstimatedCountPaginator(listed, 5)
    page = paginator.page(2)
    assert [(u.code, u.n) for u in page] == [(u.code, u.n) for u in listed[5:10]]
    assert page.has_next() and paginator.count == 34


def test_an_estimated_list_that_ends_on_the_page_read_is_counted_exactly(loaded_places):
    """The estimate (planner or not) gives way to the exact number once a page shows where the list ends."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's planner")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE places_administrativeunit")
    exact = communes().count()
    paginator = EstimatedCountPaginator(communes(), 25, exact_count_below=1)
    assert paginator.count_is_estimate
    paginator.page(1)
    assert paginator.count_is_estimate  # more pages follow: still "khoảng …"
    last = paginator.page((exact + 24) // 25)
    assert not last.has_next()
    assert not paginator.count_is_estimate
    assert paginator.count == exact and paginator.num_pages == (exact + 24) // 25


def test_the_exact_count_threshold_can_be_set_per_list(loaded_places):
    assert EstimatedCountPaginator(communes(), 25, exact_count_below=7).exact_count_below == 7
    assert (
        EstimatedCountPaginator(communes(), 25).exact_count_below == EstimatedCountPaginator.exact_count_below
    )


def test_narrow_rows_are_the_slice_in_the_same_order(loaded_places):
    from khuyencong.pagination import narrow_rows

    ordered = communes().order_by("name", "pk")
    assert narrow_rows(ordered, 10, 35) == list(ordered[10:35])

"""Pagination that does not count millions of rows on every page.

Django's Paginator runs `SELECT COUNT(*)` over the whole filtered list for every page. On the national
dataset (200.000 đề án, 500.000 cơ sở) that count costs more than the page itself. `EstimatedCountPaginator`
asks PostgreSQL's planner for the number of rows first (pg_class.reltuples for an unfiltered table, the
EXPLAIN estimate otherwise) and counts exactly only when the estimate is small; with an estimate, a page
reads one row more than it shows to know whether a next page exists. On SQLite it counts as usual.

A search (`LIKE '%…%'` through a trigram index) is different: counting its matches exactly costs as much as
the trigram index scan itself (50–130 ms for a common phrase on 500.000 rows), so a list that searches asks
for exact counts only below a lower threshold (`exact_count_below=`). Either way, when the page read shows
the list ends on it, the count is exact: the rows before it plus the rows on it.

Use it in a ListView:

    class ProjectListView(FilteredListView):
        paginator_class = EstimatedCountPaginator

and in the template show `page_obj.paginator.count` as "khoảng …" when `paginator.count_is_estimate`.
"""

from __future__ import annotations

import json

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import Subquery
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

# Below this many rows (by the planner's estimate) an exact COUNT(*) is cheap: a few milliseconds.
EXACT_COUNT_BELOW = 20_000


def planner_estimate(queryset) -> int | None:
    """The number of rows PostgreSQL expects `queryset` to return, without running it; None elsewhere."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    query = queryset.query
    if not query.where and not query.distinct and not query.combinator and not _has_joins(query):
        # A whole table: the statistics ANALYZE keeps (-1 before the first ANALYZE).
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                [queryset.model._meta.db_table],
            )
            row = cursor.fetchone()
        if row and row[0] >= 0:
            return int(row[0])
    if not query.is_sliced:
        queryset = queryset.order_by()  # the order does not change the number of rows
        if query.group_by is None and not query.distinct:
            # Nor does what is selected: the primary keys alone (a list's annotations, subqueries per row,
            # cost more to put into SQL than the EXPLAIN itself).
            queryset = queryset.values("pk")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def narrow_rows(queryset, bottom: int, top: int) -> list:
    """Rows `bottom`..`top` of `queryset` in its order, read narrow first: one statement whose subquery picks
    the rows' primary keys by the queryset's filter and order (`LIMIT/OFFSET` there), the outer query reading
    only those rows with everything the queryset selects and annotates.

    The subquery reads only the order and filter columns, so an index that holds them (`INCLUDE`) answers it
    alone (Index Only Scan), without visiting the table for the rows it skips or filters out."""
    keys = queryset.values("pk")[bottom:top]
    return list(queryset.filter(pk__in=Subquery(keys)))


def _has_joins(query) -> bool:
    return sum(1 for count in query.alias_refcount.values() if count) > 1


class EstimatedPage(Page):
    """A page whose "next" is known from one extra row, not from the total."""

    def __init__(self, object_list, number, paginator, has_next: bool):
        super().__init__(object_list, number, paginator)
        self._has_next = has_next

    def has_next(self) -> bool:
        return self._has_next

    def end_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)


class EstimatedCountPaginator(Paginator):
    """See the module docstring. Pages are read narrow first: the page's primary keys by the list's own
    filter and order in a subquery (no per-row subqueries or wide rows for the rows skipped by OFFSET), and
    the outer query reads only those rows with everything the list annotates: one query that does not
    compute every annotation for all the rows before the page."""

    exact_count_below = EXACT_COUNT_BELOW
    narrow_first = True

    def __init__(self, *args, exact_count_below: int | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if exact_count_below is not None:
            self.exact_count_below = exact_count_below
        self._end_seen: int | None = None

    @cached_property
    def _estimate(self) -> int | None:
        object_list = self.object_list
        if not hasattr(object_list, "query"):
            return None
        estimate = planner_estimate(object_list)
        if estimate is None or estimate < self.exact_count_below:
            return None
        return estimate

    @property
    def count_is_estimate(self) -> bool:
        return self._estimate is not None and self._end_seen is None

    @property
    def count(self) -> int:
        if self._end_seen is not None:
            return self._end_seen
        if self._estimate is not None:
            return self._estimate
        return self._exact_count

    @cached_property
    def _exact_count(self) -> int:
        return Paginator.count.func(self)

    def validate_number(self, number) -> int:
        if not self.count_is_estimate:
            return super().validate_number(number)
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(_("Số trang không phải là số nguyên.")) from None
        if number < 1:
            raise EmptyPage(_("Số trang nhỏ hơn 1."))
        return number

    def rows(self, bottom: int, top: int) -> list:
        queryset = self.object_list
        if not (self.narrow_first and hasattr(queryset, "query") and not queryset.query.is_sliced):
            return list(queryset[bottom:top])
        # One statement: the page's keys chosen in a subquery by the list's filter and order (LIMIT/OFFSET
        # there), the outer query computing annotations for those rows only, in the same order.
        return narrow_rows(queryset, bottom, top)

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if self._estimate is None:
            top = bottom + self.per_page
            if top + self.orphans >= self.count:  # Django's rule: the last page takes the orphans
                top = self.count
            return self._get_page(self.rows(bottom, top), number, self)
        rows = self.rows(bottom, bottom + self.per_page + 1)
        if not rows and number > 1:
            raise EmptyPage(_("Trang này không có kết quả."))
        has_next = len(rows) > self.per_page
        if not has_next:
            # The list ends on this page: the count is known exactly, whatever the planner expected.
            self._end_seen = bottom + len(rows)
        return EstimatedPage(rows[: self.per_page], number, self, has_next=has_next)

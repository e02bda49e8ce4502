"""The shared behaviour of the staff lists: filter, sort, paginate, and export what is shown.

Each list view declares its filter set, the columns it may be sorted by, and its export columns; the
same filtered and sorted queryset feeds the page and the Excel/CSV download, so the file holds exactly
the rows the filters select.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from khuyencong.pagination import EstimatedCountPaginator
from khuyencong.vn_text import fold_accents


def child_sum(children: QuerySet, parent_field: str, amount_field: str = "amount") -> Coalesce:
    """The sum of the children's amounts per parent row, as a subquery: one query for a whole page, 0 when none."""
    totals = (
        children.filter(**{parent_field: OuterRef("pk")})
        .order_by()
        .values(parent_field)
        .annotate(total=Sum(amount_field))
        .values("total")
    )
    return Coalesce(Subquery(totals, output_field=IntegerField()), Value(0))


@dataclass(frozen=True)
class Column:
    """One exported column: its header and how to read the value from a row."""

    header: Any
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class SortOption:
    label: Any
    ordering: tuple[str, ...]


def label_empty_choices(filterset) -> None:
    """Every select of a filter form starts with "Tất cả" (all) rather than dashes."""
    import django_filters

    for field_filter in filterset.filters.values():
        if isinstance(field_filter, django_filters.ChoiceFilter | django_filters.ModelChoiceFilter):
            field_filter.extra["empty_label"] = _("Tất cả")


def folded_ids(queryset, text: str, *fields: str) -> list[int]:
    """Primary keys of rows whose fields contain `text`, ignoring Vietnamese accents.

    For small reference tables (programmes, plans) that carry no stored folded column: one query,
    whatever the number of rows shown.
    """
    needle = fold_accents(text)
    rows = queryset.values_list("pk", *fields)
    return [row[0] for row in rows if any(needle in fold_accents(str(v or "")) for v in row[1:])]


class FilteredListView(LoginRequiredMixin, ListView):
    """A list with a django-filter FilterSet, whitelisted sorting, pagination and export."""

    filterset_class = None
    paginate_by = 25
    # Counting every row of a national list on every page costs more than the page: estimate large counts.
    paginator_class = EstimatedCountPaginator
    sort_options: dict[str, SortOption] = {}
    default_sort: str = ""
    export_columns: Sequence[Column] = ()
    export_filename: str = "danh-sach"
    export_title: Any = _("Danh sách")

    def base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        queryset = self.base_queryset()
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=queryset, request=self.request
        )
        queryset = self.filterset.qs if self.filterset.is_bound and self.filterset.is_valid() else queryset
        return queryset.order_by(*self.current_sort_option().ordering)

    def current_sort_key(self) -> str:
        key = self.request.GET.get("sort", "")
        return key if key in self.sort_options else self.default_sort

    def current_sort_option(self) -> SortOption:
        return self.sort_options[self.current_sort_key()]

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("export")
        if fmt in ("xlsx", "csv"):
            return self.export(fmt)
        return super().get(request, *args, **kwargs)

    def export(self, fmt: str) -> HttpResponse:
        from spreadsheets.export import export_response

        rows = ([column.value(obj) for column in self.export_columns] for obj in self.get_queryset())
        return export_response(
            [column.header for column in self.export_columns],
            rows,
            filename=self.export_filename,
            fmt=fmt,
            title=str(self.export_title),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        params.pop("export", None)
        without_sort = params.copy()
        without_sort.pop("sort", None)
        context.update(
            filter=self.filterset,
            query_string=params.urlencode(),
            sort_query_string=without_sort.urlencode(),
            sort_key=self.current_sort_key(),
            sort_choices=[(key, option.label) for key, option in self.sort_options.items()],
            filters_active=bool(without_sort),
        )
        return context

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
from django.db.models import CharField, Count, F, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from khuyencong.list_export import export_response
from khuyencong.pagination import EstimatedCountPaginator
from khuyencong.select_widget import ListSelect
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


def child_count(children: QuerySet, parent_field: str) -> Coalesce:
    """The number of children per parent row, as a subquery (no GROUP BY over the whole list)."""
    counts = (
        children.filter(**{parent_field: OuterRef("pk")})
        .order_by()
        .values(parent_field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def choice_sets(parts: dict[str, tuple[QuerySet, str, str | None]]) -> dict[str, list[tuple[int, str, int]]]:
    """The options of several filter drop-downs read in one query (UNION ALL).

    `parts` maps a name to (queryset, label field, sort field or None); the answer maps the same name to
    (pk, label, sort value) rows in the queryset's table order. A list page with six drop-downs then costs one
    query for all of them instead of one each.
    """
    selects = []
    for tag, (queryset, label, sort) in parts.items():
        selects.append(
            queryset.order_by()
            .annotate(
                choice_tag=Value(tag, output_field=CharField()),
                choice_label=Cast(F(label), CharField()),
                choice_sort=F(sort) if sort else Value(0, output_field=IntegerField()),
            )
            .values_list("choice_tag", "pk", "choice_label", "choice_sort")
        )
    result: dict[str, list[tuple[int, str, int]]] = {tag: [] for tag in parts}
    if not selects:
        return result
    for tag, pk, label, sort in selects[0].union(*selects[1:], all=True):
        result[tag].append((pk, label, sort))
    return result


def province_sort_key(label: str) -> str:
    """Provinces in a drop-down sort by name, not by "Thành phố"/"Tỉnh"."""
    for prefix in ("Thành phố ", "Tỉnh "):
        label = label.removeprefix(prefix)
    return fold_accents(label)


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
    """Every select of a filter form starts with "Tất cả" (all) rather than dashes, and is written without a
    template per option (khuyencong.select_widget)."""
    import django_filters

    single = (django_filters.ChoiceFilter, django_filters.TypedChoiceFilter, django_filters.ModelChoiceFilter)
    for field_filter in filterset.filters.values():
        if isinstance(field_filter, single) and "widget" not in field_filter.extra:
            field_filter.extra["widget"] = ListSelect  # nine drop-downs per list page, no template per option
        if isinstance(field_filter, django_filters.TypedChoiceFilter):
            # Django's own TypedChoiceField adds no empty option: offer "all" as the first choice.
            choices = list(field_filter.extra.get("choices") or [])
            if not choices or choices[0][0] != "":
                field_filter.extra["choices"] = [("", _("Tất cả")), *choices]
        elif isinstance(field_filter, django_filters.ChoiceFilter | django_filters.ModelChoiceFilter):
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

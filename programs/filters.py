"""Filters of the programme and annual-plan lists."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from khuyencong.listing import folded_ids, label_empty_choices

from .models import AnnualPlan, Programme


def _programmes(request):
    return Programme.objects.visible_to(request.user) if request else Programme.objects.none()


class ProgrammeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tìm kiếm"), method="filter_q")
    level = django_filters.ChoiceFilter(label=_("Cấp"), choices=Programme.Level.choices)
    year = django_filters.NumberFilter(label=_("Năm"), method="filter_year", min_value=2000, max_value=2100)

    class Meta:
        model = Programme
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_empty_choices(self)

    def filter_q(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(pk__in=folded_ids(queryset, value, "name", "code", "decision_number"))

    def filter_year(self, queryset, name, value):
        return queryset.filter(start_year__lte=value, end_year__gte=value)


class AnnualPlanFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tìm kiếm"), method="filter_q")
    year = django_filters.NumberFilter(label=_("Năm"), min_value=2000, max_value=2100)
    kind = django_filters.ChoiceFilter(label=_("Loại kế hoạch"), choices=AnnualPlan.Kind.choices)
    programme = django_filters.ModelChoiceFilter(label=_("Chương trình"), queryset=_programmes)

    class Meta:
        model = AnnualPlan
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_empty_choices(self)

    def filter_q(self, queryset, name, value):
        if not value.strip():
            return queryset
        ids = folded_ids(queryset, value, "name", "decision_number", "province__full_name")
        return queryset.filter(Q(pk__in=ids))

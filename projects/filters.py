"""Filters of the đề án list: year, programme, plan, content, status, source, place, beneficiary kind."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.scoping import sees_all_provinces
from beneficiaries.models import BeneficiaryKind
from khuyencong.listing import label_empty_choices
from khuyencong.vn_text import fold_accents
from places.models import AdministrativeUnit
from places.naming import fold_name
from programs.models import ActivityContent, AnnualPlan, FundingSource, Programme

from .models import BudgetLine, Project, ProjectBeneficiary, ProjectStatus


def _programmes(request):
    return Programme.objects.visible_to(request.user) if request else Programme.objects.none()


def _plans(request):
    return AnnualPlan.objects.visible_to(request.user) if request else AnnualPlan.objects.none()


def year_choices(user) -> list[tuple[int, int]]:
    years = AnnualPlan.objects.visible_to(user).order_by("-year").values_list("year", flat=True).distinct()
    return [(y, y) for y in years]


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tìm kiếm"), method="filter_q")
    year = django_filters.TypedChoiceFilter(label=_("Năm"), field_name="plan__year", coerce=int)
    programme = django_filters.ModelChoiceFilter(
        label=_("Chương trình"), field_name="plan__programme", queryset=_programmes
    )
    plan = django_filters.ModelChoiceFilter(label=_("Kế hoạch"), queryset=_plans)
    content = django_filters.ModelChoiceFilter(
        label=_("Nội dung"), field_name="contents", queryset=ActivityContent.objects.all()
    )
    status = django_filters.ChoiceFilter(label=_("Trạng thái"), choices=ProjectStatus.choices)
    kind = django_filters.ChoiceFilter(label=_("Loại đề án"), choices=Project.Kind.choices)
    source = django_filters.ModelChoiceFilter(
        label=_("Nguồn kinh phí"), queryset=FundingSource.objects.all(), method="filter_source"
    )
    province = django_filters.ModelChoiceFilter(
        label=_("Tỉnh/thành phố"), queryset=AdministrativeUnit.objects.current().provinces().order_by("name")
    )
    place = django_filters.CharFilter(label=_("Địa bàn"), method="filter_place")
    beneficiary_kind = django_filters.ModelChoiceFilter(
        label=_("Loại hình cơ sở"), queryset=BeneficiaryKind.objects.all(), method="filter_beneficiary_kind"
    )

    class Meta:
        model = Project
        fields: list[str] = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.filters["year"].extra["choices"] = year_choices(request.user)
        if request is None or not sees_all_provinces(request.user):
            del self.filters["province"]  # one province's users see only their own
        label_empty_choices(self)

    def filter_q(self, queryset, name, value):
        folded = fold_accents(value)
        if not folded:
            return queryset
        on_site = Project.sites.through.objects.filter(
            project_id=OuterRef("pk"), administrativeunit__name_folded__contains=fold_name(value)
        )
        on_beneficiary = ProjectBeneficiary.objects.filter(
            project_id=OuterRef("pk"), beneficiary__search_text__contains=folded
        )
        return queryset.filter(Q(search_text__contains=folded) | Exists(on_site) | Exists(on_beneficiary))

    def filter_place(self, queryset, name, value):
        folded = fold_name(value)
        if not folded:
            return queryset
        on_site = Project.sites.through.objects.filter(
            project_id=OuterRef("pk"), administrativeunit__name_folded__contains=folded
        )
        return queryset.filter(Exists(on_site) | Q(search_text__contains=fold_accents(value)))

    def filter_source(self, queryset, name, value):
        return queryset.filter(Exists(BudgetLine.objects.filter(project_id=OuterRef("pk"), source=value)))

    def filter_beneficiary_kind(self, queryset, name, value):
        links = ProjectBeneficiary.objects.filter(project_id=OuterRef("pk"), beneficiary__kind=value)
        return queryset.filter(Exists(links))

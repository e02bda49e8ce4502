"""Filters of the đề án list: year, programme, plan, content, status, source, place, beneficiary kind."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.scoping import sees_all_provinces
from beneficiaries.choices import KIND
from khuyencong.listing import choice_sets, label_empty_choices
from khuyencong.reference_choices import reference_parts
from khuyencong.vn_text import fold_accents
from places.choices import PROVINCE
from places.naming import fold_name
from programs.choices import CONTENT, SOURCE
from programs.models import AnnualPlan, Programme

from .models import BudgetLine, Project, ProjectBeneficiary, ProjectStatus

# With more plans than this and no year chosen, the plan drop-down asks for a year first.
PLAN_CHOICES_WITHOUT_YEAR = 60


def year_choices(user) -> list[tuple[int, int]]:
    years = AnnualPlan.objects.visible_to(user).order_by("-year").values_list("year", flat=True).distinct()
    return [(y, y) for y in years]


class ProjectFilter(django_filters.FilterSet):
    """All drop-downs are filled by one query (`choice_sets`); the plan drop-down lists the chosen year's
    plans (all of them when there are few), so a national user is not sent hundreds of options."""

    q = django_filters.CharFilter(label=_("Tìm kiếm"), method="filter_q")
    year = django_filters.TypedChoiceFilter(label=_("Năm"), field_name="year", coerce=int, empty_value=None)
    programme = django_filters.TypedChoiceFilter(
        label=_("Chương trình"), field_name="plan__programme", coerce=int, empty_value=None
    )
    plan = django_filters.TypedChoiceFilter(
        label=_("Kế hoạch"), field_name="plan", coerce=int, empty_value=None
    )
    content = django_filters.TypedChoiceFilter(
        label=_("Nội dung"), field_name="contents", coerce=int, empty_value=None
    )
    status = django_filters.ChoiceFilter(label=_("Trạng thái"), choices=ProjectStatus.choices)
    kind = django_filters.ChoiceFilter(label=_("Loại đề án"), choices=Project.Kind.choices)
    source = django_filters.TypedChoiceFilter(
        label=_("Nguồn kinh phí"), coerce=int, empty_value=None, method="filter_source"
    )
    province = django_filters.TypedChoiceFilter(
        label=_("Tỉnh/thành phố"), field_name="province", coerce=int, empty_value=None
    )
    place = django_filters.CharFilter(label=_("Địa bàn"), method="filter_place")
    beneficiary_kind = django_filters.TypedChoiceFilter(
        label=_("Loại hình cơ sở"), coerce=int, empty_value=None, method="filter_beneficiary_kind"
    )

    class Meta:
        model = Project
        fields: list[str] = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        national = request is not None and sees_all_provinces(request.user)
        if not national:
            del self.filters["province"]  # one province's users see only their own
        self._fill_choices(request, national)
        label_empty_choices(self)

    def _fill_choices(self, request, national: bool) -> None:
        user = request.user if request is not None else None
        parts = {
            "plan": (
                AnnualPlan.objects.visible_to(user) if user else AnnualPlan.objects.none(),
                "name",
                "year",
            ),
            "programme": (
                Programme.objects.visible_to(user) if user else Programme.objects.none(),
                "name",
                "start_year",
            ),
            **reference_parts(
                {
                    "content": CONTENT,
                    "source": SOURCE,
                    "kind": KIND,
                    **({"province": PROVINCE} if national else {}),
                }
            ),
        }
        sets = choice_sets(parts)
        plans = sets["plan"]
        self.filters["year"].extra["choices"] = [
            (y, y) for y in sorted({year for _pk, _n, year in plans}, reverse=True)
        ]
        chosen_year, chosen_plan = self._chosen("year"), self._chosen("plan")
        if chosen_year is not None:
            shown = [p for p in plans if p[2] == chosen_year or p[0] == chosen_plan]
        elif len(plans) <= PLAN_CHOICES_WITHOUT_YEAR:
            shown = plans
        else:
            shown = [p for p in plans if p[0] == chosen_plan]
            self.filters["plan"].extra["help_text"] = _("Chọn năm trước để lọc theo kế hoạch của năm đó.")
        self.filters["plan"].extra["choices"] = [
            (pk, f"{name} ({year})")
            for pk, name, year in sorted(shown, key=lambda p: (-p[2], fold_accents(p[1])))
        ]
        self.filters["programme"].extra["choices"] = [
            (pk, name)
            for pk, name, _start in sorted(sets["programme"], key=lambda p: (-p[2], fold_accents(p[1])))
        ]
        self.filters["content"].extra["choices"] = CONTENT.choices(sets["content"])
        self.filters["source"].extra["choices"] = SOURCE.choices(sets["source"])
        self.filters["beneficiary_kind"].extra["choices"] = KIND.choices(sets["kind"])
        if national:
            self.filters["province"].extra["choices"] = PROVINCE.choices(sets["province"])

    def _chosen(self, name: str) -> int | None:
        try:
            return int((self.data or {}).get(name) or "")
        except (TypeError, ValueError):
            return None

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

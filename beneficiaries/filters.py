"""Filters of the beneficiary list."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.scoping import sees_all_provinces
from khuyencong.listing import choice_sets, label_empty_choices
from khuyencong.reference_choices import reference_parts
from khuyencong.vn_text import fold_accents
from places.choices import PROVINCE
from places.naming import fold_name
from programs.choices import CONTENT

from .choices import KIND
from .models import Beneficiary


class BeneficiaryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tìm theo tên, mã số thuế, địa chỉ"), method="filter_q")
    kind = django_filters.TypedChoiceFilter(
        label=_("Loại hình"), field_name="kind", coerce=int, empty_value=None
    )
    province = django_filters.TypedChoiceFilter(
        label=_("Tỉnh/thành phố"), field_name="province", coerce=int, empty_value=None
    )
    place = django_filters.CharFilter(label=_("Địa bàn (xã/phường)"), method="filter_place")
    year = django_filters.NumberFilter(
        label=_("Được hỗ trợ năm"), method="filter_year", min_value=2000, max_value=2100
    )
    content = django_filters.TypedChoiceFilter(
        label=_("Được hỗ trợ nội dung"), coerce=int, empty_value=None, method="filter_content"
    )
    certification = django_filters.ChoiceFilter(
        label=_("Chứng nhận sản phẩm (còn hiệu lực)"),
        method="filter_certification",
        choices=[
            ("cnnt", _("Sản phẩm CNNT tiêu biểu (mọi cấp)")),
            ("cnnt-tinh", _("CNNT tiêu biểu cấp tỉnh trở lên")),
            ("cnnt-quoc_gia", _("CNNT tiêu biểu cấp quốc gia")),
            ("ocop", _("OCOP (mọi hạng sao)")),
            ("ocop-3", _("OCOP từ 3 sao")),
            ("ocop-4", _("OCOP từ 4 sao")),
            ("ocop-5", _("OCOP 5 sao")),
        ],
    )
    women_owned = django_filters.BooleanFilter(label=_("Do phụ nữ làm chủ"))
    ethnic_minority = django_filters.BooleanFilter(label=_("Dân tộc thiểu số"))

    class Meta:
        model = Beneficiary
        fields: list[str] = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        national = request is not None and sees_all_provinces(request.user)
        if not national:
            del self.filters["province"]  # one province's users see only their own
        # Every drop-down from one query.
        parts = {"kind": KIND, "content": CONTENT, **({"province": PROVINCE} if national else {})}
        sets = choice_sets(reference_parts(parts))
        for name, part in parts.items():
            self.filters[name].extra["choices"] = part.choices(sets[name])
        label_empty_choices(self)
        for name in ("women_owned", "ethnic_minority"):
            self.filters[name].field.widget.choices = [
                ("", _("Tất cả")),
                ("true", _("Có")),
                ("false", _("Không")),
            ]

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_place(self, queryset, name, value):
        folded = fold_name(value)
        if not folded:
            return queryset
        return queryset.filter(
            Q(current_unit__name_folded__contains=folded)
            | Q(unit_at_time__name_folded__contains=folded)
            | Q(search_text__contains=fold_accents(value))
        )

    def _links(self, **conditions):
        from projects.models import ProjectBeneficiary

        return Exists(ProjectBeneficiary.objects.filter(beneficiary_id=OuterRef("pk"), **conditions))

    def filter_year(self, queryset, name, value):
        return queryset.filter(self._links(project__year=value))

    def filter_content(self, queryset, name, value):
        return queryset.filter(self._links(project__contents=value))

    def filter_certification(self, queryset, name, value):
        """Establishments holding a certification of that scheme and level (or stars) not yet expired."""
        from django.utils import timezone

        from .models import Certification

        scheme, _sep, grade = value.partition("-")
        conditions = Q(scheme=scheme) & (Q(expires_on__isnull=True) | Q(expires_on__gte=timezone.localdate()))
        if scheme == Certification.Scheme.OCOP and grade:
            conditions &= Q(stars__gte=int(grade))
        elif grade == "tinh":
            conditions &= Q(level__in=["tinh", "khu_vuc", "quoc_gia"])
        elif grade:
            conditions &= Q(level=grade)
        return queryset.filter(
            Exists(Certification.objects.filter(conditions, beneficiary_id=OuterRef("pk")))
        )

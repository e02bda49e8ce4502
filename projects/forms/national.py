"""The national plan page (projects.national_views): the plan, its lines and its approval."""

from django import forms
from django.utils.translation import gettext_lazy as _

from khuyencong.date_input import VNDateField
from programs.models import ActivityContent

from ..models import Project
from .fields import MoneyField


class NationalPlanForm(forms.Form):
    year = forms.IntegerField(label=_("Năm kế hoạch"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("Tên kế hoạch"), max_length=300)
    total = MoneyField(label=_("Tổng kinh phí khuyến công quốc gia (đồng)"))


class NationalPlanLineForm(forms.Form):
    project = forms.ModelChoiceField(label=_("Đề án (Cục đang thẩm định)"), queryset=Project.objects.none())
    content = forms.ModelChoiceField(label=_("Nội dung"), queryset=ActivityContent.objects.all())
    amount = MoneyField(label=_("Kinh phí khuyến công quốc gia (đồng)"))

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        from ..models import ProjectStatus

        if plan is not None:
            self.fields["project"].queryset = (
                Project.objects.national()
                .filter(year=plan.year, status=ProjectStatus.CUC_REVIEW)
                .select_related("province")
                .order_by("province__name", "code")
            )
        self.fields["project"].label_from_instance = lambda p: f"{p.code} — {p.title} ({p.province.name})"
        self.fields["project"].empty_label = _("— Chọn đề án —")
        self.fields["content"].empty_label = _("— Chọn nội dung —")


class NationalPlanApproveForm(forms.Form):
    decision_number = forms.CharField(label=_("Số quyết định của Bộ trưởng"), max_length=80)
    decision_date = VNDateField(label=_("Ngày quyết định"))
    acknowledge_double_support = forms.BooleanField(
        label=_("Tôi đã xem các cảnh báo hỗ trợ trùng (nếu có) và xác nhận phê duyệt"), required=False
    )
    comment = forms.CharField(label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

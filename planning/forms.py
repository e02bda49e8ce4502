"""Forms of the annual plan's pages: shape and field rules only; writes go through planning.services."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khuyencong.money import parse_dong
from programs.models import ActivityContent, AnnualPlan, FundingSource, Programme


class MoneyField(forms.Field):
    """Whole đồng typed the Vietnamese way ("1.500.000.000")."""

    widget = forms.TextInput

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "class": "money", "maxlength": "30"})

    def to_python(self, value):
        text = str(value or "").strip()
        if not text:
            return None
        try:
            amount = parse_dong(text)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
        if amount < 0:
            raise forms.ValidationError(_("Số tiền không thể âm."))
        return amount


class PlanCreateForm(forms.Form):
    year = forms.IntegerField(label=_("Năm kế hoạch"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(
        label=_("Loại kế hoạch"), choices=AnnualPlan.Kind.choices, initial=AnnualPlan.Kind.LOCAL
    )
    name = forms.CharField(label=_("Tên kế hoạch"), max_length=300)
    programme = forms.ModelChoiceField(
        label=_("Thuộc chương trình"), queryset=Programme.objects.none(), required=False
    )
    expected_allocation = MoneyField(label=_("Kinh phí dự kiến được giao (đồng)"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.visible_to(user)
        self.fields["year"].initial = timezone.localdate().year + 1


class BuildForm(forms.Form):
    projects = forms.ModelMultipleChoiceField(
        label=_("Đề xuất đưa vào kế hoạch"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    expected_allocation = MoneyField(label=_("Kinh phí dự kiến được giao (đồng)"), required=False)

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = proposals


def money_key(source_id: int, content_id: int | None) -> str:
    return f"m_{source_id}_{content_id or 0}"


class AdjustForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do điều chỉnh"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args, money: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason_fields = ["reason"]
        self.rows = []
        sources = list(FundingSource.objects.filter(is_state_budget=True))
        contents = list(ActivityContent.objects.all())
        for source in sources:
            for content in [*contents, None]:
                key = money_key(source.pk, content.pk if content else None)
                current = money.get((source.pk, content.pk if content else None))
                if content is None and not current:
                    continue
                self.fields[key] = MoneyField(
                    label=f"{source.short_name} — {content or _('không nêu nội dung')}", required=False
                )
                self.initial.setdefault(key, f"{current:,}".replace(",", ".") if current else "")
                self.rows.append((source, content, key, current or 0))

    def money(self) -> dict:
        return {
            (source.pk, content.pk if content else None): self.cleaned_data.get(key) or 0
            for source, content, key, _current in self.rows
            if self.cleaned_data.get(key)
        }

    def money_rows(self):
        return [(source, content, self[key], current) for source, content, key, current in self.rows]


class ApproveForm(forms.Form):
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=80)
    decision_date = forms.DateField(
        label=_("Ngày quyết định"), widget=forms.DateInput(attrs={"type": "date"})
    )
    decision_authority = forms.CharField(label=_("Cơ quan quyết định"), max_length=200, required=False)


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Lý do trả lại"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class ProgrammeForm(forms.ModelForm):
    class Meta:
        from programs.models import Programme as _Programme

        model = _Programme
        fields = [
            "code",
            "name",
            "start_year",
            "end_year",
            "decision_number",
            "decision_date",
            "decision_authority",
            "description",
        ]
        widgets = {
            "decision_date": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def _post_clean(self):
        # The model is validated in full by planning.programmes.programme_save.
        pass


class YearBudgetForm(forms.Form):
    source = forms.ModelChoiceField(label=_("Nguồn"), queryset=FundingSource.objects.all())
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    amount = MoneyField(label=_("Số tiền (đồng)"))


class TargetForm(forms.Form):
    from khuyencong.money import AmountQualifier as _Qualifier
    from programs.models import Indicator as _Indicator

    description = forms.CharField(label=_("Chỉ tiêu (diễn giải)"), max_length=400)
    indicator = forms.ModelChoiceField(
        label=_("Gắn với chỉ tiêu đầu ra"), queryset=_Indicator.objects.all(), required=False
    )
    qualifier = forms.ChoiceField(label=_("Cách nêu"), choices=_Qualifier.choices, initial=_Qualifier.EXACT)
    min_value = forms.IntegerField(label=_("Từ"), min_value=0, required=False)
    max_value = forms.IntegerField(label=_("Đến"), min_value=0, required=False)
    unit = forms.CharField(label=_("Đơn vị"), max_length=40, required=False)

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_value"), cleaned.get("max_value")
        if high is not None and low is None:
            self.add_error("min_value", _("Khoảng cần có giá trị đầu (ví dụ 500–1000)."))
        elif high is not None and low is not None and high < low:
            self.add_error("max_value", _("Giá trị cuối phải không nhỏ hơn giá trị đầu."))
        return cleaned


class GroupForm(forms.Form):
    title = forms.CharField(label=_("Nhóm giải pháp"), max_length=300)
    description = forms.CharField(
        label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


YearBudgetFormSet = forms.formset_factory(YearBudgetForm, extra=2, can_delete=True)
TargetFormSet = forms.formset_factory(TargetForm, extra=2, can_delete=True)
GroupFormSet = forms.formset_factory(GroupForm, extra=1, can_delete=True)


def formset_rows(formset) -> list[dict]:
    return [
        {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]

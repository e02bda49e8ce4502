"""The forms of the đề án page's moves and records (projects.views): each hands `service_kwargs` to the
matching service in projects.services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khuyencong.date_input import VNDateField, VNMonthField
from khuyencong.money import format_dong
from programs.models import FundingSource

from ..models import Acceptance, Advance, Appraisal, ProjectDocument, Recommendation
from ..selectors import next_report_month
from ..services.tracking import advance_limits
from .fields import MoneyField, today_by_default


class StepForm(forms.Form):
    """A move or record on the đề án page. `service_kwargs` is what the matching service takes."""

    comment = forms.CharField(label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    comment_required = False

    def __init__(self, *args, project=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        today_by_default(self)
        if self.comment_required:
            self.fields["comment"].required = True
            self.fields["comment"].label = _("Ý kiến (bắt buộc)")

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class RequiredCommentForm(StepForm):
    comment_required = True


class DecisionForm(StepForm):
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=80)
    decision_date = VNDateField(label=_("Ngày quyết định"))
    acknowledge_double_support = forms.BooleanField(
        label=_("Tôi đã xem các cảnh báo hỗ trợ trùng (nếu có) và xác nhận phê duyệt"), required=False
    )


class StopForm(StepForm):
    comment_required = True
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=80, required=False)
    decision_date = VNDateField(label=_("Ngày quyết định"), required=False)


class ContractForm(StepForm):
    contract_number = forms.CharField(label=_("Số hợp đồng/quyết định giao nhiệm vụ"), max_length=80)
    contract_date = VNDateField(label=_("Ngày ký"))


class AcceptanceForm(StepForm):
    minutes_number = forms.CharField(label=_("Số biên bản nghiệm thu"), max_length=80)
    minutes_date = VNDateField(label=_("Ngày nghiệm thu"))
    conclusion = forms.ChoiceField(label=_("Kết luận"), choices=Acceptance.Conclusion.choices)


class CloseForm(StepForm):
    closure_number = forms.CharField(label=_("Số biên bản thanh lý"), max_length=80)
    closure_date = VNDateField(label=_("Ngày thanh lý"))


class SettleForm(StepForm):
    decision_number = forms.CharField(label=_("Số quyết định quyết toán"), max_length=80)
    decision_date = VNDateField(label=_("Ngày quyết định"))

    def __init__(self, *args, project=None, user=None, **kwargs):
        super().__init__(*args, project=project, user=user, **kwargs)
        self.sources = []
        if project is not None:
            ids = (
                project.budget_lines.filter(source__isnull=False)
                .order_by()
                .values_list("source_id", flat=True)
            )
            self.sources = list(FundingSource.objects.filter(pk__in=ids))
        for source in self.sources:
            self.fields[f"amount_{source.pk}"] = MoneyField(
                label=_("Quyết toán nguồn «%(source)s» (đồng)") % {"source": source.short_name}
            )

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        amounts = {s: data.pop(f"amount_{s.pk}") for s in self.sources}
        return {**data, "amounts": amounts}


class SubmitForm(StepForm):
    """Registration. A national đề án filed after its deadline needs the reason (kept on the audit row)."""

    late_reason = forms.CharField(
        label=_("Lý do nộp muộn (đề án quốc gia nộp sau thời hạn)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, project=None, user=None, **kwargs):
        super().__init__(*args, project=project, user=user, **kwargs)
        if project is None or not project.is_national:
            del self.fields["late_reason"]


class AdjustmentRequestForm(StepForm):
    """A request to adjust; for a national đề án, the kind of change (who decides it follows from it)."""

    comment_required = True
    change_kind = forms.ChoiceField(label=_("Loại điều chỉnh"), required=False)

    def __init__(self, *args, project=None, user=None, **kwargs):
        from ..workflow import AUTHORITY_LABELS, CHANGE_AUTHORITY, CHANGE_LABELS

        super().__init__(*args, project=project, user=user, **kwargs)
        if project is None or not project.is_national:
            del self.fields["change_kind"]
            return
        self.fields["change_kind"].required = True
        self.fields["change_kind"].choices = [("", _("— Chọn —"))] + [
            (code, f"{label} — {AUTHORITY_LABELS[CHANGE_AUTHORITY[code]]}")
            for code, label in CHANGE_LABELS.items()
        ]


class AppraisalForm(StepForm):
    score_fit = forms.IntegerField(label=_("Phù hợp nội dung, ngành nghề (0–20)"), min_value=0, max_value=20)
    score_necessity = forms.IntegerField(label=_("Sự cần thiết (0–20)"), min_value=0, max_value=20)
    score_efficiency = forms.IntegerField(
        label=_("Hiệu quả kinh tế - xã hội (0–20)"), min_value=0, max_value=20
    )
    score_budget = forms.IntegerField(label=_("Dự toán hợp lý (0–20)"), min_value=0, max_value=20)
    score_capacity = forms.IntegerField(label=_("Năng lực thực hiện (0–20)"), min_value=0, max_value=20)
    recommendation = forms.ChoiceField(label=_("Kiến nghị"), choices=Recommendation.choices)

    field_order = [*Appraisal.CRITERIA, "recommendation", "comment"]


class ProgressReportForm(forms.Form):
    month = VNMonthField(label=_("Tháng báo cáo"))
    percent_complete = forms.IntegerField(label=_("Khối lượng hoàn thành (%)"), min_value=0, max_value=100)
    summary = forms.CharField(label=_("Tình hình thực hiện"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, project=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        month = next_report_month(project) if project is not None else timezone.localdate().replace(day=1)
        self.initial.setdefault("month", month)

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


def _budget_sources(project):
    if project is None:
        return FundingSource.objects.none()
    return FundingSource.objects.filter(
        pk__in=project.budget_lines.filter(source__isnull=False).values("source_id")
    )


class AdvanceRequestForm(StepForm):
    source = forms.ModelChoiceField(label=_("Nguồn kinh phí"), queryset=FundingSource.objects.none())
    amount = MoneyField(label=_("Số tiền đề nghị tạm ứng (đồng)"))
    field_order = ["source", "amount", "comment"]

    def __init__(self, *args, project=None, user=None, **kwargs):
        super().__init__(*args, project=project, user=user, **kwargs)
        self.fields["source"].queryset = _budget_sources(project).filter(is_counterpart=False)
        self.fields["source"].empty_label = _("— Chọn nguồn —")
        self.limits = advance_limits(project, on=timezone.localdate()) if project is not None else []
        if self.limits:
            self.fields["amount"].help_text = (
                " ".join(
                    _(
                        "Nguồn «%(source)s»: tối đa %(percent)s%% của %(approved)s = %(limit)s; đã đề nghị hoặc "
                        "được duyệt %(asked)s, còn được đề nghị %(available)s."
                    )
                    % {
                        "source": limit.source.short_name,
                        "percent": limit.rule.percentage,
                        "approved": format_dong(limit.approved, unit=True),
                        "limit": format_dong(limit.limit, unit=True),
                        "asked": format_dong(limit.asked, unit=True),
                        "available": format_dong(limit.available, unit=True),
                    }
                    for limit in self.limits
                )
                + " "
                + _("(%(condition)s — %(basis)s)")
                % {
                    "condition": self.limits[0].rule.condition,
                    "basis": self.limits[0].rule.legal_basis,
                }
            )
        elif project is not None:
            self.fields["amount"].help_text = _("Chưa có quy định tạm ứng nào áp dụng cho đề án này.")


class AdvanceDecideForm(StepForm):
    advance = forms.ModelChoiceField(queryset=Advance.objects.none(), widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Quyết định"), choices=[("approve", _("Duyệt")), ("reject", _("Không duyệt"))]
    )
    decision_date = VNDateField(label=_("Ngày quyết định"), required=False, help_text=_("Để trống: hôm nay."))

    def __init__(self, *args, project=None, user=None, **kwargs):
        super().__init__(*args, project=project, user=user, **kwargs)
        if project is not None:
            self.fields["advance"].queryset = project.advances.filter(status=Advance.Status.REQUESTED)

    def service_kwargs(self) -> dict:
        c = self.cleaned_data
        return {
            "advance": c["advance"],
            "approve": c["decision"] == "approve",
            "comment": c["comment"],
            "decision_date": c["decision_date"],
        }


class DisbursementForm(forms.Form):
    source = forms.ModelChoiceField(label=_("Nguồn kinh phí"), queryset=FundingSource.objects.none())
    amount = MoneyField(label=_("Số tiền (đồng)"))
    paid_on = VNDateField(label=_("Ngày chi"))
    reference = forms.CharField(label=_("Số chứng từ"), max_length=120, required=False)

    def __init__(self, *args, project=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = _budget_sources(project)
        self.fields["source"].empty_label = _("— Chọn nguồn —")
        today_by_default(self)

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class OutputsRecordForm(forms.Form):
    """Achieved value for each planned output of the đề án."""

    def __init__(self, *args, project=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.outputs = (
            list(project.outputs.select_related("indicator").order_by("indicator__order", "id"))
            if project is not None
            else []
        )
        for output in self.outputs:
            self.fields[f"achieved_{output.indicator_id}"] = forms.IntegerField(
                label=_("%(indicator)s — đạt được (kế hoạch: %(planned)s)")
                % {
                    "indicator": output.indicator,
                    "planned": output.planned if output.planned is not None else "—",
                },
                min_value=0,
                required=False,
                initial=output.achieved,
            )

    def service_kwargs(self) -> dict:
        return {
            "achieved": {o.indicator: self.cleaned_data[f"achieved_{o.indicator_id}"] for o in self.outputs}
        }


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại tài liệu"), choices=ProjectDocument.Kind.choices)
    title = forms.CharField(label=_("Tiêu đề"), max_length=300, required=False)
    file = forms.FileField(label=_("Tệp (PDF, Word, Excel, PNG, JPEG)"))

    def __init__(self, *args, project=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)

"""Forms of the đề án pages. They check shape and field rules and hand cleaned_data to projects.services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import user_province_id
from beneficiaries.forms import clean_new_tax_code, communes_of
from beneficiaries.models import Beneficiary, BeneficiaryKind
from khuyencong.date_input import VNDateField, VNDateInput, VNMonthField
from khuyencong.money import format_dong, parse_dong
from programs.models import ActivityContent, Agency, AnnualPlan, FundingSource, Indicator

from .models import Acceptance, Advance, Appraisal, Project, ProjectDocument, Recommendation, WorkflowAction
from .selectors import next_report_month
from .services.tracking import advance_limits


class MoneyInput(forms.TextInput):
    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "autocomplete": "off", "class": "money", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int):
            return format_dong(value)
        return super().format_value(value)


class MoneyField(forms.Field):
    """Whole đồng typed the Vietnamese way ("1.791.000.000"); the error says why in Vietnamese."""

    widget = MoneyInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            amount = parse_dong(value)
        except ValueError as error:
            raise ValidationError(str(error), code="invalid_money") from error
        if amount < 0:
            raise ValidationError(_("Số tiền không được âm."), code="negative_money")
        return amount


def today_by_default(form: forms.Form) -> None:
    """Date fields of a decision or a payment start at today; a paper decision entered later is given
    its own date, which reports then count by."""
    for name, field in form.fields.items():
        if isinstance(field, forms.DateField) and not isinstance(field, VNMonthField):
            form.initial.setdefault(name, timezone.localdate())


class ProjectForm(forms.ModelForm):
    """General information of a đề án. Only the name and the plan are needed to save a draft."""

    sites = forms.ModelMultipleChoiceField(
        label=_("Địa bàn thực hiện (xã/phường)"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Project
        fields = [
            "title",
            "code",
            "plan",
            "shape",
            "selection",
            "contents",
            "implementing_agency",
            "implementing_unit_name",
            "coordinating_unit",
            "sites",
            "site_address",
            "files_with_ministry",
            "start_date",
            "end_date",
            "need_and_basis",
            "objectives",
            "scale",
            "expected_effects",
        ]
        widgets = {
            "contents": forms.CheckboxSelectMultiple,
            "start_date": VNDateInput,
            "end_date": VNDateInput,
            "need_and_basis": forms.Textarea(attrs={"rows": 3}),
            "objectives": forms.Textarea(attrs={"rows": 3}),
            "scale": forms.Textarea(attrs={"rows": 2}),
            "expected_effects": forms.Textarea(attrs={"rows": 2}),
        }
        field_classes = {"start_date": VNDateField, "end_date": VNDateField}
        help_texts = {"code": _("Để trống để hệ thống tự đặt mã.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        province_id = user_province_id(user)
        self.fields["plan"].queryset = AnnualPlan.objects.visible_to(user).order_by("-year", "kind")
        self.fields["plan"].empty_label = _("— Chọn kế hoạch năm —")
        agencies = Agency.objects.all()
        self.fields["implementing_agency"].queryset = (
            agencies.filter(province_id=province_id) if province_id else agencies
        )
        self.fields["implementing_agency"].empty_label = _("— Chọn đơn vị —")
        self.fields["contents"].queryset = ActivityContent.objects.all()
        self.fields["contents"].required = False
        self.fields["sites"].queryset = communes_of(user)
        self.fields["code"].required = False
        self.fields["plan"].label_from_instance = lambda plan: f"{plan.year} — {plan.name}"

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and start > end:
            self.add_error("end_date", _("Ngày kết thúc phải sau ngày bắt đầu."))
        code = cleaned.get("code")
        if code and Project.objects.filter(code=code).exclude(pk=self.instance.pk).exists():
            self.add_error("code", _("Mã đề án %(code)s đã được dùng.") % {"code": code})
        return cleaned

    def _post_clean(self):
        # The service validates the model in full (with its province and code) when it saves.
        pass

    def service_data(self) -> dict:
        """The general fields for projects.services.entry (contents and sites go separately)."""
        return {k: v for k, v in self.cleaned_data.items() if k not in ("contents", "sites")}


class ProjectBeneficiaryForm(forms.Form):
    """A beneficiary of the đề án: one picked from the list, or a new one typed on the spot."""

    beneficiary = forms.ModelChoiceField(
        queryset=Beneficiary.objects.none(), required=False, widget=forms.HiddenInput
    )
    label = forms.CharField(label=_("Tìm cơ sở có sẵn"), required=False)
    new_name = forms.CharField(label=_("Tên cơ sở mới"), required=False, max_length=300)
    new_kind = forms.ModelChoiceField(
        label=_("Loại hình"), queryset=BeneficiaryKind.objects.all(), required=False
    )
    new_tax_code = forms.CharField(label=_("Mã số thuế"), required=False, max_length=20)
    new_address = forms.CharField(label=_("Địa chỉ"), required=False, max_length=300)
    support_amount = MoneyField(label=_("Kinh phí hỗ trợ (đồng)"), required=False)
    counterpart_amount = MoneyField(label=_("Vốn đối ứng (đồng)"), required=False)
    counterpart_committed = forms.BooleanField(label=_("Đã cam kết vốn đối ứng"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["beneficiary"].queryset = Beneficiary.objects.visible_to(user)
        self.fields["new_kind"].empty_label = _("— Chọn loại hình —")
        self.fields["new_tax_code"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.fields["label"].widget.attrs.update({"autocomplete": "off", "class": "ac-input"})

    def clean_new_tax_code(self):
        if self.cleaned_data.get("beneficiary") is not None:
            return None
        return clean_new_tax_code(self.cleaned_data.get("new_tax_code"), self.user)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        picked, new_name = cleaned.get("beneficiary"), (cleaned.get("new_name") or "").strip()
        if picked is None and not new_name:
            if cleaned.get("label"):
                self.add_error("label", _("Hãy chọn một cơ sở trong danh sách gợi ý, hoặc nhập cơ sở mới."))
            else:
                self.add_error("label", _("Hãy chọn một cơ sở có sẵn hoặc nhập tên cơ sở mới."))
        if picked is None and new_name:
            kind = cleaned.get("new_kind")
            if kind is None:
                self.add_error("new_kind", _("Hãy chọn loại hình của cơ sở mới."))
            elif kind.tax_code_required and not cleaned.get("new_tax_code"):
                self.add_error(
                    "new_tax_code", _("Loại hình «%(kind)s» phải có mã số thuế.") % {"kind": kind.name}
                )
        return cleaned

    def service_data(self) -> dict:
        c = self.cleaned_data
        new = None
        if c.get("beneficiary") is None:
            new = {
                "name": c["new_name"].strip(),
                "kind": c["new_kind"],
                "tax_code": c.get("new_tax_code"),
                "address": c.get("new_address") or "",
            }
        return {
            "beneficiary": c.get("beneficiary"),
            "new": new,
            "support_amount": c.get("support_amount") or 0,
            "counterpart_amount": c.get("counterpart_amount") or 0,
            "counterpart_committed": bool(c.get("counterpart_committed")),
        }


class BudgetLineForm(forms.Form):
    source = forms.ModelChoiceField(label=_("Nguồn kinh phí"), queryset=FundingSource.objects.all())
    content = forms.ModelChoiceField(label=_("Nội dung"), queryset=ActivityContent.objects.all())
    expense_item = forms.CharField(label=_("Khoản chi"), max_length=300)
    amount = MoneyField(label=_("Số tiền (đồng)"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].empty_label = _("— Nguồn —")
        self.fields["content"].empty_label = _("— Nội dung —")
        self.fields["source"].widget.attrs["class"] = "bl-source"
        self.fields["content"].widget.attrs["class"] = "bl-content"
        self.fields["amount"].widget.attrs["class"] = "money bl-amount"

    def service_data(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("source", "content", "expense_item", "amount")}


class OutputForm(forms.Form):
    indicator = forms.ModelChoiceField(label=_("Chỉ tiêu"), queryset=Indicator.objects.all())
    planned = forms.IntegerField(label=_("Kế hoạch"), min_value=0)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].empty_label = _("— Chỉ tiêu —")

    def service_data(self) -> dict:
        return {"indicator": self.cleaned_data["indicator"], "planned": self.cleaned_data["planned"]}


class _RowsFormSet(forms.BaseFormSet):
    """Rows that may be added and removed in the browser; blank rows are ignored."""

    def service_rows(self) -> list[dict]:
        return [
            form.service_data()
            for form in self.forms
            if form.has_changed() and not (self.can_delete and self._should_delete_form(form))
        ]


class BeneficiaryRowsFormSet(_RowsFormSet):
    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            picked = form.cleaned_data.get("beneficiary")
            if picked is not None:
                if picked.pk in seen:
                    form.add_error("label", _("Cơ sở này đã có ở dòng khác."))
                seen.add(picked.pk)


class OutputRowsFormSet(_RowsFormSet):
    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            indicator = form.cleaned_data.get("indicator")
            if indicator is not None:
                if indicator.pk in seen:
                    form.add_error("indicator", _("Chỉ tiêu này đã có ở dòng khác."))
                seen.add(indicator.pk)


BeneficiaryFormSet = forms.formset_factory(
    ProjectBeneficiaryForm, formset=BeneficiaryRowsFormSet, extra=1, can_delete=True
)
BudgetLineFormSet = forms.formset_factory(BudgetLineForm, formset=_RowsFormSet, extra=1, can_delete=True)
OutputFormSet = forms.formset_factory(OutputForm, formset=OutputRowsFormSet, extra=1, can_delete=True)


def entry_formsets(data=None, *, user, project: Project | None = None) -> dict[str, forms.BaseFormSet]:
    """The three row sets of the entry page, bound to POST data or filled from the đề án."""
    initial: dict[str, list[dict]] = {"beneficiaries": [], "budget": [], "outputs": []}
    if project is not None and data is None:
        for link in project.beneficiary_links.select_related("beneficiary"):
            b = link.beneficiary
            initial["beneficiaries"].append(
                {
                    "beneficiary": b.pk,
                    "label": f"{b.name} — {b.tax_code}" if b.tax_code else b.name,
                    "support_amount": link.support_amount,
                    "counterpart_amount": link.counterpart_amount,
                    "counterpart_committed": link.counterpart_committed,
                }
            )
        for line in project.budget_lines.all():
            initial["budget"].append(
                {
                    "source": line.source_id,
                    "content": line.content_id,
                    "expense_item": line.expense_item,
                    "amount": line.amount,
                }
            )
        for output in project.outputs.all():
            initial["outputs"].append({"indicator": output.indicator_id, "planned": output.planned})
    kwargs = {"form_kwargs": {"user": user}}
    return {
        "beneficiaries": BeneficiaryFormSet(
            data, prefix="beneficiaries", initial=initial["beneficiaries"] or None, **kwargs
        ),
        "budget": BudgetLineFormSet(data, prefix="budget", initial=initial["budget"] or None, **kwargs),
        "outputs": OutputFormSet(data, prefix="outputs", initial=initial["outputs"] or None, **kwargs),
    }


# ---------------------------------------------------------------------------------------------- steps


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
            ids = project.budget_lines.filter(source__isnull=False).values_list("source_id", flat=True)
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
        from .workflow import AUTHORITY_LABELS, CHANGE_AUTHORITY, CHANGE_LABELS

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
        self.outputs = list(project.outputs.select_related("indicator")) if project is not None else []
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


# ---------------------------------------------------------------------------------------------- bulk, notes


def _chosen_ids(data, name: str) -> list[int]:
    return (
        sorted({int(v) for v in data.getlist(name) if str(v).isdigit()}) if hasattr(data, "getlist") else []
    )


class BulkStepForm(forms.Form):
    """One step for the đề án ticked in the list. The ids are read as given; the view fetches them through
    the user's scope, so another province's đề án is simply not found."""

    action = forms.ChoiceField(label=_("Bước xử lý"))
    decision_number = forms.CharField(label=_("Số quyết định (khi phê duyệt)"), max_length=80, required=False)
    decision_date = VNDateField(label=_("Ngày quyết định"), required=False)
    comment = forms.CharField(label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(a, WorkflowAction(a).label) for a in actions]
        if WorkflowAction.APPROVE not in actions:  # the decision fields serve approval only
            del self.fields["decision_number"], self.fields["decision_date"]
        today_by_default(self)

    def clean(self):
        cleaned = super().clean()
        self.ids = _chosen_ids(self.data, "projects")
        if not self.ids:
            raise ValidationError(_("Chưa chọn đề án nào: đánh dấu các đề án trong danh sách trước."))
        if cleaned.get("action") == WorkflowAction.APPROVE:
            if not cleaned.get("decision_number"):
                self.add_error("decision_number", _("Phê duyệt cần số quyết định."))
            if not cleaned.get("decision_date"):
                self.add_error("decision_date", _("Phê duyệt cần ngày quyết định."))
        return cleaned

    def service_kwargs(self) -> dict:
        c = self.cleaned_data
        if c.get("action") == WorkflowAction.APPROVE:
            return {
                "decision_number": c["decision_number"],
                "decision_date": c["decision_date"],
                "comment": c["comment"],
            }
        return {"comment": c["comment"]}


class BulkAdvanceDecideForm(forms.Form):
    decision_date = VNDateField(label=_("Ngày quyết định"), required=False, help_text=_("Để trống: hôm nay."))
    comment = forms.CharField(label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today_by_default(self)

    def clean(self):
        cleaned = super().clean()
        self.ids = _chosen_ids(self.data, "advances")
        if not self.ids:
            raise ValidationError(_("Chưa chọn đề nghị tạm ứng nào."))
        self.approve = self.data.get("decision") == "approve"
        if self.data.get("decision") not in ("approve", "reject"):
            raise ValidationError(_("Chọn «Duyệt» hoặc «Không duyệt»."))
        return cleaned


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Ghi chú nội bộ (chỉ cán bộ trong tỉnh thấy)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )


# ---------------------------------------------------------------------------------------------- national plan


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
        from .models import ProjectStatus

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

"""The đề án entry page: the đề án itself, its beneficiaries, its estimate lines and its outputs."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.scoping import user_province_id
from beneficiaries.forms import clean_new_tax_code, communes_of
from beneficiaries.models import Beneficiary, BeneficiaryKind
from khuyencong.date_input import VNDateField, VNDateInput
from khuyencong.select_widget import ListSelect
from places.models import AdministrativeUnit
from programs.models import ActivityContent, Agency, AnnualPlan, FundingSource, Indicator

from ..models import Project
from .fields import MoneyField


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
            "plan": ListSelect,
            "shape": ListSelect,
            "selection": ListSelect,
            "implementing_agency": ListSelect,
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
        # The communes of the đề án's own province (an administrator editing one sees only its province's
        # hundred or so, not the whole country's), else of the user's.
        # A draft written before 1/7/2025 may name communes of the old map: they stay offered (and ticked), or
        # saving the page would drop them.
        province = self.instance.province_id if self.instance.pk else None
        if province:
            today = AdministrativeUnit.objects.current().communes().filter(province_id=province)
            self.fields["sites"].queryset = AdministrativeUnit.objects.filter(
                Q(pk__in=today.values("pk")) | Q(pk__in=self.instance.sites.values("pk"))
            ).order_by("name")
        else:
            self.fields["sites"].queryset = communes_of(user)
        self.fields["code"].required = False
        self.fields["plan"].label_from_instance = lambda plan: f"{plan.year} — {plan.name}"

    def site_rows(self) -> list[tuple[int, str, bool]]:
        """The communes as (pk, name, ticked), for the page to write as plain checkboxes: a province has a
        hundred or more, and the widget's template per option cost more than the rest of the page."""
        ticked = {str(v) for v in (self["sites"].value() or [])}
        return [
            (pk, name, str(pk) in ticked)
            for pk, name in self.fields["sites"].queryset.values_list("pk", "full_name")
        ]

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


def share_choices(form: forms.Form, shared: dict | None, *names: str) -> None:
    """The row forms of a formset show the same lists (sources, contents, kinds, indicators): read each list
    once for the page, not once per row and again for the row template (`shared` lives for one page)."""
    if shared is None:
        return
    for name in names:
        key = (type(form).__name__, name)
        field = form.fields[name]
        if key not in shared:
            blank = [("", field.empty_label)] if field.empty_label is not None else []
            shared[key] = blank + [(obj.pk, field.label_from_instance(obj)) for obj in field.queryset]
        field.choices = shared[key]


class ProjectBeneficiaryForm(forms.Form):
    """A beneficiary of the đề án: one picked from the list, or a new one typed on the spot."""

    beneficiary = forms.ModelChoiceField(
        queryset=Beneficiary.objects.none(), required=False, widget=forms.HiddenInput
    )
    label = forms.CharField(label=_("Tìm cơ sở có sẵn"), required=False)
    new_name = forms.CharField(label=_("Tên cơ sở mới"), required=False, max_length=300)
    new_kind = forms.ModelChoiceField(
        label=_("Loại hình"), queryset=BeneficiaryKind.objects.all(), required=False, widget=ListSelect
    )
    new_tax_code = forms.CharField(label=_("Mã số thuế"), required=False, max_length=20)
    new_address = forms.CharField(label=_("Địa chỉ"), required=False, max_length=300)
    support_amount = MoneyField(label=_("Kinh phí hỗ trợ (đồng)"), required=False)
    counterpart_amount = MoneyField(label=_("Vốn đối ứng (đồng)"), required=False)
    counterpart_committed = forms.BooleanField(label=_("Đã cam kết vốn đối ứng"), required=False)

    def __init__(self, *args, user, shared_choices: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["beneficiary"].queryset = Beneficiary.objects.visible_to(user)
        self.fields["new_kind"].empty_label = _("— Chọn loại hình —")
        share_choices(self, shared_choices, "new_kind")
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
    source = forms.ModelChoiceField(
        label=_("Nguồn kinh phí"), queryset=FundingSource.objects.all(), widget=ListSelect
    )
    content = forms.ModelChoiceField(
        label=_("Nội dung"), queryset=ActivityContent.objects.all(), widget=ListSelect
    )
    expense_item = forms.CharField(label=_("Khoản chi"), max_length=300)
    amount = MoneyField(label=_("Số tiền (đồng)"))

    def __init__(self, *args, user=None, shared_choices: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].empty_label = _("— Nguồn —")
        self.fields["content"].empty_label = _("— Nội dung —")
        share_choices(self, shared_choices, "source", "content")
        self.fields["source"].widget.attrs["class"] = "bl-source"
        self.fields["content"].widget.attrs["class"] = "bl-content"
        self.fields["amount"].widget.attrs["class"] = "money bl-amount"

    def service_data(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("source", "content", "expense_item", "amount")}


class OutputForm(forms.Form):
    indicator = forms.ModelChoiceField(
        label=_("Chỉ tiêu"), queryset=Indicator.objects.all(), widget=ListSelect
    )
    planned = forms.IntegerField(label=_("Kế hoạch"), min_value=0)

    def __init__(self, *args, user=None, shared_choices: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].empty_label = _("— Chỉ tiêu —")
        share_choices(self, shared_choices, "indicator")

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
    kwargs = {"form_kwargs": {"user": user, "shared_choices": {}}}
    return {
        "beneficiaries": BeneficiaryFormSet(
            data, prefix="beneficiaries", initial=initial["beneficiaries"] or None, **kwargs
        ),
        "budget": BudgetLineFormSet(data, prefix="budget", initial=initial["budget"] or None, **kwargs),
        "outputs": OutputFormSet(data, prefix="outputs", initial=initial["outputs"] or None, **kwargs),
    }

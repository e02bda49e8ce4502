"""The đề án list's bulk moves and bulk advance decisions, and the notes of a đề án."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from khuyencong.date_input import VNDateField

from ..models import WorkflowAction
from .fields import today_by_default


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

from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

# A signed report is a few hundred kilobytes; anything far larger is not one.
MAX_UPLOAD = 20 * 1024 * 1024


class IssueForm(forms.Form):
    request_token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    signer_name = forms.CharField(
        label=_("Họ tên người ký"),
        max_length=255,
        required=False,
        help_text=_("Để trống: tên của người ban hành."),
    )
    extra_recipients = forms.CharField(
        label=_("Gửi thêm tới (thư điện tử, mỗi dòng một địa chỉ)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_extra_recipients(self) -> list[str]:
        emails = [
            e.strip()
            for e in self.cleaned_data["extra_recipients"].replace(",", "\n").splitlines()
            if e.strip()
        ]
        for email in emails:
            try:
                validate_email(email)
            except forms.ValidationError as exc:
                raise forms.ValidationError(
                    _("Địa chỉ thư không hợp lệ: %(email)s"), params={"email": email}
                ) from exc
        return emails


class PdfUploadForm(forms.Form):
    pdf = forms.FileField(label=_("Tệp PDF"))

    def clean_pdf(self) -> bytes:
        upload = self.cleaned_data["pdf"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 20 MB)."))
        return upload.read()


class VerifyCodeForm(forms.Form):
    code = forms.CharField(label=_("Mã xác minh"), max_length=20)


class ReportChoiceForm(forms.Form):
    """Which report to issue: its kind and what names it."""

    kind = forms.ChoiceField(label=_("Loại báo cáo"))
    province = forms.CharField(label=_("Mã tỉnh, thành phố"), required=False, max_length=4)
    period = forms.CharField(label=_("Kỳ báo cáo (2025, 2025-h1, 2025-q3)"), required=False, max_length=10)
    programme = forms.IntegerField(label=_("Chương trình"), required=False)

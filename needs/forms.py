"""The public registration form and the staff's triage forms: shape and field rules only."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from beneficiaries.models import Beneficiary, BeneficiaryKind
from beneficiaries.tax_code import normalise_tax_code, tax_code_error
from khuyencong.money import parse_dong
from khuyencong.vn_text import nfc
from places.models import AdministrativeUnit
from places.resolve import resolve_place_candidates
from programs.models import ActivityContent, AnnualPlan

# What the registrant agrees to, shown above the box and stored verbatim with the need.
CONSENT_TEXT = _(
    "Tôi đồng ý để Sở Công Thương và Trung tâm Khuyến công của tỉnh/thành phố nơi cơ sở đặt trụ sở sử dụng "
    "các thông tin trên (kể cả họ tên, số điện thoại, thư điện tử) để xem xét, liên hệ và xây dựng kế hoạch, "
    "đề án khuyến công. Thông tin của hộ kinh doanh và cá nhân không được công bố công khai nếu không có sự "
    "đồng ý của tôi (Luật Bảo vệ dữ liệu cá nhân 2025)."
)

_PHONE = re.compile(r"^(?:\+?84|0)(\d{9,10})$")


def normalise_phone(value: str) -> str:
    return re.sub(r"[\s.\-()]", "", value or "")


class NeedForm(forms.Form):
    name = forms.CharField(label=_("Tên cơ sở / hộ kinh doanh"), max_length=300)
    kind = forms.ModelChoiceField(
        label=_("Loại hình"), queryset=BeneficiaryKind.objects.all(), empty_label=_("— Chọn loại hình —")
    )
    tax_code = forms.CharField(
        label=_("Mã số thuế"),
        required=False,
        max_length=20,
        help_text=_("Hộ kinh doanh chưa có mã số thuế có thể để trống."),
    )
    province = forms.ModelChoiceField(
        label=_("Tỉnh/thành phố"),
        queryset=AdministrativeUnit.objects.current().provinces().order_by("name"),
        empty_label=_("— Chọn tỉnh/thành phố —"),
    )
    commune = forms.CharField(
        label=_("Xã/phường/đặc khu"),
        max_length=200,
        help_text=_("Tên hiện nay, hoặc tên cũ kèm huyện cũ (ví dụ: xã Trường Thắng, huyện Thới Lai)."),
    )
    address = forms.CharField(label=_("Thôn, ấp, số nhà"), max_length=300, required=False)
    content = forms.ModelChoiceField(
        label=_("Cần hỗ trợ về nội dung nào?"),
        queryset=ActivityContent.objects.all(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    description = forms.CharField(
        label=_("Cơ sở cần gì?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ví dụ: máy sấy nông sản công suất 500 kg/mẻ; đào tạo nghề đan lát cho 20 lao động."),
    )
    estimated_cost = forms.CharField(
        label=_("Kinh phí dự kiến (đồng, ước tính)"),
        required=False,
        max_length=30,
        help_text=_("Không bắt buộc. Ví dụ: 300.000.000"),
    )
    representative = forms.CharField(label=_("Người liên hệ"), max_length=160)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=30, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    consent = forms.BooleanField(label=_("Tôi đồng ý với nội dung trên"))
    # The honeypot: hidden by CSS and from assistive technology; people leave it empty.
    website = forms.CharField(label=_("Không điền vào ô này"), required=False)
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tax_code"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})
        self.fields["email"].widget.attrs.update({"autocomplete": "email"})
        self.fields["estimated_cost"].widget.attrs.update({"inputmode": "numeric"})
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["consent"].error_messages["required"] = _("Cần đồng ý với việc sử dụng thông tin để gửi.")
        self.fields["content"].label_from_instance = lambda c: f"{c.number}. {c.name}"
        for name in ("name", "representative", "commune", "description"):
            self.fields[name].error_messages["required"] = _("Vui lòng điền mục này.")
        for name in ("kind", "province", "content"):
            self.fields[name].error_messages["required"] = _("Vui lòng chọn một mục.")
        self.unit: AdministrativeUnit | None = None

    def clean_name(self):
        return nfc(self.cleaned_data["name"]).strip()

    def clean_description(self):
        return nfc(self.cleaned_data["description"]).strip()

    def clean_tax_code(self):
        code = normalise_tax_code(self.cleaned_data.get("tax_code"))
        if code:
            error = tax_code_error(code)
            if error:
                raise forms.ValidationError(error, code="invalid_tax_code")
        return code

    def clean_phone(self):
        phone = normalise_phone(self.cleaned_data.get("phone"))
        if phone and not _PHONE.match(phone):
            raise forms.ValidationError(
                _("Số điện thoại «%(phone)s» không đúng: 10 chữ số bắt đầu bằng 0, hoặc +84…"),
                params={"phone": self.cleaned_data.get("phone")},
            )
        return phone

    def clean_estimated_cost(self):
        text = (self.cleaned_data.get("estimated_cost") or "").strip()
        if not text:
            return None
        try:
            amount = parse_dong(text)
        except ValueError:
            raise forms.ValidationError(
                _("Kinh phí «%(text)s» không đọc được: ghi số đồng, ví dụ 300.000.000."),
                params={"text": text},
            ) from None
        if amount < 0:
            raise forms.ValidationError(_("Kinh phí không thể âm."))
        return amount

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(_("Không gửi được biểu mẫu. Vui lòng thử lại."), code="honeypot")
        if not cleaned.get("phone") and not cleaned.get("email") and "phone" not in self.errors:
            self.add_error("phone", _("Cần ít nhất số điện thoại hoặc thư điện tử để liên hệ."))
        kind = cleaned.get("kind")
        if (
            kind is not None
            and kind.tax_code_required
            and not cleaned.get("tax_code")
            and "tax_code" not in self.errors
        ):
            self.add_error("tax_code", _("Loại hình «%(kind)s» phải có mã số thuế.") % {"kind": kind.name})
        province, commune = cleaned.get("province"), cleaned.get("commune")
        if province is not None and commune:
            self.unit = self._resolve_commune(commune, province)
        return cleaned

    def _resolve_commune(self, text: str, province: AdministrativeUnit) -> AdministrativeUnit | None:
        level = AdministrativeUnit.Level.COMMUNE
        candidates: list[AdministrativeUnit] = []
        # A bare name ("Thới Lai") may first name a former district: read it as a commune's name too.
        for attempt in (text, f"xã {text}", f"phường {text}", f"đặc khu {text}"):
            found = resolve_place_candidates(attempt, province_hint=province)
            candidates = [
                u for u in found if u.level == level and (u.today_province() or u).pk == province.pk
            ]
            if candidates:
                break
        if not candidates:
            self.add_error(
                "commune",
                _(
                    "Không tìm thấy xã/phường «%(text)s» ở %(province)s. Kiểm tra lại tên, hoặc ghi tên cũ kèm huyện cũ."
                )
                % {"text": text, "province": province.full_name},
            )
            return None
        if len(candidates) > 1:
            self.add_error(
                "commune",
                _("«%(text)s» có thể là: %(names)s. Ghi thêm tên huyện (cũ) để phân biệt.")
                % {"text": text, "names": "; ".join(str(u) for u in candidates[:5])},
            )
            return None
        return candidates[0]

    def service_data(self) -> dict:
        data = {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in {"consent", "website", "token", "province", "commune"}
        }
        data["commune_text"] = self.cleaned_data["commune"]
        data["unit"] = self.unit
        return data


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do (cơ sở sẽ thấy khi tra cứu)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class MergeForm(forms.Form):
    beneficiary = forms.ModelChoiceField(
        label=_("Cơ sở trong danh sách"), queryset=Beneficiary.objects.none()
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["beneficiary"].queryset = candidates


class ProposeForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("Kế hoạch năm"), queryset=AnnualPlan.objects.none())

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        self.fields["plan"].empty_label = _("— Chọn kế hoạch năm —")

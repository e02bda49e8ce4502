"""Forms about beneficiaries: shape and field rules only; writes go through beneficiaries.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.scoping import user_province_id
from places.models import AdministrativeUnit

from .models import Beneficiary
from .tax_code import normalise_tax_code, tax_code_error


def communes_of(user):
    """Today's communes of the user's province (all communes for national users)."""
    units = AdministrativeUnit.objects.current().communes().order_by("name")
    province_id = user_province_id(user)
    return units.filter(province_id=province_id) if province_id else units


def clean_new_tax_code(value: str | None, user) -> str | None:
    """A tax code typed for a new establishment: valid, and not already recorded in the user's province
    (another province's records are neither confirmed nor refused: they are not this province's books)."""
    code = normalise_tax_code(value)
    if not code:
        return None
    error = tax_code_error(code)
    if error:
        raise forms.ValidationError(error, code="invalid_tax_code")
    if Beneficiary.objects.in_province_of(user).filter(tax_code=code).exists():
        raise forms.ValidationError(
            _("Mã số thuế %(code)s đã có trong danh sách cơ sở: hãy tìm và chọn cơ sở đó."),
            code="duplicate_tax_code",
            params={"code": code},
        )
    return code


class BeneficiaryForm(forms.ModelForm):
    class Meta:
        model = Beneficiary
        fields = [
            "name",
            "kind",
            "tax_code",
            "representative",
            "phone",
            "email",
            "address",
            "current_unit",
            "industry",
            "craft_village",
            "employees",
            "women_owned",
            "ethnic_minority",
        ]
        labels = {"current_unit": _("Xã/phường/đặc khu")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["current_unit"].queryset = communes_of(user)
        self.fields["kind"].empty_label = _("— Chọn loại hình —")
        self.fields["current_unit"].empty_label = _("— Chọn xã/phường —")
        self.fields["tax_code"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean_tax_code(self):
        return clean_new_tax_code(self.cleaned_data.get("tax_code"), self.user)

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if (
            kind is not None
            and kind.tax_code_required
            and not cleaned.get("tax_code")
            and "tax_code" not in self.errors
        ):
            self.add_error("tax_code", _("Loại hình «%(kind)s» phải có mã số thuế.") % {"kind": kind.name})
        return cleaned

    def _post_clean(self):
        # The model is validated in full by beneficiaries.services.beneficiary_create.
        pass

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["unit_at_time"] = data.get("current_unit")
        return data

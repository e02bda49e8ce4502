"""The choice of a report: province (for national users only) and year."""

from django import forms
from django.utils.translation import gettext_lazy as _

from places.models import AdministrativeUnit


class ReportChoiceForm(forms.Form):
    province = forms.ModelChoiceField(
        label=_("Tỉnh, thành phố"),
        queryset=AdministrativeUnit.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("— chọn tỉnh, thành phố —"),
    )
    year = forms.TypedChoiceField(label=_("Năm báo cáo"), coerce=int)

    def __init__(self, *args, years: list[int], national: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in years]
        if national:
            self.fields["province"].queryset = (
                AdministrativeUnit.objects.current().provinces().order_by("name")
            )
        else:
            del self.fields["province"]

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ImportKind


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại dữ liệu"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("Tệp bảng tính (.xlsx hoặc .ods)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,.ods,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.oasis.opendocument.spreadsheet"
            }
        ),
    )

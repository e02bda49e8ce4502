"""Forms of the programme pages."""

from django import forms
from django.utils.translation import gettext_lazy as _


class TargetAchievedForm(forms.Form):
    achieved = forms.IntegerField(label=_("Kết quả đạt được (lũy kế)"), min_value=0)
    note = forms.CharField(
        label=_("Căn cứ"), max_length=400, help_text=_("Báo cáo hoặc văn bản ghi nhận kết quả.")
    )

"""Date and month fields that read and write the Vietnamese way whatever the browser's language.

A browser's own `<input type="date">` and `type="month"` follow the language of the browser, so on the
English Windows of most office PCs they show 12/31/2025 and "December 2025". These fields are text inputs
in dd/mm/yyyy and mm/yyyy (typed straight in, or picked from the calendar served by the portal, see
static/js/dates.js); the server reads the same forms back, so they work without the script too."""

import datetime
import re

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
MONTH_FORMATS = ["%m/%Y", "%m-%Y", "%m.%Y", "%Y-%m"]


class VNDateInput(forms.DateInput):
    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {
            "inputmode": "numeric",
            "autocomplete": "off",
            "placeholder": "dd/mm/yyyy",
            "data-datepicker": "date",
            "class": "date-input",
        }
        super().__init__({**defaults, **(attrs or {})}, format="%d/%m/%Y")


class VNMonthInput(forms.DateInput):
    input_type = "text"
    template_name = "khuyencong/widgets/month_input.html"

    def __init__(self, attrs=None):
        defaults = {
            "inputmode": "numeric",
            "autocomplete": "off",
            "placeholder": "mm/yyyy",
            "data-datepicker": "month",
            "class": "month-input",
        }
        super().__init__({**defaults, **(attrs or {})}, format="%m/%Y")


class VNDateField(forms.DateField):
    """A day written dd/mm/yyyy (also with - or . between, or ISO yyyy-mm-dd)."""

    widget = VNDateInput
    input_formats = DATE_FORMATS
    default_error_messages = {
        "invalid": _("Nhập ngày theo dạng ngày/tháng/năm, ví dụ 25/12/2025."),
    }


class VNMonthField(forms.DateField):
    """A month written mm/yyyy or "tháng mm/yyyy"; the first day of that month."""

    widget = VNMonthInput
    input_formats = MONTH_FORMATS
    default_error_messages = {
        "invalid": _("Nhập tháng theo dạng tháng/năm, ví dụ 06/2025."),
    }

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"^\s*th[aá]ng\s*", "", value, flags=re.IGNORECASE)
        result = super().to_python(value)
        return result.replace(day=1) if isinstance(result, datetime.date) else result

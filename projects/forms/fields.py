"""The fields the đề án forms share: money in whole đồng written the Vietnamese way, today by default."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khuyencong.date_input import VNMonthField
from khuyencong.money import format_dong, parse_dong


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

"""Date and month fields read the Vietnamese way, whatever the browser sends."""

import datetime

import pytest
from django import forms

from khuyencong.date_input import VNDateField, VNMonthField


class DatesForm(forms.Form):
    day = VNDateField()
    month = VNMonthField()


@pytest.mark.parametrize(
    ("day", "month"),
    [
        ("05/06/2025", "06/2025"),
        ("5/6/2025", "tháng 06/2025"),
        ("05-06-2025", "Tháng 6/2025"),
        ("2025-06-05", "2025-06"),
    ],
)
def test_days_are_day_first_and_months_may_say_thang(day, month):
    form = DatesForm({"day": day, "month": month})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"day": datetime.date(2025, 6, 5), "month": datetime.date(2025, 6, 1)}


def test_a_us_order_date_is_refused_in_vietnamese_and_shown_back_as_typed():
    form = DatesForm({"day": "12/31/2025", "month": "December 2025"})
    assert not form.is_valid()
    assert form.errors["day"] == ["Nhập ngày theo dạng ngày/tháng/năm, ví dụ 25/12/2025."]
    assert form.errors["month"] == ["Nhập tháng theo dạng tháng/năm, ví dụ 06/2025."]
    html = str(DatesForm(initial={"day": datetime.date(2025, 6, 5), "month": datetime.date(2025, 6, 1)}))
    assert 'value="05/06/2025"' in html and 'value="06/2025"' in html and 'type="text"' in html

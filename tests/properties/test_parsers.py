"""Bad input everywhere: the parsers and validators answer every input with a value or a clean refusal
(ValueError / ValidationError with a message), never a crash, and read back what the portal writes."""

import datetime
import string

from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from beneficiaries.tax_code import make_check_digit, normalise_tax_code, tax_code_error, validate_tax_code
from khuyencong.money import format_dong, parse_dong
from khuyencong.vn_text import fold_accents, nfc
from spreadsheets.widgets import DateWidget, IntegerWidget, clean_text

nine_digits = st.text(alphabet=string.digits, min_size=9, max_size=9)
# Text that looks like what people type into amount, date and code cells, plus anything at all.
typed = st.one_of(
    st.text(),
    st.text(alphabet=string.digits + ".,- đồngVNĐ/\u00a0", max_size=30),
    st.from_regex(r"-?\d{1,3}([.,]\d{3}){0,5}( ?(đồng|đ|VNĐ))?", fullmatch=True),
)
ANY_CELL = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    typed,
    st.dates(),
    st.datetimes(),
)


def valid_tax_code(nine: str) -> str:
    try:
        return nine + make_check_digit(nine)
    except ValueError:
        assume(False)
        raise


@given(nine_digits)
def test_a_code_with_its_check_digit_is_valid_and_any_other_last_digit_is_not(nine):
    code = valid_tax_code(nine)
    assert tax_code_error(code) is None
    for digit in string.digits:
        if digit != code[-1]:
            assert tax_code_error(nine + digit) is not None


@given(nine_digits, st.integers(min_value=1, max_value=999))
def test_a_branch_suffix_keeps_a_valid_code_valid(nine, branch):
    assert tax_code_error(f"{valid_tax_code(nine)}-{branch:03d}") is None


@given(nine_digits, st.lists(st.sampled_from([" ", "."]), max_size=4), st.data())
def test_spaces_and_dots_typed_inside_a_code_do_not_matter(nine, junk, data):
    code = valid_tax_code(nine)
    chars = list(code)
    for j in junk:
        chars.insert(data.draw(st.integers(0, len(chars))), j)
    typed_code = "".join(chars)
    assert normalise_tax_code(typed_code) == code
    assert tax_code_error(typed_code) is None


@given(st.text())
def test_any_text_as_a_tax_code_is_accepted_or_refused_with_a_message(text):
    error = tax_code_error(text)
    assert error is None or (isinstance(error, str) and "Mã số thuế" in error)
    try:
        validate_tax_code(text)
    except ValidationError as refused:
        assert refused.messages
    else:
        assert error is None
    assert normalise_tax_code(normalise_tax_code(text)) == normalise_tax_code(text)


@given(st.integers(min_value=-(10**18), max_value=10**18))
def test_every_amount_the_portal_writes_reads_back_to_the_same_dong(amount):
    assert parse_dong(format_dong(amount)) == amount
    assert parse_dong(format_dong(amount, unit=True)) == amount
    assert parse_dong(str(amount)) == amount
    assert parse_dong(amount) == amount


@given(ANY_CELL)
def test_any_amount_cell_is_read_as_whole_dong_or_refused_in_vietnamese(value):
    try:
        result = parse_dong(value)
    except ValueError as refused:
        assert str(refused)
    else:
        assert isinstance(result, int) and not isinstance(result, bool)


@given(st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: not f.is_integer()))
def test_a_fraction_of_a_dong_is_refused(value):
    try:
        parse_dong(value)
    except ValueError:
        return
    raise AssertionError(f"{value!r} was read as đồng")


@given(ANY_CELL, st.booleans())
def test_the_import_amount_widget_never_returns_a_negative_or_crashes(value, money):
    widget = IntegerWidget(money=money)
    try:
        result = widget.clean(value)
    except ValueError as refused:
        assert str(refused)
    else:
        assert result is None or (isinstance(result, int) and 0 <= result <= 9_000_000_000_000_000)


@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2200, 12, 31)))
def test_every_date_the_portal_writes_reads_back(day):
    widget = DateWidget()
    assert widget.clean(widget.render(day)) == day
    assert widget.clean(day.isoformat()) == day
    assert widget.clean(datetime.datetime.combine(day, datetime.time(8, 30))) == day


@given(ANY_CELL)
def test_any_date_cell_is_a_date_or_refused_in_vietnamese(value):
    try:
        result = DateWidget().clean(value)
    except ValueError as refused:
        assert str(refused)
    else:
        assert result is None or isinstance(result, datetime.date)


@given(ANY_CELL)
def test_any_text_cell_is_cleaned_or_refused_and_cleaning_twice_changes_nothing(value):
    try:
        text = clean_text(value)
    except ValueError as refused:
        assert str(refused)
        return
    assert text == text.strip() and "  " not in text
    assert clean_text(text) == text


@given(st.text())
def test_accent_folding_is_stable_and_ignores_the_unicode_form(text):
    folded = fold_accents(text)
    assert fold_accents(folded) == folded
    assert fold_accents(nfc(text)) == fold_accents(text)
    assert "đ" not in folded and "Đ" not in folded


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["Đan dây nhựa", "Mây tre đan Thới Lai", "Cơ khí Đông Anh", "Gốm Bát Tràng"]))
def test_search_folding_finds_the_name_typed_without_accents(name):
    plain = fold_accents(name)
    assert plain.isascii()
    assert fold_accents(plain.upper()) == plain

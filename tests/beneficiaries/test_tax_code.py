import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from beneficiaries.tax_code import make_check_digit, tax_code_error, validate_tax_code
from tests.factories import BeneficiaryFactory, valid_tax_code


@pytest.mark.parametrize(
    "code", ["0300588569", "0100109106", "0101248141", "0100109106-001", " 0300 588 569 "]
)
def test_real_tax_codes_are_valid(code):
    assert tax_code_error(code) is None


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("0300588568", "chữ số kiểm tra"),
        ("030058856", "10 chữ số"),
        ("03005885690", "10 chữ số"),
        ("0300588569-01", "10 chữ số"),
        ("0300588569-000", "chi nhánh"),
        ("abcdefghij", "10 chữ số"),
    ],
)
def test_invalid_tax_codes_say_why_in_vietnamese(code, fragment):
    with pytest.raises(ValidationError) as excinfo:
        validate_tax_code(code)
    assert fragment in excinfo.value.messages[0]


def test_check_digit_matches_known_code():
    assert make_check_digit("030058856") == "9"


@pytest.mark.django_db
def test_tax_code_is_unique_in_a_province_when_present_but_many_may_have_none():
    code = valid_tax_code()
    first = BeneficiaryFactory(tax_code=code)
    BeneficiaryFactory(tax_code=None, province=first.province)
    BeneficiaryFactory(tax_code=None, province=first.province)
    with pytest.raises(IntegrityError), transaction.atomic():
        BeneficiaryFactory(tax_code=code, province=first.province)
    # Another province keeps its own books: it is never told that this code is held elsewhere.
    BeneficiaryFactory(tax_code=code)


@pytest.mark.django_db
def test_blank_tax_code_is_stored_as_null():
    b = BeneficiaryFactory(tax_code="")
    b.refresh_from_db()
    assert b.tax_code is None


@pytest.mark.django_db
def test_full_clean_rejects_a_bad_tax_code():
    b = BeneficiaryFactory.build(tax_code="0300588568")
    b.province.save() if b.province.pk is None else None
    with pytest.raises(ValidationError) as excinfo:
        b.full_clean()
    assert "tax_code" in excinfo.value.message_dict

"""Vietnamese tax codes (mã số thuế): 10 digits with a check digit, or 10 digits + "-" + 3 for a branch."""

import re

from django.core.exceptions import ValidationError

_TAX_CODE = re.compile(r"^(\d{10})(?:-(\d{3}))?$")
_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def normalise_tax_code(value: str) -> str:
    """Strip spaces and dots people type inside the code; keep the branch dash."""
    return re.sub(r"[\s.]", "", str(value or "")).replace("–", "-")


def tax_code_error(value: str) -> str | None:
    """The Vietnamese reason a tax code is invalid, or None when it is valid."""
    code = normalise_tax_code(value)
    match = _TAX_CODE.match(code)
    if not match:
        return f"Mã số thuế «{value}» phải gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số (chi nhánh)."
    digits = [int(c) for c in match.group(1)]
    remainder = sum(d * w for d, w in zip(digits[:9], _WEIGHTS, strict=True)) % 11
    if remainder == 0 or 10 - remainder != digits[9]:
        return f"Mã số thuế «{value}» sai chữ số kiểm tra (chữ số thứ 10)."
    if match.group(2) == "000":
        return f"Mã số thuế «{value}»: mã chi nhánh phải từ 001 đến 999."
    return None


def validate_tax_code(value: str) -> None:
    error = tax_code_error(value)
    if error:
        raise ValidationError(error, code="invalid_tax_code")


def make_check_digit(first_nine: str) -> str:
    """The check digit for nine digits, or raise ValueError when no valid code starts with them."""
    remainder = sum(int(d) * w for d, w in zip(first_nine, _WEIGHTS, strict=True)) % 11
    if remainder == 0:
        raise ValueError("no valid check digit")
    return str(10 - remainder)

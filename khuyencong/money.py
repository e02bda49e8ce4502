"""Money: whole đồng (VND has no minor unit), formatted the Vietnamese way, and read back from text."""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _
from num2words import num2words


class AmountQualifier(models.TextChoices):
    """How a figure was stated at its source ("trên 1,791 tỷ" is stored as 1.791.000.000 + OVER)."""

    EXACT = "exact", _("đúng")
    OVER = "over", _("trên")
    NEARLY = "nearly", _("gần")
    ABOUT = "about", _("khoảng")


def format_dong(amount: int | None, *, unit: bool = False) -> str:
    """1791000000 -> "1.791.000.000" (with " đồng" when unit=True); None -> ""."""
    if amount is None:
        return ""
    text = f"{int(amount):,}".replace(",", ".")
    return f"{text} đồng" if unit else text


def format_ty(amount: int | None) -> str:
    """15940000000 -> "15,94 tỷ đồng": short form for dashboards."""
    if amount is None:
        return ""
    ty = amount / 1_000_000_000
    text = f"{ty:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".") + " tỷ đồng"


def amount_in_words(amount: int, *, prefix: str = "") -> str:
    """15940000000 -> "Mười lăm tỷ chín trăm bốn mươi triệu đồng" for the "Bằng chữ" line; with the word
    the figure was stated with (prefix "trên") -> "Trên mười lăm tỷ … đồng"."""
    words = num2words(int(amount), lang="vi")
    words = " ".join(words.replace(",", " ").split())
    if prefix and amount:
        words = f"{prefix} {words}"
    return words[:1].upper() + words[1:] + " đồng"


_NUMBER_TEXT = re.compile(r"^-?\d{1,3}(\.\d{3})+$|^-?\d+$")


def parse_dong(value: object) -> int:
    """Read an amount of đồng typed the Vietnamese way ("1.791.000.000", "1791000000", 1791000000.0).

    Raises ValueError with a Vietnamese message for text that is not a whole number of đồng.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError("Số tiền trống.")
    if isinstance(value, bool):
        raise ValueError("Số tiền không hợp lệ.")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"Số tiền phải là số nguyên đồng, không có phần lẻ: {value}.")
        return int(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    for suffix in ("đồng", "đ", "VNĐ", "VND"):
        if text.lower().endswith(suffix.lower()):
            text = text[: -len(suffix)]
    if _NUMBER_TEXT.match(text):
        return int(text.replace(".", ""))
    if re.fullmatch(r"-?\d{1,3}(,\d{3})+", text):
        return int(text.replace(",", ""))
    if re.fullmatch(r"-?\d+[,.]\d+", text):
        raise ValueError(f"Số tiền phải là số nguyên đồng, không có phần lẻ: «{value}».")
    raise ValueError(f"«{value}» không phải là số tiền hợp lệ (ví dụ đúng: 1.791.000.000).")

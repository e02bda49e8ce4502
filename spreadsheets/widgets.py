"""django-import-export widgets that read real Vietnamese spreadsheets.

Each `clean` returns a Python value or raises ValueError with a Vietnamese message; import-export turns the
ValueError into a validation error on that column of that row. Text is NFC-normalised and stripped; text in
the pre-Unicode TCVN3 (ABC) or VNI encodings is detected (see `legacy_encodings`) and refused with a
message naming the encoding and the converted text, or converted when the import was asked to; numbers typed
as text with Vietnamese separators ("1.791.000.000") are accepted.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _
from import_export import widgets

from khuyencong.money import format_dong, parse_dong
from khuyencong.vn_text import fold_accents

from . import legacy_encodings

_SPACES = re.compile(r"\s+")


def clean_text(value: object) -> str:
    """NFC, one space between words, no stray spaces; refuse legacy encodings and formulas."""
    if value is None:
        return ""
    if type(value) is str:
        text = value
    else:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, datetime.datetime | datetime.date):
            value = value.strftime("%d/%m/%Y")
        text = str(value)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
        if "\u00a0" in text or "\u200b" in text:
            text = text.replace("\u00a0", " ").replace("\u200b", "")
    if "  " in text or "\n" in text or "\t" in text or text[:1].isspace() or text[-1:].isspace():
        text = _SPACES.sub(" ", text).strip()
    if text.startswith("="):
        raise ValueError(
            _(
                "Ô chứa công thức «%(text)s»; hệ thống không tính công thức. Hãy sao chép và "
                "dán giá trị (Dán đặc biệt → Giá trị)."
            )
            % {"text": text[:40]}
        )
    if not text.isascii():
        found = legacy_encodings.detect_and_convert(text)
        if found is not None:
            encoding, converted = found
            log = legacy_encodings.current_log()
            if log is not None:
                log.record(text, encoding, converted)
                if log.convert:
                    return converted
            raise ValueError(
                _(
                    "Văn bản «%(text)s» được gõ bằng bảng mã cũ %(encoding)s, không phải Unicode; chuyển sang "
                    "Unicode là «%(converted)s». Bấm «Chuyển sang Unicode» ở trang kết quả kiểm tra để hệ "
                    "thống chuyển, hoặc chuyển mã bằng Unikey rồi tải lên lại."
                )
                % {
                    "text": text[:60],
                    "encoding": legacy_encodings.NAMES[encoding],
                    "converted": converted[:60],
                }
            )
    return text


class TextWidget(widgets.CharWidget):
    # The cleaned value depends on the cell's value alone: an import may remember it per distinct value.
    pure = True

    def __init__(self, *, required: bool = False, max_length: int | None = None, label: str = "") -> None:
        super().__init__(allow_blank=True)
        self.required = required
        self.max_length = max_length
        self.label = label

    def clean(self, value, row=None, **kwargs):
        text = clean_text(value)
        if self.required and not text:
            raise ValueError(_("Bắt buộc, không được để trống."))
        if self.max_length and len(text) > self.max_length:
            raise ValueError(
                _("Dài quá %(max)s ký tự (đang có %(len)s).") % {"max": self.max_length, "len": len(text)}
            )
        return text


class IntegerWidget(widgets.Widget):
    """A whole number: an amount of đồng or a count; "1.791.000.000" and 1791000000.0 both read."""

    pure = True

    def __init__(self, *, required: bool = False, minimum: int | None = 0, money: bool = False) -> None:
        super().__init__()
        self.required = required
        self.minimum = minimum
        self.money = money

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            if self.required:
                raise ValueError(_("Bắt buộc, không được để trống."))
            return None
        if isinstance(value, str):
            clean_text(value)  # formulas and legacy text get their own message
        try:
            number = parse_dong(value)
        except ValueError as exc:
            if self.money:
                raise
            raise ValueError(
                _("«%(value)s» không phải là số nguyên (ví dụ đúng: 1.250).") % {"value": value}
            ) from exc
        if self.minimum is not None and number < self.minimum:
            if self.minimum == 0:
                raise ValueError(_("Không được là số âm (%(value)s).") % {"value": format_dong(number)})
            raise ValueError(_("Phải từ %(min)s trở lên.") % {"min": self.minimum})
        if abs(number) > 9_000_000_000_000_000:
            raise ValueError(_("Số quá lớn."))
        return number

    def render(self, value, obj=None, **kwargs):
        return value


class DateWidget(widgets.Widget):
    """A date from an Excel date cell or text typed dd/mm/yyyy (also yyyy-mm-dd)."""

    pure = True

    def __init__(self, *, required: bool = False) -> None:
        super().__init__()
        self.required = required

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            if self.required:
                raise ValueError(_("Bắt buộc, không được để trống."))
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = clean_text(value)
        for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
            try:
                return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a calendar date
            except ValueError:
                continue
        raise ValueError(_("«%(value)s» không phải ngày hợp lệ (ví dụ đúng: 31/12/2025).") % {"value": text})

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%d/%m/%Y") if value else ""


_TRUE = {"co", "x", "1", "yes", "true", "dung", "v", "c"}
_FALSE = {"khong", "0", "no", "false", "sai", "k", ""}


class BooleanWidget(widgets.Widget):
    pure = True
    _known = {
        "Có": True,
        "Không": False,
        "có": True,
        "không": False,
        "x": True,
        "X": True,
        None: False,
        "": False,
    }

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            return bool(value)
        if value in self._known:
            return self._known[value]
        key = fold_accents(clean_text(value))
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
        raise ValueError(_("Ghi «Có» hoặc «Không» (đang là «%(value)s»).") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return _("Có") if value else _("Không")


class ChoiceWidget(widgets.Widget):
    """One of a TextChoices, by its label or its value (accents and case do not matter)."""

    pure = True

    def __init__(
        self, choices: Iterable[tuple[str, str]], *, default: str | None = None, label: str = ""
    ) -> None:
        super().__init__()
        self.choices = list(choices)
        self.default = default
        self.label = label
        self.by_key = {}
        for value, text in self.choices:
            self.by_key[fold_accents(str(value))] = value
            self.by_key[fold_accents(str(text))] = value

    def clean(self, value, row=None, **kwargs):
        text = clean_text(value)
        if not text:
            if self.default is None:
                raise ValueError(_("Bắt buộc, không được để trống."))
            return self.default
        found = self.by_key.get(fold_accents(text))
        if found is None:
            allowed = "; ".join(str(label) for _value, label in self.choices)
            raise ValueError(
                _("«%(value)s» không có trong danh mục (chọn một trong: %(allowed)s).")
                % {"value": text, "allowed": allowed}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices).get(value, value or ""))


class LookupWidget(widgets.Widget):
    """A row of a small reference table (kinds, contents, sources, indicators) by any of its names.

    The table is loaded once per import; `keys` gives the texts that name an object.
    """

    pure = True

    def __init__(
        self,
        queryset_factory: Callable[[], Iterable],
        keys: Callable[[object], Iterable[str]],
        *,
        required: bool = True,
        what: str = "",
        label: Callable[[object], str] = str,
    ) -> None:
        super().__init__()
        self.queryset_factory = queryset_factory
        self.keys = keys
        self.required = required
        self.what = what
        self.label = label
        self._cache: dict[str, object] | None = None
        self._by_text: dict[str, object] = {}
        self._labels: list[str] = []

    def reset(self) -> None:
        self._cache = None
        self._by_text = {}

    def _table(self) -> dict[str, object]:
        if self._cache is None:
            table: dict[str, object] = {}
            labels = []
            for obj in self.queryset_factory():
                labels.append(self.label(obj))
                for key in self.keys(obj):
                    if key:
                        table.setdefault(fold_accents(str(key)), obj)
            self._cache, self._labels = table, labels
        return self._cache

    def clean(self, value, row=None, **kwargs):
        text = clean_text(value)
        if not text:
            if self.required:
                raise ValueError(_("Bắt buộc, không được để trống."))
            return None
        table = self._table()
        found = self._by_text.get(text)
        if found is not None:
            return found
        found = table.get(fold_accents(text))
        if found is None and re.fullmatch(r"\d+\..*", text):
            found = table.get(text.split(".", 1)[0])
        if found is None:
            raise ValueError(
                _("Không có %(what)s «%(value)s» trong danh mục.") % {"what": self.what, "value": text}
            )
        self._by_text[text] = found
        return found

    def render(self, value, obj=None, **kwargs):
        return self.label(value) if value is not None else ""


class ManyLookupWidget(LookupWidget):
    """Several reference rows in one cell, separated by commas or semicolons ("1, 3" or "1; Tư vấn")."""

    pure = False  # a new list for each row

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(int(value))
        text = clean_text(value)
        parts = [p.strip() for p in re.split(r"[;,\n]+", text) if p.strip()]
        if not parts:
            if self.required:
                raise ValueError(_("Bắt buộc, không được để trống."))
            return []
        found, unknown = [], []
        table = self._table()
        for part in parts:
            obj = table.get(fold_accents(part))
            if obj is None:
                unknown.append(part)
            elif obj not in found:
                found.append(obj)
        if unknown:
            raise ValueError(
                _("Không có %(what)s «%(value)s» trong danh mục.")
                % {"what": self.what, "value": ", ".join(unknown)}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        return ", ".join(self.label(v) for v in value.all()) if value is not None else ""

"""OpenDocument spreadsheets (.ods, LibreOffice's own format) read into the same rows as an .xlsx sheet.

The sheet XML (content.xml) is read with the standard library's streaming parser, not odfpy: odfpy builds
a whole DOM of the document, several times its size in memory. The container was checked like an .xlsx
file (size, zip bomb) before this runs. Rows and cells repeated by the format ("number-rows-repeated",
often a million blank rows at the end) are counted, not expanded, when blank.
"""

from __future__ import annotations

import datetime
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.etree.ElementTree import iterparse

MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
T = "{" + _TABLE + "}"
O = "{" + _OFFICE + "}"  # noqa: E741 - the namespace's usual prefix
X = "{" + _TEXT + "}"
S = "{" + _STYLE + "}"
# Cells repeated with a value are expanded up to this many columns (a sheet's real width is far less).
MAX_COLUMNS = 1024


def is_ods(archive: zipfile.ZipFile) -> bool:
    names = set(archive.namelist())
    if "content.xml" not in names or "mimetype" not in names:
        return False
    with archive.open("mimetype") as handle:
        return handle.read(100).strip() == MIMETYPE


@dataclass
class OdsSheet:
    """One table of the document: its rows as (row number, values), and the merged cells of each row."""

    title: str
    sheet_state: str = "visible"
    rows: list[tuple[int, list]] = field(default_factory=list)
    merged: dict[int, list[str]] = field(default_factory=dict)

    def iter_rows(self) -> Iterator[tuple[int, list]]:
        yield from self.rows


def _text_of(paragraph) -> str:
    parts: list[str] = []

    def walk(element) -> None:
        if element.text:
            parts.append(element.text)
        for child in element:
            tag = child.tag
            if tag == X + "s":
                parts.append(" " * int(child.get(X + "c", "1")))
            elif tag == X + "tab":
                parts.append("\t")
            elif tag == X + "line-break":
                parts.append("\n")
            else:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(paragraph)
    return "".join(parts)


def _value(cell):
    formula = cell.get(T + "formula")
    if formula:
        return "=" + formula.split(":", 1)[-1].lstrip("=")
    kind = cell.get(O + "value-type")
    if kind in ("float", "percentage", "currency"):
        raw = cell.get(O + "value", "")
        number = float(raw)
        return int(number) if number.is_integer() and abs(number) < 1e15 else number
    if kind == "date":
        raw = cell.get(O + "date-value", "")
        try:
            return datetime.datetime.fromisoformat(raw)
        except ValueError:
            return raw
    if kind == "boolean":
        return cell.get(O + "boolean-value") == "true"
    paragraphs = [_text_of(p) for p in cell if p.tag == X + "p"]
    if not paragraphs:
        return None
    return "\n".join(paragraphs)


def _letters(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def read_ods(archive: zipfile.ZipFile, *, max_rows: int) -> list[OdsSheet]:
    """Every table of the document with its non-blank rows (at most `max_rows` + a margin each)."""
    hidden_styles: set[str] = set()
    sheets: list[OdsSheet] = []
    sheet: OdsSheet | None = None
    row_number = 0
    limit = max_rows + 50
    with archive.open("content.xml") as source:
        for event, element in iterparse(source, events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == T + "table":
                    name = element.get(T + "name", "")
                    state = "hidden" if element.get(T + "style-name") in hidden_styles else "visible"
                    sheet = OdsSheet(title=name, sheet_state=state)
                    sheets.append(sheet)
                    row_number = 0
                continue
            if tag == S + "style" and element.get(S + "family") == "table":
                props = element.find(S + "table-properties")
                if props is not None and props.get(T + "display") == "false":
                    hidden_styles.add(element.get(S + "name", ""))
            elif tag == T + "table-row" and sheet is not None:
                repeat = int(element.get(T + "number-rows-repeated", "1"))
                values: list = []
                merged: list[str] = []
                position = 0
                for cell in element:
                    if cell.tag not in (T + "table-cell", T + "covered-table-cell"):
                        continue
                    times = int(cell.get(T + "number-columns-repeated", "1"))
                    value = _value(cell) if cell.tag == T + "table-cell" else None
                    span = int(cell.get(T + "number-columns-spanned", "1"))
                    if span > 1 or int(cell.get(T + "number-rows-spanned", "1")) > 1:
                        merged.append(f"{_letters(position + 1)}{row_number + 1}")
                    if value is None or value == "":
                        position += times
                        continue
                    for _ in range(min(times, MAX_COLUMNS - position)):
                        if len(values) < position:
                            values.extend([None] * (position - len(values)))
                        values.append(value)
                        position += 1
                if values and len(sheet.rows) < limit:
                    for offset in range(min(repeat, limit - len(sheet.rows))):
                        sheet.rows.append((row_number + 1 + offset, list(values)))
                if merged:
                    sheet.merged[row_number + 1] = merged
                row_number += repeat
                element.clear()
            elif tag == T + "table":
                sheet = None
                element.clear()
    return sheets

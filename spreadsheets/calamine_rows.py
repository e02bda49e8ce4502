"""The rows of an .xlsx sheet read by calamine (python-calamine, a Rust reader), with the values the
streaming reader (`xlsx_rows`) gives: about five times faster on a 100.000-row sheet.

calamine returns what a spreadsheet program cached for a formula cell, where the portal must refuse the
formula, and it loads a whole sheet into memory at once. So one quick pass over the sheet's XML (no
parsing: the bytes are searched) comes first: a sheet holding a formula, or more rows than an import may
have, is read by the streaming reader, which refuses both while streaming. The same pass collects the
merged ranges, which calamine's caller needs for the header row.
"""

from __future__ import annotations

import datetime
import math
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

_MERGE_REF = re.compile(rb'<mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
# A <f> element, with or without a namespace prefix ("<x:f>"); a false hit only costs the fast path.
_FORMULA = re.compile(rb"<f[\s>/]")
# A value that is not a number, or none at all (openpyxl writes float("nan") as <v></v> or <v>nan</v>):
# calamine reads it as an empty cell, the streaming reader refuses the file as damaged, so such a sheet goes
# to the streaming reader.
_NOT_A_NUMBER = re.compile(rb"<v>\s*(?:[-+]?(?:nan|inf)[^<]*)?</v>|<v\s*/>", re.IGNORECASE)
# Whole numbers above this are not exact as floats: calamine's float would not be openpyxl's int.
_EXACT = 2**53


@dataclass
class SheetScan:
    """What one pass over a sheet's XML found: rows (an upper bound), formulas, merged ranges. A sheet
    whose elements carry a namespace prefix ("<x:row>", rare) is `unusual`: the streaming reader reads it
    (so is one whose <sheetData> does not open in its first megabyte, or with a not-a-number cell)."""

    rows: int = 0
    formulas: bool = False
    unusual: bool = False
    merges: list[tuple[int, int, str]] = field(default_factory=list)  # (first row, last row, "A1:H1")

    def merged_in_row(self, row: int) -> list[str]:
        found: list[str] = []
        for first, last, ref in self.merges:
            if first <= row <= last and ref not in found:
                found.append(ref)
        return found


def scan_sheet(archive: zipfile.ZipFile, sheet_path: str) -> SheetScan:
    """Count the rows and look for formulas and merged cells in the sheet's XML, chunk by chunk."""
    scan = SheetScan()
    tail = b""
    with archive.open(sheet_path) as raw:
        while chunk := raw.read(1024 * 1024):
            data = tail + chunk
            if not tail and b"<sheetData" not in data:
                scan.unusual = True
                return scan
            # Counted in the chunk alone (never twice); one more for a mark cut by the chunk's edge.
            scan.rows += chunk.count(b"<row") + 1
            if not scan.formulas and b"<f" in data:
                scan.formulas = _FORMULA.search(data) is not None
            if not scan.unusual and _NOT_A_NUMBER.search(data):
                scan.unusual = True
            if b"mergeCell" in data:
                for match in _MERGE_REF.finditer(data):
                    if match.end() <= len(tail):
                        continue  # wholly in the previous chunk's tail: already counted
                    first = int(match.group(2))
                    last = int(match.group(4) or first)
                    scan.merges.append((first, last, match.group(0).split(b'"')[1].decode()))
            tail = data[-200:]
    return scan


def open_workbook(handle: IO[bytes]):
    """The workbook for calamine, or None when python-calamine is missing or cannot read this file (the
    streaming reader then reads it, and names any damage)."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        return None
    try:
        handle.seek(0)
        book = CalamineWorkbook.from_filelike(handle)
    except Exception:  # noqa: BLE001 - any failure here only means the slower reader is used
        return None
    finally:
        handle.seek(0)
    return book


def sheet_values(book, title: str) -> Iterator[tuple[int, list]] | None:
    """(row number, cell values) of the sheet named `title`, as `xlsx_rows.iter_xlsx_values` gives them:
    None for an empty cell, no empty cells at a row's end, whole numbers as int, a date cell as a
    datetime. Blank rows come too (the caller skips them). None when calamine cannot read the sheet."""
    try:
        rows = book.get_sheet_by_name(title).to_python(skip_empty_area=False)
    except Exception:  # noqa: BLE001 - as in `open_workbook`
        return None
    return _converted(rows)


def _converted(rows: list[list]) -> Iterator[tuple[int, list]]:
    date, as_datetime = datetime.date, datetime.datetime
    for index in range(len(rows)):
        values = rows[index]
        rows[index] = None  # one copy of each row in memory: the caller keeps its own
        for position, value in enumerate(values):
            kind = type(value)
            if kind is str:
                if not value:
                    values[position] = None
            elif kind is float:
                if not math.isfinite(value):  # <v>nan</v> or <v>inf</v>: the streaming reader refuses it too
                    raise ValueError(f"ô số không hợp lệ ở dòng {index + 1}")
                if value.is_integer() and -_EXACT < value < _EXACT:
                    values[position] = int(value)
            elif kind is date:
                values[position] = as_datetime(value.year, value.month, value.day)
        while values and values[-1] is None:
            values.pop()
        yield index + 1, values

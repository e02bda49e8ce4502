"""Open an uploaded spreadsheet without trusting it, and stream its rows.

Checks run before openpyxl parses anything: the size of the upload, what kind of file it really is (by its
first bytes, not its name), whether it is an encrypted (password-protected) workbook or an old .xls, whether
the zip holds a workbook at all, and whether it would inflate past a limit (zip bomb). Rows are then read
in openpyxl's read-only (streaming) mode and reading stops past `settings.IMPORT_MAX_ROWS`, so memory
stays bounded whatever the file claims.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.reader.excel import ExcelReader
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from khuyencong.vn_text import fold_accents

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# An XML part of a real workbook inflates by 5–30×; a zip bomb by thousands.
MAX_COMPRESSION_RATIO = 200
_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


class SpreadsheetError(Exception):
    """A file that cannot be imported at all; the message is for the person who uploaded it."""


def max_uncompressed_bytes() -> int:
    """Sheets are streamed, so they may be large; the whole archive still has a ceiling."""
    return int(getattr(settings, "IMPORT_MAX_UNCOMPRESSED_BYTES", 10 * settings.IMPORT_MAX_BYTES))


# Parts openpyxl loads whole into memory (shared strings, styles, workbook): a much lower ceiling.
MAX_LOADED_PART_BYTES = 64 * 1024 * 1024


class _StreamingSheet(ReadOnlyWorksheet):
    """openpyxl's read-only sheet, minus its size probe: without a <dimension> element the probe parses the
    whole sheet before the first row is read. We ignore declared dimensions anyway."""

    def _get_size(self) -> None:
        return None


def read_shared_strings(source: IO[bytes]) -> list[str]:
    """The shared-string table, as openpyxl reads it (text runs joined, phonetic runs left out), without
    building an object per string: a list of 100.000 names and tax codes holds half a million strings."""
    from xml.etree.ElementTree import iterparse

    strings: list[str] = []
    item, text, run, table = _NS + "si", _NS + "t", _NS + "r", _NS + "sst"
    root = None
    for event, element in iterparse(source, events=("start", "end")):
        if event == "start":
            if element.tag == table:
                root = element
            continue
        if element.tag != item:
            continue
        parts = []
        for child in element:
            if child.tag == text:
                parts.append(child.text or "")
            elif child.tag == run:
                parts.extend(t.text or "" for t in child.iter(text))
            # phonetic runs (rPh) are reading aids, not content
        value = "".join(parts)
        strings.append(value.replace("x005F_", "") if "x005F_" in value else value)
        if root is not None:
            root.clear()
        else:
            element.clear()
    return strings


class _Reader(ExcelReader):
    def read_strings(self) -> None:
        from openpyxl.xml.constants import SHARED_STRINGS

        part = self.package.find(SHARED_STRINGS)
        self.shared_strings = []
        if part is not None:
            with self.archive.open(part.PartName[1:]) as source:
                self.shared_strings = read_shared_strings(source)

    def read_worksheets(self) -> None:
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                continue
            ws = _StreamingSheet(self.wb, sheet.name, rel.target, self.shared_strings)
            ws.sheet_state = sheet.state
            self.wb._sheets.append(ws)


def _load_read_only(handle: IO[bytes]):
    reader = _Reader(handle, read_only=True, keep_vba=False, data_only=False, keep_links=False)
    reader.read()
    return reader.wb


@dataclass
class SheetRows:
    """The rows of one sheet: the header row and the data rows with their row numbers in Excel."""

    title: str
    header_row: int
    headers: list[str]
    rows: list[tuple]
    row_numbers: list[int] = field(default_factory=list)
    merged_header_cells: list[str] = field(default_factory=list)


def _open_binary(source: str | Path | IO[bytes]) -> IO[bytes]:
    if isinstance(source, str | Path):
        return open(source, "rb")  # noqa: SIM115 - closed by the caller's context manager
    source.seek(0)
    return source


def _size_of(handle: IO[bytes]) -> int:
    handle.seek(0, 2)
    size = handle.tell()
    handle.seek(0)
    return size


def check_container(handle: IO[bytes]) -> zipfile.ZipFile:
    """The workbook's zip archive, after refusing anything that is not a safe, plain .xlsx file."""
    size = _size_of(handle)
    if size == 0:
        raise SpreadsheetError(_("Tệp tải lên rỗng."))
    if size > settings.IMPORT_MAX_BYTES:
        raise SpreadsheetError(
            _("Tệp quá lớn (%(size)s MB); giới hạn là %(limit)s MB. Hãy chia thành nhiều tệp nhỏ hơn.")
            % {"size": size // (1024 * 1024), "limit": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
        )
    head = handle.read(8)
    handle.seek(0)
    if head == OLE_MAGIC:
        body = handle.read(min(size, 4 * 1024 * 1024))
        handle.seek(0)
        if "EncryptionInfo".encode("utf-16-le") in body or "EncryptedPackage".encode("utf-16-le") in body:
            raise SpreadsheetError(
                _(
                    "Tệp được đặt mật khẩu (mã hóa), hệ thống không đọc được. Hãy mở tệp, bỏ mật khẩu "
                    "(Tệp → Thông tin → Bảo vệ sổ làm việc) rồi lưu lại dạng .xlsx."
                )
            )
        raise SpreadsheetError(
            _(
                "Đây là tệp Excel 97–2003 (.xls) hoặc tệp Office cũ. Hãy mở bằng Excel hoặc LibreOffice "
                "và lưu lại dạng Sổ làm việc Excel (.xlsx)."
            )
        )
    if head[:4] != ZIP_MAGIC:
        raise SpreadsheetError(
            _("Tệp không phải bảng tính Excel (.xlsx). Hãy dùng tệp mẫu tải về từ cổng và lưu dạng .xlsx.")
        )
    try:
        archive = zipfile.ZipFile(handle)
        members = archive.infolist()
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError) as exc:
        raise SpreadsheetError(_("Tệp bị hỏng, không mở được như một bảng tính .xlsx.")) from exc
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            raise SpreadsheetError(_("Đây là tệp Word, không phải bảng tính Excel (.xlsx)."))
        raise SpreadsheetError(_("Tệp nén không chứa bảng tính Excel (.xlsx)."))
    total = 0
    limit = max_uncompressed_bytes()
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        loaded_whole = not member.filename.startswith("xl/worksheets/")
        if (
            total > limit
            or (member.file_size > 1024 * 1024 and ratio > MAX_COMPRESSION_RATIO)
            or (loaded_whole and member.file_size > MAX_LOADED_PART_BYTES)
        ):
            raise SpreadsheetError(
                _(
                    "Tệp bị từ chối: khi giải nén sẽ chiếm quá nhiều bộ nhớ (có thể là «bom nén»). "
                    "Giới hạn sau giải nén là %(limit)s MB."
                )
                % {"limit": limit // (1024 * 1024)}
            )
    return archive


def merged_cells_in_rows(archive: zipfile.ZipFile, sheet_path: str, first: int, last: int) -> list[str]:
    """Merged ranges touching rows first..last, read by streaming the sheet XML (read-only mode hides them)."""
    found: list[str] = []
    tail = b""
    with archive.open(sheet_path) as raw:
        while chunk := raw.read(1024 * 1024):
            data = tail + chunk
            if b"mergeCell" in data:
                for match in _MERGE_REF.finditer(data):
                    start_row = int(match.group(2))
                    end_row = int(match.group(4) or start_row)
                    if start_row <= last and end_row >= first:
                        ref = match.group(0).split(b'"')[1].decode()
                        if ref not in found:
                            found.append(ref)
            tail = data[-200:]
    return found


def header_key(value: object) -> str:
    """Compare headers loosely: accents, case, spaces, "(*)" and "(đồng)" marks do not matter."""
    text = fold_accents(str(value or ""))
    text = re.sub(r"\(.*?\)|\*", " ", text)
    return " ".join(text.replace("/", " / ").split())


def read_workbook(
    source: str | Path | IO[bytes],
    *,
    sheets: list[tuple[str, set[str]]] | None = None,
    max_rows: int | None = None,
) -> dict[str, SheetRows]:
    """Read the named sheets (or the first one, as key "") after the container checks.

    `sheets` lists (wanted title, header keys that identify it); a sheet is found by its title folded, or
    else by its headers. Raises SpreadsheetError for any file-level problem.
    """
    max_rows = max_rows if max_rows is not None else settings.IMPORT_MAX_ROWS
    handle = _open_binary(source)
    try:
        archive = check_container(handle)
        try:
            workbook = _load_read_only(handle)
        except SpreadsheetError:
            raise
        except Exception as exc:  # openpyxl raises many kinds of error on damaged files
            raise SpreadsheetError(_("Tệp bị hỏng, không mở được như một bảng tính .xlsx.")) from exc
        try:
            worksheets = [ws for ws in workbook.worksheets if hasattr(ws, "iter_rows")]
            if not worksheets:
                raise SpreadsheetError(_("Bảng tính không có trang tính nào."))
            chosen: dict[str, object] = {}
            if not sheets:
                chosen[""] = worksheets[0]
            else:
                by_title = {header_key(ws.title): ws for ws in worksheets}
                for wanted, _keys in sheets:
                    ws = by_title.get(header_key(wanted))
                    if ws is not None:
                        chosen[wanted] = ws
            try:
                return {name: _read_sheet(archive, ws, max_rows=max_rows) for name, ws in chosen.items()}
            except (ValueError, TypeError, KeyError, IndexError) as exc:  # a crafted cell, e.g. <v>nan</v>
                raise SpreadsheetError(_("Tệp bị hỏng, không mở được như một bảng tính .xlsx.")) from exc
        finally:
            workbook.close()
    finally:
        if isinstance(source, str | Path):
            handle.close()


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE, _FORMULA, _INLINE, _TEXT, _SHEET_DATA = (
    _NS + "row", _NS + "c", _NS + "v", _NS + "f", _NS + "is", _NS + "t", _NS + "sheetData",
)  # fmt: skip
_DIGITS = "0123456789"


def _column_index(letters: str, cache: dict[str, int]) -> int:
    index = cache.get(letters)
    if index is None:
        index = 0
        for char in letters:
            index = index * 26 + (ord(char) - 64)
        cache[letters] = index
    return index


# Bytes of sheet XML handed to the parser at a time: a few thousand rows, parsed in C before any is read.
_CHUNK = 64 * 1024


def _sheet_rows(source: IO[bytes]) -> Iterator:
    """The <row> elements of a sheet's XML, each complete, in order.

    The XML is parsed in C with no event per element: only the start of <sheetData> is asked for, then
    events are switched off and, after each chunk, the rows parsed so far (all but the last, which may still
    be open) are taken out of the tree and handed over. Memory holds one chunk's rows, whatever the file.
    """
    from xml.etree.ElementTree import XMLPullParser

    parser = XMLPullParser(events=("start",))
    inner = getattr(parser, "_parser", None)
    # The C parser can stop reporting events part-way; without it every element's event is drained below.
    mute = getattr(inner, "_setevents", None)
    queue = getattr(parser, "_events_queue", None)
    sheet_data = None
    while True:
        chunk = source.read(_CHUNK)
        if chunk:
            parser.feed(chunk)
        else:
            parser.close()
        if sheet_data is None:
            for _event, element in parser.read_events():
                if element.tag == _SHEET_DATA:
                    sheet_data = element
                    if mute is not None and queue is not None:
                        mute(queue, ())
                    break
            if sheet_data is not None:
                for _event in parser.read_events():
                    pass  # events of this chunk after <sheetData> opened: not needed
        elif mute is None or queue is None:
            for _event in parser.read_events():
                pass
        if sheet_data is not None:
            done = len(sheet_data) if not chunk else len(sheet_data) - 1
            if done > 0:
                rows = sheet_data[:done]
                del sheet_data[:done]
                for row in rows:
                    if row.tag == _ROW:
                        yield row
        if not chunk:
            return


def iter_sheet_values(archive: zipfile.ZipFile, ws) -> Iterator[tuple[int, list]]:
    """(row number, cell values) of a sheet, streamed straight from its XML.

    openpyxl's read-only cells cost ~20 µs each in Python; this reads the same values (shared and inline
    strings, numbers, booleans, dates by their number format) several times faster. A formula cell reads as
    "=" + its formula, whatever value a spreadsheet program cached, so formulas are never taken as data.
    Parsed rows are dropped from the tree as soon as they are read: memory does not grow with the file.
    """
    from openpyxl.utils.datetime import from_excel

    workbook = ws.parent
    shared = ws._shared_strings
    date_styles = workbook._date_formats
    epoch = workbook.epoch
    columns: dict[str, int] = {}
    expected = 0
    cell_tag, value_tag, formula_tag, inline_tag, text_tag = _CELL, _VALUE, _FORMULA, _INLINE, _TEXT
    with archive.open(ws._worksheet_path) as source:
        for element in _sheet_rows(source):
            ref = element.get("r")
            expected = int(ref) if ref else expected + 1
            values: list = []
            position = 0
            for cell in element:
                if cell.tag != cell_tag:
                    continue
                ref = cell.get("r")
                if ref:
                    letters = ref.rstrip(_DIGITS)
                    position = columns.get(letters) or _column_index(letters, columns)
                else:
                    position += 1
                children = len(cell)
                if not children:
                    continue  # no value, no formula: an empty (perhaps styled) cell
                kind = cell.get("t")
                formula = inline = raw = None
                if children == 1:  # the usual cell: one <v>, or one <is>
                    child = cell[0]
                    tag = child.tag
                    if tag == value_tag:
                        raw = child.text or ""
                    elif tag == inline_tag:
                        inline = child
                    elif tag == formula_tag:
                        formula = child
                else:
                    for child in cell:
                        tag = child.tag
                        if tag == value_tag:
                            if raw is None:
                                raw = child.text or ""
                        elif tag == formula_tag:
                            if formula is None:
                                formula = child
                        elif tag == inline_tag and inline is None:
                            inline = child
                if formula is not None:
                    value = "=" + (formula.text or "")
                elif kind == "s":
                    if raw is None:
                        continue
                    value = shared[int(raw)]
                    value = value if isinstance(value, str) else str(value)
                elif kind == "inlineStr":
                    if inline is None:
                        continue
                    if len(inline) == 1:
                        text = inline[0]
                        value = (
                            (text.text or "")
                            if text.tag == text_tag and not len(text)
                            else "".join(t.text or "" for t in inline.iter(text_tag))
                        )
                    else:
                        value = "".join(t.text or "" for t in inline.iter(text_tag))
                elif raw is None:
                    continue
                elif kind == "b":
                    value = raw == "1"
                elif kind in ("str", "e"):
                    value = raw
                elif kind == "d":
                    value = raw  # an ISO date as text; the date widget reads it
                else:
                    value = float(raw) if ("." in raw or "E" in raw or "e" in raw) else int(raw)
                    style = cell.get("s")
                    if style is not None and int(style) in date_styles:
                        try:
                            value = from_excel(value, epoch)
                        except (ValueError, OverflowError):
                            pass
                if position == len(values) + 1:
                    values.append(value)
                    continue
                if position > len(values):
                    values.extend([None] * (position - len(values)))
                values[position - 1] = value
            yield expected, values


def _read_sheet(archive: zipfile.ZipFile, ws, *, max_rows: int) -> SheetRows:
    header_row = 0
    headers: list[str] = []
    rows: list[tuple] = []
    numbers: list[int] = []
    for number, values in iter_sheet_values(archive, ws):
        if not header_row:
            if values and any(v not in (None, "") for v in values):
                header_row = number
                headers = [("" if v is None else str(v)) for v in values]
                while headers and not headers[-1].strip():
                    headers.pop()
            continue
        if not values or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        if len(rows) >= max_rows:
            raise SpreadsheetError(
                _(
                    "Trang tính «%(sheet)s» có hơn %(limit)s dòng dữ liệu; giới hạn mỗi lần nhập là "
                    "%(limit)s dòng. Hãy chia thành nhiều tệp."
                )
                % {"sheet": ws.title, "limit": f"{max_rows:,}".replace(",", ".")}
            )
        rows.append(tuple(values[: len(headers)]) if len(values) > len(headers) else tuple(values))
        numbers.append(number)
    merged = []
    if header_row:
        merged = merged_cells_in_rows(archive, ws._worksheet_path, header_row, header_row)
    return SheetRows(
        title=ws.title,
        header_row=header_row,
        headers=headers,
        rows=rows,
        row_numbers=numbers,
        merged_header_cells=merged,
    )

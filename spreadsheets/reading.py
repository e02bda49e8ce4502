"""Open an uploaded spreadsheet (.xlsx, or .ods through `ods`) without trusting it, and stream its rows.

Checks run before openpyxl parses anything: the size of the upload, what kind of file it really is (by its
first bytes, not its name), whether it is an encrypted (password-protected) workbook or an old .xls, whether
the zip holds a workbook at all, and whether it would inflate past a limit (zip bomb). Rows are then read
by calamine when the sheet allows it (`calamine_rows`), else streamed from the sheet's XML (`xlsx_rows`)
with reading stopped past `settings.IMPORT_MAX_ROWS`, so memory stays bounded whatever the file claims.
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

from . import calamine_rows
from .ods import OdsSheet, is_ods, read_ods
from .xlsx_rows import SHEET_NS, iter_xlsx_values

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
    item, text, run, table = SHEET_NS + "si", SHEET_NS + "t", SHEET_NS + "r", SHEET_NS + "sst"
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
            _(
                "Tệp không phải bảng tính Excel (.xlsx) hay OpenDocument (.ods). Hãy dùng tệp mẫu tải về từ "
                "cổng và lưu dạng .xlsx."
            )
        )
    try:
        archive = zipfile.ZipFile(handle)
        members = archive.infolist()
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError) as exc:
        raise SpreadsheetError(_("Tệp bị hỏng, không mở được như một bảng tính .xlsx.")) from exc
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names and not is_ods(archive):
        if "mimetype" in names and "content.xml" in names:
            raise SpreadsheetError(
                _(
                    "Đây là tài liệu OpenDocument nhưng không phải bảng tính (.ods). Hãy lưu dữ liệu dạng "
                    "bảng tính .xlsx hoặc .ods."
                )
            )
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
    else by its headers, and its header row by the same keys within its first rows. Raises
    SpreadsheetError for any file-level problem.
    """
    max_rows = max_rows if max_rows is not None else settings.IMPORT_MAX_ROWS
    handle = _open_binary(source)
    try:
        archive = check_container(handle)
        if is_ods(archive):
            return _read_ods(archive, sheets, max_rows)
        try:
            workbook = _load_read_only(handle)
        except SpreadsheetError:
            raise
        except Exception as exc:  # openpyxl raises many kinds of error on damaged files
            raise SpreadsheetError(_("Tệp bị hỏng, không mở được như một bảng tính .xlsx.")) from exc
        book = calamine_rows.open_workbook(handle)
        try:
            worksheets = [ws for ws in workbook.worksheets if hasattr(ws, "iter_rows")]
            if not worksheets:
                raise SpreadsheetError(_("Bảng tính không có trang tính nào."))
            chosen = _choose_sheets(archive, worksheets, sheets)
            keys = dict(sheets or [])
            try:
                return {
                    name: _read_sheet(archive, ws, max_rows=max_rows, keys=keys.get(name), book=book)
                    for name, ws in chosen.items()
                }
            except (ValueError, TypeError, KeyError, IndexError) as exc:  # a crafted cell, e.g. <v>nan</v>
                raise SpreadsheetError(_("Tệp bị hỏng, không mở được như một bảng tính .xlsx.")) from exc
        finally:
            workbook.close()
            if book is not None:
                book.close()
    finally:
        if isinstance(source, str | Path):
            handle.close()


def _read_ods(archive: zipfile.ZipFile, sheets, max_rows: int) -> dict[str, SheetRows]:
    """An OpenDocument spreadsheet: the same sheet and header finding as for .xlsx (see `ods`)."""
    from xml.etree.ElementTree import ParseError

    try:
        worksheets = read_ods(archive, max_rows=max_rows)
    except (ParseError, ValueError, KeyError, zipfile.BadZipFile, zlib.error, OSError) as exc:
        raise SpreadsheetError(_("Tệp bị hỏng, không mở được như một bảng tính .ods.")) from exc
    if not worksheets:
        raise SpreadsheetError(_("Bảng tính không có trang tính nào."))
    chosen = _choose_sheets(archive, worksheets, sheets)
    keys = dict(sheets or [])
    return {
        name: _read_sheet(archive, ws, max_rows=max_rows, keys=keys.get(name)) for name, ws in chosen.items()
    }


def _choose_sheets(archive, worksheets: list, sheets: list[tuple[str, set[str]]] | None) -> dict[str, object]:
    """Each wanted sheet by its title; else the sheet (not hidden, not taken) whose first rows hold most of
    its column names, so that a cover sheet placed first or a renamed data sheet do not hide the data.
    One wanted sheet that nothing matches is the first visible sheet (its missing columns are then named)."""
    if not sheets:
        return {"": worksheets[0]}
    chosen: dict[str, object] = {}
    by_title = {header_key(ws.title): ws for ws in worksheets}
    for wanted, _keys in sheets:
        ws = by_title.get(header_key(wanted))
        if ws is not None:
            chosen[wanted] = ws
    visible = [ws for ws in worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
    for wanted, keys in sheets:
        if wanted in chosen or not keys:
            continue
        taken = {id(ws) for ws in chosen.values()} | {id(by_title.get(header_key(w))) for w, _k in sheets}
        scored = [(header_match(archive, ws, keys), i) for i, ws in enumerate(visible) if id(ws) not in taken]
        scored = [(score, i) for score, i in scored if score >= min(2, len(keys))]
        if scored:
            chosen[wanted] = visible[max(scored, key=lambda pair: (pair[0], -pair[1]))[1]]
    if len(sheets) == 1 and not chosen and visible:
        chosen[sheets[0][0]] = visible[0]
    return chosen


def iter_sheet_values(archive: zipfile.ZipFile, ws) -> Iterator[tuple[int, list]]:
    """(row number, cell values) of a sheet of either format."""
    if isinstance(ws, OdsSheet):
        return ws.iter_rows()
    return iter_xlsx_values(archive, ws)


# A title, a "Kèm theo Công văn số …" line and blank rows may stand above the header: it is looked for here.
HEADER_SCAN_ROWS = 15


def _header_score(values: list, keys: set[str]) -> int:
    return sum(1 for v in values if isinstance(v, str) and header_key(v) in keys) if keys else 0


def _first_rows(archive: zipfile.ZipFile, ws, limit: int = HEADER_SCAN_ROWS) -> list[tuple[int, list]]:
    rows = []
    iterator = iter_sheet_values(archive, ws)
    try:
        for number, values in iterator:
            if values and any(v not in (None, "") for v in values):
                rows.append((number, values))
            if len(rows) >= limit or number > limit * 4:
                break
    finally:
        iterator.close()
    return rows


def header_match(archive: zipfile.ZipFile, ws, keys: set[str]) -> int:
    """How many of the expected column names the best of the sheet's first rows holds."""
    return max((_header_score(values, keys) for _n, values in _first_rows(archive, ws)), default=0)


def _is_blank(values: list) -> bool:
    return not values or all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _read_sheet(
    archive: zipfile.ZipFile, ws, *, max_rows: int, keys: set[str] | None = None, book=None
) -> SheetRows:
    """The header row is the row among the first non-blank ones that holds most expected column names
    (the first non-blank row when none does); rows above it are titles, not data.

    With `book` (the workbook opened by calamine), a sheet without formulas and within the row limit is
    read by calamine (see `calamine_rows`); any other, by the streaming reader."""
    header_row = 0
    headers: list[str] = []
    rows: list[tuple] = []
    numbers: list[int] = []
    iterator = None
    scan = None
    if book is not None and not isinstance(ws, OdsSheet):
        scan = calamine_rows.scan_sheet(archive, ws._worksheet_path)
        # Titles and blank rows may stand above the header: a little room above the limit.
        if not (scan.formulas or scan.unusual) and scan.rows <= max_rows + HEADER_SCAN_ROWS * 4 + 1:
            iterator = calamine_rows.sheet_values(book, ws.title)
    if iterator is None:
        iterator = iter_sheet_values(archive, ws)
    head: list[tuple[int, list]] = []
    for number, values in iterator:
        if _is_blank(values):
            continue
        head.append((number, values))
        if len(head) >= HEADER_SCAN_ROWS:
            break
    best = 0
    if keys:
        scores = [_header_score(values, keys) for _n, values in head]
        if scores and max(scores) > 0:
            best = scores.index(max(scores))
    if head:
        header_row, values = head[best]
        headers = [("" if v is None else str(v)) for v in values]
        while headers and not headers[-1].strip():
            headers.pop()

    def data():
        yield from head[best + 1 :]
        yield from iterator

    for number, values in data():
        if _is_blank(values):
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
    if header_row and isinstance(ws, OdsSheet):
        merged = ws.merged.get(header_row, [])
    elif header_row and scan is not None:
        merged = scan.merged_in_row(header_row)
    elif header_row:
        merged = merged_cells_in_rows(archive, ws._worksheet_path, header_row, header_row)
    return SheetRows(
        title=ws.title,
        header_row=header_row,
        headers=headers,
        rows=rows,
        row_numbers=numbers,
        merged_header_cells=merged,
    )

"""The rows of an .xlsx sheet, streamed straight from its XML (faster than openpyxl's read-only cells)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from typing import IO

SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE, _FORMULA, _INLINE, _TEXT, _SHEET_DATA = (
    SHEET_NS + "row", SHEET_NS + "c", SHEET_NS + "v", SHEET_NS + "f", SHEET_NS + "is", SHEET_NS + "t", SHEET_NS + "sheetData",
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


def iter_xlsx_values(archive: zipfile.ZipFile, ws) -> Iterator[tuple[int, list]]:
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

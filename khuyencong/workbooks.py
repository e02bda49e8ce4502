"""The one way the portal puts a value into a workbook cell (reports, list exports, templates, rejected rows).

openpyxl turns any text starting with "=" into a formula. Text a person typed (a đề án title, a note, a
name) must never run when the file is opened, and must read back exactly as typed, so every text value is
stored as a text-typed cell (`data_type = "s"`, an inline string): "=HYPERLINK(…)" stays those characters,
with no apostrophe added. The only formulas in a workbook are the ones the portal writes itself, wrapped in
`Formula` (the totals of a report).

Core module: it imports no domain app, so every app that emits a workbook can import it.
"""

from __future__ import annotations

import datetime
import decimal
import re
from typing import Any

from django.utils.encoding import force_str
from django.utils.functional import Promise
from openpyxl.cell import WriteOnlyCell

# Characters XML 1.0 (and so .xlsx) cannot hold.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

__all__ = ["Formula", "cell_value", "put", "text_cell"]


class Formula(str):
    """A formula the portal itself writes (e.g. "=SUM(C6:C20)"): the only text that may become a formula."""

    __slots__ = ()


def cell_value(value: Any) -> Any:
    """A value ready for a cell: lazy strings resolved, characters XML cannot hold removed, aware datetimes
    as the local wall time people saw on the page (Excel has no time zones). Numbers, dates, booleans and
    `Formula` pass through."""
    if value is None or isinstance(value, Formula | bool | int | float | decimal.Decimal):
        return value
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            from django.utils import timezone

            value = timezone.localtime(value).replace(tzinfo=None)
        return value
    if isinstance(value, datetime.date):
        return value
    text = force_str(value) if isinstance(value, Promise) else value
    if not isinstance(text, str):
        text = str(text)
    return _ILLEGAL_XML.sub("", text)


def _type(cell, value: Any):
    """Assign `value` to `cell`; plain text is typed as text so it can never be read as a formula."""
    value = cell_value(value)
    cell.value = value
    if isinstance(value, str) and not isinstance(value, Formula):
        cell.data_type = "s"
    return cell


def assign(cell, value: Any):
    """Put `value` into an existing cell the same way (a write-only row's cells, reused row after row)."""
    return _type(cell, value)


def text_cell(ws, value: Any) -> WriteOnlyCell:
    """A cell for a write-only sheet holding `value` (text stays text; a `Formula` stays a formula)."""
    return _type(WriteOnlyCell(ws), value)


def put(ws, row: int, column: int, value: Any):
    """Set a cell of an ordinary (not write-only) sheet the same way, and return it for styling."""
    return _type(ws.cell(row=row, column=column), value)

"""Turn the rows read from a sheet into a tablib Dataset that remembers each row's number in Excel."""

from __future__ import annotations

import tablib

from .reading import SheetRows


def dataset_from_sheet(sheet: SheetRows) -> tablib.Dataset:
    width = len(sheet.headers)
    dataset = tablib.Dataset(headers=list(sheet.headers))
    data = dataset._data  # appending row by row re-validates every row: build the list directly
    for values in sheet.rows:
        if len(values) < width:
            values = tuple(values) + (None,) * (width - len(values))
        data.append(tablib.core.Row(values))
    dataset.excel_rows = list(sheet.row_numbers)
    return dataset

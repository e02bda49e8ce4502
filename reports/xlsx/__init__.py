"""Excel workbooks of the reports: the writer, and one module per report."""

from .annual import annual_xlsx
from .lists import project_list_workbook, project_list_xlsx, support_history_xlsx
from .national import national_xlsx
from .national_programme import national_programme_xlsx
from .programme import programme_xlsx
from .writer import Column, WorkbookWriter, sheet_title

__all__ = [
    "Column",
    "WorkbookWriter",
    "annual_xlsx",
    "national_programme_xlsx",
    "national_xlsx",
    "programme_xlsx",
    "project_list_workbook",
    "project_list_xlsx",
    "sheet_title",
    "support_history_xlsx",
]

"""The report aggregates: one set of queries read by the PDF, the Excel workbook and the dashboard.

Every figure is summed by the database (annotate/aggregate); Python only arranges rows. A report is a
plain dataclass tree, so both formats print exactly the same numbers.
"""

from .annual import AnnualReport, NationalReport, ProvinceRow, annual_report, national_report
from .dashboard import Dashboard, dashboard
from .lists import ProjectFilter, ProjectListReport, SupportHistoryReport, project_list, support_history
from .national_programme import NationalProgrammeReport, national_programme_report
from .programme import ProgrammeReport, TargetRow, programme_report

__all__ = [
    "AnnualReport",
    "Dashboard",
    "NationalProgrammeReport",
    "NationalReport",
    "ProgrammeReport",
    "ProjectFilter",
    "ProjectListReport",
    "ProvinceRow",
    "SupportHistoryReport",
    "TargetRow",
    "annual_report",
    "dashboard",
    "national_programme_report",
    "national_report",
    "programme_report",
    "project_list",
    "support_history",
]

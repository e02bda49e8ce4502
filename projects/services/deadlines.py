"""The procedure's deadlines: read from ProcedureDeadline (a province's own row, else the national one,
else the national default below), shown on the pages and warned about. None is silently enforced: a late
national registration is accepted with its reason recorded; other late steps carry a warning on their
audit row."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Acceptance, ProcedureDeadline, Project

C = ProcedureDeadline.Code

# The national default (TT 36/2013/TT-BCT as amended by TT 17/2018/TT-BCT): month, day, year against the
# plan's year, or days after an event. Used when the table has no row.
NATIONAL_DEFAULTS: dict[str, dict] = {
    C.REGISTER: {"month": 5, "day": 20, "year_offset": -1, "days_after": None},
    C.FORWARD: {"month": 6, "day": 20, "year_offset": -1, "days_after": None},
    C.MONTHLY_REPORT: {"month": None, "day": 25, "year_offset": 0, "days_after": None},
    C.SETTLEMENT_DOSSIER: {"month": None, "day": None, "year_offset": 0, "days_after": 15},
    C.SETTLEMENT: {"month": 1, "day": 22, "year_offset": 1, "days_after": None},
}
DEFAULT_BASIS = "Thông tư 36/2013/TT-BCT, sửa đổi bởi Thông tư 17/2018/TT-BCT"


@dataclass(frozen=True)
class Deadline:
    code: str
    label: str
    due: datetime.date | None
    done: bool
    legal_basis: str

    def is_overdue(self, today: datetime.date) -> bool:
        return not self.done and self.due is not None and today > self.due


def rules(*, province_id: int | None, kind: str = Project.Kind.NATIONAL) -> dict[str, dict]:
    """`rule` of every code of the procedure, read in one query."""
    by_code: dict[str, dict] = {}
    for row in ProcedureDeadline.objects.filter(kind=kind, province_id__in=[province_id, None]):
        if row.province_id in (province_id, None):
            by_code.setdefault(row.code, {})[row.province_id] = row
    found = {}
    for code in C:
        rows = by_code.get(code, {})
        row = rows.get(province_id) or rows.get(None)
        if row is not None:
            found[code] = {
                "month": row.month,
                "day": row.day,
                "year_offset": row.year_offset,
                "days_after": row.days_after,
                "legal_basis": row.legal_basis,
            }
        else:
            found[code] = {**NATIONAL_DEFAULTS[code], "legal_basis": DEFAULT_BASIS}
    return found


def rule(code: str, *, province_id: int | None, kind: str = Project.Kind.NATIONAL) -> dict:
    return rules(province_id=province_id, kind=kind)[code]


def _date(year: int, month: int, day: int) -> datetime.date:
    # 31 in a 30-day month means the month's last day.
    for d in range(day, 27, -1):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue
    return datetime.date(year, month, day)


def due_date(
    code: str, project: Project, *, event: datetime.date | None = None, read: dict | None = None
) -> datetime.date | None:
    """The due day of `code` for the đề án; `read` is the procedure's deadlines (`rules`) when already read."""
    r = read[code] if read is not None else rule(code, province_id=project.province_id, kind=project.kind)
    if r["days_after"] is not None:
        return event + datetime.timedelta(days=r["days_after"]) if event else None
    if r["month"] is None or r["day"] is None:
        return None
    return _date(project.year + r["year_offset"], r["month"], r["day"])


def monthly_report_day(project: Project) -> int:
    return rule(C.MONTHLY_REPORT, province_id=project.province_id, kind=project.kind)["day"] or 25


def _fmt(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


def late_registration_warning(project: Project, *, today: datetime.date | None, reason: str) -> str:
    """For a national đề án registered after its deadline: the warning to keep on the audit row, with the
    reason; refused (ValidationError) when no reason is given. Empty for a timely or local registration."""
    if not project.is_national or project.transitions.filter(action="submit").exists():
        return ""  # a resubmission after "yêu cầu bổ sung" is not a new registration
    today = today or timezone.localdate()
    due = due_date(C.REGISTER, project)
    if due is None or today <= due:
        return ""
    if not (reason or "").strip():
        raise ValidationError(
            {
                "late_reason": _(
                    "Đã quá hạn nộp hồ sơ đề án khuyến công quốc gia năm %(year)s (hạn %(due)s): chỉ nhận khi "
                    "ghi lý do nộp muộn."
                )
                % {"year": project.year, "due": _fmt(due)}
            }
        )
    return _("Nộp sau thời hạn %(due)s. Lý do: %(reason)s") % {"due": _fmt(due), "reason": reason.strip()}


def late_warning(code: str, project: Project, *, today: datetime.date | None = None) -> str:
    """The warning to keep on a step's audit row when it is taken after its deadline ("" when on time)."""
    today = today or timezone.localdate()
    due = due_date(code, project)
    if due is None or today <= due:
        return ""
    return _("Thực hiện sau thời hạn «%(what)s» (%(due)s).") % {"what": C(code).label, "due": _fmt(due)}


def project_deadlines(project: Project) -> list[Deadline]:
    """The national deadlines of one đề án, with whether each step is done: shown on its page."""
    if not project.is_national:
        return []
    done = set(project.transitions.order_by().values_list("action", flat=True))
    acceptance = Acceptance.objects.filter(project=project).only("minutes_date").first()
    read = rules(province_id=project.province_id, kind=project.kind)
    items = [
        Deadline(
            C.REGISTER,
            C.REGISTER.label,
            due_date(C.REGISTER, project, read=read),
            "submit" in done,
            read[C.REGISTER]["legal_basis"],
        ),
    ]
    if not project.files_with_ministry:
        items.append(
            Deadline(
                C.FORWARD,
                C.FORWARD.label,
                due_date(C.FORWARD, project, read=read),
                "forward" in done,
                read[C.FORWARD]["legal_basis"],
            )
        )
    items.append(
        Deadline(
            C.SETTLEMENT_DOSSIER,
            C.SETTLEMENT_DOSSIER.label,
            due_date(
                C.SETTLEMENT_DOSSIER,
                project,
                event=acceptance.minutes_date if acceptance else None,
                read=read,
            ),
            "close" in done,
            read[C.SETTLEMENT_DOSSIER]["legal_basis"],
        )
    )
    items.append(
        Deadline(
            C.SETTLEMENT,
            C.SETTLEMENT.label,
            due_date(C.SETTLEMENT, project, read=read),
            "settle" in done,
            read[C.SETTLEMENT]["legal_basis"],
        )
    )
    return items

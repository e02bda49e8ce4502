"""The reports that can be issued. Each kind says how to find what a request names, who may see it, and how
to build its PDF, workbook and figures from one read of the data. A new kind joins with one `register(...)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.scoping import sees_all_provinces, user_province_id
from places.models import AdministrativeUnit
from programs.models import Programme
from reports import document, pdf, selectors, xlsx
from reports.periods import Period


class NotFound(Exception):
    """The parameters name no report this user may see (a view answers 404)."""


@dataclass
class Target:
    """One report that can be issued: its kind, canonical parameters (stored as JSON) and issuing agency."""

    kind: str
    params: dict[str, Any]
    title: str
    province: AdministrativeUnit | None  # the issuing Sở's province; None for the Ministry's department
    subject: Any  # what the builder needs (province and period, a programme, ...)

    @property
    def head(self) -> document.DocumentHead:
        return pdf.head_for(self.province, subject=self.title)

    @property
    def agency_key(self) -> str:
        return f"SCT-{self.province.code}" if self.province is not None else "CUC-DMST"

    @property
    def agency_name(self) -> str:
        if self.province is None:
            return _("Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công")
        return _("Sở Công Thương %(province)s") % {"province": document.in_sentence(self.province.full_name)}


@dataclass
class Built:
    report: Any
    pdf: bytes
    xlsx: bytes


@dataclass(frozen=True)
class IssuableKind:
    code: str
    label: str
    # (params from a request or the command line, user or None) -> Target; raises NotFound.
    target: Callable[[dict[str, Any], Any], Target]
    # target -> the report's dataclass tree (its figures), read for the agency, not for one user
    read: Callable[[Target], Any]
    # (target, report, stamp, issuer line for the workbook) -> (PDF, workbook)
    render: Callable[[Target, Any, document.IssueStamp, str], tuple[bytes, bytes]]

    def build(self, target: Target, stamp: document.IssueStamp, issuer: str) -> Built:
        report = self.read(target)
        pdf_bytes, xlsx_bytes = self.render(target, report, stamp, issuer)
        return Built(report, pdf_bytes, xlsx_bytes)


KINDS: dict[str, IssuableKind] = {}


def register(kind: IssuableKind) -> IssuableKind:
    KINDS[kind.code] = kind
    return kind


def target_for(kind: str, params: dict[str, Any], user=None) -> Target:
    if kind not in KINDS:
        raise NotFound(kind)
    return KINDS[kind].target(params, user)


def _period(value) -> Period:
    try:
        return Period.from_slug(str(value))
    except (ValueError, TypeError) as exc:
        raise NotFound(value) from exc


def _sees_province(user, province: AdministrativeUnit | None) -> bool:
    if user is None or sees_all_provinces(user):
        return True
    return province is not None and user_province_id(user) == province.pk


# --------------------------------------------------------------------------------------------------
# The kinds of today's reports


def _annual_target(params, user) -> Target:
    period = _period(params.get("period"))
    province = (
        AdministrativeUnit.objects.current().provinces().filter(code=str(params.get("province"))).first()
    )
    if province is None or not _sees_province(user, province):
        raise NotFound(params)
    title = _("Báo cáo kết quả thực hiện kế hoạch khuyến công %(period)s — %(province)s") % {
        "period": period.label,
        "province": province.full_name,
    }
    return Target("annual", {"province": province.code, "period": period.slug}, title, province, period)


def _annual_read(target: Target):
    return selectors.annual_report(province=target.province, period=target.subject)


def _annual_render(target: Target, report, stamp, issuer: str) -> tuple[bytes, bytes]:
    return pdf.annual_pdf(report, stamp=stamp), xlsx.annual_xlsx(report, issuer=issuer)


def _programme_target(params, user) -> Target:
    ref = str(params.get("programme", ""))
    programme = Programme.objects.filter(pk=int(ref)).first() if ref.isdigit() else None
    if programme is None:
        raise NotFound(params)
    if user is not None and not Programme.objects.visible_to(user).filter(pk=programme.pk).exists():
        raise NotFound(params)
    province = programme.province.today_province() if programme.province_id else None
    title = _("Báo cáo tiến độ chương trình khuyến công — %(name)s") % {"name": programme.name}
    return Target("programme", {"programme": programme.pk}, title, province, programme)


def _programme_read(target: Target):
    return selectors.programme_report(programme=target.subject)


def _programme_render(target: Target, report, stamp, issuer: str) -> tuple[bytes, bytes]:
    return pdf.programme_pdf(report, stamp=stamp), xlsx.programme_xlsx(report, issuer=issuer)


def _national_target(params, user) -> Target:
    period = _period(params.get("period"))
    if user is not None and not sees_all_provinces(user):
        raise NotFound(params)
    title = _("Báo cáo kết quả thực hiện khuyến công %(period)s — toàn quốc") % {"period": period.label}
    return Target("national", {"period": period.slug}, title, None, period)


def _national_read(target: Target):
    return selectors.national_report(period=target.subject)


def _national_render(target: Target, report, stamp, issuer: str) -> tuple[bytes, bytes]:
    return pdf.national_pdf(report, stamp=stamp), xlsx.national_xlsx(report, issuer=issuer)


register(
    IssuableKind(
        "annual",
        gettext_lazy("Báo cáo năm, 6 tháng, quý của tỉnh"),
        _annual_target,
        _annual_read,
        _annual_render,
    )
)
register(
    IssuableKind(
        "programme",
        gettext_lazy("Báo cáo tiến độ chương trình"),
        _programme_target,
        _programme_read,
        _programme_render,
    )
)
register(
    IssuableKind(
        "national", gettext_lazy("Báo cáo toàn quốc"), _national_target, _national_read, _national_render
    )
)

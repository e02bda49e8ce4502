"""The open data files: one row per published đề án, the same content as the pages, and its dictionary."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .selectors import PublicProject


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    description: Promise


FIELDS: list[Field] = [
    Field("code", "string", _("Mã đề án, duy nhất trong cổng.")),
    Field("title", "string", _("Tên đề án.")),
    Field("year", "integer", _("Năm kế hoạch.")),
    Field("province_code", "string", _("Mã tỉnh/thành phố (mã của Tổng cục Thống kê, bản đồ hiện nay).")),
    Field("province", "string", _("Tên tỉnh/thành phố hiện nay.")),
    Field("kind", "string", _("Khuyến công quốc gia hoặc địa phương.")),
    Field(
        "status",
        "string",
        _(
            "Trạng thái (mã): approved, contracted, in_progress, adjusting, accepted, closed, settled, stopped."
        ),
    ),
    Field("status_label", "string", _("Trạng thái (tên).")),
    Field(
        "contents", "list of string", _("Nội dung hoạt động khuyến công (Điều 4 Nghị định 45/2012/NĐ-CP).")
    ),
    Field("implementing_unit", "string", _("Đơn vị thực hiện.")),
    Field("places", "list of string", _("Địa bàn thực hiện, đến cấp xã (không có địa chỉ cụ thể).")),
    Field("objectives", "string", _("Mục tiêu của đề án.")),
    Field("approval_decision", "string", _("Số quyết định phê duyệt.")),
    Field("start_date", "date (ISO 8601)", _("Ngày bắt đầu.")),
    Field("end_date", "date (ISO 8601)", _("Ngày kết thúc.")),
    Field(
        "support_by_source", "object: source code → đồng", _("Dự toán theo nguồn kinh phí, đồng (số nguyên).")
    ),
    Field("total", "integer (đồng)", _("Tổng dự toán, đồng.")),
    Field("outputs", "list", _("Kết quả đầu ra: chỉ tiêu, đơn vị tính, kế hoạch, đạt được.")),
    Field(
        "named_beneficiaries",
        "list",
        _(
            "Cơ sở thụ hưởng là doanh nghiệp, hợp tác xã, liên hiệp hợp tác xã: tên, loại hình, xã, kinh phí hỗ trợ."
        ),
    ),
    Field(
        "other_beneficiaries",
        "list",
        _("Hộ kinh doanh, cá nhân và loại hình khác: chỉ số lượng theo loại hình, không nêu danh tính."),
    ),
]


def json_row(p: PublicProject) -> dict:
    return {
        "code": p.code,
        "title": p.title,
        "year": p.year,
        "province_code": p.province_code,
        "province": p.province,
        "kind": p.kind,
        "status": p.status,
        "status_label": p.status_label,
        "contents": p.contents,
        "implementing_unit": p.implementing_unit,
        "places": p.places,
        "objectives": p.objectives,
        "approval_decision": p.approval_decision,
        "start_date": p.start_date or None,
        "end_date": p.end_date or None,
        "support_by_source": {code or "unspecified": amount for code, _name, amount in p.support_by_source},
        "total": p.total,
        "outputs": [
            {"indicator": name, "unit": unit, "planned": planned, "achieved": achieved}
            for name, unit, planned, achieved in p.outputs
        ],
        "named_beneficiaries": [
            {"name": b.name, "kind": b.kind, "commune": b.commune, "support": b.support}
            for b in p.named_beneficiaries
        ],
        "other_beneficiaries": [{"kind": kind, "count": n} for kind, n in p.unnamed_counts],
    }


def csv_row(p: PublicProject) -> list:
    row = json_row(p)
    joined = {
        "contents": "; ".join(p.contents),
        "places": "; ".join(p.places),
        "support_by_source": "; ".join(f"{k}={v}" for k, v in row["support_by_source"].items()),
        "outputs": "; ".join(
            f"{o['indicator']}: {o['planned'] if o['planned'] is not None else ''}/"
            f"{o['achieved'] if o['achieved'] is not None else ''}"
            for o in row["outputs"]
        ),
        "named_beneficiaries": "; ".join(
            f"{b['name']} ({b['kind']}, {b['commune']})" for b in row["named_beneficiaries"]
        ),
        "other_beneficiaries": "; ".join(f"{o['kind']}: {o['count']}" for o in row["other_beneficiaries"]),
    }
    return [joined.get(f.name, row[f.name] if row[f.name] is not None else "") for f in FIELDS]


def dictionary() -> list[Field]:
    return FIELDS

"""The figures of a report as JSON, stored with what was issued, and a readable comparison of two sets.

A report is a tree of dataclasses (reports/selectors): every number the PDF and the workbook print is in it.
It is stored as plain JSON; comparing an issued report with today's data compares these trees, not files.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.money import format_dong

# Changes every day without the figures changing.
SKIPPED = frozenset({"generated_on"})

# Fields that name an item of a list, in order of preference: a difference reads "Nguồn: Ngân sách tỉnh".
ITEM_NAMES = (
    "name",
    "label",
    "code",
    "unit_name",
    "status",
    "title",
    "today_province",
    "source_name",
    "year",
)

FIELD_LABELS = {
    "planned": gettext_lazy("Dự toán"),
    "allocated": gettext_lazy("Được giao"),
    "advanced": gettext_lazy("Tạm ứng"),
    "disbursed": gettext_lazy("Giải ngân"),
    "disbursed_in_period": gettext_lazy("Giải ngân trong kỳ"),
    "settled": gettext_lazy("Quyết toán"),
    "count": gettext_lazy("Số đề án"),
    "projects": gettext_lazy("Số đề án"),
    "project_count": gettext_lazy("Số đề án"),
    "beneficiaries": gettext_lazy("Số cơ sở thụ hưởng"),
    "achieved": gettext_lazy("Đạt được"),
    "support": gettext_lazy("Kinh phí hỗ trợ"),
    "counterpart": gettext_lazy("Vốn đối ứng"),
    "committed": gettext_lazy("Vốn đối ứng cam kết"),
    "status": gettext_lazy("Trạng thái"),
    "status_label": gettext_lazy("Trạng thái"),
    "title": gettext_lazy("Tên"),
    "content_planned_total": gettext_lazy("Tổng dự toán theo nội dung"),
    "allocated_total": gettext_lazy("Tổng kinh phí được giao"),
    "planned_total": gettext_lazy("Tổng dự toán"),
    "disbursed_total": gettext_lazy("Tổng giải ngân"),
    "settled_total": gettext_lazy("Tổng quyết toán"),
    "total_budget": gettext_lazy("Tổng kinh phí chương trình"),
    "women_owned": gettext_lazy("Do phụ nữ làm chủ"),
    "ethnic_minority": gettext_lazy("Người dân tộc thiểu số"),
    "communes": gettext_lazy("Xã, phường"),
    "name": gettext_lazy("Tên"),
}

SECTION_LABELS = {
    "by_status": gettext_lazy("Đề án theo trạng thái"),
    "by_source": gettext_lazy("Kinh phí theo nguồn"),
    "source_totals": gettext_lazy("Tổng kinh phí"),
    "by_content": gettext_lazy("Theo nội dung hoạt động"),
    "by_place": gettext_lazy("Theo địa bàn"),
    "by_beneficiary_kind": gettext_lazy("Theo loại cơ sở thụ hưởng"),
    "outputs": gettext_lazy("Kết quả đầu ra"),
    "notable": gettext_lazy("Đề án tiêu biểu"),
    "counterpart": gettext_lazy("Vốn đối ứng"),
    "declared_plans": gettext_lazy("Kế hoạch đã phê duyệt"),
    "rows": gettext_lazy("Theo tỉnh, thành phố"),
    "totals": gettext_lazy("Tổng cộng"),
    "targets": gettext_lazy("Chỉ tiêu"),
    "budget_rows": gettext_lazy("Kinh phí theo nguồn"),
    "year_rows": gettext_lazy("Theo năm"),
}


def to_json(value: Any) -> Any:
    """A report (dataclasses, model instances, dates, enums) as JSON-safe data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: to_json(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name not in SKIPPED
        }
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, enum.Enum):
        return to_json(value.value)
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_json(v) for v in value]
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _item_name(item: Any, index: int) -> str:
    if isinstance(item, dict):
        for key in ITEM_NAMES:
            if item.get(key) not in (None, ""):
                return str(item[key])
    return f"#{index + 1}"


def _flatten(value: Any, path: tuple[str, ...], out: dict[tuple[str, ...], Any]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, (*path, key), out)
    elif isinstance(value, list):
        seen: dict[str, int] = {}
        for index, item in enumerate(value):
            name = _item_name(item, index)
            seen[name] = seen.get(name, 0) + 1
            if seen[name] > 1:
                name = f"{name} ({seen[name]})"
            _flatten(item, (*path, name), out)
    else:
        out[path] = value


@dataclass(frozen=True)
class Difference:
    section: str
    item: str
    field: str
    issued: str
    today: str


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("có") if value else _("không")
    if isinstance(value, int):
        return format_dong(value)
    return str(value)


def differences(issued: dict, today: dict) -> list[Difference]:
    """What today's figures say differently from the issued ones, one line per figure."""
    old: dict[tuple[str, ...], Any] = {}
    new: dict[tuple[str, ...], Any] = {}
    _flatten(issued, (), old)
    _flatten(today, (), new)
    result = []
    for path in sorted(set(old) | set(new), key=lambda p: [str(x) for x in p]):
        before, after = old.get(path), new.get(path)
        if before == after:
            continue
        section = str(SECTION_LABELS.get(path[0], path[0])) if len(path) > 1 else ""
        item = " › ".join(path[1:-1]) if len(path) > 2 else ""
        field = str(FIELD_LABELS.get(path[-1], path[-1]))
        result.append(Difference(section, item, field, _show(before), _show(after)))
    return result

"""Import of đề án with their budget lines and beneficiaries: three sheets of one workbook, linked by the
đề án code, imported together (all or nothing).

Imports never change a đề án's status: a new đề án starts as a draft, and an existing one may be changed
through Excel only while it is a draft or returned for changes (later changes go through the workflow).
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

from khuyencong.vn_text import fold_accents
from places.models import AdministrativeUnit
from programs.models import ActivityContent, Agency, AnnualPlan, FundingSource
from projects.models import Project, ProjectStatus

from ..widgets import (
    ChoiceWidget,
    DateWidget,
    IntegerWidget,
    LookupWidget,
    ManyLookupWidget,
    TextWidget,
)
from .base import Column, PortalResource, chunked

EDITABLE = frozenset({ProjectStatus.DRAFT, ProjectStatus.RETURNED})
_CODE = re.compile(r"^[-a-zA-Z0-9_]+$")


def content_keys(content: ActivityContent) -> tuple[str, ...]:
    return (str(content.number), content.short_name, content.name, str(content), f"Nội dung {content.number}")


def content_options() -> list[str]:
    return [str(c) for c in ActivityContent.objects.all()]


def source_options() -> list[str]:
    return [s.name for s in FundingSource.objects.all()]


def content_widget(*, many: bool, required: bool = True) -> LookupWidget:
    cls = ManyLookupWidget if many else LookupWidget
    return cls(lambda: ActivityContent.objects.all(), content_keys, required=required, what=_("nội dung"))


class ProjectCodeWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        if text and not _CODE.match(text):
            raise ValueError(
                _("Mã đề án «%(code)s» chỉ được gồm chữ không dấu, chữ số, gạch ngang, gạch dưới.")
                % {"code": text}
            )
        return text


def code_column(note: str = "Hướng dẫn: bắt buộc; mã đề án (chữ không dấu, số, gạch ngang).") -> Column:
    return Column(
        attribute="project", column_name="Mã đề án", widget=ProjectCodeWidget(required=True, max_length=40),
        required=True, note=note, example="CT-2026-DTN-01", width=18,
    )  # fmt: skip


def unknown_project_message(code: str) -> str:
    """What a đề án code that is not the user's gets, whether it exists elsewhere or nowhere."""
    return _("Không có đề án mã «%(code)s» (ở trang «Đề án» hoặc trên cổng).") % {"code": code}


class ProjectScope:
    """Checks shared by the three sheets: the đề án is the actor's and may still be edited."""

    def own_projects(self, codes):
        """The đề án of these codes that the user may touch: another province's code is unknown here."""
        found = Project.objects.filter(code__in=codes)
        return found if self.province_id is None else found.filter(province_id=self.province_id)

    def project_problem(self, project: Project, *, changing: bool) -> str | None:
        if self.province_id is not None and project.province_id != self.province_id:
            return unknown_project_message(project.code)
        if changing and project.status not in EDITABLE:
            return _(
                "Đề án «%(code)s» đang ở trạng thái «%(status)s»; chỉ sửa qua Excel khi là dự thảo hoặc "
                "được yêu cầu bổ sung."
            ) % {"code": project.code, "status": project.get_status_display()}
        return None


class ProjectResource(ProjectScope, PortalResource):
    import_kind = "projects"
    sheet_title = "Đề án"
    compare_attrs = (
        "title", "plan_id", "kind", "shape", "selection", "implementing_agency_id", "implementing_unit_name",
        "coordinating_unit", "site_address", "start_date", "end_date", "objectives", "scale",
        "approval_decision_number", "approval_decision_date",
    )  # fmt: skip

    code = Column(
        attribute="code", column_name="Mã đề án", widget=ProjectCodeWidget(required=True, max_length=40),
        required=True, note="Hướng dẫn: bắt buộc; mã riêng của đề án (chữ không dấu, số, gạch ngang).",
        example="CT-2026-DTN-01", width=18,
    )  # fmt: skip
    title = Column(
        attribute="title", column_name="Tên đề án", widget=TextWidget(required=True, max_length=400),
        required=True, note="Bắt buộc.", example="Đào tạo nghề đan lát mây tre cho lao động nông thôn", width=40,
    )  # fmt: skip
    year = Column(
        attribute="plan", column_name="Năm kế hoạch", widget=IntegerWidget(required=True), required=True,
        note="Bắt buộc; năm của kế hoạch khuyến công đã có trên cổng.", example=2026,
    )  # fmt: skip
    kind = Column(
        attribute="kind", column_name="Loại đề án", widget=ChoiceWidget(Project.Kind.choices), required=True,
        note="Bắt buộc; KCQG hoặc KCĐP.", example="Khuyến công địa phương",
        choices=lambda: [str(label) for _v, label in Project.Kind.choices], width=24,
    )  # fmt: skip
    province = Column(
        attribute="province", column_name="Tỉnh/thành phố", widget=TextWidget(),
        note="Tỉnh của kế hoạch; để trống thì lấy tỉnh của bạn.", example="",
        choices=lambda: [p.full_name for p in AdministrativeUnit.objects.current().provinces().order_by("name")],
        width=22,
    )  # fmt: skip
    contents = Column(
        attribute="contents", column_name="Nội dung", widget=content_widget(many=True), required=True,
        note="Bắt buộc; số nội dung theo NĐ 45, nhiều nội dung cách nhau dấu phẩy: 1, 3.", example="1",
        choices=content_options, width=30,
    )  # fmt: skip
    shape = Column(
        attribute="shape", column_name="Hình thức",
        widget=ChoiceWidget(Project.Shape.choices, default=Project.Shape.NAMED),
        example="", choices=lambda: [str(label) for _v, label in Project.Shape.choices], width=24,
    )  # fmt: skip
    selection = Column(
        attribute="selection", column_name="Phương thức lựa chọn",
        widget=ChoiceWidget(Project.Selection.choices, default=Project.Selection.REVIEW),
        example="", choices=lambda: [str(label) for _v, label in Project.Selection.choices],
    )  # fmt: skip
    implementing = Column(
        attribute="implementing_unit_name", column_name="Đơn vị thực hiện", widget=TextWidget(max_length=300),
        example="Trung tâm Khuyến công và Tư vấn phát triển công nghiệp", width=30,
    )  # fmt: skip
    coordinating_unit = Column(
        attribute="coordinating_unit", column_name="Đơn vị phối hợp", widget=TextWidget(max_length=300),
        example="",
    )  # fmt: skip
    site = Column(
        attribute="sites", column_name="Địa bàn", places=True, widget=TextWidget(),
        note="Xã/phường thực hiện (tên lúc thực hiện).", example="xã Trường Thắng, huyện Thới Lai", width=30,
    )  # fmt: skip
    site_address = Column(
        attribute="site_address", column_name="Địa điểm cụ thể", widget=TextWidget(max_length=300), example="",
    )  # fmt: skip
    start_date = Column(
        attribute="start_date", column_name="Ngày bắt đầu", widget=DateWidget(),
        note="ngày/tháng/năm.", example="01/03/2026",
    )  # fmt: skip
    end_date = Column(
        attribute="end_date", column_name="Ngày kết thúc", widget=DateWidget(),
        note="Không trước ngày bắt đầu.", example="30/11/2026",
    )  # fmt: skip
    objectives = Column(attribute="objectives", column_name="Mục tiêu", widget=TextWidget(), example="")
    scale = Column(
        attribute="scale", column_name="Quy mô", widget=TextWidget(), example="02 lớp, 70 học viên"
    )
    decision_number = Column(
        attribute="approval_decision_number", column_name="Số quyết định phê duyệt",
        widget=TextWidget(max_length=80), example="",
    )  # fmt: skip
    decision_date = Column(
        attribute="approval_decision_date", column_name="Ngày quyết định", widget=DateWidget(), example="",
    )  # fmt: skip

    class Meta:
        model = Project
        fields = (
            "code", "title", "year", "kind", "province", "contents", "shape", "selection", "implementing",
            "coordinating_unit", "site", "site_address", "start_date", "end_date", "objectives", "scale",
            "decision_number", "decision_date",
        )  # fmt: skip
        skip_diff = True
        clean_model_instances = False

    def m2m_attrs(self) -> frozenset[str]:
        return frozenset({"contents", "sites"})

    def prepare(self, dataset) -> None:
        codes = [c for c in (dataset["Mã đề án"] if "Mã đề án" in dataset.headers else []) if c]
        self.existing = {}
        for chunk in chunked(sorted({str(c).strip() for c in codes})):
            for project in Project.objects.filter(code__in=chunk).prefetch_related("contents", "sites"):
                self.existing[project.code.lower()] = project
        self.plans = list(AnnualPlan.objects.select_related("province"))
        self.agencies = {fold_accents(a.name): a for a in Agency.objects.all()}
        self.agencies.update({fold_accents(a.short_name): a for a in Agency.objects.exclude(short_name="")})

    def before_import_row(self, row, **kwargs) -> None:
        super().before_import_row(row, **kwargs)
        values = self._values
        province_text = values.pop("province", "") or ""
        province = self.actor_province()
        if province_text:
            found = self.resolve_unit(province_text)
            if isinstance(found, str) or found.level != AdministrativeUnit.Level.PROVINCE:
                self.add_error(
                    "province", found if isinstance(found, str) else _("Không phải tỉnh/thành phố.")
                )
                province = None
            else:
                province = found
        year, kind = values.get("plan"), values.get("kind")
        if year is not None and kind and "plan" not in self._errors:
            plan = self.find_plan(year, kind, province, exact=bool(province_text))
            if isinstance(plan, str):
                self.add_error("plan", plan)
                values.pop("plan")
            else:
                values["plan"] = plan
        site_text = values.pop("sites", "")
        values["sites"] = []
        if site_text:
            unit = self.resolve_unit(site_text, hint=province, on=values.get("start_date"))
            if isinstance(unit, str):
                self.add_error("sites", unit)
            else:
                values["sites"] = [unit]
                warning = self.district_for_commune(unit)
                if warning:
                    self.add_warning("sites", warning)
        name = values.get("implementing_unit_name")
        agency = self.agencies.get(fold_accents(name)) if name else None
        values["implementing_agency"] = agency
        if agency is not None:
            values["implementing_unit_name"] = ""

    def find_plan(self, year: int, kind: str, province: AdministrativeUnit | None, *, exact: bool):
        plans = [p for p in self.plans if p.year == year and p.kind == kind]
        if province is not None:
            if exact:
                narrowed = [p for p in plans if p.province_id == province.pk]
                plans = narrowed or [p for p in plans if p.province.today_province() == province]
            else:
                plans = [p for p in plans if (p.province.today_province() or p.province).pk == province.pk]
        if len(plans) == 1:
            return plans[0]
        label = dict(Project.Kind.choices).get(kind, kind)
        where = province.full_name if province is not None else _("tỉnh đã chọn")
        if not plans:
            return _(
                "Chưa có kế hoạch khuyến công năm %(year)s (%(kind)s) của %(where)s trên cổng; hãy tạo kế hoạch trước."
            ) % {"year": year, "kind": label, "where": where}
        return _(
            "Có %(count)s kế hoạch năm %(year)s (%(kind)s) khớp; hãy ghi rõ tỉnh (tên cũ) ở cột «Tỉnh/thành phố»."
        ) % {"count": len(plans), "year": year, "kind": label}

    def import_instance(self, instance, row, **kwargs) -> None:
        if "implementing_agency" in self._values:
            instance.implementing_agency = self._values["implementing_agency"]
        super().import_instance(instance, row, **kwargs)

    def find_existing(self, values: dict[str, Any]):
        code = values.get("code")
        return self.existing.get(code.lower()) if code else None

    def snapshot(self, instance) -> tuple:
        sets = (
            (frozenset(c.pk for c in instance.contents.all()), frozenset(s.pk for s in instance.sites.all()))
            if instance.pk
            else (None, None)
        )
        return super().snapshot(instance) + sets

    def _current(self, instance) -> tuple:
        contents = self._values.get("contents") or []
        sites = self._values.get("sites") or []
        return PortalResource.snapshot(self, instance) + (
            frozenset(c.pk for c in contents),
            frozenset(s.pk for s in sites),
        )

    def skip_row(self, instance, original, row, import_validation_errors=None) -> bool:
        if import_validation_errors or self._errors or self._snapshot is None:
            return False
        return self._current(instance) == self._snapshot

    def check_row(self, instance, values, *, new: bool) -> None:
        if not new:
            changing = self._snapshot is not None and self._current(instance) != self._snapshot
            problem = self.project_problem(instance, changing=changing)
            if problem:
                self.add_error("code", problem)
        plan = values.get("plan")
        if isinstance(plan, AnnualPlan) and self.province_id is not None:
            today = plan.province.today_province()
            if today is None or today.pk != self.province_id:
                self.add_error("plan", self.out_of_scope_message(today))
        for unit in values.get("sites") or []:
            today = unit.today_province()
            if self.province_id is not None and (today is None or today.pk != self.province_id):
                self.add_error("sites", self.out_of_scope_message(today))
        start, end = values.get("start_date"), values.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date",
                _("Ngày kết thúc (%(end)s) trước ngày bắt đầu (%(start)s).")
                % {"end": end.strftime("%d/%m/%Y"), "start": start.strftime("%d/%m/%Y")},
            )
        if values.get("code"):
            self.check_unique_in_file(values["code"].lower(), "code", _("mã đề án"))
        if new:
            instance.created_by = self.actor
            if isinstance(plan, AnnualPlan):
                instance.province = plan.province.today_province() or plan.province

    def save_m2m(self, instance, row, **kwargs) -> None:
        instance.contents.set(self._values.get("contents") or [])
        instance.sites.set(self._values.get("sites") or [])

    def dehydrate_year(self, obj) -> int:
        return obj.plan.year

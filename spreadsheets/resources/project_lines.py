"""The two sheets of a đề án workbook that hang from the đề án sheet: its budget lines and its beneficiaries,
linked to their đề án by its code (see `projects` for the đề án sheet and the checks they share)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from beneficiaries.models import Beneficiary
from khuyencong.vn_text import fold_accents
from programs.models import FundingSource
from projects.models import BudgetLine, Project, ProjectBeneficiary

from ..widgets import BooleanWidget, IntegerWidget, LookupWidget, TextWidget
from .base import Column, PortalResource, chunked
from .beneficiaries import TaxCodeWidget
from .projects import (
    ProjectScope,
    code_column,
    content_options,
    content_widget,
    source_options,
    unknown_project_message,
)


class BudgetLineResource(ProjectScope, PortalResource):
    import_kind = "projects"
    sheet_title = "Dự toán"
    compare_attrs = ("amount", "order")
    update_fields = compare_attrs

    project = code_column()
    content = Column(
        attribute="content", column_name="Nội dung", widget=content_widget(many=False), required=True,
        note="Bắt buộc; một nội dung của đề án.", example="1", choices=content_options, width=30,
    )  # fmt: skip
    source = Column(
        attribute="source", column_name="Nguồn kinh phí",
        widget=LookupWidget(
            lambda: FundingSource.objects.all(), lambda s: (s.name, s.short_name, s.code), what=_("nguồn kinh phí"),
            label=lambda s: s.name,
        ),
        required=True, note="Bắt buộc; chọn trong danh sách.", example="Kinh phí khuyến công địa phương (ngân sách địa phương)",
        choices=source_options, width=36,
    )  # fmt: skip
    expense_item = Column(
        attribute="expense_item", column_name="Khoản chi", widget=TextWidget(required=True, max_length=300),
        required=True, note="Bắt buộc.", example="Chi phí tổ chức lớp học", width=34,
    )  # fmt: skip
    amount = Column(
        attribute="amount", column_name="Số tiền (đồng)", widget=IntegerWidget(required=True, money=True),
        required=True, note="Bắt buộc; số nguyên đồng, không âm, ví dụ 120.000.000.", example="120.000.000", width=18,
    )  # fmt: skip
    order = Column(attribute="order", column_name="Thứ tự", widget=IntegerWidget(), example=1)

    class Meta:
        model = BudgetLine
        fields = ("project", "content", "source", "expense_item", "amount", "order")
        use_bulk = True
        skip_diff = True
        clean_model_instances = False

    def prepare(self, dataset) -> None:
        codes = {str(c).strip() for c in (dataset["Mã đề án"] if "Mã đề án" in dataset.headers else []) if c}
        self.projects: dict[str, Project] = {}
        for chunk in chunked(sorted(codes)):
            for project in self.own_projects(chunk).prefetch_related("contents"):
                self.projects[project.code.lower()] = project
        self.existing: dict[tuple, BudgetLine] = {}
        for line in BudgetLine.objects.filter(project__in=list(self.projects.values())):
            self.existing.setdefault(
                self.key_of(line.project_id, line.source_id, line.content_id, line.expense_item), line
            )

    @staticmethod
    def key_of(project_id, source_id, content_id, item: str) -> tuple:
        return (project_id, source_id, content_id, fold_accents(item))

    def before_import_row(self, row, **kwargs) -> None:
        super().before_import_row(row, **kwargs)
        code = self._values.get("project")
        if code:
            project = self.projects.get(code.lower())
            if project is None:
                self.add_error(
                    "project",
                    unknown_project_message(code),
                )
                self._values.pop("project")
            else:
                self._values["project"] = project

    def find_existing(self, values):
        project, source, content, item = (
            values.get(k) for k in ("project", "source", "content", "expense_item")
        )
        if isinstance(project, Project) and source is not None and content is not None and item:
            return self.existing.get(self.key_of(project.pk, source.pk, content.pk, item))
        return None

    def check_row(self, instance, values, *, new: bool) -> None:
        project, content = values.get("project"), values.get("content")
        if isinstance(project, Project):
            changing = new or (self._snapshot is not None and self.snapshot(instance) != self._snapshot)
            problem = self.project_problem(project, changing=changing)
            if problem:
                self.add_error("project", problem)
            if content is not None and content not in project.contents.all():
                self.add_error(
                    "content",
                    _("Nội dung «%(content)s» không nằm trong các nội dung của đề án «%(code)s».")
                    % {"content": content, "code": project.code},
                )
            source = values.get("source")
            if source is not None and content is not None and values.get("expense_item"):
                self.check_unique_in_file(
                    self.key_of(project.pk, source.pk, content.pk, values["expense_item"]),
                    "expense_item",
                    _("đề án, nội dung, nguồn và khoản chi"),
                )
        if instance.order is None:
            instance.order = 0

    def dehydrate_project(self, obj) -> str:
        return obj.project.code


class ProjectBeneficiaryResource(ProjectScope, PortalResource):
    import_kind = "projects"
    sheet_title = "Cơ sở thụ hưởng"
    compare_attrs = ("support_amount", "counterpart_amount", "counterpart_committed", "note")
    update_fields = compare_attrs

    project = code_column()
    tax_code = Column(
        attribute="tax_code", column_name="Mã số thuế", widget=TaxCodeWidget(),
        note="Mã số thuế của cơ sở; nếu không có, ghi tên và xã/phường.", example="", width=16,
    )  # fmt: skip
    name = Column(
        attribute="name", column_name="Tên cơ sở", widget=TextWidget(max_length=300),
        example="Cơ sở mây tre đan Thới Lai", width=34,
    )  # fmt: skip
    place = Column(
        attribute="place", column_name="Xã/phường", places=True, widget=TextWidget(),
        example="xã Trường Thắng, huyện Thới Lai", width=30,
    )  # fmt: skip
    support_amount = Column(
        attribute="support_amount", column_name="Kinh phí hỗ trợ (đồng)", widget=IntegerWidget(money=True),
        note="Số nguyên đồng, không âm.", example="50.000.000", width=18,
    )  # fmt: skip
    counterpart_amount = Column(
        attribute="counterpart_amount", column_name="Vốn đối ứng (đồng)", widget=IntegerWidget(money=True),
        example="20.000.000", width=18,
    )  # fmt: skip
    counterpart_committed = Column(
        attribute="counterpart_committed", column_name="Đã cam kết vốn đối ứng", widget=BooleanWidget(),
        example="Có", choices=lambda: ["Có", "Không"],
    )  # fmt: skip
    note = Column(attribute="note", column_name="Ghi chú", widget=TextWidget(max_length=300), example="")

    class Meta:
        model = ProjectBeneficiary
        fields = (
            "project", "tax_code", "name", "place", "support_amount", "counterpart_amount",
            "counterpart_committed", "note",
        )  # fmt: skip
        use_bulk = True
        skip_diff = True
        clean_model_instances = False

    def prepare(self, dataset) -> None:
        headers = dataset.headers or []
        codes = {str(c).strip() for c in (dataset["Mã đề án"] if "Mã đề án" in headers else []) if c}
        self.projects = {}
        for chunk in chunked(sorted(codes)):
            for project in self.own_projects(chunk):
                self.projects[project.code.lower()] = project
        tax_codes = []
        for value in dataset["Mã số thuế"] if "Mã số thuế" in headers else []:
            try:
                code = TaxCodeWidget().clean(value)
            except ValueError:
                continue
            if code:
                tax_codes.append(code)
        self.by_tax_code = {}
        for chunk in chunked(sorted(set(tax_codes))):
            found = Beneficiary.objects.filter(tax_code__in=chunk)
            if self.province_id is not None:
                found = found.filter(province_id=self.province_id)
            for b in found:
                self.by_tax_code[b.tax_code] = b
        self.by_name: dict[tuple[str, int], Beneficiary] | None = None
        self.existing = {
            (link.project_id, link.beneficiary_id): link
            for link in ProjectBeneficiary.objects.filter(project__in=list(self.projects.values()))
        }

    def _name_index(self):
        if self.by_name is None:
            qs = Beneficiary.objects.filter(unit_at_time__isnull=False)
            if self.province_id is not None:
                qs = qs.filter(province_id=self.province_id)
            self.by_name = {(fold_accents(b.name), b.unit_at_time_id): b for b in qs}
        return self.by_name

    def before_import_row(self, row, **kwargs) -> None:
        super().before_import_row(row, **kwargs)
        values = self._values
        code = values.get("project")
        if code:
            project = self.projects.get(code.lower())
            if project is None:
                self.add_error(
                    "project",
                    unknown_project_message(code),
                )
                values.pop("project")
            else:
                values["project"] = project
        beneficiary = None
        tax_code, name, place = values.pop("tax_code", None), values.pop("name", ""), values.pop("place", "")
        if "Mã số thuế" in self._errors:
            pass
        elif tax_code:
            beneficiary = self.by_tax_code.get(tax_code)
            if beneficiary is None:
                self.add_error(
                    "tax_code",
                    _("Chưa có cơ sở mã số thuế %(code)s trên cổng; hãy nhập danh sách cơ sở trước.")
                    % {"code": tax_code},
                )
        elif name and place:
            unit = self.resolve_unit(place, hint=self.actor_province())
            if isinstance(unit, str):
                self.add_error("place", unit)
            else:
                warning = self.district_for_commune(unit)
                if warning:
                    self.add_warning("place", warning)
                beneficiary = self._name_index().get((fold_accents(name), unit.pk))
                if beneficiary is None:
                    self.add_error(
                        "name",
                        _("Chưa có cơ sở «%(name)s» ở %(place)s trên cổng; hãy nhập danh sách cơ sở trước.")
                        % {"name": name, "place": unit.full_name},
                    )
        else:
            self.add_error("tax_code", _("Cần mã số thuế, hoặc tên cơ sở và xã/phường."))
        values["beneficiary"] = beneficiary

    def import_instance(self, instance, row, **kwargs) -> None:
        if self._values.get("beneficiary") is not None:
            instance.beneficiary = self._values["beneficiary"]
        for attr in ("support_amount", "counterpart_amount"):
            if self._values.get(attr) is None:
                self._values[attr] = 0
        super().import_instance(instance, row, **kwargs)

    def find_existing(self, values):
        project, beneficiary = values.get("project"), values.get("beneficiary")
        if isinstance(project, Project) and beneficiary is not None:
            return self.existing.get((project.pk, beneficiary.pk))
        return None

    def check_row(self, instance, values, *, new: bool) -> None:
        project, beneficiary = values.get("project"), values.get("beneficiary")
        if isinstance(project, Project):
            changing = new or (self._snapshot is not None and self.snapshot(instance) != self._snapshot)
            problem = self.project_problem(project, changing=changing)
            if problem:
                self.add_error("project", problem)
            if beneficiary is not None:
                if self.province_id is not None and beneficiary.province_id != self.province_id:
                    self.add_error("tax_code", self.out_of_scope_message(beneficiary.province))
                self.check_unique_in_file((project.pk, beneficiary.pk), "tax_code", _("đề án và cơ sở"))

    def dehydrate_project(self, obj) -> str:
        return obj.project.code

    def dehydrate_tax_code(self, obj) -> str:
        return obj.beneficiary.tax_code or ""

    def dehydrate_name(self, obj) -> str:
        return obj.beneficiary.name

    def dehydrate_place(self, obj) -> str:
        return obj.beneficiary.unit_at_time.full_name if obj.beneficiary.unit_at_time_id else ""

"""Import of programme targets (chỉ tiêu) and of historic aggregate outputs (kết quả đã đạt)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from khuyencong.money import AmountQualifier
from khuyencong.vn_text import fold_accents
from places.models import AdministrativeUnit
from programs.models import HistoricOutput, Indicator, Programme, ProgrammeTarget

from ..widgets import ChoiceWidget, IntegerWidget, LookupWidget, TextWidget
from .base import Column, PortalResource


def indicator_widget(*, required: bool) -> LookupWidget:
    return LookupWidget(
        lambda: Indicator.objects.all(),
        lambda i: (i.name, i.code, str(i)),
        required=required,
        what=_("chỉ tiêu"),
        label=lambda i: i.name,
    )


def indicator_options() -> list[str]:
    return [i.name for i in Indicator.objects.all()]


def qualifier_options() -> list[str]:
    return [str(label) for _value, label in AmountQualifier.choices]


class ProgrammeTargetResource(PortalResource):
    """Targets matched by programme and description: re-importing the same sheet changes nothing."""

    import_kind = "targets"
    sheet_title = "Chỉ tiêu"
    compare_attrs = ("indicator_id", "description", "min_value", "max_value", "qualifier", "unit", "order")
    update_fields = compare_attrs

    programme = Column(
        attribute="programme",
        column_name="Mã chương trình",
        widget=TextWidget(required=True),
        required=True,
        note="Hướng dẫn: bắt buộc; mã chương trình đã có trên cổng.",
        example="ct-can-tho-2026-2030",
        choices=lambda: [p.code for p in Programme.objects.order_by("code")],
        width=26,
    )
    indicator = Column(
        attribute="indicator", column_name="Chỉ tiêu", widget=indicator_widget(required=False),
        note="Chọn trong danh sách để cổng so sánh với kết quả; để trống với chỉ tiêu định tính.",
        example="", choices=indicator_options, width=30,
    )  # fmt: skip
    description = Column(
        attribute="description", column_name="Diễn giải", widget=TextWidget(required=True, max_length=400),
        required=True, note="Bắt buộc; nguyên văn chỉ tiêu.", example="Hỗ trợ trên 100 cơ sở CNNT", width=40,
    )  # fmt: skip
    min_value = Column(
        attribute="min_value", column_name="Giá trị tối thiểu", widget=IntegerWidget(),
        note="Số nguyên không âm.", example=100,
    )  # fmt: skip
    max_value = Column(
        attribute="max_value", column_name="Giá trị tối đa", widget=IntegerWidget(),
        note="Chỉ khi chỉ tiêu là một khoảng (500–1000).", example="",
    )  # fmt: skip
    qualifier = Column(
        attribute="qualifier", column_name="Cách nêu",
        widget=ChoiceWidget(AmountQualifier.choices, default=AmountQualifier.EXACT),
        note="đúng / trên / gần / khoảng.", example="trên", choices=qualifier_options,
    )  # fmt: skip
    unit = Column(
        attribute="unit", column_name="Đơn vị tính", widget=TextWidget(max_length=40), example="cơ sở",
    )  # fmt: skip
    order = Column(attribute="order", column_name="Thứ tự", widget=IntegerWidget(), example=1)

    class Meta:
        model = ProgrammeTarget
        fields = (
            "programme",
            "indicator",
            "description",
            "min_value",
            "max_value",
            "qualifier",
            "unit",
            "order",
        )
        use_bulk = True
        skip_diff = True
        clean_model_instances = False

    def prepare(self, dataset) -> None:
        # Only the programmes the user may see: another province's code is answered as an unknown one.
        programmes = (
            Programme.objects.visible_to(self.actor)
            if self.province_id is not None
            else Programme.objects.all()
        )
        self.programmes = {fold_accents(p.code): p for p in programmes}
        self.existing: dict[tuple[int, str], ProgrammeTarget] = {}
        for target in ProgrammeTarget.objects.filter(programme__in=list(self.programmes.values())):
            self.existing.setdefault((target.programme_id, fold_accents(target.description)), target)

    def before_import_row(self, row, **kwargs) -> None:
        super().before_import_row(row, **kwargs)
        code = self._values.get("programme")
        if code:
            programme = self.programmes.get(fold_accents(code))
            if programme is None:
                self.add_error("programme", _("Không có chương trình mã «%(code)s».") % {"code": code})
                self._values.pop("programme")
            else:
                self._values["programme"] = programme

    def find_existing(self, values: dict[str, Any]):
        programme, description = values.get("programme"), values.get("description")
        if isinstance(programme, Programme) and description:
            return self.existing.get((programme.pk, fold_accents(description)))
        return None

    def check_row(self, instance, values, *, new: bool) -> None:
        programme = values.get("programme")
        if isinstance(programme, Programme) and not self.may_edit(programme):
            self.add_error(
                "programme", _("Chương trình «%(code)s» không thuộc tỉnh của bạn.") % {"code": programme.code}
            )
        low, high = values.get("min_value"), values.get("max_value")
        if high is not None and low is None:
            self.add_error("min_value", _("Có giá trị tối đa thì phải có giá trị tối thiểu."))
        if low is not None and high is not None and low > high:
            self.add_error(
                "max_value",
                _("Giá trị tối đa (%(high)s) nhỏ hơn tối thiểu (%(low)s).") % {"high": high, "low": low},
            )
        if isinstance(programme, Programme) and values.get("description"):
            self.check_unique_in_file(
                (programme.pk, fold_accents(values["description"])),
                "description",
                _("chỉ tiêu của cùng chương trình"),
            )
        if instance.order is None:
            instance.order = 0

    def may_edit(self, programme: Programme) -> bool:
        if self.province_id is None:
            return True
        if programme.province_id is None:
            return False  # national programmes are the Ministry's
        province = programme.province
        today = province.today_province() if province is not None else None
        return today is not None and today.pk == self.province_id

    def dehydrate_programme(self, obj) -> str:
        return obj.programme.code


class HistoricOutputResource(PortalResource):
    """Aggregate results by province, period and indicator (matched on those four)."""

    import_kind = "outputs"
    sheet_title = "Kết quả đã đạt"
    compare_attrs = ("value", "qualifier", "description", "source_note")
    update_fields = compare_attrs

    province = Column(
        attribute="province", column_name="Tỉnh/thành phố", widget=TextWidget(required=True), required=True,
        note="Hướng dẫn: bắt buộc; tên tỉnh (cũ hoặc mới) khi có số liệu.", example="Thành phố Hà Nội",
        choices=lambda: [p.full_name for p in AdministrativeUnit.objects.provinces().order_by("-era", "name")],
        width=26,
    )  # fmt: skip
    start_year = Column(
        attribute="start_year", column_name="Từ năm", widget=IntegerWidget(required=True), required=True,
        note="Bắt buộc; năm 4 chữ số.", example=2013,
    )  # fmt: skip
    end_year = Column(
        attribute="end_year", column_name="Đến năm", widget=IntegerWidget(), note="Để trống nếu nguồn không nêu.",
        example=2022,
    )  # fmt: skip
    indicator = Column(
        attribute="indicator", column_name="Chỉ tiêu", widget=indicator_widget(required=True), required=True,
        note="Bắt buộc; chọn trong danh sách.", example="", choices=indicator_options, width=30,
    )  # fmt: skip
    value = Column(
        attribute="value", column_name="Giá trị", widget=IntegerWidget(required=True), required=True,
        note="Bắt buộc; số nguyên không âm, ví dụ 22.000.", example="22.000",
    )  # fmt: skip
    qualifier = Column(
        attribute="qualifier", column_name="Cách nêu",
        widget=ChoiceWidget(AmountQualifier.choices, default=AmountQualifier.EXACT),
        note="đúng / trên / gần / khoảng.", example="gần", choices=qualifier_options,
    )  # fmt: skip
    description = Column(
        attribute="description", column_name="Diễn giải", widget=TextWidget(required=True, max_length=400),
        required=True, note="Bắt buộc.", example="Gần 22.000 lao động nông thôn được đào tạo nghề", width=40,
    )  # fmt: skip
    source_note = Column(
        attribute="source_note", column_name="Nguồn số liệu", widget=TextWidget(max_length=300),
        example="Báo cáo tổng kết 10 năm NĐ 45", width=30,
    )  # fmt: skip

    class Meta:
        model = HistoricOutput
        fields = (
            "province",
            "start_year",
            "end_year",
            "indicator",
            "value",
            "qualifier",
            "description",
            "source_note",
        )
        use_bulk = True
        skip_diff = True
        clean_model_instances = False

    def prepare(self, dataset) -> None:
        self.existing = {
            (o.province_id, o.indicator_id, o.start_year, o.end_year): o for o in HistoricOutput.objects.all()
        }

    def before_import_row(self, row, **kwargs) -> None:
        super().before_import_row(row, **kwargs)
        text = self._values.get("province")
        if text:
            unit = self.resolve_unit(text)
            if isinstance(unit, AdministrativeUnit) and unit.level != AdministrativeUnit.Level.PROVINCE:
                unit = _("«%(text)s» không phải là tỉnh/thành phố.") % {"text": text}
            if isinstance(unit, str):
                self.add_error("province", unit)
                self._values.pop("province")
            else:
                self._values["province"] = unit

    def find_existing(self, values: dict[str, Any]):
        province, indicator = values.get("province"), values.get("indicator")
        if isinstance(province, AdministrativeUnit) and indicator is not None:
            return self.existing.get(
                (province.pk, indicator.pk, values.get("start_year"), values.get("end_year"))
            )
        return None

    def check_row(self, instance, values, *, new: bool) -> None:
        province = values.get("province")
        if isinstance(province, AdministrativeUnit) and self.province_id is not None:
            today = province.today_province()
            if today is None or today.pk != self.province_id:
                self.add_error("province", self.out_of_scope_message(today or province))
        start, end = values.get("start_year"), values.get("end_year")
        for attr, year in (("start_year", start), ("end_year", end)):
            if year is not None and not 1990 <= year <= 2100:
                self.add_error(attr, _("Năm %(year)s không hợp lệ.") % {"year": year})
        if start is not None and end is not None and end < start:
            self.add_error(
                "end_year",
                _("Năm kết thúc (%(end)s) trước năm bắt đầu (%(start)s).") % {"end": end, "start": start},
            )
        indicator = values.get("indicator")
        if isinstance(province, AdministrativeUnit) and indicator is not None:
            self.check_unique_in_file(
                (province.pk, indicator.pk, start, end), "indicator", _("tỉnh, chỉ tiêu và giai đoạn")
            )

    def dehydrate_province(self, obj) -> str:
        return obj.province.full_name


__all__ = ["HistoricOutputResource", "ProgrammeTargetResource"]

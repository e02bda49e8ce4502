"""Import of beneficiaries (cơ sở CNNT): matched by tax code, or by name and commune when there is none."""

from __future__ import annotations

import operator
import re
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from beneficiaries.models import Beneficiary, BeneficiaryKind
from beneficiaries.tax_code import normalise_tax_code, tax_code_error
from khuyencong.vn_text import fold_accents
from places.models import AdministrativeUnit
from places.resolve import today_of

from ..widgets import BooleanWidget, IntegerWidget, LookupWidget, TextWidget, clean_text
from .base import Column, PortalResource, chunked

# A tax code typed as it should be: nothing to normalise before checking its digits.
_PLAIN_TAX_CODE = re.compile(r"\d{10}(?:-\d{3})?")


_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
_ZEROS = 48 * sum(_WEIGHTS)


def _check_digit_ok(code: str) -> bool:
    """`tax_code_error(code) is None` for a code of 10 digits (and a branch), without a loop in Python."""
    digits = code.encode()
    remainder = (sum(map(operator.mul, digits[:9], _WEIGHTS)) - _ZEROS) % 11
    return remainder != 0 and 10 - remainder == digits[9] - 48 and code[11:] != "000"


class TaxCodeWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        if type(value) is str and _PLAIN_TAX_CODE.fullmatch(value):
            if _check_digit_ok(value):
                return value
            error = tax_code_error(value)  # the reason, in words
            if error:
                raise ValueError(error)
            return value
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int):
            value = f"{value:010d}"  # Excel drops the leading zero of "0101234567"
        text = normalise_tax_code(clean_text(value))
        if not text:
            return None
        error = tax_code_error(text)
        if error:
            raise ValueError(error)
        return text

    def render(self, value, obj=None, **kwargs):
        return value or ""


def kind_options() -> list[str]:
    return [k.name for k in BeneficiaryKind.objects.all()]


def province_options() -> list[str]:
    return [p.full_name for p in AdministrativeUnit.objects.current().provinces().order_by("name")]


class BeneficiaryResource(PortalResource):
    import_kind = "beneficiaries"
    sheet_title = "Cơ sở CNNT"
    compare_attrs = (
        "name", "kind_id", "tax_code", "representative", "phone", "email", "address", "unit_at_time_id",
        "industry", "craft_village", "employees", "women_owned", "ethnic_minority",
    )  # fmt: skip
    update_fields = compare_attrs + ("current_unit", "province", "search_text", "updated_at")

    name = Column(
        attribute="name",
        column_name="Tên cơ sở",
        widget=TextWidget(required=True, max_length=300),
        required=True,
        note="Hướng dẫn: bắt buộc; tên đầy đủ như trên giấy đăng ký.",
        example="Cơ sở mây tre đan Thới Lai",
        width=36,
    )
    kind_ = Column(
        attribute="kind",
        column_name="Loại hình",
        widget=LookupWidget(
            lambda: BeneficiaryKind.objects.all(), lambda k: (k.name, k.code), what=_("loại hình")
        ),
        required=True,
        note="Bắt buộc; chọn trong danh sách.",
        example="Hộ kinh doanh",
        choices=kind_options,
        width=24,
    )
    tax_code = Column(
        attribute="tax_code",
        column_name="Mã số thuế",
        widget=TaxCodeWidget(),
        note="10 chữ số, hoặc 10 chữ số-3 chữ số (chi nhánh). Hộ kinh doanh có thể để trống. Nhập dạng văn bản.",
        example="",
        width=16,
    )
    place = Column(
        attribute="unit_at_time",
        column_name="Xã/phường",
        places=True,
        widget=TextWidget(required=True),
        required=True,
        note="Bắt buộc; tên mới hoặc tên cũ kèm huyện, ví dụ «xã Trường Thắng, huyện Thới Lai».",
        example="xã Trường Thắng, huyện Thới Lai",
        width=34,
    )
    province_ = Column(
        attribute="province",
        column_name="Tỉnh/thành phố",
        widget=TextWidget(),
        note="Tỉnh/thành phố hiện nay; để trống thì lấy tỉnh của bạn.",
        example="Thành phố Cần Thơ",
        choices=province_options,
        width=24,
    )
    address = Column(
        attribute="address", column_name="Địa chỉ", widget=TextWidget(max_length=300),
        note="Số nhà, ấp/thôn.", example="Ấp Trường Thuận", width=28,
    )  # fmt: skip
    representative = Column(
        attribute="representative", column_name="Người đại diện", widget=TextWidget(max_length=160),
        example="Nguyễn Thị Lan",
    )  # fmt: skip
    phone = Column(
        attribute="phone", column_name="Điện thoại", widget=TextWidget(max_length=30), example="0292 3850 123",
    )  # fmt: skip
    email = Column(
        attribute="email", column_name="Thư điện tử", widget=TextWidget(max_length=254), example=""
    )
    industry = Column(
        attribute="industry", column_name="Ngành nghề", widget=TextWidget(max_length=200),
        example="Đan lát mây tre",
    )  # fmt: skip
    craft_village = Column(
        attribute="craft_village", column_name="Làng nghề", widget=TextWidget(max_length=200), example="",
    )  # fmt: skip
    employees = Column(
        attribute="employees", column_name="Số lao động", widget=IntegerWidget(), example=12,
        note="Số nguyên, không âm.",
    )  # fmt: skip
    women_owned = Column(
        attribute="women_owned", column_name="Phụ nữ làm chủ", widget=BooleanWidget(), example="Có",
        choices=lambda: ["Có", "Không"], note="Có/Không.",
    )  # fmt: skip
    ethnic_minority = Column(
        attribute="ethnic_minority", column_name="Dân tộc thiểu số", widget=BooleanWidget(), example="Không",
        choices=lambda: ["Có", "Không"], note="Có/Không.",
    )  # fmt: skip

    class Meta:
        model = Beneficiary
        fields = (
            "name", "kind_", "tax_code", "place", "province_", "address", "representative", "phone", "email",
            "industry", "craft_village", "employees", "women_owned", "ethnic_minority",
        )  # fmt: skip
        use_bulk = True
        batch_size = 2000
        skip_diff = True
        report_skipped = True
        clean_model_instances = False

    # ----------------------------------------------------------------- loading
    def prepare(self, dataset) -> None:
        codes = set()
        if "Mã số thuế" in (dataset.headers or []):
            widget = TaxCodeWidget()
            for value in dataset["Mã số thuế"]:
                if type(value) is str and _PLAIN_TAX_CODE.fullmatch(value):
                    codes.add(value)  # looked up as is; its check digit is checked with its row
                    continue
                try:
                    code = widget.clean(value)
                except ValueError:
                    continue
                if code:
                    codes.add(code)
        self.by_tax_code: dict[str, Beneficiary] = {}
        for chunk in chunked(sorted(codes)):
            # Another province's establishments are not this province's books: a code found only there
            # is a new establishment here, as an unknown code is.
            found = Beneficiary.objects.filter(tax_code__in=chunk)
            if self.province_id is not None:
                found = found.filter(province_id=self.province_id)
            for obj in found:
                self.by_tax_code[obj.tax_code] = obj
        self.by_name_place: dict[tuple[str, int], Beneficiary] | None = None
        self._provinces: dict[str, AdministrativeUnit | str] = {}
        self._today: dict[int, tuple[int | None, int | None]] = {}

    def _name_index(self) -> dict[tuple[str, int], Beneficiary]:
        """Beneficiaries without a tax code, by folded name and unit (loaded on first need)."""
        if self.by_name_place is None:
            qs = Beneficiary.objects.filter(tax_code__isnull=True, unit_at_time__isnull=False)
            if self.province_id is not None:
                qs = qs.filter(province_id=self.province_id)
            self.by_name_place = {(fold_accents(b.name), b.unit_at_time_id): b for b in qs}
        return self.by_name_place

    def _province_hint(self, text: str) -> AdministrativeUnit | str | None:
        if not text:
            return self.actor_province()
        if text not in self._provinces:
            found = self.resolve_unit(text)
            if isinstance(found, AdministrativeUnit) and found.level != AdministrativeUnit.Level.PROVINCE:
                found = _("«%(text)s» không phải là tỉnh/thành phố.") % {"text": text}
            self._provinces[text] = found
        return self._provinces[text]

    def _today_of(self, unit: AdministrativeUnit) -> tuple[int | None, int | None]:
        """(today's unit, today's province) for the unit named in the file."""
        if unit.pk not in self._today:
            self._today[unit.pk] = today_of(unit)  # from the place index: no query
        return self._today[unit.pk]

    def before_import_row(self, row, **kwargs) -> None:
        super().before_import_row(row, **kwargs)
        values = self._values
        province_text = values.pop("province", "") or ""
        hint = self._province_hint(province_text)
        if isinstance(hint, str):
            self.add_error("province", hint)
            hint = None
        place_text = values.get("unit_at_time")
        if place_text:
            unit = self.resolve_unit(place_text, hint=hint)
            if isinstance(unit, str) and hint is not None and not province_text:
                # The hint was only the actor's province: a place elsewhere is "out of scope", not "unknown".
                elsewhere = self.resolve_unit(place_text)
                unit = elsewhere if isinstance(elsewhere, AdministrativeUnit) else unit
            if isinstance(unit, str):
                self.add_error("unit_at_time", unit)
                values.pop("unit_at_time")
            else:
                values["unit_at_time"] = unit
                warning = self.district_for_commune(unit)
                if warning:
                    self.add_warning("unit_at_time", warning)

    def find_existing(self, values: dict[str, Any]):
        """By tax code; else (also when the code is new) a record without one, of the same name and unit."""
        code = values.get("tax_code")
        found = self.by_tax_code.get(code) if code else None
        unit, name = values.get("unit_at_time"), values.get("name")
        if found is None and isinstance(unit, AdministrativeUnit) and name and self._name_index():
            # Popped: one record without a tax code is matched by one row at most.
            found = self._name_index().pop((fold_accents(name), unit.pk), None)
        self._existing_province_id = found.province_id if found is not None else None
        return found

    # ---------------------------------------------------------------- checking
    def check_row(self, instance, values, *, new: bool) -> None:
        if not new and self.province_id is not None and self._existing_province_id != self.province_id:
            self.add_error(
                "tax_code", _("Cơ sở có mã số thuế này do tỉnh khác quản lý; bạn không cập nhật được.")
            )
            return
        unit = values.get("unit_at_time")
        if isinstance(unit, AdministrativeUnit):
            current_id, province_id = self._today_of(unit)
            if province_id is None:
                self.add_error(
                    "unit_at_time",
                    _("Không xác định được «%(unit)s» nay thuộc tỉnh nào.") % {"unit": unit.full_name},
                )
            elif self.province_id is not None and province_id != self.province_id:
                province = next(iter(self.units_by_pk([province_id])), None)
                self.add_error("unit_at_time", self.out_of_scope_message(province))
            else:
                instance.current_unit_id = current_id
                instance.province_id = province_id
        kind = values.get("kind")
        if (
            kind is not None
            and kind.tax_code_required
            and not values.get("tax_code")
            and "tax_code" in values
        ):
            self.add_error(
                "tax_code", _("Loại hình «%(kind)s» bắt buộc có mã số thuế.") % {"kind": kind.name}
            )
        email = values.get("email")
        if email:
            from django.core.validators import validate_email

            try:
                validate_email(email)
            except Exception:
                self.add_error("email", _("Thư điện tử «%(value)s» không hợp lệ.") % {"value": email})
        code = values.get("tax_code")
        if code:
            self.check_unique_in_file(
                ("tax", code), "tax_code", lambda: _("mã số thuế %(code)s") % {"code": code}
            )
        elif isinstance(unit, AdministrativeUnit) and values.get("name"):
            self.check_unique_in_file(
                ("name", fold_accents(values["name"]), unit.pk), "name", lambda: _("tên cơ sở và xã/phường")
            )

    def before_import(self, dataset, **kwargs) -> None:
        self._now = timezone.now()
        super().before_import(dataset, **kwargs)

    def before_save_instance(self, instance, row, **kwargs) -> None:
        code = instance.tax_code
        if not (type(code) is str and _PLAIN_TAX_CODE.fullmatch(code)):  # as the widget gives it: as it is
            instance.tax_code = normalise_tax_code(code) or None
        instance.search_text = instance.build_search_text()
        instance.updated_at = self._now

    def dehydrate_place(self, obj) -> str:
        return obj.unit_at_time.full_name if obj.unit_at_time_id else ""

    def dehydrate_province_(self, obj) -> str:
        return obj.province.full_name if obj.province_id else ""

"""Administrative units as reference data with validity dates.

Two maps live side by side: the three-level map in force until 30/6/2025 (era "old": 63 provinces,
districts, communes) and the two-level map since 1/7/2025 (era "new": 34 provinces and their communes).
Records keep the unit as it was; reports roll old units up through `current_province` and `successors`.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .naming import fold_name

REFORM_DATE = datetime.date(2025, 7, 1)
LAST_DAY_BEFORE_REFORM = datetime.date(2025, 6, 30)


class AdministrativeUnitQuerySet(models.QuerySet["AdministrativeUnit"]):
    def current(self) -> AdministrativeUnitQuerySet:
        """Units of today's two-level map (since 1/7/2025)."""
        return self.filter(era=AdministrativeUnit.Era.NEW)

    def historic(self) -> AdministrativeUnitQuerySet:
        """Units of the three-level map in force before 1/7/2025."""
        return self.filter(era=AdministrativeUnit.Era.OLD)

    def provinces(self) -> AdministrativeUnitQuerySet:
        return self.filter(level=AdministrativeUnit.Level.PROVINCE)

    def districts(self) -> AdministrativeUnitQuerySet:
        return self.filter(level=AdministrativeUnit.Level.DISTRICT)

    def communes(self) -> AdministrativeUnitQuerySet:
        return self.filter(level=AdministrativeUnit.Level.COMMUNE)

    def as_of(self, day: datetime.date) -> AdministrativeUnitQuerySet:
        """Units valid on `day` (an open start or end counts as valid)."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    def search(self, text: str) -> AdministrativeUnitQuerySet:
        """Accent-insensitive search in the full name ("phong dien" finds "Huyện Phong Điền")."""
        folded = fold_name(text)
        if not folded:
            return self
        return self.filter(name_folded__icontains=folded)


class AdministrativeUnitManager(models.Manager.from_queryset(AdministrativeUnitQuerySet)):
    def get_by_natural_key(self, era: str, level: int, code: str) -> AdministrativeUnit:
        """Fixtures name a unit as ["new", 1, "92"]: era, level and GSO code."""
        return self.get(era=era, level=int(level), code=code)


class AdministrativeUnit(models.Model):
    """A province, district or commune of one era of the administrative map, with its GSO code."""

    class Kind(models.TextChoices):
        TINH = "tinh", _("Tỉnh")
        THANH_PHO_TW = "thanh_pho_tw", _("Thành phố trực thuộc trung ương")
        THANH_PHO = "thanh_pho", _("Thành phố (thuộc tỉnh)")
        THI_XA = "thi_xa", _("Thị xã")
        QUAN = "quan", _("Quận")
        HUYEN = "huyen", _("Huyện")
        XA = "xa", _("Xã")
        PHUONG = "phuong", _("Phường")
        THI_TRAN = "thi_tran", _("Thị trấn")
        DAC_KHU = "dac_khu", _("Đặc khu")

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("Cấp tỉnh")
        DISTRICT = 2, _("Cấp huyện")
        COMMUNE = 3, _("Cấp xã")

    class Era(models.TextChoices):
        OLD = "old", _("Trước 01/7/2025 (ba cấp)")
        NEW = "new", _("Từ 01/7/2025 (hai cấp)")

    code = models.CharField(_("mã đơn vị (GSO)"), max_length=10)
    name = models.CharField(_("tên"), max_length=150)
    full_name = models.CharField(_("tên đầy đủ"), max_length=200)
    name_folded = models.CharField(_("tên không dấu"), max_length=200, db_index=True, editable=False)
    kind = models.CharField(_("loại đơn vị"), max_length=20, choices=Kind.choices)
    level = models.PositiveSmallIntegerField(_("cấp"), choices=Level.choices)
    era = models.CharField(_("bản đồ hành chính"), max_length=3, choices=Era.choices)
    valid_from = models.DateField(_("hiệu lực từ ngày"), null=True, blank=True)
    valid_to = models.DateField(
        _("hiệu lực đến ngày"), null=True, blank=True, help_text=_("Để trống nếu đơn vị còn hiệu lực.")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    province = models.ForeignKey(
        "self",
        verbose_name=_("tỉnh/thành phố (cùng thời kỳ)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="province_units",
        help_text=_("Tỉnh của cùng bản đồ hành chính; với một tỉnh là chính nó."),
    )
    current_province = models.ForeignKey(
        "self",
        verbose_name=_("tỉnh/thành phố hiện nay"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rolled_up_units",
        help_text=_("Tỉnh của bản đồ hành chính hiện nay mà đơn vị này thuộc về hoặc đã nhập vào."),
    )
    successors = models.ManyToManyField(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        symmetrical=False,
        blank=True,
        related_name="predecessors",
        help_text=_("Các đơn vị của bản đồ mới đã tiếp nhận đơn vị này (có thể nhiều đơn vị)."),
    )

    objects = AdministrativeUnitManager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["-era", "level", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["era", "level", "code"], name="places_unit_unique_code_per_era_level"
            ),
        ]

    def __str__(self) -> str:
        if self.era == self.Era.OLD:
            return gettext("%(name)s (trước 7/2025)") % {"name": self.full_name}
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        self.name_folded = fold_name(self.full_name)
        if kwargs.get("update_fields") is not None and "full_name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_folded"}
        super().save(*args, **kwargs)

    def natural_key(self) -> tuple[str, int, str]:
        return (self.era, self.level, self.code)

    @property
    def is_current(self) -> bool:
        return self.era == self.Era.NEW

    def today_province(self) -> AdministrativeUnit | None:
        """The province of today's map this unit rolls up into (itself for a current province)."""
        if self.current_province_id is not None:
            return self.current_province
        if self.era == self.Era.NEW:
            if self.level == self.Level.PROVINCE:
                return self
            return self.province
        return None

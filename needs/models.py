"""Needs registered by establishments on the public page, and the staff's answer to each."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NeedStatus(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận, chờ xem xét")
    ACCEPTED = "accepted", _("Đã chấp nhận")
    DECLINED = "declined", _("Không tiếp nhận")
    PROPOSED = "proposed", _("Đã đưa vào dự thảo đề án")


# The one table of moves. Merging with an existing establishment is an acceptance (the need keeps the link).
NEED_MOVES: dict[str, frozenset[str]] = {
    NeedStatus.RECEIVED: frozenset({NeedStatus.ACCEPTED, NeedStatus.DECLINED, NeedStatus.PROPOSED}),
    NeedStatus.ACCEPTED: frozenset({NeedStatus.DECLINED, NeedStatus.PROPOSED}),
    NeedStatus.DECLINED: frozenset(),
    NeedStatus.PROPOSED: frozenset(),
}


class InvalidNeedTransition(Exception):
    pass


class NeedQuerySet(models.QuerySet):
    def visible_to(self, user) -> "NeedQuerySet":
        from accounts.scoping import province_filter

        return self.filter(province_filter(user, "province"))

    def open(self) -> "NeedQuerySet":
        return self.filter(status__in=[NeedStatus.RECEIVED, NeedStatus.ACCEPTED])


class Need(models.Model):
    """A need for support (nhu cầu hỗ trợ) registered by a cơ sở CNNT, cooperative or household business."""

    receipt_code = models.CharField(_("mã biên nhận"), max_length=16, unique=True, editable=False)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=NeedStatus.choices, default=NeedStatus.RECEIVED
    )
    name = models.CharField(_("tên cơ sở / hộ kinh doanh"), max_length=300)
    kind = models.ForeignKey(
        "beneficiaries.BeneficiaryKind", verbose_name=_("loại hình"), on_delete=models.PROTECT
    )
    tax_code = models.CharField(_("mã số thuế"), max_length=14, blank=True)
    representative = models.CharField(_("người liên hệ"), max_length=160)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("địa chỉ (thôn, ấp, số nhà)"), max_length=300, blank=True)
    commune_text = models.CharField(_("xã/phường (như đã ghi)"), max_length=200)
    unit_at_time = models.ForeignKey(
        "places.AdministrativeUnit",
        verbose_name=_("xã/phường được nhận ra"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    current_unit = models.ForeignKey(
        "places.AdministrativeUnit",
        verbose_name=_("xã/phường (hiện nay)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    province = models.ForeignKey(
        "places.AdministrativeUnit",
        verbose_name=_("tỉnh/thành phố (hiện nay)"),
        on_delete=models.PROTECT,
        related_name="needs",
    )
    content = models.ForeignKey(
        "programs.ActivityContent", verbose_name=_("nội dung hỗ trợ"), on_delete=models.PROTECT
    )
    description = models.TextField(_("nhu cầu cụ thể"), max_length=2000)
    estimated_cost = models.BigIntegerField(_("kinh phí dự kiến (đồng)"), null=True, blank=True)
    consent_text = models.TextField(_("nội dung đồng ý đã hiển thị"))
    # Same establishment, content and request: a resubmission within minutes finds the first one by this key.
    fingerprint = models.CharField(max_length=64, editable=False, db_index=True)
    dedupe_key = models.CharField(max_length=80, editable=False, unique=True)
    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary",
        verbose_name=_("cơ sở trong danh sách"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="needs",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("dự thảo đề án"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs",
    )
    decline_reason = models.TextField(_("lý do không tiếp nhận"), blank=True)
    created_at = models.DateTimeField(_("ngày đăng ký"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhu cầu hỗ trợ")
        verbose_name_plural = _("nhu cầu hỗ trợ")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["province", "status", "-created_at"], name="need_province_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_cost__isnull=True) | Q(estimated_cost__gte=0), name="need_cost_nonneg"
            ),
            models.CheckConstraint(condition=~Q(phone="") | ~Q(email=""), name="need_has_contact"),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""), name="need_declined_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_code} — {self.name}"

    def transition_to(self, status: str) -> None:
        if status not in NEED_MOVES[self.status]:
            raise InvalidNeedTransition(f"{self.status} -> {status}")
        self.status = status


class NeedTransition(models.Model):
    """Who moved a need, when, from which status to which, with what comment (the decline reason too)."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="transitions")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_status = models.CharField(max_length=10, choices=NeedStatus.choices)
    to_status = models.CharField(max_length=10, choices=NeedStatus.choices)
    comment = models.TextField(_("ghi chú"), blank=True)
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    class Meta:
        verbose_name = _("bước xử lý nhu cầu")
        verbose_name_plural = _("bước xử lý nhu cầu")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.need.receipt_code}: {self.from_status} → {self.to_status}"

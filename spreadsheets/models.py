"""An upload waiting between preview and confirmation, and the record of what an import did."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    BENEFICIARIES = "beneficiaries", _("Cơ sở công nghiệp nông thôn")
    PROJECTS = "projects", _("Đề án (kèm dự toán và cơ sở thụ hưởng)")
    TARGETS = "targets", _("Chỉ tiêu chương trình")
    OUTPUTS = "outputs", _("Kết quả đã đạt (số liệu tổng hợp)")


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user) -> ImportJobQuerySet:
        """Each person sees only their own uploads (the file may hold data of their province only)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(owner=user)


class ImportJob(models.Model):
    class Status(models.TextChoices):
        CHECKING = "checking", _("Đang kiểm tra tệp")
        PREVIEWED = "previewed", _("Đã kiểm tra, chờ xác nhận")
        INVALID = "invalid", _("Có lỗi, chưa nhập")
        REFUSED = "refused", _("Tệp bị từ chối")
        IMPORTED = "imported", _("Đã nhập")
        CANCELLED = "cancelled", _("Đã hủy")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tải lên"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("loại dữ liệu"), max_length=20, choices=ImportKind.choices)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices)
    file = models.FileField(_("tệp"), upload_to="imports/%Y/%m/", max_length=255)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    report = models.JSONField(_("kết quả kiểm tra"), default=dict, blank=True)
    created_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    finished_at = models.DateTimeField(_("nhập xong lúc"), null=True, blank=True)
    convert_legacy = models.BooleanField(
        _("chuyển bảng mã cũ sang Unicode"),
        default=False,
        help_text=_(
            "Văn bản gõ bằng TCVN3 (ABC) hoặc VNI được chuyển sang Unicode khi kiểm tra và khi nhập."
        ),
    )

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("lần nhập Excel")
        verbose_name_plural = _("các lần nhập Excel")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.original_name}"

    @property
    def can_confirm(self) -> bool:
        return self.status == self.Status.PREVIEWED

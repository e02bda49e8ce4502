"""Access of other systems: tokens a system administrator issues to a named system, and the log of its writes."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def hash_key(raw: str) -> str:
    """Keys are long random strings: a plain SHA-256 is enough (a slow hash protects guessable passwords)."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A system's key. Only its hash is stored; the key itself is shown once, when issued.

    The token acts through its own account (`user`): a staff profile at the agency it was issued for gives
    it that agency's province, and its role gives it the same checks as a person doing the same step."""

    class Access(models.TextChoices):
        READ = "read", _("Chỉ đọc")
        READ_WRITE = "read_write", _("Đọc và ghi")

    system_name = models.CharField(_("tên hệ thống"), max_length=200)
    agency = models.ForeignKey(
        "programs.Agency",
        verbose_name=_("cơ quan (tỉnh được phép)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Để trống: toàn quốc, chỉ đọc."),
    )
    province = models.ForeignKey(
        "places.AdministrativeUnit",
        verbose_name=_("tỉnh/thành phố"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    access = models.CharField(_("quyền"), max_length=12, choices=Access.choices, default=Access.READ)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản của hệ thống"),
        on_delete=models.PROTECT,
        related_name="api_token",
        editable=False,
    )
    prefix = models.CharField(_("tiền tố khóa"), max_length=12, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cấp"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )
    issued_at = models.DateTimeField(_("ngày cấp"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("ngày thu hồi"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("lần dùng gần nhất"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("khóa API")
        verbose_name_plural = _("khóa API")
        ordering = ["system_name", "-issued_at"]
        constraints = [
            # A national token reads every province and writes nothing.
            models.CheckConstraint(
                condition=Q(agency__isnull=False) | Q(access="read"), name="apitoken_national_read_only"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.system_name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def can_write(self) -> bool:
        return self.access == self.Access.READ_WRITE and self.agency_id is not None


class ApiWrite(models.Model):
    """One write through the API: which system, what, the answer. Field diffs are in the audit log."""

    token = models.ForeignKey(
        ApiToken, verbose_name=_("khóa API"), on_delete=models.PROTECT, related_name="writes"
    )
    system_name = models.CharField(_("tên hệ thống"), max_length=200)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=300)
    object_ref = models.CharField(_("đối tượng"), max_length=100, blank=True)
    status_code = models.PositiveSmallIntegerField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lần ghi qua API")
        verbose_name_plural = _("nhật ký ghi qua API")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.system_name} {self.method} {self.path} → {self.status_code}"

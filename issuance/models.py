"""Issued reports: the register of outgoing documents, the issued files as they were sent, and their signed
copies. Nothing here is ever changed after it is written (NĐ 30/2020/NĐ-CP: a document stays as sent)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _


class IssuedDocumentChanged(Exception):
    """Something tried to change or delete what was issued."""


class RegisterCounter(models.Model):
    """The last number an agency gave in its register of outgoing documents in one year. Locked while a
    number is taken, so two leaders issuing at once get consecutive numbers, never the same one."""

    agency_key = models.CharField(_("mã cơ quan"), max_length=40)
    year = models.PositiveSmallIntegerField(_("năm"))
    last_number = models.PositiveIntegerField(_("số cuối đã cấp"), default=0)

    class Meta:
        verbose_name = _("sổ văn bản đi")
        verbose_name_plural = _("sổ văn bản đi")
        constraints = [models.UniqueConstraint(fields=["agency_key", "year"], name="issuance_one_counter")]

    def __str__(self) -> str:
        return f"{self.agency_key} {self.year}: {self.last_number}"


class IssuedReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> QuerySet[IssuedReport]:
        from accounts.scoping import NOTHING, sees_all_provinces, user_province_id

        if sees_all_provinces(user):
            return self
        province_id = user_province_id(user)
        if province_id is None:
            return self.filter(NOTHING)
        return self.filter(province_id=province_id)

    def of_target(self, kind: str, params: dict) -> QuerySet[IssuedReport]:
        return self.filter(kind=kind, params=params)


class IssuedReport(models.Model):
    """One report as issued: its number, the PDF and Excel bytes, the figures they were built from."""

    kind = models.CharField(_("loại báo cáo"), max_length=40)
    params = models.JSONField(_("tham số báo cáo"))
    title = models.CharField(_("trích yếu"), max_length=500)
    province = models.ForeignKey(
        "places.AdministrativeUnit",
        verbose_name=_("tỉnh/thành phố"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Để trống với báo cáo của cơ quan cấp Bộ."),
    )
    agency_key = models.CharField(_("mã cơ quan"), max_length=40)
    agency_name = models.CharField(_("cơ quan ban hành"), max_length=255)
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveIntegerField(_("số"))
    symbol = models.CharField(_("ký hiệu"), max_length=40)
    place = models.CharField(_("địa danh"), max_length=120)
    issued_on = models.DateField(_("ngày ban hành"))
    issued_at = models.DateTimeField(_("thời điểm ban hành"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ban hành"), on_delete=models.PROTECT, related_name="+"
    )
    signer_name = models.CharField(_("người ký"), max_length=255, blank=True)
    pdf = models.BinaryField(_("tệp PDF"))
    xlsx = models.BinaryField(_("tệp Excel"))
    figures = models.JSONField(_("số liệu"))
    sha256 = models.CharField(_("SHA-256 của tệp PDF"), max_length=64, unique=True)
    xlsx_sha256 = models.CharField(_("SHA-256 của tệp Excel"), max_length=64)
    verify_code = models.CharField(_("mã xác minh"), max_length=12, unique=True)
    # Where the signatures go on the PDF: {"page": n, "box": [x1, y1, x2, y2]} for the signer.
    signature_place = models.JSONField(_("vị trí chữ ký"), default=dict)
    recipients = models.JSONField(_("thư điện tử người nhận"), default=list, blank=True)
    request_token = models.CharField(_("mã yêu cầu"), max_length=64, unique=True)

    objects = IssuedReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo đã ban hành")
        verbose_name_plural = _("báo cáo đã ban hành")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(fields=["agency_key", "year", "number"], name="issuance_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="issuance_number_from_one"),
        ]
        indexes = [models.Index(fields=["kind", "issued_at"], name="issuance_kind_idx")]

    def __str__(self) -> str:
        return f"{self.number_text} — {self.title}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise IssuedDocumentChanged(_("Báo cáo đã ban hành không được sửa."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise IssuedDocumentChanged(_("Báo cáo đã ban hành không được xóa."))

    @property
    def number_text(self) -> str:
        """ "05/BC-SCT" """
        return f"{self.number:02d}/{self.symbol}"

    @property
    def pretty_code(self) -> str:
        return f"{self.verify_code[:4]}-{self.verify_code[4:]}"


class SignedCopy(models.Model):
    """The issued PDF with digital signatures added (incremental revisions): by the signer, uploaded after
    signing with their own tool, or by the agency's certificate on the server. Verified before it is stored."""

    class Kind(models.TextChoices):
        SIGNER = "signer", _("Người có thẩm quyền ký")
        AGENCY = "agency", _("Cơ quan ký (chứng thư số của cơ quan)")

    issued = models.ForeignKey(
        IssuedReport, verbose_name=_("báo cáo"), on_delete=models.PROTECT, related_name="signed_copies"
    )
    kind = models.CharField(_("loại chữ ký"), max_length=10, choices=Kind.choices)
    pdf = models.BinaryField(_("tệp PDF đã ký"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    signers = models.JSONField(_("chữ ký"), default=list)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    class Meta:
        verbose_name = _("bản đã ký số")
        verbose_name_plural = _("bản đã ký số")
        ordering = ["issued", "added_at"]

    def __str__(self) -> str:
        return f"{self.issued.number_text} ({self.get_kind_display()})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise IssuedDocumentChanged(_("Bản đã ký số không được sửa."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise IssuedDocumentChanged(_("Bản đã ký số không được xóa."))

"""Documents attached to a đề án (decisions, minutes, contracts, photos), kept outside the web root."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from khuyencong.choice_labels import ChoiceLabels


def document_path(instance: "ProjectDocument", filename: str) -> str:
    # The stored name never carries the user's file name: no path tricks, no clashes.
    extension = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"projects/{instance.project_id}/{uuid.uuid4().hex}.{extension}"


class ProjectDocument(ChoiceLabels):
    class Kind(models.TextChoices):
        DECISION = "decision", _("Quyết định")
        MINUTES = "minutes", _("Biên bản")
        CONTRACT = "contract", _("Hợp đồng")
        PHOTO = "photo", _("Hình ảnh")
        OTHER = "other", _("Tài liệu khác")

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("đề án"), on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("loại tài liệu"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("tiêu đề"), max_length=300, blank=True)
    file = models.FileField(_("tệp"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    content_type = models.CharField(_("định dạng"), max_length=120)
    transition = models.ForeignKey(
        "projects.ProjectTransition",
        verbose_name=_("gắn với bước xử lý"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tải lên"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)

    class Meta:
        verbose_name = _("tài liệu đề án")
        verbose_name_plural = _("tài liệu đề án")
        ordering = ["project", "-uploaded_at"]

    def __str__(self) -> str:
        return self.title or self.original_name

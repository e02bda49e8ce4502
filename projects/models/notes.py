"""Internal notes on a đề án: working remarks between the staff of its province, never shown to the
Ministry, to another province or in any report."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.scoping import user_province_id


class ProjectNoteQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ProjectNoteQuerySet":
        """Notes of the đề án of the user's own province; none for anyone else (the Ministry included)."""
        province_id = user_province_id(user) if getattr(user, "is_authenticated", False) else None
        if province_id is None:
            return self.none()
        return self.filter(project__province_id=province_id)


class ProjectNote(models.Model):
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("đề án"), on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ghi"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("nội dung ghi chú"))
    created_at = models.DateTimeField(_("thời điểm ghi"), auto_now_add=True)

    objects = ProjectNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("ghi chú nội bộ")
        verbose_name_plural = _("ghi chú nội bộ")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.project.code} — {self.created_at:%d/%m/%Y}"

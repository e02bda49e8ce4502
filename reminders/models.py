"""Which e-mails a person wants, and which reminders went out (never the same item twice on one day)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailPreference(models.Model):
    """Kinds of e-mail a person can turn off; without a row, every kind is sent."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="email_preference",
    )
    reminders = models.BooleanField(
        _("thư nhắc việc hằng ngày"),
        default=True,
        help_text=_("Việc sắp đến hạn và quá hạn: báo cáo tháng, thanh lý hợp đồng, tạm ứng chờ quyết định."),
    )
    workflow = models.BooleanField(
        _("thư báo khi đề án đến lượt mình"),
        default=True,
        help_text=_("Gửi ngay khi một đề án chuyển bước và chờ bạn xử lý."),
    )

    class Meta:
        verbose_name = _("lựa chọn nhận thư")
        verbose_name_plural = _("lựa chọn nhận thư")

    def __str__(self) -> str:
        return str(self.user)


class ReminderSent(models.Model):
    """One reminded item for one person on one day; the unique constraint is what makes a re-run harmless."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người nhận"), on_delete=models.CASCADE)
    item = models.CharField(_("việc"), max_length=100)
    day = models.DateField(_("ngày"))
    sent_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("thư nhắc đã gửi")
        verbose_name_plural = _("thư nhắc đã gửi")
        constraints = [
            models.UniqueConstraint(fields=["user", "item", "day"], name="reminder_once_per_item_and_day")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.item} — {self.day:%d/%m/%Y}"

"""The few records every app shares."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FormSubmission(models.Model):
    """A form's one-time token, kept once the form was acted on (see khuyencong.once): the same form sent
    again (a double click, a resent POST after a network error or the back button) finds it and is
    answered with the first result instead of acting again."""

    token = models.CharField(_("mã biểu mẫu"), max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người gửi"), on_delete=models.CASCADE, related_name="+"
    )
    result_url = models.CharField(_("trang kết quả"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("thời điểm gửi"), auto_now_add=True)

    class Meta:
        verbose_name = _("biểu mẫu đã gửi")
        verbose_name_plural = _("biểu mẫu đã gửi")

    def __str__(self) -> str:
        return self.token

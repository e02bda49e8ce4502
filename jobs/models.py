"""A piece of long work run by a background worker: who started it, how far it got, and what came of it.

The task framework keeps its own result row (django-tasks); this row is the portal's side of it, found by the
task result's id, and it outlives the framework's result (RQ forgets results after a few minutes).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from khuyencong.choice_labels import ChoiceLabels


class JobQuerySet(models.QuerySet):
    def visible_to(self, user) -> JobQuerySet:
        """Each person sees the work they started; nobody else's (another's answers 404)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(owner=user)

    def active(self) -> JobQuerySet:
        return self.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING])

    def about(self, subject: str) -> JobQuerySet:
        return self.filter(subject=subject)


class Job(ChoiceLabels):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ xử lý")
        RUNNING = "running", _("Đang chạy")
        SUCCEEDED = "succeeded", _("Đã xong")
        FAILED = "failed", _("Thất bại")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    handler = models.CharField(_("việc"), max_length=100)
    label = models.CharField(_("mô tả"), max_length=255)
    # What the work is about, e.g. "spreadsheets.importjob:12", so the page that started it can find it.
    subject = models.CharField(_("đối tượng"), max_length=100, blank=True, db_index=True)
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    # The id of the current attempt's task result (django-tasks); a retry gets a new one.
    task_result_id = models.CharField(_("mã kết quả tác vụ"), max_length=64, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("số lần chạy tối đa"), default=3)
    done = models.PositiveIntegerField(_("đã xử lý"), default=0)
    total = models.PositiveIntegerField(_("tổng cộng"), default=0)
    message = models.CharField(_("thông báo"), max_length=255, blank=True)
    error = models.TextField(_("lý do thất bại"), blank=True)
    result_file = models.FileField(_("tệp kết quả"), upload_to="jobs/%Y/%m/", max_length=255, blank=True)
    result_name = models.CharField(_("tên tệp kết quả"), max_length=255, blank=True)
    result_url = models.CharField(_("trang kết quả"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("việc chạy nền")
        verbose_name_plural = _("các việc chạy nền")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="job_status_created")]

    def __str__(self) -> str:
        return self.label

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.done * 100 / self.total))

"""The page of one background job: a progress bar the browser polls (HTMX, every second) and the result."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views import View
from django.views.generic import DetailView

from . import progress
from .models import Job
from .services import is_stale, job_reap


def job_state(job: Job) -> dict:
    """What the bar shows: the live figures while running, the row's once finished."""
    if job.status == Job.Status.RUNNING and is_stale(job) and job_reap(job):
        job.refresh_from_db()
    live = progress.live(job.pk) if not job.is_finished else None
    done, total, message, elapsed = job.done, job.total, job.message, None
    if live:
        done, total, message = live["done"], live["total"], live["message"] or message
        elapsed = live.get("elapsed")
    percent = job.percent if job.is_finished or not total else min(100, int(done * 100 / total))
    return {
        "job": job, "done": done, "total": total, "message": message, "percent": percent, "elapsed": elapsed,
    }  # fmt: skip


class JobDetailView(LoginRequiredMixin, DetailView):
    template_name = "jobs/job_detail.html"
    context_object_name = "job"

    def get_queryset(self):
        return Job.objects.visible_to(self.request.user)

    def get_template_names(self):
        if self.request.htmx:
            return ["jobs/job_detail.html#job-progress"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["state"] = job_state(self.object)
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        job = context["state"]["job"]
        htmx = self.request.htmx
        if htmx and job.is_finished and job.result_url and htmx.current_url_abs_path == job.result_url:
            # The bar sits on the page of the result (the import preview): show that page as it is now.
            response["HX-Refresh"] = "true"
        return response


class JobFileView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        job = get_object_or_404(Job.objects.visible_to(request.user), pk=pk)
        if job.status != Job.Status.SUCCEEDED or not job.result_file:
            raise Http404
        response = FileResponse(job.result_file.open("rb"), as_attachment=True, filename=job.result_name)
        response["Cache-Control"] = "private, no-store"
        return response

"""Report downloads (PDF and Excel) and the dashboard. Thin: scope, call the selector or export, respond."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from accounts.scoping import sees_all_provinces, user_province_id
from beneficiaries.models import BeneficiaryKind
from jobs.services import job_start
from places.models import AdministrativeUnit
from programs.models import Programme
from projects.filters import ProjectFilter as StaffProjectFilter
from projects.models import Project
from projects.selectors import tasks_for

from . import charts, exports
from .forms import ReportChoiceForm
from .periods import Period
from .selectors import dashboard as build_dashboard
from .selectors.dashboard import dashboard_years, default_year


def _respond(result: exports.ReportFile) -> HttpResponse:
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _format(fmt: str) -> str:
    if fmt not in exports.FORMATS:
        raise Http404
    return fmt


def _period(slug: str) -> Period:
    try:
        return Period.from_slug(slug)
    except ValueError as exc:
        raise Http404 from exc


def _visible_province(user, code: str) -> AdministrativeUnit:
    """Today's province by GSO code, if the user may see it (another province answers 404, like a wrong code)."""
    province = get_object_or_404(AdministrativeUnit.objects.current().provinces(), code=code)
    if not sees_all_provinces(user) and user_province_id(user) != province.pk:
        raise Http404
    return province


def user_province(user) -> AdministrativeUnit | None:
    province_id = user_province_id(user)
    return AdministrativeUnit.objects.filter(pk=province_id).first() if province_id else None


def _pdf_in_background(request: HttpRequest, fmt: str, *, handler: str, label: str, params: dict):
    """A PDF report as a background job (the job's page shows progress, then the file); None for Excel, which
    is built in a fraction of a second, or when PDF_REPORTS_IN_BACKGROUND is off."""
    if fmt != exports.PDF or not settings.PDF_REPORTS_IN_BACKGROUND:
        return None
    return _job_page(request, handler=handler, label=label, params={**params, "fmt": fmt})


def _job_page(request: HttpRequest, *, handler: str, label: str, params: dict) -> HttpResponse:
    """Start a report file as a background job and lead to the job's page (progress, then the file)."""
    job = job_start(actor=request.user, handler=handler, label=label, params=params)
    return redirect("jobs:detail", pk=job.pk)


@login_required
@require_GET
def annual_download(request: HttpRequest, province: str, period: str, fmt: str) -> HttpResponse:
    unit, chosen, fmt = _visible_province(request.user, province), _period(period), _format(fmt)
    label = _("Báo cáo %(period)s của %(province)s, tệp PDF") % {
        "period": chosen.label,
        "province": unit.name,
    }
    if job := _pdf_in_background(
        request, fmt, handler="reports.annual", label=label, params={"province": unit.pk, "period": period}
    ):
        return job
    return _respond(exports.annual(province=unit, period=chosen, fmt=fmt, user=request.user))


@login_required
@require_GET
def programme_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    programme, fmt = get_object_or_404(Programme.objects.visible_to(request.user), pk=pk), _format(fmt)
    label = _("Báo cáo chương trình %(name)s, tệp PDF") % {"name": programme.name}
    if job := _pdf_in_background(request, fmt, handler="reports.programme", label=label, params={"pk": pk}):
        return job
    return _respond(exports.programme(programme=programme, fmt=fmt, user=request.user))


@login_required
@require_GET
def national_download(request: HttpRequest, period: str, fmt: str) -> HttpResponse:
    if not sees_all_provinces(request.user):
        raise Http404
    if settings.NATIONAL_REPORT_IN_BACKGROUND:
        return _job_page(
            request,
            handler="reports.national",
            label=_("Báo cáo toàn quốc %(period)s, tệp %(fmt)s")
            % {"period": _period(period).label, "fmt": fmt.upper()},
            params={"period": period, "fmt": _format(fmt)},
        )
    return _respond(exports.national(period=_period(period), fmt=_format(fmt), user=request.user))


@login_required
@require_GET
def national_programme_download(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    """The national-programme report: the Ministry's (each province's own đề án are in its own reports)."""
    if not sees_all_provinces(request.user):
        raise Http404
    fmt = _format(fmt)
    label = _("Báo cáo Chương trình khuyến công quốc gia năm %(year)s, tệp PDF") % {"year": year}
    if job := _pdf_in_background(
        request, fmt, handler="reports.national_programme", label=label, params={"year": year}
    ):
        return job
    return _respond(exports.national_programme(year=year, fmt=fmt, user=request.user))


def _filtered_projects(request: HttpRequest):
    return filtered_projects(request, request.GET)


def filtered_projects(request, query):
    """The staff list's own filter over the user's đề án, and a line saying which filter was used."""
    filterset = StaffProjectFilter(
        query or None, queryset=Project.objects.visible_to(request.user), request=request
    )
    if filterset.is_bound and not filterset.is_valid():
        raise Http404
    parts = []
    if filterset.is_bound:
        for name, value in filterset.form.cleaned_data.items():
            if value in (None, "", [], ()):
                continue
            field = filterset.form.fields[name]
            if hasattr(field, "choices") and not hasattr(value, "pk"):
                value = dict(field.choices).get(value, value)
            parts.append(f"{field.label}: {value}")
    return filterset, "; ".join(parts) or _("tất cả đề án")


@login_required
@require_GET
def project_list_download(request: HttpRequest, fmt: str) -> HttpResponse:
    filterset, description = _filtered_projects(request)
    if filterset.qs.count() > settings.EXPORT_BACKGROUND_ROWS:
        # A long list is built by a worker, streamed to a file; the page shows its progress and the file.
        job = job_start(
            actor=request.user,
            handler="reports.project_list",
            label=_("Danh sách đề án (%(what)s), tệp %(fmt)s") % {"what": description, "fmt": fmt.upper()},
            params={"query": request.GET.urlencode(), "fmt": _format(fmt)},
        )
        return redirect("jobs:detail", pk=job.pk)
    result = exports.project_list(
        projects=filterset.qs,
        description=description,
        fmt=_format(fmt),
        province=user_province(request.user),
    )
    return _respond(result)


@login_required
@require_GET
def support_history_download(request: HttpRequest, fmt: str) -> HttpResponse:
    filterset, description = _filtered_projects(request)
    kind = filterset.form.cleaned_data.get("beneficiary_kind") if filterset.is_bound else None
    if kind in (None, ""):
        kind = None
    elif not isinstance(kind, BeneficiaryKind):
        # The list's filter gives the kind's id (its choices are read with the other drop-downs).
        kind = BeneficiaryKind.objects.filter(pk=kind).first()
    result = exports.support_history(
        projects=filterset.qs,
        description=description,
        kind=kind,
        fmt=_format(fmt),
        province=user_province(request.user),
    )
    return _respond(result)


class ReportIndexView(LoginRequiredMixin, TemplateView):
    """Download buttons for every report and period of the chosen year (and province, for the Ministry)."""

    template_name = "reports/report_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        national = sees_all_provinces(user)
        years = dashboard_years(user)
        this_year = timezone.localdate().year
        choices = sorted(set(years) | {this_year}, reverse=True)
        year, province = default_year(years), None
        # The year the page lists is the year its drop-down shows, so "Xem" stays on it.
        form = ReportChoiceForm(
            self.request.GET or None, years=choices, national=national, initial={"year": year}
        )
        if form.is_bound and form.is_valid():
            year = form.cleaned_data["year"]
            province = form.cleaned_data.get("province")
        if not national:
            province = user_province(user)
        filterset = StaffProjectFilter(None, queryset=Project.objects.none(), request=self.request)
        for name, field in filterset.form.fields.items():
            field.widget.attrs["id"] = f"list-{name}"  # the page holds two forms with a "year" field
        context.update(
            form=form,
            year=year,
            province=province,
            national=national,
            periods=Period.all_of_year(year),
            programmes=Programme.objects.visible_to(user).order_by("-start_year", "name"),
            list_filter=filterset.form,
        )
        return context


# Tasks of each kind listed on the dashboard.
TASKS_SHOWN = 20


class DashboardView(LoginRequiredMixin, TemplateView):
    """Everyone: my tasks. Leadership and officers: the year at a glance. The Ministry: the same by province."""

    template_name = "reports/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        year = self.request.GET.get("year")
        board = build_dashboard(user, year=int(year) if year and year.isdigit() else None)
        labels = {
            "planned": _("Dự toán"),
            "allocated": _("Được giao"),
            "disbursed": _("Giải ngân"),
            "settled": _("Quyết toán"),
        }
        tasks = tasks_for(user, limit=TASKS_SHOWN)
        context.update(
            board=board,
            tasks=tasks,
            # The first few of each kind of task; the rest are counted (a province's leader may have thousands).
            tasks_shown=f":{TASKS_SHOWN}",
            tasks_more=sum(
                max(0, n - TASKS_SHOWN)
                for n in (tasks.projects_count, len(tasks.overdue_reports), tasks.advances_count)
            ),
            chart=charts.source_chart(
                board.by_source,
                title=_("Kinh phí năm %(year)s theo nguồn (đồng)") % {"year": board.year},
                labels=labels,
                font=charts.WEB_FONT,
            ),
            period=Period(board.year),
        )
        return context

"""Pages of the annual plan's cycle: open next year's plan, build it from proposals with a running total,
submit, approve, and adjust it as new versions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from programs.models import AnnualPlan, FundingSource

from .forms import AdjustForm, ApproveForm, BuildForm, PlanCreateForm, ReturnForm
from .models import VersionStatus
from .permissions import can_approve_plan, can_create_plan, can_prepare_plan
from .selectors import by_source, current_version, money_of_projects, open_version, proposals, version_diff
from .services import (
    plan_adjustment_propose,
    plan_build_from_proposals,
    plan_create,
    plan_version_approve,
    plan_version_return,
    plan_version_submit,
)


def _errors_into(error: ValidationError, form) -> None:
    items = error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
    for field, errors in items:
        form.add_error(field if field in form.fields else None, errors)


def _plan(request, pk) -> AnnualPlan:
    return get_object_or_404(AnnualPlan.objects.visible_to(request.user).select_related("province"), pk=pk)


class PlanCreateView(LoginRequiredMixin, View):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_create_plan(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, form=None, status=200):
        form = form or PlanCreateForm(user=request.user)
        return render(request, "planning/plan_form.html", {"form": form}, status=status)

    def post(self, request):
        form = PlanCreateForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                plan = plan_create(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                _errors_into(error, form)
            else:
                messages.success(request, _("Đã mở kế hoạch «%(name)s».") % {"name": plan.name})
                return redirect("planning:build", pk=plan.pk)
        return self.get(request, form=form, status=400)


class PlanCycleView(LoginRequiredMixin, View):
    """The plan's versions: money by source and content, what each adjustment changed, and the next step."""

    def get(self, request, pk, forms=None, status=200):
        plan = _plan(request, pk)
        versions = list(
            plan.versions.select_related("created_by").prefetch_related(
                "lines__source", "lines__content", "transitions__actor"
            )
        )
        for version in versions:
            version.diff_rows, version.diff_totals = version_diff(version)
        open_ = open_version(plan)
        forms = forms or {}
        context = {
            "plan": plan,
            "versions": versions,
            "current": current_version(plan),
            "open": open_,
            "can_prepare": can_prepare_plan(request.user, plan),
            "can_approve": can_approve_plan(request.user, plan),
            "approve_form": forms.get("approve") or ApproveForm(),
            "return_form": forms.get("return") or ReturnForm(),
        }
        return render(request, "planning/plan_cycle.html", context, status=status)


class PlanStepView(LoginRequiredMixin, View):
    def post(self, request, pk, action):
        plan = _plan(request, pk)
        allowed = can_approve_plan if action in ("approve", "return") else can_prepare_plan
        if not allowed(request.user, plan):
            raise PermissionDenied
        version = open_version(plan)
        if version is None:
            messages.error(request, _("Kế hoạch không có bản nào chờ xử lý."))
            return redirect("planning:cycle", pk=plan.pk)
        form = None
        try:
            if action == "submit":
                plan_version_submit(actor=request.user, version=version)
                messages.success(request, _("Đã trình UBND %(label)s.") % {"label": version.label})
            elif action == "approve":
                form = ApproveForm(request.POST)
                if form.is_valid():
                    plan_version_approve(actor=request.user, version=version, **form.cleaned_data)
                    messages.success(
                        request, _("Đã ghi nhận quyết định phê duyệt %(label)s.") % {"label": version.label}
                    )
            elif action == "return":
                form = ReturnForm(request.POST)
                if form.is_valid():
                    plan_version_return(
                        actor=request.user, version=version, comment=form.cleaned_data["comment"]
                    )
                    messages.success(request, _("Đã trả lại để sửa."))
            else:
                raise PermissionDenied
        except ValidationError as error:
            if form is None:
                for message in error.messages:
                    messages.error(request, message)
                return redirect("planning:cycle", pk=plan.pk)
            _errors_into(error, form)
        if form is not None and form.errors:
            return PlanCycleView().get(request, pk, forms={action: form}, status=400)
        return redirect("planning:cycle", pk=plan.pk)


def _totals_context(plan, project_ids, expected):
    money = money_of_projects(project_ids)
    totals = by_source(money)
    sources = FundingSource.objects.in_bulk(list(totals))
    total = sum(totals.values())
    return {
        "source_totals": [(sources[s], amount) for s, amount in sorted(totals.items())],
        "total": total,
        "expected": expected,
        "over": expected is not None and total > expected,
        "left": (expected - total) if expected is not None else None,
        "excess": (total - expected) if expected is not None else None,
        "chosen": len(project_ids),
        "chosen_ids": set(project_ids),
        "proposal_rows": proposals(plan),
    }


class PlanBuildView(LoginRequiredMixin, View):
    """Choose the proposals that make up the draft plan; the running total follows each tick (HTMX)."""

    def _allowed(self, request, plan):
        if not can_prepare_plan(request.user, plan):
            raise PermissionDenied

    def render_page(self, request, plan, form, status=200):
        chosen = [p.pk for p in form.cleaned_data.get("projects") or []]
        context = {
            "plan": plan,
            "form": form,
            **_totals_context(plan, chosen, form.cleaned_data.get("expected_allocation")),
        }
        if request.htmx:
            return render(request, "planning/plan_build.html#totals", context)
        return render(request, "planning/plan_build.html", context, status=status)

    def get(self, request, pk):
        plan = _plan(request, pk)
        self._allowed(request, plan)
        version = open_version(plan)
        if version is None or version.is_adjustment:
            messages.info(request, _("Kế hoạch đã qua dự thảo ban đầu; thay đổi kinh phí bằng điều chỉnh."))
            return redirect("planning:cycle", pk=plan.pk)
        initial = {
            "projects": list(version.projects.values_list("pk", flat=True)),
            "expected_allocation": version.expected_allocation,
        }
        if initial["expected_allocation"] is not None:
            initial["expected_allocation"] = f"{version.expected_allocation:,}".replace(",", ".")
        form = BuildForm(initial=initial, proposals=proposals(plan))
        context = {
            "plan": plan,
            "form": form,
            **_totals_context(plan, initial["projects"], version.expected_allocation),
        }
        return render(request, "planning/plan_build.html", context)

    def post(self, request, pk):
        plan = _plan(request, pk)
        self._allowed(request, plan)
        form = BuildForm(request.POST, proposals=proposals(plan))
        valid = form.is_valid()
        if request.htmx:
            return self.render_page(request, plan, form)
        if valid:
            try:
                plan_build_from_proposals(
                    actor=request.user,
                    plan=plan,
                    projects=list(form.cleaned_data["projects"]),
                    expected_allocation=form.cleaned_data["expected_allocation"],
                )
            except ValidationError as error:
                _errors_into(error, form)
            else:
                messages.success(request, _("Đã lưu dự thảo kế hoạch từ các đề xuất đã chọn."))
                return redirect("planning:cycle", pk=plan.pk)
        return self.render_page(request, plan, form, status=400)


class PlanAdjustView(LoginRequiredMixin, View):
    """An adjustment: the money by source and content, starting from the version in force, and its reason."""

    def _start(self, request, pk):
        plan = _plan(request, pk)
        if not can_prepare_plan(request.user, plan):
            raise PermissionDenied
        open_ = open_version(plan)
        if open_ is not None and not open_.is_adjustment:
            messages.error(request, _("Kế hoạch chưa được phê duyệt nên chưa điều chỉnh được."))
            return plan, None, None
        base = open_ if open_ is not None else current_version(plan)
        if base is None:
            messages.error(request, _("Kế hoạch chưa được phê duyệt nên chưa điều chỉnh được."))
            return plan, None, None
        if open_ is not None and open_.status != VersionStatus.DRAFT:
            messages.error(request, _("Bản điều chỉnh đã trình, chờ quyết định."))
            return plan, None, None
        money = {(line.source_id, line.content_id): line.amount for line in base.lines.all()}
        return plan, base, money

    def get(self, request, pk):
        plan, base, money = self._start(request, pk)
        if base is None:
            return redirect("planning:cycle", pk=plan.pk)
        form = AdjustForm(money=money, initial={"reason": base.reason if base.is_adjustment else ""})
        return render(request, "planning/plan_adjust.html", {"plan": plan, "form": form, "base": base})

    def post(self, request, pk):
        plan, base, money = self._start(request, pk)
        if base is None:
            return redirect("planning:cycle", pk=plan.pk)
        form = AdjustForm(request.POST, money=money)
        if form.is_valid():
            try:
                plan_adjustment_propose(
                    actor=request.user, plan=plan, reason=form.cleaned_data["reason"], money=form.money()
                )
            except ValidationError as error:
                _errors_into(error, form)
            else:
                messages.success(request, _("Đã lưu dự thảo điều chỉnh kế hoạch."))
                return redirect("planning:cycle", pk=plan.pk)
        return render(
            request, "planning/plan_adjust.html", {"plan": plan, "form": form, "base": base}, status=400
        )


# ---- Programmes


class ProgrammeEditView(LoginRequiredMixin, View):
    """Create a province's programme, or edit one until leadership approves it."""

    def _programme(self, request, pk):
        from programs.models import Programme

        from .programmes import can_edit_programme

        programme = None
        if pk is not None:
            programme = get_object_or_404(
                Programme.objects.visible_to(request.user).select_related("province"), pk=pk
            )
        if not can_edit_programme(request.user, programme):
            raise PermissionDenied
        return programme

    def _forms(self, programme, data=None):
        from .forms import GroupFormSet, ProgrammeForm, TargetFormSet, YearBudgetFormSet

        if programme is not None and data is None:
            budgets = [
                {"source": b.source_id, "year": b.year, "amount": f"{b.amount:,}".replace(",", ".")}
                for b in programme.year_budgets.all()
            ]
            targets = [
                {
                    "description": t.description,
                    "indicator": t.indicator_id,
                    "qualifier": t.qualifier,
                    "min_value": t.min_value,
                    "max_value": t.max_value,
                    "unit": t.unit,
                }
                for t in programme.targets.all()
            ]
            groups = [
                {"title": g.title, "description": g.description} for g in programme.solution_groups.all()
            ]
        else:
            budgets = targets = groups = None
        return (
            ProgrammeForm(data, instance=programme),
            {
                "budgets": YearBudgetFormSet(data, prefix="budgets", initial=budgets),
                "targets": TargetFormSet(data, prefix="targets", initial=targets),
                "groups": GroupFormSet(data, prefix="groups", initial=groups),
            },
        )

    def _render(self, request, programme, form, formsets, status=200):
        return render(
            request,
            "planning/programme_form.html",
            {"programme": programme, "form": form, "formsets": formsets},
            status=status,
        )

    def get(self, request, pk=None):
        programme = self._programme(request, pk)
        form, formsets = self._forms(programme)
        return self._render(request, programme, form, formsets)

    def post(self, request, pk=None):
        from .forms import formset_rows
        from .programmes import programme_save

        programme = self._programme(request, pk)
        form, formsets = self._forms(programme, request.POST)
        valid = form.is_valid() & all([fs.is_valid() for fs in formsets.values()])
        if valid:
            try:
                saved = programme_save(
                    actor=request.user,
                    programme=programme,
                    data=form.cleaned_data,
                    year_budgets=formset_rows(formsets["budgets"]),
                    targets=formset_rows(formsets["targets"]),
                    groups=formset_rows(formsets["groups"]),
                )
            except ValidationError as error:
                _errors_into(error, form)
            else:
                messages.success(request, _("Đã lưu chương trình «%(name)s».") % {"name": saved.name})
                return redirect("programs:detail", pk=saved.pk)
        return self._render(request, programme, form, formsets, status=400)


class ProgrammeApproveView(LoginRequiredMixin, View):
    def post(self, request, pk):
        from programs.models import Programme

        from .programmes import can_approve_programme, programme_approve

        programme = get_object_or_404(Programme.objects.visible_to(request.user), pk=pk)
        if not can_approve_programme(request.user, programme):
            raise PermissionDenied
        programme_approve(actor=request.user, programme=programme)
        messages.success(request, _("Đã duyệt chương trình."))
        return redirect("programs:detail", pk=programme.pk)

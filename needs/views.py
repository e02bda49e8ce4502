"""The public registration page (no login) and the staff's triage pages of needs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from programs.models import AnnualPlan

from .forms import CONSENT_TEXT, DeclineForm, MergeForm, NeedForm, ProposeForm
from .models import Need, NeedStatus
from .permissions import can_triage_need
from .protection import form_token, form_token_error, rate_limited
from .selectors import matching_beneficiaries
from .services import need_accept, need_decline, need_merge, need_propose, need_register

_TOKEN_MESSAGES = {
    "missing": _("Biểu mẫu đã cũ hoặc không đầy đủ. Vui lòng gửi lại."),
    "forged": _("Biểu mẫu đã cũ hoặc không đầy đủ. Vui lòng gửi lại."),
    "expired": _("Biểu mẫu đã mở quá lâu. Các thông tin vẫn còn, vui lòng bấm gửi lại."),
    "too_fast": _("Biểu mẫu được gửi quá nhanh. Vui lòng kiểm tra lại thông tin rồi bấm gửi."),
}


def _form_errors(error: ValidationError, form) -> None:
    items = error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
    for field, errors in items:
        form.add_error(field if field in form.fields else None, errors)


class NeedRegisterView(View):
    """Registration of a need by an establishment: phone-first, no account."""

    template_name = "needs/need_register.html"

    def render_form(self, request, form, status=200):
        return render(
            request, self.template_name, {"form": form, "consent_text": CONSENT_TEXT}, status=status
        )

    def get(self, request):
        return self.render_form(request, NeedForm(initial={"token": form_token()}))

    def post(self, request):
        wait = rate_limited(request)
        if wait:
            response = render(
                request, "needs/need_slow_down.html", {"wait_minutes": max(1, wait // 60)}, status=429
            )
            response["Retry-After"] = str(wait)
            return response
        data = request.POST.copy()
        token_error = form_token_error(data.get("token"))
        data["token"] = form_token()
        form = NeedForm(data)
        if not form.is_valid():
            return self.render_form(request, form, status=400)
        if token_error:
            form.add_error(None, _TOKEN_MESSAGES[token_error])
            return self.render_form(request, form, status=400)
        try:
            need, created = need_register(data=form.service_data(), consent_text=str(CONSENT_TEXT))
        except ValidationError as error:
            _form_errors(error, form)
            return self.render_form(request, form, status=400)
        if not created:
            messages.info(request, _("Nhu cầu này đã được gửi trước đó; đây là biên nhận của lần gửi đầu."))
        return redirect("needs:receipt", code=need.receipt_code)


class NeedReceiptView(View):
    """The registrant's receipt and status page, reached with the receipt code."""

    def get(self, request, code):
        need = get_object_or_404(
            Need.objects.select_related("content", "unit_at_time", "current_unit", "province"),
            receipt_code=code.strip().upper(),
        )
        return render(request, "needs/need_receipt.html", {"need": need})


class NeedLookupView(View):
    def get(self, request):
        code = request.GET.get("ma", "").strip().upper()
        error = None
        if code:
            if Need.objects.filter(receipt_code=code).exists():
                return redirect("needs:receipt", code=code)
            error = _("Không tìm thấy mã biên nhận «%(code)s». Kiểm tra lại các chữ và số.") % {"code": code}
        return render(
            request, "needs/need_lookup.html", {"code": code, "error": error}, status=404 if error else 200
        )


class NeedListView(LoginRequiredMixin, View):
    """The needs of the user's province, newest first, filtered by status."""

    def get(self, request):
        needs = Need.objects.visible_to(request.user).select_related(
            "content", "kind", "current_unit", "unit_at_time"
        )
        status = request.GET.get("trang-thai", "")
        counts = dict(
            needs.values_list("status").annotate(n=Count("id")).values_list("status", "n").order_by()
        )
        if status in NeedStatus.values:
            needs = needs.filter(status=status)
        page = Paginator(needs, 50).get_page(request.GET.get("trang"))
        statuses = [(value, label, counts.get(value, 0)) for value, label in NeedStatus.choices]
        return render(request, "needs/need_list.html", {"page": page, "statuses": statuses, "status": status})


def _plans_for(user, need):
    return (
        AnnualPlan.objects.visible_to(user)
        .filter(province__current_province=need.province_id)
        .order_by("-year", "kind")
    )


class NeedDetailView(LoginRequiredMixin, View):
    """A need beside the recorded establishments it may be, with the answers this user may give."""

    def get(self, request, pk, forms=None, status=200):
        need = get_object_or_404(
            Need.objects.visible_to(request.user).select_related(
                "content", "kind", "current_unit", "unit_at_time", "province", "beneficiary", "project"
            ),
            pk=pk,
        )
        candidates = matching_beneficiaries(need, request.user)
        forms = forms or {}
        context = {
            "need": need,
            "candidates": list(candidates[:10]),
            "can_triage": can_triage_need(request.user, need)
            and need.status in (NeedStatus.RECEIVED, NeedStatus.ACCEPTED),
            "is_received": need.status == NeedStatus.RECEIVED,
            "decline_form": forms.get("decline") or DeclineForm(),
            "merge_form": forms.get("merge") or MergeForm(candidates=candidates),
            "propose_form": forms.get("propose") or ProposeForm(plans=_plans_for(request.user, need)),
            "transitions": need.transitions.select_related("actor"),
        }
        return render(request, "needs/need_detail.html", context, status=status)


class NeedActionView(LoginRequiredMixin, View):
    def post(self, request, pk, action):
        need = get_object_or_404(Need.objects.visible_to(request.user), pk=pk)
        if not can_triage_need(request.user, need):
            raise PermissionDenied
        form = None
        try:
            if action == "accept":
                need_accept(actor=request.user, need=need)
                messages.success(request, _("Đã chấp nhận nhu cầu và ghi nhận cơ sở."))
            elif action == "merge":
                form = MergeForm(request.POST, candidates=matching_beneficiaries(need, request.user))
                if form.is_valid():
                    need_merge(actor=request.user, need=need, beneficiary=form.cleaned_data["beneficiary"])
                    messages.success(request, _("Đã hợp nhất với cơ sở trong danh sách."))
            elif action == "decline":
                form = DeclineForm(request.POST)
                if form.is_valid():
                    need_decline(actor=request.user, need=need, reason=form.cleaned_data["reason"])
                    messages.success(request, _("Đã trả lời không tiếp nhận; cơ sở sẽ thấy lý do."))
            elif action == "propose":
                form = ProposeForm(request.POST, plans=_plans_for(request.user, need))
                if form.is_valid():
                    project = need_propose(actor=request.user, need=need, plan=form.cleaned_data["plan"])
                    messages.success(
                        request, _("Đã lập dự thảo đề án %(code)s từ nhu cầu.") % {"code": project.code}
                    )
                    return redirect("projects:edit", pk=project.pk)
            else:
                raise PermissionDenied
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect("needs:detail", pk=need.pk)
            _form_errors(error, form)
        if form is not None and form.errors:
            return NeedDetailView().get(request, pk, forms={action: form}, status=400)
        return redirect(reverse("needs:detail", kwargs={"pk": need.pk}))

"""Pages of merging: compare a record with a possible duplicate side by side, merge, and (administrators)
undo a merge."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from beneficiaries.models import Beneficiary
from beneficiaries.services import can_edit_beneficiary
from khuyencong.vn_text import fold_accents

from .models import BeneficiaryMerge
from .services import beneficiary_merge, beneficiary_merge_undo, can_undo_merge


def _candidates(user, beneficiary: Beneficiary, text: str):
    """Records of the same province that may be the same establishment: what the officer searched for, or
    by default the same tax code or a name starting with the same two words."""
    scope = (
        Beneficiary.objects.visible_to(user)
        .filter(province=beneficiary.province)
        .exclude(pk=beneficiary.pk)
        .select_related("kind", "current_unit")
    )
    if text:
        return scope.search(text)[:20]
    words = " ".join(fold_accents(beneficiary.name).split()[:2])
    same = Q(search_text__startswith=words)
    if beneficiary.tax_code:
        same |= Q(tax_code=beneficiary.tax_code)
    return scope.filter(same)[:20]


class MergeView(LoginRequiredMixin, View):
    def _own(self, request, pk) -> Beneficiary:
        beneficiary = get_object_or_404(Beneficiary.objects.visible_to(request.user), pk=pk)
        if not can_edit_beneficiary(request.user, beneficiary):
            raise PermissionDenied
        return beneficiary

    def get(self, request, pk, status=200, error=None):
        beneficiary = self._own(request, pk)
        text = request.GET.get("q", "").strip()
        other = None
        if request.GET.get("voi", "").isdigit():
            other = get_object_or_404(
                Beneficiary.objects.visible_to(request.user).select_related("kind", "current_unit"),
                pk=request.GET["voi"],
            )
        context = {
            "beneficiary": beneficiary,
            "other": other,
            "q": text,
            "candidates": _candidates(request.user, beneficiary, text) if other is None else [],
            "error": error,
            "pair": [beneficiary, other] if other else [],
        }
        return render(request, "merging/merge.html", context, status=status)

    def post(self, request, pk):
        beneficiary = self._own(request, pk)
        other = get_object_or_404(
            Beneficiary.objects.visible_to(request.user), pk=request.POST.get("other") or 0
        )
        keep = request.POST.get("keep")
        kept, removed = (other, beneficiary) if keep == str(other.pk) else (beneficiary, other)
        try:
            merge = beneficiary_merge(actor=request.user, kept=kept, removed=removed)
        except ValidationError as error:
            request.GET = request.GET.copy()
            request.GET["voi"] = str(other.pk)
            return self.get(request, pk, status=400, error=" ".join(error.messages))
        messages.success(
            request,
            _("Đã hợp nhất «%(removed)s» vào «%(kept)s».")
            % {"removed": merge.removed_name, "kept": kept.name},
        )
        return redirect("beneficiaries:detail", pk=kept.pk)


class MergeListView(LoginRequiredMixin, View):
    """The merges done, for the system administrator, with the undo step."""

    def get(self, request):
        if not can_undo_merge(request.user):
            raise PermissionDenied
        merges = BeneficiaryMerge.objects.select_related("kept", "actor", "undone_by")[:200]
        return render(request, "merging/merge_list.html", {"merges": merges})

    def post(self, request):
        if not can_undo_merge(request.user):
            raise PermissionDenied
        merge = get_object_or_404(BeneficiaryMerge, pk=request.POST.get("merge") or 0)
        try:
            restored = beneficiary_merge_undo(actor=request.user, merge=merge)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Đã hoàn tác: cơ sở «%(name)s» được khôi phục.") % {"name": restored.name}
            )
        return redirect("merging:list")

"""Staff pages of beneficiaries: list, page, create; and the HTMX helpers of the đề án entry form."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView

from khuyencong.listing import Column, FilteredListView, SortOption, child_count, child_sum
from khuyencong.pagination import narrow_rows

from .filters import BeneficiaryFilter
from .forms import BeneficiaryForm
from .models import Beneficiary
from .services import beneficiary_create, can_edit_beneficiary
from .tax_code import normalise_tax_code, tax_code_error


def _support_sum():
    from projects.models import ProjectBeneficiary

    return child_sum(ProjectBeneficiary.objects.all(), "beneficiary_id", "support_amount")


def _project_count():
    from projects.models import ProjectBeneficiary

    return child_count(ProjectBeneficiary.objects.all(), "beneficiary_id")


# A search's count below this many matches (by the planner's estimate) is exact; above, it is estimated.
SEARCH_EXACT_COUNT_BELOW = 500


class BeneficiaryListView(FilteredListView):
    template_name = "beneficiaries/beneficiary_list.html"
    filterset_class = BeneficiaryFilter
    sort_options = {
        "name": SortOption(gettext_lazy("Tên cơ sở"), ("name", "pk")),
        "-name": SortOption(gettext_lazy("Tên cơ sở (ngược lại)"), ("-name", "-pk")),
        "-support": SortOption(gettext_lazy("Kinh phí được hỗ trợ (nhiều nhất trước)"), ("-support", "name")),
        "support": SortOption(gettext_lazy("Kinh phí được hỗ trợ (ít nhất trước)"), ("support", "name")),
        "-projects": SortOption(gettext_lazy("Số đề án (nhiều nhất trước)"), ("-project_count", "name")),
        "projects": SortOption(gettext_lazy("Số đề án (ít nhất trước)"), ("project_count", "name")),
        "-created": SortOption(gettext_lazy("Mới thêm trước"), ("-created_at", "name")),
    }
    default_sort = "name"
    export_filename = "co-so-thu-huong"
    export_title = gettext_lazy("Cơ sở thụ hưởng")
    export_columns = (
        Column(gettext_lazy("Tên cơ sở"), lambda b: b.name),
        Column(gettext_lazy("Loại hình"), lambda b: b.kind.name),
        Column(gettext_lazy("Mã số thuế"), lambda b: b.tax_code or ""),
        Column(gettext_lazy("Địa chỉ"), lambda b: b.address),
        Column(gettext_lazy("Xã/phường"), lambda b: b.current_unit.full_name if b.current_unit else ""),
        Column(gettext_lazy("Tỉnh/thành phố"), lambda b: b.province.full_name),
        Column(gettext_lazy("Số đề án"), lambda b: b.project_count),
        Column(gettext_lazy("Kinh phí được hỗ trợ (đồng)"), lambda b: b.support),
    )

    def base_queryset(self):
        return (
            Beneficiary.objects.visible_to(self.request.user)
            .select_related("kind", "current_unit", "province")
            .annotate(project_count=_project_count(), support=_support_sum())
        )

    def get_paginator(self, queryset, per_page, **kwargs):
        if self.request.GET.get("q", "").strip():
            # Counting a search's matches exactly costs as much as its trigram index scan: "khoảng …" from
            # a few hundred matches on (the page itself still tells the exact number when the list ends).
            kwargs["exact_count_below"] = SEARCH_EXACT_COUNT_BELOW
        return super().get_paginator(queryset, per_page, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = self.request.user.has_perm("beneficiaries.add_beneficiary")
        return context


class BeneficiaryDetailView(LoginRequiredMixin, DetailView):
    template_name = "beneficiaries/beneficiary_detail.html"

    def get_queryset(self):
        return Beneficiary.objects.visible_to(self.request.user).select_related(
            "kind", "current_unit", "unit_at_time", "province"
        )

    def get_context_data(self, **kwargs):
        from projects.models import Project, ProjectBeneficiary

        context = super().get_context_data(**kwargs)
        links = list(
            ProjectBeneficiary.objects.filter(
                beneficiary=self.object, project__in=Project.objects.visible_to(self.request.user)
            )
            .select_related("project", "project__plan")
            .prefetch_related("project__contents")
            .order_by("-project__year", "project__code")
        )
        by_year: dict[int, int] = {}
        for link in links:
            by_year[link.project.year] = by_year.get(link.project.year, 0) + link.support_amount
        context.update(
            links=links,
            support_by_year=sorted(by_year.items(), reverse=True),
            support_total=sum(link.support_amount for link in links),
            counterpart_total=sum(link.counterpart_amount for link in links),
            certifications=self.object.certifications.all(),
            can_edit=can_edit_beneficiary(self.request.user, self.object),
        )
        return context


class BeneficiaryCreateView(PermissionRequiredMixin, FormView):
    permission_required = "beneficiaries.add_beneficiary"
    template_name = "beneficiaries/beneficiary_form.html"
    form_class = BeneficiaryForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            beneficiary = beneficiary_create(actor=self.request.user, data=form.service_data())
        except ValidationError as error:
            for field, errors in (
                error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
            ):
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        messages.success(self.request, _("Đã thêm cơ sở «%(name)s».") % {"name": beneficiary.name})
        return redirect("beneficiaries:detail", pk=beneficiary.pk)


class BeneficiaryAutocompleteView(LoginRequiredMixin, View):
    """Up to ten establishments matching the typed text, as an HTMX fragment of choices."""

    def get(self, request: HttpRequest) -> HttpResponse:
        text = next((v for k, v in request.GET.items() if k == "q" or k.endswith("-label")), "").strip()
        results = []
        if len(text) >= 2:
            matching = (
                Beneficiary.objects.visible_to(request.user)
                .search(text)
                .select_related("kind", "current_unit")
                .order_by("name", "pk")
            )
            results = narrow_rows(matching, 0, 10)
        return render(
            request,
            "beneficiaries/beneficiary_autocomplete.html#choices",
            {"results": results, "text": text},
        )


class TaxCodeCheckView(LoginRequiredMixin, View):
    """Checks a tax code as it is typed: format and check digit, then whether it is already recorded."""

    def get(self, request: HttpRequest) -> HttpResponse:
        raw = next((v for k, v in request.GET.items() if k.endswith("tax_code")), "")
        code = normalise_tax_code(raw)
        context = {"code": code, "error": None, "existing": None}
        if code:
            context["error"] = tax_code_error(code)
            if not context["error"]:
                # Only the user's own province's records: another province's establishment with this code
                # gets exactly the answer an unknown code gets.
                context["existing"] = (
                    Beneficiary.objects.in_province_of(request.user).filter(tax_code=code).first()
                )
        return render(request, "beneficiaries/beneficiary_autocomplete.html#tax-code", context)


def _apply_errors(error: ValidationError, form) -> None:
    items = error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
    for field, errors in items:
        form.add_error(field if field in form.fields else None, errors)


def _editable(request, pk) -> Beneficiary:
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import get_object_or_404

    from .services import can_edit_beneficiary

    beneficiary = get_object_or_404(Beneficiary.objects.visible_to(request.user), pk=pk)
    if not can_edit_beneficiary(request.user, beneficiary):
        raise PermissionDenied
    return beneficiary


class BeneficiaryUpdateView(LoginRequiredMixin, View):
    """Correct an establishment's record."""

    def get(self, request, pk):
        beneficiary = _editable(request, pk)
        form = BeneficiaryForm(instance=beneficiary, user=request.user)
        return render(
            request, "beneficiaries/beneficiary_form.html", {"form": form, "beneficiary": beneficiary}
        )

    def post(self, request, pk):
        from .services import beneficiary_update

        beneficiary = _editable(request, pk)
        form = BeneficiaryForm(request.POST, instance=Beneficiary.objects.get(pk=pk), user=request.user)
        if form.is_valid():
            try:
                beneficiary_update(actor=request.user, beneficiary=beneficiary, data=form.cleaned_data)
            except ValidationError as error:
                _apply_errors(error, form)
            else:
                messages.success(request, _("Đã lưu cơ sở «%(name)s».") % {"name": form.cleaned_data["name"]})
                return redirect("beneficiaries:detail", pk=pk)
        return render(
            request,
            "beneficiaries/beneficiary_form.html",
            {"form": form, "beneficiary": beneficiary},
            status=400,
        )


class CertificationEditView(LoginRequiredMixin, View):
    """Record a certification of an establishment, or correct or remove one."""

    def _objects(self, request, pk, cert_pk):
        from django.shortcuts import get_object_or_404

        beneficiary = _editable(request, pk)
        certification = get_object_or_404(beneficiary.certifications, pk=cert_pk) if cert_pk else None
        return beneficiary, certification

    def _render(self, request, beneficiary, certification, form, status=200):
        context = {"form": form, "beneficiary": beneficiary, "certification": certification}
        return render(request, "beneficiaries/certification_form.html", context, status=status)

    def get(self, request, pk, cert_pk=None):
        from .forms import CertificationForm

        beneficiary, certification = self._objects(request, pk, cert_pk)
        return self._render(request, beneficiary, certification, CertificationForm(instance=certification))

    def post(self, request, pk, cert_pk=None):
        from .forms import CertificationForm
        from .services import certification_delete, certification_save

        beneficiary, certification = self._objects(request, pk, cert_pk)
        if certification is not None and request.POST.get("delete"):
            certification_delete(actor=request.user, certification=certification)
            messages.success(request, _("Đã xóa chứng nhận."))
            return redirect("beneficiaries:detail", pk=pk)
        form = CertificationForm(request.POST)
        if form.is_valid():
            try:
                certification_save(
                    actor=request.user,
                    beneficiary=beneficiary,
                    certification=certification,
                    data=form.cleaned_data,
                )
            except ValidationError as error:
                _apply_errors(error, form)
            else:
                messages.success(request, _("Đã lưu chứng nhận."))
                return redirect("beneficiaries:detail", pk=pk)
        return self._render(request, beneficiary, certification, form, status=400)

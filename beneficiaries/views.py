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

from .filters import BeneficiaryFilter
from .forms import BeneficiaryForm
from .models import Beneficiary
from .services import beneficiary_create
from .tax_code import normalise_tax_code, tax_code_error


def _support_sum():
    from projects.models import ProjectBeneficiary

    return child_sum(ProjectBeneficiary.objects.all(), "beneficiary_id", "support_amount")


def _project_count():
    from projects.models import ProjectBeneficiary

    return child_count(ProjectBeneficiary.objects.all(), "beneficiary_id")


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
            results = list(
                Beneficiary.objects.visible_to(request.user)
                .search(text)
                .select_related("kind", "current_unit")
                .order_by("name")[:10]
            )
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

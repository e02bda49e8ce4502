"""List filters of the API. Numbers are whole numbers: "2025.5" or "abc" is refused with 400, not ignored."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from beneficiaries.models import Beneficiary
from places.models import AdministrativeUnit
from programs.models import AnnualPlan, Programme
from projects.models import Project


class WholeNumber(django_filters.NumberFilter):
    field_class = forms.IntegerField


class StrictFilterSet(django_filters.FilterSet):
    """A filter named with no value ("?year=") is refused rather than read as "no filter"."""

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name in self.filters:
            if name in self.data and self.data.get(name) == "":
                self.form.add_error(name, _("Tham số lọc không được để trống."))
                valid = False
        return valid


class PlaceFilter(StrictFilterSet):
    level = WholeNumber()
    parent = WholeNumber(field_name="parent_id")
    current_province = WholeNumber(field_name="current_province_id")

    class Meta:
        model = AdministrativeUnit
        fields = ["era", "level", "code", "parent", "current_province"]


class ProgrammeFilter(StrictFilterSet):
    start_year = WholeNumber()
    end_year = WholeNumber()

    class Meta:
        model = Programme
        fields = ["level", "start_year", "end_year"]


class PlanFilter(StrictFilterSet):
    year = WholeNumber()

    class Meta:
        model = AnnualPlan
        fields = ["year", "kind"]


class BeneficiaryFilter(StrictFilterSet):
    class Meta:
        model = Beneficiary
        fields = ["tax_code"]


class ProjectFilter(StrictFilterSet):
    year = WholeNumber()

    class Meta:
        model = Project
        fields = ["year", "status", "kind"]

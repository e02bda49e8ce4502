"""factory_boy factories shared by the test suite. Places are made small and by hand, not loaded."""

import datetime
import itertools

import factory
from django.contrib.auth import get_user_model

from accounts.models import StaffProfile
from beneficiaries.models import Beneficiary, BeneficiaryKind
from beneficiaries.tax_code import make_check_digit
from places.models import AdministrativeUnit
from programs.models import (
    ActivityContent,
    Agency,
    AnnualPlan,
    FundingSource,
    Indicator,
    PlanAllocation,
    Programme,
)
from projects.models import Appraisal, BudgetLine, Project, ProjectBeneficiary, ProjectOutput

_tax_seq = itertools.count(100000000)


def valid_tax_code() -> str:
    while True:
        nine = f"{next(_tax_seq):09d}"
        try:
            return nine + make_check_digit(nine)
        except ValueError:
            continue


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdministrativeUnit
        django_get_or_create = ("era", "level", "code")
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"T{n:03d}")  # never a real GSO code
    name = factory.Sequence(lambda n: f"Tỉnh thử {n}")
    full_name = factory.LazyAttribute(lambda o: f"Tỉnh {o.name}")
    kind = AdministrativeUnit.Kind.TINH
    level = AdministrativeUnit.Level.PROVINCE
    era = AdministrativeUnit.Era.NEW
    valid_from = datetime.date(2025, 7, 1)

    @factory.post_generation
    def roll_up(obj, create, extracted, **kwargs):
        if create and obj.era == AdministrativeUnit.Era.NEW and obj.current_province_id is None:
            obj.current_province = obj
            obj.province = obj
            obj.save(update_fields=["current_province", "province"])


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdministrativeUnit

    code = factory.Sequence(lambda n: f"X{n:05d}")  # never a real GSO code
    name = factory.Sequence(lambda n: f"Xã Thử {n}")
    full_name = factory.LazyAttribute(lambda o: f"Xã {o.name}")
    kind = AdministrativeUnit.Kind.XA
    level = AdministrativeUnit.Level.COMMUNE
    era = AdministrativeUnit.Era.NEW
    province = factory.SubFactory(ProvinceFactory)
    parent = factory.SelfAttribute("province")
    current_province = factory.SelfAttribute("province")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Sở Công Thương thử {n}")
    kind = Agency.Kind.SO_CONG_THUONG
    province = factory.SubFactory(ProvinceFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "MatKhau@12345")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffProfile

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)


def content(number: int = 1) -> ActivityContent:
    obj, _ = ActivityContent.objects.get_or_create(
        number=number, defaults={"name": f"Nội dung {number}", "short_name": f"Nội dung {number}"}
    )
    return obj


def source(code: str = "kcdp") -> FundingSource:
    names = {
        "kcqg": "Khuyến công quốc gia",
        "kcdp": "Khuyến công địa phương",
        "doi-ung": "Vốn đối ứng",
        "khac": "Nguồn khác",
    }
    obj, _ = FundingSource.objects.get_or_create(
        code=code,
        defaults={
            "name": names.get(code, code),
            "short_name": names.get(code, code),
            "is_counterpart": code == "doi-ung",
        },
    )
    return obj


def indicator(code: str = "trainees") -> Indicator:
    obj, _ = Indicator.objects.get_or_create(code=code, defaults={"name": code, "unit": "người"})
    return obj


def beneficiary_kind(code: str = "dn-nho-va-vua") -> BeneficiaryKind:
    obj, _ = BeneficiaryKind.objects.get_or_create(code=code, defaults={"name": code})
    return obj


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    code = factory.Sequence(lambda n: f"ct-{n}")
    name = factory.Sequence(lambda n: f"Chương trình khuyến công thử {n}")
    level = Programme.Level.LOCAL
    province = factory.SubFactory(ProvinceFactory)
    start_year = 2022
    end_year = 2025


class AnnualPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualPlan

    province = factory.SubFactory(ProvinceFactory)
    year = 2025
    kind = AnnualPlan.Kind.LOCAL
    name = factory.Sequence(lambda n: f"Kế hoạch khuyến công thử {n}")


class PlanAllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanAllocation

    plan = factory.SubFactory(AnnualPlanFactory)
    source = factory.LazyFunction(source)
    amount = 1_000_000_000


class BeneficiaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Beneficiary

    name = factory.Sequence(lambda n: f"Cơ sở đan dây nhựa {n}")
    kind = factory.LazyFunction(beneficiary_kind)
    tax_code = factory.LazyFunction(valid_tax_code)
    province = factory.SubFactory(ProvinceFactory)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"da-{n}")
    title = factory.Sequence(lambda n: f"Đề án đào tạo nghề thử {n}")
    plan = factory.SubFactory(AnnualPlanFactory)
    kind = Project.Kind.LOCAL
    start_date = datetime.date(2025, 3, 1)
    end_date = datetime.date(2025, 11, 30)

    @factory.post_generation
    def contents(obj, create, extracted, **kwargs):
        if create:
            obj.contents.set(extracted if extracted is not None else [content(1)])


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    project = factory.SubFactory(ProjectFactory)
    source = factory.LazyFunction(source)
    content = factory.LazyFunction(content)
    expense_item = "Chi phí tổ chức lớp học"
    amount = 100_000_000


class ProjectBeneficiaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectBeneficiary

    project = factory.SubFactory(ProjectFactory)
    beneficiary = factory.SubFactory(BeneficiaryFactory)
    support_amount = 50_000_000
    counterpart_amount = 20_000_000
    counterpart_committed = True


class ProjectOutputFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectOutput

    project = factory.SubFactory(ProjectFactory)
    indicator = factory.LazyFunction(indicator)
    planned = 30


class AppraisalFactory(factory.django.DjangoModelFactory):
    """One appraiser's scoring sheet (80/100, recommending approval): what the approval rule asks for."""

    class Meta:
        model = Appraisal

    project = factory.SubFactory(ProjectFactory)
    appraiser = factory.SubFactory(UserFactory)
    score_fit = 16
    score_necessity = 16
    score_efficiency = 16
    score_budget = 16
    score_capacity = 16
    recommendation = "approve"
    submitted_at = factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC))

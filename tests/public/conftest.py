"""A small published world: two provinces, a programme with targets, đề án in every status, and beneficiaries
of every kind — households and individuals seeded with values found nowhere else, so a leak is unmistakable."""

import datetime
from dataclasses import dataclass

import pytest

from projects.models import ProjectStatus
from tests.factories import (
    AgencyFactory,
    AnnualPlanFactory,
    BeneficiaryFactory,
    BudgetLineFactory,
    CommuneFactory,
    ProgrammeFactory,
    ProjectBeneficiaryFactory,
    ProjectFactory,
    ProjectOutputFactory,
    ProvinceFactory,
    beneficiary_kind,
    indicator,
    source,
    valid_tax_code,
)

S = ProjectStatus

# Values that appear in no template, translation or reference row: any of them on a public page is a leak.
PERSONAL = {
    "household_name": "Hộ kinh doanh Quỳnh Xyzzyq",
    "household_tax": None,  # filled with a valid, unique code
    "household_rep": "Trần Văn Quxbaz",
    "household_phone": "0987 654 321",
    "household_email": "plugh.hokd@example.vn",
    "household_address": "Số 77 đường Wibblewobble, ấp Frobnitz",
    "artisan_name": "Nghệ nhân Lê Thudfoo",
    "artisan_phone": "0911 222 333",
    "artisan_email": "thudfoo@example.vn",
    "artisan_address": "Tổ 5 khu phố Gazonk",
    "enterprise_rep": "Phạm Thị Grault",
    "enterprise_phone": "0243 999 888",
    "enterprise_email": "grault@example.vn",
    "enterprise_address": "Lô C9 đường Waldofred",
}
HIDDEN_TITLES = {
    S.DRAFT: "Đề án dự thảo Glorpnik",
    S.SUBMITTED: "Đề án đã đăng ký Snorkelbaum",
    S.APPRAISING: "Đề án đang thẩm định Mimsyborog",
    S.RETURNED: "Đề án trả lại Bandersnatch",
    S.REJECTED: "Đề án không duyệt Jubjubbird",
    S.WITHDRAWN: "Đề án đã rút Tumtumtree",
}
ENTERPRISE_NAME = "Công ty TNHH Mây tre Vĩnh Phát"
COOP_NAME = "Hợp tác xã Gốm Tân Hòa"


@dataclass
class Published:
    province: object
    other: object
    year: int
    programme: object
    shown: object
    titled_with_household: object


def build_published() -> Published:
    PERSONAL["household_tax"] = PERSONAL["household_tax"] or valid_tax_code()
    province = ProvinceFactory(name="Tỉnh Công Khai", full_name="Tỉnh Công Khai")
    other = ProvinceFactory(name="Tỉnh Láng Giềng", full_name="Tỉnh Láng Giềng")
    commune = CommuneFactory(province=province, name="Xã Hòa Bình", full_name="Xã Hòa Bình")
    programme = ProgrammeFactory(
        province=province, start_year=2024, end_year=2026, name="Chương trình khuyến công Công Khai 2024–2026"
    )
    programme.targets.create(
        description="Đào tạo nghề cho 200 lao động",
        indicator=indicator("trainees"),
        min_value=200,
        unit="người",
    )
    plan = AnnualPlanFactory(province=province, year=2025, programme=programme)
    AnnualPlanFactory(province=other, year=2025)
    agency = AgencyFactory(province=province, name="Trung tâm Khuyến công Tỉnh Công Khai")

    household = BeneficiaryFactory(
        province=province,
        kind=beneficiary_kind("ho-kinh-doanh"),
        name=PERSONAL["household_name"],
        tax_code=PERSONAL["household_tax"],
        representative=PERSONAL["household_rep"],
        phone=PERSONAL["household_phone"],
        email=PERSONAL["household_email"],
        address=PERSONAL["household_address"],
        current_unit=commune,
    )
    artisan = BeneficiaryFactory(
        province=province,
        kind=beneficiary_kind("nghe-nhan"),
        name=PERSONAL["artisan_name"],
        tax_code=None,
        phone=PERSONAL["artisan_phone"],
        email=PERSONAL["artisan_email"],
        address=PERSONAL["artisan_address"],
        current_unit=commune,
    )
    enterprise = BeneficiaryFactory(
        province=province,
        kind=beneficiary_kind("dn-nho-va-vua"),
        name=ENTERPRISE_NAME,
        representative=PERSONAL["enterprise_rep"],
        phone=PERSONAL["enterprise_phone"],
        email=PERSONAL["enterprise_email"],
        address=PERSONAL["enterprise_address"],
        current_unit=commune,
    )
    coop = BeneficiaryFactory(
        province=province, kind=beneficiary_kind("htx"), name=COOP_NAME, current_unit=commune
    )

    shown = ProjectFactory(
        plan=plan,
        status=S.IN_PROGRESS,
        title="Đào tạo nghề mây tre đan Hòa Bình",
        implementing_agency=agency,
        site_address=PERSONAL["household_address"],
        objectives="Đào tạo 30 lao động nông thôn.",
        approval_decision_number="45/QĐ-SCT",
        approval_decision_date=datetime.date(2025, 2, 10),
    )
    shown.sites.set([commune])
    BudgetLineFactory(project=shown, source=source("kcdp"), amount=150_000_000)
    BudgetLineFactory(project=shown, source=source("doi-ung"), amount=40_000_000)
    ProjectOutputFactory(project=shown, indicator=indicator("trainees"), planned=30, achieved=28)
    for b in (household, artisan, enterprise, coop):
        ProjectBeneficiaryFactory(project=shown, beneficiary=b)

    titled = ProjectFactory(
        plan=plan,
        status=S.APPROVED,
        title=f"Hỗ trợ máy móc cho {PERSONAL['household_name']}",
        objectives=f"Cơ sở của ông {PERSONAL['household_rep']} được hỗ trợ.",
    )
    ProjectBeneficiaryFactory(project=titled, beneficiary=household)

    for status, title in HIDDEN_TITLES.items():
        hidden = ProjectFactory(plan=plan, status=status, title=title)
        BudgetLineFactory(project=hidden, source=source("kcdp"), amount=7_777_777)
        ProjectBeneficiaryFactory(project=hidden, beneficiary=enterprise)
    return Published(province, other, 2025, programme, shown, titled)


@pytest.fixture
def published(db) -> Published:
    return build_published()

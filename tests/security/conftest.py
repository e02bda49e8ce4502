"""Two provinces with one of everything, a user per role in each, a Ministry viewer and an administrator.

Everything of the *other* province carries the marker OTHER_MARK in its code, title or name, so a test
can assert that no page shown to a user of the first province contains it."""

from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile

from accounts.roles import GROUP_NAMES, Role
from accounts.services import roles_setup
from programs.models import Agency, AnnualPlan
from projects.models import NationalPlan, NationalPlanLine, Project, ProjectDocument, ProjectStatus
from spreadsheets.models import ImportJob, ImportKind
from tests.factories import (
    AgencyFactory,
    AnnualPlanFactory,
    BeneficiaryFactory,
    BudgetLineFactory,
    CommuneFactory,
    PlanAllocationFactory,
    ProgrammeFactory,
    ProjectBeneficiaryFactory,
    ProjectFactory,
    ProjectOutputFactory,
    ProvinceFactory,
    StaffProfileFactory,
    UserFactory,
    content,
    source,
)

OTHER_MARK = "KHACTINH"
OWN_MARK = "NHATINH"
PROVINCE_ROLES = (Role.OFFICER, Role.APPRAISER, Role.LEADER, Role.CENTRE)
# The Ministry's acting roles: they act on national đề án of every province, read everything else.
CUC_ROLES = (Role.CUC_OFFICER, Role.CUC_COUNCIL, Role.CUC_LEADER)
ALL_ROLES = ("anonymous", *PROVINCE_ROLES, Role.MINISTRY, *CUC_ROLES, Role.ADMIN)
PASSWORD = "MatKhau@12345"


@dataclass
class Side:
    province: object
    plan: object
    programme: object
    project: object
    beneficiary: object
    document: object
    users: dict = field(default_factory=dict)
    national_project: object = None
    national_plan: object = None


@dataclass
class World:
    own: Side
    other: Side
    ministry: object
    admin: object
    cuc: dict = field(default_factory=dict)

    def user(self, role: str):
        if role == "anonymous":
            return None
        if role == Role.MINISTRY:
            return self.ministry
        if role in self.cuc:
            return self.cuc[role]
        if role == Role.ADMIN:
            return self.admin
        return self.own.users[role]


def make_user(role: str, agency, username: str):
    user = UserFactory(username=username, email=f"{username}@example.vn", first_name=username)
    user.groups.add(Group.objects.get_or_create(name=GROUP_NAMES[role])[0])
    if agency is not None:
        StaffProfileFactory(user=user, agency=agency)
    return user


def make_side(mark: str, tag: str) -> Side:
    province = ProvinceFactory(name=f"Tỉnh {tag}")
    plan = AnnualPlanFactory(province=province, year=2025, name=f"Kế hoạch {mark} 2025")
    PlanAllocationFactory(plan=plan, source=source("kcdp"), amount=1_000_000_000)
    programme = ProgrammeFactory(province=province, name=f"Chương trình {mark}", code=f"ct-{mark.lower()}")
    project = ProjectFactory(
        plan=plan, code=f"{mark.lower()}-2025-001", title=f"Đề án {mark} đào tạo nghề", start_date=None
    )
    project.sites.set([CommuneFactory(province=province)])
    BudgetLineFactory(project=project, source=source("kcdp"), content=content(1), amount=123_456_789)
    beneficiary = BeneficiaryFactory(province=province, name=f"Cơ sở {mark} mây tre đan")
    ProjectBeneficiaryFactory(project=project, beneficiary=beneficiary)
    ProjectOutputFactory(project=project, planned=30)
    agency = AgencyFactory(province=province, name=f"Sở Công Thương {tag}")
    users = {role: make_user(role, agency, f"{role}.{tag}") for role in PROVINCE_ROLES}
    document = ProjectDocument(
        project=project,
        kind=ProjectDocument.Kind.MINUTES,
        title=f"Biên bản {mark}",
        original_name=f"bien-ban-{mark}.pdf",
        size=9,
        content_type="application/pdf",
        uploaded_by=users[Role.OFFICER],
    )
    document.file.save("upload.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    document.save()
    # A national đề án of the province, under the Cục's appraisal, in a draft national plan of its own year.
    year = 2026 if mark == OWN_MARK else 2027
    national_part = AnnualPlanFactory(
        province=province, year=year, kind=AnnualPlan.Kind.NATIONAL, name=f"Kế hoạch quốc gia {mark}"
    )
    national_project = ProjectFactory(
        plan=national_part,
        kind=Project.Kind.NATIONAL,
        status=ProjectStatus.CUC_REVIEW,
        code=f"{mark.lower()}-kcqg-001",
        title=f"Đề án quốc gia {mark}",
    )
    BudgetLineFactory(project=national_project, source=source("kcqg"), content=content(1), amount=50_000_000)
    national_plan = NationalPlan.objects.create(year=year, name=f"Kế hoạch KCQG {mark}", total=90_000_000)
    NationalPlanLine.objects.create(
        plan=national_plan, project=national_project, content=content(1), amount=50_000_000
    )
    return Side(
        province, plan, programme, project, beneficiary, document, users, national_project, national_plan
    )


@pytest.fixture
def world(db, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    roles_setup()
    ministry_agency = Agency.objects.create(name="Cục Khuyến công (thử)", kind=Agency.Kind.CUC)
    admin = UserFactory(username="quantri", email="quantri@example.vn", is_superuser=True, is_staff=True)
    world = World(
        own=make_side(OWN_MARK, "nha"),
        other=make_side(OTHER_MARK, "khac"),
        ministry=make_user(Role.MINISTRY, ministry_agency, "bo"),
        admin=admin,
        cuc={role: make_user(role, ministry_agency, f"{role}.bo") for role in CUC_ROLES},
    )
    for side, mark in ((world.own, OWN_MARK), (world.other, OTHER_MARK)):
        issued_report_for(side, mark)
    return world


def issued_report_for(side: Side, mark: str):
    """An issued report of the side's Sở (rows only: the files' contents do not matter to access)."""
    import hashlib

    from django.utils import timezone

    from issuance.models import IssuedReport

    found = IssuedReport.objects.filter(request_token=f"ma-tran-{mark}").first()
    if found is not None:
        return found
    import io

    from openpyxl import Workbook

    pdf = f"%PDF-1.7 {mark}".encode()
    book = Workbook()
    book.active["A1"] = f"Báo cáo {mark}"
    xlsx = io.BytesIO()
    book.save(xlsx)
    return IssuedReport.objects.create(
        kind="annual",
        params={"province": side.province.code, "period": "2025"},
        title=f"Báo cáo {mark} năm 2025",
        province=side.province,
        agency_key=f"SCT-{side.province.code}",
        agency_name=f"Sở Công Thương {mark}",
        year=2026,
        number=1,
        symbol="BC-SCT",
        place=side.province.name,
        issued_on=timezone.localdate(),
        issued_at=timezone.now(),
        issued_by=side.users[Role.LEADER],
        pdf=pdf,
        xlsx=xlsx.getvalue(),
        figures={"project_count": 1},
        sha256=hashlib.sha256(pdf).hexdigest(),
        xlsx_sha256="0" * 64,
        verify_code=f"MATRAN{len(mark):02d}"[:8],
        request_token=f"ma-tran-{mark}",
    )


def import_job_for(owner, mark: str) -> ImportJob:
    job = ImportJob(
        owner=owner,
        kind=ImportKind.BENEFICIARIES,
        status=ImportJob.Status.INVALID,
        original_name=f"co-so-{mark}.xlsx",
        report={},
    )
    job.file.save("co-so.xlsx", ContentFile(b"PK\x03\x04"), save=False)
    job.save()
    return job


def background_job_for(owner, mark: str):
    """A finished background job of `owner` with its result file (the đề án list of their province)."""
    from jobs.models import Job

    job = Job(
        owner=owner,
        handler="reports.project_list",
        label=f"Danh sách đề án {mark}",
        status=Job.Status.SUCCEEDED,
    )
    job.result_file.save("danh-sach.txt", ContentFile(f"danh sach {mark}".encode()), save=False)
    job.result_name = "danh-sach-de-an.txt"
    job.save()
    return job


__all__ = [
    "ALL_ROLES",
    "CUC_ROLES",
    "OTHER_MARK",
    "OWN_MARK",
    "PROVINCE_ROLES",
    "World",
    "background_job_for",
    "import_job_for",
    "issued_report_for",
]

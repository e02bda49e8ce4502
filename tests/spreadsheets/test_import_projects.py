"""Importing đề án with their budget lines and beneficiaries (three sheets, all or nothing)."""

import datetime
import io

import pytest

from projects.models import BudgetLine, Project, ProjectBeneficiary, ProjectStatus
from spreadsheets.engine import run_import
from tests.factories import AnnualPlanFactory, BeneficiaryFactory, ProjectFactory, content

from .conftest import make_xlsx

pytestmark = pytest.mark.django_db

PROJECT = [
    "Mã đề án",
    "Tên đề án",
    "Năm kế hoạch",
    "Loại đề án",
    "Nội dung",
    "Địa bàn",
    "Ngày bắt đầu",
    "Ngày kết thúc",
]
BUDGET = ["Mã đề án", "Nội dung", "Nguồn kinh phí", "Khoản chi", "Số tiền (đồng)"]
LINKS = [
    "Mã đề án",
    "Mã số thuế",
    "Tên cơ sở",
    "Xã/phường",
    "Kinh phí hỗ trợ (đồng)",
    "Vốn đối ứng (đồng)",
    "Đã cam kết vốn đối ứng",
]


def workbook(projects, budget=(), links=()) -> bytes:
    return make_xlsx(
        PROJECT, projects, title="Đề án",
        extra_sheets={"Dự toán": (BUDGET, list(budget)), "Cơ sở thụ hưởng": (LINKS, list(links))},
    )  # fmt: skip


def run(data, actor, commit=True):
    return run_import(kind="projects", source=io.BytesIO(data), actor=actor, commit=commit)


@pytest.fixture
def plan(can_tho, reference_data):
    return AnnualPlanFactory(province=can_tho, year=2026, kind="kcdp")


def project_row(code="CT-2026-01", **overrides):
    row = {
        "Mã đề án": code, "Tên đề án": "Đào tạo nghề đan lát", "Năm kế hoạch": 2026, "Loại đề án": "KCĐP",
        "Nội dung": "1, 3", "Địa bàn": "xã Trường Thắng, huyện Thới Lai",
        "Ngày bắt đầu": datetime.datetime(2026, 3, 1),  # noqa: DTZ001 - an Excel date cell is naive
        "Ngày kết thúc": "30/11/2026",
    }  # fmt: skip
    row.update(overrides)
    return [row[h] for h in PROJECT]


def test_project_with_budget_lines_and_beneficiaries_is_written_as_a_whole(plan, can_tho_officer, can_tho):
    household = BeneficiaryFactory(province=can_tho, tax_code=None, name="Hộ đan lát Ba Tư",
                                   unit_at_time=_unit("Xã Thới Lai"))  # fmt: skip
    firm = BeneficiaryFactory(province=can_tho)
    data = workbook(
        [project_row()],
        budget=[
            ["CT-2026-01", 1, "KC địa phương", "Thuê giảng viên", "12.000.000"],
            ["CT-2026-01", "Mô hình trình diễn, ứng dụng máy móc", "Vốn đối ứng", "Máy đan", 150_000_000],
        ],
        links=[
            ["CT-2026-01", firm.tax_code, None, None, "50.000.000", "20.000.000", "Có"],
            ["CT-2026-01", None, "Hộ đan lát Ba Tư", "Xã Thới Lai, Cần Thơ", 5_000_000, 0, "Không"],
        ],
    )
    report = run(data, can_tho_officer)

    assert report.ok and report.committed, report.errors
    project = Project.objects.get(code="CT-2026-01")
    assert project.plan == plan and project.province == can_tho
    assert project.status == ProjectStatus.DRAFT and project.created_by == can_tho_officer
    assert sorted(c.number for c in project.contents.all()) == [1, 3]
    assert [s.full_name for s in project.sites.all()] == ["Xã Trường Thắng"]
    assert (project.start_date, project.end_date) == (datetime.date(2026, 3, 1), datetime.date(2026, 11, 30))
    lines = {(b.content.number, b.source.code, b.expense_item): b.amount for b in BudgetLine.objects.all()}
    assert lines == {(1, "kcdp", "Thuê giảng viên"): 12_000_000, (3, "doi-ung", "Máy đan"): 150_000_000}
    links = {(link.beneficiary_id, link.support_amount, link.counterpart_amount, link.counterpart_committed)
             for link in ProjectBeneficiary.objects.all()}  # fmt: skip
    assert links == {(firm.pk, 50_000_000, 20_000_000, True), (household.pk, 5_000_000, 0, False)}

    again = run(data, can_tho_officer)
    assert (again.totals.new, again.totals.updated, again.totals.unchanged) == (0, 0, 5)


def test_a_bad_budget_line_rolls_back_the_projects_too(plan, can_tho_officer):
    data = workbook(
        [project_row(), project_row("CT-2026-02", **{"Ngày bắt đầu": "01/12/2026"})],
        budget=[
            ["CT-2026-01", 1, "KC địa phương", "Thuê giảng viên", "-5.000.000"],
            ["CT-2026-01", 1, "KC địa phương", "Tài liệu", "1.000.000,5"],
            ["CT-2026-01", 9, "KC địa phương", "Hội thảo", 1_000_000],
            ["CT-2026-01", 1, "Ngân sách lạ", "Thuê giảng viên", 1_000_000],
            ["CT-2026-09", 1, "KC địa phương", "Thuê giảng viên", 1_000_000],
            ["CT-2026-01", "Nội dung 12", "KC địa phương", "Khác", 1],
            ["CT-2026-01", 1, "KC địa phương", "Tài liệu", 2_000],
        ],
    )
    report = run(data, can_tho_officer)

    assert not report.committed
    assert Project.objects.count() == BudgetLine.objects.count() == 0
    found = {(e.sheet, e.row, e.column): e.message for e in report.errors}
    assert (
        found[("Đề án", 3, "Ngày kết thúc")] == "Ngày kết thúc (30/11/2026) trước ngày bắt đầu (01/12/2026)."
    )
    assert found[("Dự toán", 2, "Số tiền (đồng)")] == "Không được là số âm (-5.000.000)."
    assert (
        found[("Dự toán", 3, "Số tiền (đồng)")]
        == "«1.000.000,5» không phải là số tiền hợp lệ (ví dụ đúng: 1.791.000.000)."
    )
    assert found[("Dự toán", 4, "Nội dung")].startswith("Nội dung «9. ")
    assert found[("Dự toán", 5, "Nguồn kinh phí")] == "Không có nguồn kinh phí «Ngân sách lạ» trong danh mục."
    assert found[("Dự toán", 6, "Mã đề án")].startswith("Không có đề án mã «CT-2026-09»")
    assert found[("Dự toán", 7, "Nội dung")] == "Không có nội dung «Nội dung 12» trong danh mục."
    assert report.sheets[0].new == 1 and report.sheets[0].rejected == 1


def test_missing_plan_unknown_content_and_duplicate_code_are_named(reference_data, can_tho_officer):
    data = workbook([project_row(**{"Nội dung": "1, Đúc đồng"}), project_row(**{"Năm kế hoạch": 2030})])
    report = run(data, can_tho_officer)
    found = {(e.row, e.column): e.message for e in report.errors}
    assert found[(2, "Nội dung")] == "Không có nội dung «Đúc đồng» trong danh mục."
    assert found[(2, "Năm kế hoạch")].startswith(
        "Chưa có kế hoạch khuyến công năm 2026 (Khuyến công địa phương)"
    )
    assert found[(3, "Mã đề án")] == "Trùng mã đề án với dòng 2 của tệp."
    assert Project.objects.count() == 0


def test_approved_project_is_not_changed_through_excel(plan, can_tho_officer, can_tho):
    project = ProjectFactory(
        code="CT-2026-01", plan=plan, status=ProjectStatus.APPROVED, contents=[content(1)]
    )
    report = run(workbook([project_row(**{"Tên đề án": "Tên mới"})]), can_tho_officer)
    assert [(e.row, e.column) for e in report.errors] == [(2, "Mã đề án")]
    assert "Đã phê duyệt" in report.errors[0].message
    project.refresh_from_db()
    assert project.title != "Tên mới"


def test_officer_cannot_import_into_another_provinces_plan(reference_data, hai_phong_officer, plan):
    report = run(workbook([project_row(**{"Địa bàn": None})]), hai_phong_officer)
    assert [(e.row, e.column) for e in report.errors] == [(2, "Năm kế hoạch")]
    assert Project.objects.count() == 0


def _unit(full_name):
    from places.models import AdministrativeUnit

    return AdministrativeUnit.objects.get(era="new", level=3, full_name=full_name)


def test_another_provinces_project_code_gets_the_message_an_unknown_code_gets(
    plan, hai_phong_officer, can_tho
):
    """Seen from Hải Phòng, a Cần Thơ đề án code is answered exactly as a code that exists nowhere."""
    ProjectFactory(code="CT-2026-07", plan=plan, contents=[content(1)])
    budget = [["CT-2026-07", "1", "KCĐP", "Thuê giảng viên", 1_000_000]]
    unknown = [["CT-2026-99", "1", "KCĐP", "Thuê giảng viên", 1_000_000]]
    links = [["CT-2026-07", "0101245486", None, None, 0, 0, "x"]]
    unknown_links = [["CT-2026-99", "0101245486", None, None, 0, 0, "x"]]

    def messages(data):
        report = run(data, hai_phong_officer, commit=False)
        return sorted((e.sheet, e.column, e.message.replace("99", "07")) for e in report.errors)

    theirs = messages(workbook([], budget=budget, links=links))
    nowhere = messages(workbook([], budget=unknown, links=unknown_links))
    assert theirs == nowhere
    assert any("Không có đề án mã «CT-2026-07»" in m for _s, _c, m in theirs)
    assert not any("tỉnh khác" in m for _s, _c, m in theirs)

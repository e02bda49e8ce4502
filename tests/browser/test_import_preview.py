"""An officer imports a workbook as offices make it: a title above the table, legacy-font text, a column the
portal does not know, a district where a commune is asked for, a changed row. The preview shows the values
that will be saved; the officer converts the legacy text, reads the converted values, and confirms."""

import datetime
import io

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from beneficiaries.models import Beneficiary
from places.models import AdministrativeUnit

from .conftest import DESKTOP, serious_accessibility_violations
from .test_journey import PASSWORD, portal  # noqa: F401 - the journey's two provinces and their people

pytestmark = pytest.mark.browser


def office_file(code: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "DS co so"
    sheet.append(["DANH SÁCH CƠ SỞ CÔNG NGHIỆP NÔNG THÔN"])
    sheet.merge_cells("A1:G1")
    sheet.append(["(Kèm theo Công văn số 45/SCT ngày 02/3/2026)"])
    sheet.append(
        ["Tên cơ sở", "Loại hình", "Mã số thuế", "Xã/phường", "Người đại diện", "Số lao động", "Ghi chú"]
    )
    sheet.append(
        [
            "Cơ sở mộc Thới Lai",
            "Hộ kinh doanh",
            code,
            "Xã Thới Lai, Thành phố Cần Thơ",
            "Lê Văn Cường",
            14,
            "x",
        ]
    )
    sheet.append(
        ["Hµng m©y tre", "Hộ kinh doanh", None, "Xã Thới Lai, Thành phố Cần Thơ", "NguyÔn ThÞ Lan", 6, None]
    )
    sheet.append(["Cô sôû ñan laùt", "Hộ kinh doanh", None, "xã Cờ Đỏ, Cần Thơ", "Traàn Vaên Bình", 8, None])
    sheet.append(
        ["Hộ dệt chiếu", "Hộ kinh doanh", None, "huyện Phong Điền, Cần Thơ", "Phạm Thị Dung", 3, None]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_officer_reads_the_values_converts_legacy_text_and_imports_once(
    browser,
    live_server,
    camera,
    portal,  # noqa: F811
    tmp_path,
):
    cantho = portal["thoi_lai"].province
    AdministrativeUnit.objects.create(
        era=AdministrativeUnit.Era.OLD, level=AdministrativeUnit.Level.DISTRICT, code="926",
        name="Phong Điền", full_name="Huyện Phong Điền", kind=AdministrativeUnit.Kind.HUYEN,
        current_province=cantho, valid_to=datetime.date(2025, 6, 30),
    )  # fmt: skip
    known = Beneficiary.objects.get(name="Hợp tác xã Đan dây nhựa Thới Lai")
    known.name, known.unit_at_time, known.employees = "Cơ sở mộc Thới Lai", portal["thoi_lai"], 9
    known.save()
    path = tmp_path / "danh-sach-co-so.xlsx"
    path.write_bytes(office_file(known.tax_code))

    context = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("canbo.cantho")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()

    page.goto(f"{live_server.url}/excel/")
    page.get_by_label("Loại dữ liệu").select_option("beneficiaries")
    page.get_by_label("Tệp bảng tính (.xlsx hoặc .ods)").set_input_files(str(path))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.get_by_role("heading", name="Văn bản gõ bằng bảng mã cũ")).to_be_visible()
    expect(page.get_by_text("Các cột sau không có trong mẫu nên sẽ bị bỏ qua")).to_be_visible()
    expect(page.get_by_text("«Huyện Phong Điền» là đơn vị cấp huyện/tỉnh")).to_be_visible()
    expect(page.get_by_role("cell", name="Nguyễn Thị Lan", exact=True).first).to_be_visible()
    camera.shoot(page, "xem-truoc-bang-ma-cu")
    assert serious_accessibility_violations(page) == []

    page.get_by_role("button", name="Chuyển sang Unicode").click()
    expect(page.get_by_role("heading", name="Văn bản đã chuyển từ bảng mã cũ sang Unicode")).to_be_visible()
    values = page.locator(
        "section", has=page.get_by_role("heading", name="Giá trị sẽ được lưu — trang tính «Cơ sở CNNT»")
    )
    expect(values.get_by_role("cell", name="Hàng mây tre", exact=True)).to_be_visible()
    expect(values.get_by_role("cell", name="Trần Văn Bình", exact=True)).to_be_visible()
    expect(values.get_by_text("1 dòng thay đổi (cũ → mới)")).to_be_visible()
    expect(values.locator("del", has_text="9")).to_be_visible()
    expect(values.locator("ins", has_text="14")).to_be_visible()
    camera.shoot(page, "xem-truoc-da-chuyen-ma")
    assert serious_accessibility_violations(page) == []

    confirm = page.get_by_role("button", name="Xác nhận nhập 4 dòng")
    confirm.dblclick()
    expect(page.get_by_text("Đã nhập xong: 3 dòng mới, 1 dòng cập nhật, 0 dòng không đổi.")).to_be_visible()
    expect(page.get_by_text("không còn chờ xác nhận")).to_have_count(0)
    camera.shoot(page, "da-nhap")
    saved = dict(Beneficiary.objects.values_list("name", "representative"))
    assert saved == {
        "Cơ sở mộc Thới Lai": "Lê Văn Cường",
        "Hàng mây tre": "Nguyễn Thị Lan",
        "Cơ sở đan lát": "Trần Văn Bình",
        "Hộ dệt chiếu": "Phạm Thị Dung",
    }
    assert Beneficiary.objects.get(name="Cơ sở mộc Thới Lai").employees == 14
    context.close()

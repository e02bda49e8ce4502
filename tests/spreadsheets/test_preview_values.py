"""The preview shows values, not only counts; conversion on request; .ods; refused files are not kept; a
confirmation sent twice imports once."""

import datetime
import io
import threading
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.test import Client
from django.urls import reverse

from beneficiaries.models import Beneficiary, BeneficiaryKind
from places.models import AdministrativeUnit
from spreadsheets.engine import run_import
from spreadsheets.models import ImportJob
from spreadsheets.reading import read_workbook
from tests.conftest import in_thread
from tests.factories import valid_tax_code

from .conftest import make_xlsx

HEADERS = ["Tên cơ sở", "Loại hình", "Mã số thuế", "Xã/phường", "Người đại diện", "Số lao động", "Cột lạ"]


def run(data, actor, **kwargs):
    return run_import(kind="beneficiaries", source=io.BytesIO(data), actor=actor, **kwargs)


@pytest.mark.django_db
def test_preview_lists_saved_values_changed_rows_ignored_columns_and_districts(
    reference_data, can_tho_officer, can_tho
):
    code = valid_tax_code()
    unit = AdministrativeUnit.objects.current().communes().get(province=can_tho, name="Thới Lai")
    Beneficiary.objects.create(
        name="Hộ mộc Thới Lai", kind=BeneficiaryKind.objects.get(name="Hộ kinh doanh"), tax_code=code,
        unit_at_time=unit, current_unit=unit, province=can_tho, representative="Lê Văn Cường", employees=4,
    )  # fmt: skip
    data = make_xlsx(
        HEADERS,
        [
            [
                "Hộ mộc Thới Lai",
                "Hộ kinh doanh",
                code,
                "Xã Thới Lai, Thành phố Cần Thơ",
                "Lê Văn Cường",
                9,
                "x",
            ],
            ["Hộ đan lát", "Hộ kinh doanh", None, "xã Thới Lai, Cần Thơ", "Nguyễn Thị Lan", "1.200", None],
            ["Hộ dệt chiếu", "Hộ kinh doanh", None, "huyện Phong Điền, TP Cần Thơ", None, None, None],
        ],
    )
    report = run(data, can_tho_officer, commit=False)
    assert report.ok, report.errors
    preview = report.previews[0]
    assert preview["ignored_columns"] == ["Cột lạ"]
    assert preview["columns"][:6] == HEADERS[:6]
    first = preview["samples"][0]
    assert first["row"] == 3
    assert first["values"][:6] == ["Hộ đan lát", "Hộ kinh doanh", "", "Xã Thới Lai", "Nguyễn Thị Lan", "1200"]
    assert preview["changed_rows"] == 1
    assert preview["changes"] == [{"row": 2, "changes": [{"column": "Số lao động", "old": "4", "new": "9"}]}]
    assert [(w["row"], w["column"]) for w in preview["warnings"]] == [(4, "Xã/phường")]
    assert "Huyện Phong Điền" in preview["warnings"][0]["message"]
    assert "không phải xã/phường" in preview["warnings"][0]["message"]


def upload(client, data: bytes, name: str = "co-so.xlsx"):
    file = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(reverse("spreadsheets:index"), {"kind": "beneficiaries", "file": file})


@pytest.mark.django_db
def test_preview_page_shows_values_and_converts_legacy_text_on_request(
    client, reference_data, can_tho_officer
):
    client.force_login(can_tho_officer)
    rows = [
        ["Hộ đan lát", "Hộ kinh doanh", None, "xã Thới Lai, Cần Thơ", "NguyÔn ThÞ Lan", 3, None],
        ["Haøng maây tre", "Hộ kinh doanh", None, "huyện Phong Điền, Cần Thơ", "Leâ Vaên Cöôøng", 5, None],
    ]
    upload(client, make_xlsx(HEADERS, rows))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.INVALID
    page = client.get(reverse("spreadsheets:preview", kwargs={"pk": job.pk})).content.decode()
    assert "Văn bản gõ bằng bảng mã cũ" in page and "TCVN3 (ABC" in page and "VNI (phông" in page
    assert "Nguyễn Thị Lan" in page and "Chuyển sang Unicode" in page
    assert "Cột lạ" in page and "Huyện Phong Điền" in page

    response = client.post(reverse("spreadsheets:convert", kwargs={"pk": job.pk}), follow=True)
    page = response.content.decode()
    job.refresh_from_db()
    assert job.convert_legacy and job.status == ImportJob.Status.PREVIEWED
    assert "Văn bản đã chuyển từ bảng mã cũ sang Unicode" in page
    assert "Giá trị sẽ được lưu" in page and "Lê Văn Cường" in page and "Hàng mây tre" in page
    assert Beneficiary.objects.count() == 0

    client.post(reverse("spreadsheets:confirm", kwargs={"pk": job.pk}))
    assert sorted(Beneficiary.objects.values_list("name", "representative")) == [
        ("Hàng mây tre", "Lê Văn Cường"),
        ("Hộ đan lát", "Nguyễn Thị Lan"),
    ]


@pytest.mark.django_db
def test_a_refused_upload_is_deleted_at_once(client, reference_data, can_tho_officer, settings):
    client.force_login(can_tho_officer)
    upload(client, b"Ten co so;Loai hinh\nHo A;Ho kinh doanh\n", name="co-so.csv")
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.REFUSED
    assert not job.file
    assert not [p for p in (settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def ods_bytes(content: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", "<manifest/>")
    return buffer.getvalue()


ODS = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0">
<office:automatic-styles><style:style style:name="ta2" style:family="table">
<style:table-properties table:display="false"/></style:style></office:automatic-styles>
<office:body><office:spreadsheet>
<table:table table:name="Ẩn" table:style-name="ta2"><table:table-row><table:table-cell office:value-type="string">
<text:p>Tên cơ sở</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Loại hình</text:p>
</table:table-cell></table:table-row></table:table>
<table:table table:name="Dữ liệu">
<table:table-row><table:table-cell table:number-columns-spanned="4" office:value-type="string"><text:p>DANH SÁCH</text:p>
</table:table-cell><table:covered-table-cell table:number-columns-repeated="3"/></table:table-row>
<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>
<table:table-row>
<table:table-cell office:value-type="string"><text:p>Tên cơ sở</text:p></table:table-cell>
<table:table-cell office:value-type="string"><text:p>Loại hình</text:p></table:table-cell>
<table:table-cell office:value-type="string"><text:p>Xã/phường</text:p></table:table-cell>
<table:table-cell office:value-type="string"><text:p>Số lao động</text:p></table:table-cell>
<table:table-cell office:value-type="string"><text:p>Ngày</text:p></table:table-cell>
</table:table-row>
<table:table-row>
<table:table-cell office:value-type="string"><text:p>Hộ<text:s text:c="2"/>mây <text:span>tre</text:span></text:p></table:table-cell>
<table:table-cell office:value-type="string"><text:p>Hộ kinh doanh</text:p></table:table-cell>
<table:table-cell office:value-type="string"><text:p>xã Thới Lai, Cần Thơ</text:p></table:table-cell>
<table:table-cell office:value-type="float" office:value="12"><text:p>12</text:p></table:table-cell>
<table:table-cell office:value-type="date" office:date-value="2026-03-02"><text:p>02/03/26</text:p></table:table-cell>
</table:table-row>
<table:table-row>
<table:table-cell office:value-type="string"><text:p>Hộ B</text:p></table:table-cell>
<table:table-cell office:value-type="string"><text:p>Hộ kinh doanh</text:p></table:table-cell>
<table:table-cell table:formula="of:=[.A5]" office:value-type="string"><text:p>x</text:p></table:table-cell>
</table:table-row>
<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"""


def test_ods_rows_are_read_like_xlsx_rows_past_a_hidden_sheet_and_a_title():
    keys = {"ten co so", "loai hinh", "xa / phuong", "so lao dong"}
    sheets = read_workbook(io.BytesIO(ods_bytes(ODS)), sheets=[("Cơ sở CNNT", keys)])
    sheet = sheets["Cơ sở CNNT"]
    assert sheet.title == "Dữ liệu" and sheet.header_row == 4
    assert sheet.headers == ["Tên cơ sở", "Loại hình", "Xã/phường", "Số lao động", "Ngày"]
    assert sheet.rows[0] == (
        "Hộ  mây tre",
        "Hộ kinh doanh",
        "xã Thới Lai, Cần Thơ",
        12,
        datetime.datetime(2026, 3, 2),  # noqa: DTZ001 - a calendar date, as openpyxl reads one
    )
    assert sheet.rows[1] == ("Hộ B", "Hộ kinh doanh", "=[.A5]")
    assert sheet.row_numbers == [5, 6]
    assert sheet.merged_header_cells == []


@pytest.mark.django_db
def test_an_ods_upload_is_previewed_and_imported(client, reference_data, can_tho_officer):
    client.force_login(can_tho_officer)
    content = ODS.replace('table:formula="of:=[.A5]" ', "").replace(
        "<text:p>x</text:p>", "<text:p>xã Thới Lai, Cần Thơ</text:p>"
    )
    upload(client, ods_bytes(content), name="co-so.ods")
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.PREVIEWED, job.report
    assert job.report["previews"][0]["header_row"] == 4
    assert job.report["previews"][0]["ignored_columns"] == ["Ngày"]
    client.post(reverse("spreadsheets:confirm", kwargs={"pk": job.pk}))
    assert sorted(Beneficiary.objects.values_list("name", "employees")) == [
        ("Hộ B", None),
        ("Hộ mây tre", 12),
    ]


@pytest.mark.django_db(transaction=True)
def test_a_double_clicked_confirmation_with_its_form_token_shows_one_result(
    client, reference_data, can_tho_officer, shared_database
):
    client.force_login(can_tho_officer)
    upload(
        client, make_xlsx(HEADERS, [["Hộ đan lát", "Hộ kinh doanh", None, "xã Thới Lai, Cần Thơ", None, 3]])
    )
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.PREVIEWED
    page = client.get(reverse("spreadsheets:preview", kwargs={"pk": job.pk})).content.decode()
    token = page.split('name="form_token" value="', 1)[1].split('"', 1)[0]
    shared_database()
    url = reverse("spreadsheets:confirm", kwargs={"pk": job.pk})
    start = threading.Barrier(2)
    responses: list = [None, None]

    def click(index):
        try:
            browser = Client()
            browser.force_login(can_tho_officer)
            start.wait(timeout=30)
            responses[index] = browser.post(url, {"form_token": token}, follow=True)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    pages = [r.content.decode() for r in responses]
    assert [r.status_code for r in responses] == [200, 200]
    assert [r.redirect_chain[-1][0] for r in responses] == [
        reverse("spreadsheets:preview", kwargs={"pk": job.pk})
    ] * 2
    assert sum("Đã nhập xong: 1 dòng mới" in page for page in pages) == 1
    assert not any("không còn chờ xác nhận" in page for page in pages)
    assert in_thread(lambda: Beneficiary.objects.count()) == 1

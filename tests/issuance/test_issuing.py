"""Issuing a report: its number in the agency's register, the files and figures kept as issued, the register
page and its workbook, the command line and the mail to the recipients."""

from __future__ import annotations

import datetime
import io
import re
import subprocess

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from issuance import registry, services
from issuance.models import IssuedReport, RegisterCounter
from programs.models import Agency
from projects.models import BudgetLine, Project
from tests.reports.conftest import _user

from .conftest import YEAR, token

pytestmark = pytest.mark.django_db


def _issue(world, **kwargs) -> IssuedReport:
    params = kwargs.pop("params", {"province": world.province.code, "period": str(YEAR)})
    return services.report_issue(
        actor=kwargs.pop("actor", world.leader),
        kind=kwargs.pop("kind", "annual"),
        params=params,
        request_token=kwargs.pop("request_token", token()),
        **kwargs,
    )


def _pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_numbers_follow_the_register_with_a_leading_zero_and_restart_on_1_january(
    world, tmp_path, monkeypatch
):
    first = _issue(world)
    second = _issue(world, params={"province": world.province.code, "period": f"{YEAR}-q3"})
    assert (first.number, second.number) == (1, 2)
    assert first.number_text == "01/BC-SCT"
    text = _pdf_text(bytes(second.pdf), tmp_path)
    assert "Số: 02/BC-SCT" in text
    day = second.issued_on
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    assert f"ngày {day.day:02d} tháng {month} năm {day.year}" in text
    assert "Kính gửi:" in text
    # 1 January of the next year: numbering starts again from 01.
    new_year = datetime.datetime(day.year + 1, 1, 1, 8, 0, tzinfo=datetime.UTC)
    monkeypatch.setattr(services.timezone, "now", lambda: new_year)
    third = _issue(world)
    assert (third.year, third.number, third.number_text) == (day.year + 1, 1, "01/BC-SCT")
    assert RegisterCounter.objects.get(agency_key=first.agency_key, year=day.year).last_number == 2


def test_one_click_twice_gives_one_number(world):
    request = token()
    once = _issue(world, request_token=request)
    again = _issue(world, request_token=request)
    assert once.pk == again.pk
    assert IssuedReport.objects.count() == 1


def test_only_the_issuing_agency_leadership_issues(world):
    officer = _user(Role.OFFICER, world.leader.staff_profile.agency, "canbo.cung.tinh")
    with pytest.raises(PermissionDenied):  # an officer of the same Sở
        _issue(world, actor=officer)
    with pytest.raises(
        PermissionDenied
    ):  # the Ministry reads every province but does not issue a Sở's report
        _issue(world, actor=world.ministry)
    with pytest.raises(registry.NotFound):  # another province's staff do not even see it
        _issue(world, actor=world.other_officer)
    assert not IssuedReport.objects.exists()
    assert not RegisterCounter.objects.filter(last_number__gt=0).exists()


def test_every_kind_in_the_registry_issues(world):
    world.leader.is_superuser = True
    world.leader.save()
    for kind, params in (
        ("programme", {"programme": world.programme.pk}),
        ("national", {"period": str(YEAR)}),
    ):
        issued = _issue(world, kind=kind, params=params)
        assert issued.pdf[:5] == b"%PDF-" and issued.xlsx[:2] == b"PK"
        assert issued.figures and issued.sha256 == services.sha256(bytes(issued.pdf))


def test_a_changed_de_an_leaves_the_issued_report_unchanged_and_the_report_page_lists_the_difference(
    world, client
):
    issued = _issue(world)
    pdf, xlsx, figures, digest = bytes(issued.pdf), bytes(issued.xlsx), issued.figures, issued.sha256
    assert services.differences_today(issued) == []

    line = (
        BudgetLine.objects.filter(project__province=world.province, project__year=YEAR).order_by("pk").first()
    )
    before = line.amount
    BudgetLine.objects.filter(pk=line.pk).update(amount=before + 123_000_000)
    Project.objects.filter(pk=line.project_id).update(title="Tên đề án đã sửa")

    issued.refresh_from_db()
    assert bytes(issued.pdf) == pdf and bytes(issued.xlsx) == xlsx and issued.figures == figures
    assert services.sha256(bytes(issued.pdf)) == digest
    changes = services.differences_today(issued)
    assert changes, "today's data gives other figures"
    assert any(c.field == "Dự toán" and c.section == "Kinh phí theo nguồn" for c in changes)

    client.force_login(world.leader)
    page = client.get(
        reverse("issuance:report"), {"kind": "annual", "province": world.province.code, "period": str(YEAR)}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert issued.number_text in html
    assert "khác bản đã ban hành" in html
    total_before = figures["source_totals"]["planned"]
    assert f"{total_before:,}".replace(",", ".") in html
    assert f"{total_before + 123_000_000:,}".replace(",", ".") in html
    # The stored download is still the issued bytes.
    download = client.get(reverse("issuance:file", args=[issued.pk, "pdf"]))
    assert b"".join(download.streaming_content if download.streaming else [download.content]) == pdf


def test_register_page_and_its_workbook(world, client):
    issued = _issue(world)
    client.force_login(world.leader)
    page = client.get(reverse("issuance:register"))
    assert issued.number_text in page.content.decode()
    book = client.get(reverse("issuance:register_xlsx"), {"year": issued.year})
    sheet = load_workbook(io.BytesIO(book.content)).active
    assert sheet["A3"].value == "01/BC-SCT"
    assert sheet["J3"].value == issued.sha256
    # Another province's staff see none of it, and its pages answer 404.
    client.force_login(world.other_officer)
    assert issued.number_text not in client.get(reverse("issuance:register")).content.decode()
    assert client.get(reverse("issuance:detail", args=[issued.pk])).status_code == 404


def test_issuing_from_the_page_and_a_double_post_gives_one_number(
    world, client, django_capture_on_commit_callbacks
):
    client.force_login(world.leader)
    url = reverse("issuance:report") + f"?kind=annual&province={world.province.code}&period={YEAR}"
    form = client.get(url).content.decode()
    request = re.search(r'name="request_token" value="([0-9a-f]+)"', form).group(1)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"request_token": request, "signer_name": "Phạm Thị Dung"})
        assert response.status_code == 302
    assert IssuedReport.objects.get().signer_name == "Phạm Thị Dung"
    client.force_login(world.other_officer)
    assert client.post(url, {"request_token": token()}).status_code == 404


def test_build_report_issues_from_the_command_line_and_mails_the_recipients(
    world, django_capture_on_commit_callbacks
):
    Agency.objects.create(
        name="UBND thử nghiệm phát thư",
        kind=Agency.Kind.UBND,
        province=world.province,
        email="ubnd@example.vn",
    )
    Agency.objects.create(name="Cục thử nghiệm phát thư", kind=Agency.Kind.CUC, email="cuc@example.vn")
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "build_report",
            "annual",
            "--province",
            world.province.code,
            "--year",
            str(YEAR),
            "--quarter",
            "2",
            "--issue",
            "--signer",
            world.leader.username,
            stdout=out,
        )
    issued = IssuedReport.objects.get()
    assert issued.params == {"province": world.province.code, "period": f"{YEAR}-q2"}
    assert issued.number_text in out.getvalue()
    assert sorted(m.to[0] for m in mail.outbox) == ["cuc@example.vn", "ubnd@example.vn"]
    names = [a[0] for a in mail.outbox[0].attachments]
    assert names == [f"01-bc-sct-{issued.year}.pdf", f"01-bc-sct-{issued.year}.xlsx"]
    assert mail.outbox[0].attachments[0][1] == bytes(issued.pdf)


def test_an_issued_report_cannot_be_changed_or_deleted(world):
    from issuance.models import IssuedDocumentChanged

    issued = _issue(world)
    issued.title = "Sửa"
    with pytest.raises(IssuedDocumentChanged):
        issued.save()
    with pytest.raises(IssuedDocumentChanged):
        issued.delete()
    issued.refresh_from_db()
    assert issued.title != "Sửa"


def test_reports_and_the_domain_apps_never_import_issuance():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for app in ("reports", "projects", "programs", "beneficiaries", "places", "accounts", "khuyencong"):
        for path in (root / app).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"^\s*(from|import) issuance\b", text, re.M), path

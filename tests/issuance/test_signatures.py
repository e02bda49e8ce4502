"""Digital signatures on issued reports: the signer's copy signed with their own tool and uploaded, the
agency's certificate on the server, and every kind of bad file refused with its reason and nothing stored.
pdfsig (poppler, with an NSS database holding the test CA) and pyHanko must agree."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from django.urls import reverse

from issuance import services, signatures
from issuance.models import SignedCopy
from reports import exports
from reports.periods import Period

from . import pki
from .conftest import YEAR, token

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(world, trusted):
    return services.report_issue(
        actor=world.leader,
        kind="annual",
        params={"province": world.province.code, "period": str(YEAR)},
        request_token=token(),
    )


def _signed_by(issued, who, ca) -> bytes:
    return pki.sign_with(bytes(issued.pdf), pki.pyhanko_signer(who, ca))


def _refused(world, issued, data: bytes, reason: str) -> None:
    with pytest.raises(signatures.SignatureRefused) as caught:
        services.signed_copy_add(actor=world.leader, issued=issued, data=data)
    assert reason in caught.value.message
    assert not SignedCopy.objects.exists()


def _pdfsig(data: bytes, tmp_path, nss: str) -> str:
    path = tmp_path / "signed.pdf"
    path.write_bytes(data)
    result = subprocess.run(["pdfsig", "-nssdir", nss, str(path)], capture_output=True, text=True)
    return result.stdout + result.stderr


@pytest.fixture(scope="session")
def nss_db(test_pki, tmp_path_factory) -> str:
    if not shutil.which("certutil") or not shutil.which("pdfsig"):
        pytest.skip("cần libnss3-tools và poppler-utils")
    folder = tmp_path_factory.mktemp("nss")
    subprocess.run(["certutil", "-N", "-d", f"sql:{folder}", "--empty-password"], check=True)
    subprocess.run(
        [
            "certutil",
            "-A",
            "-d",
            f"sql:{folder}",
            "-n",
            "ca-thu",
            "-t",
            "C,C,C",
            "-i",
            str(test_pki.ca.cert_path),
        ],
        check=True,
    )
    return f"sql:{folder}"


def test_the_signers_copy_is_accepted_and_pdfsig_and_pyhanko_agree(world, issued, trusted, tmp_path, nss_db):
    signed = _signed_by(issued, trusted.signer, trusted.ca)
    copy = services.signed_copy_add(actor=world.leader, issued=issued, data=signed)
    assert copy.kind == SignedCopy.Kind.SIGNER
    assert copy.signers[0]["signer"] == "Phạm Thị Dung" and copy.signers[0]["field"] == "ChuKyNguoiKy"
    assert bytes(copy.pdf).startswith(bytes(issued.pdf))
    report = _pdfsig(signed, tmp_path, nss_db)
    assert "Signature is Valid" in report and "Certificate is Trusted" in report, report
    # The same file again is the same copy (a resubmitted form acts once).
    assert services.signed_copy_add(actor=world.leader, issued=issued, data=signed).pk == copy.pk


def test_the_agency_signs_on_the_server_over_the_signers_copy_with_the_seal_over_its_left_third(
    world, issued, trusted, tmp_path, nss_db
):
    services.signed_copy_add(
        actor=world.leader, issued=issued, data=_signed_by(issued, trusted.signer, trusted.ca)
    )
    copy = services.agency_sign(actor=world.leader, issued=issued)
    assert copy.kind == SignedCopy.Kind.AGENCY
    assert [s["field"] for s in copy.signers] == ["ChuKyNguoiKy", "ChuKyCoQuan"]
    assert copy.signers[1]["signer"] == "Sở Công Thương thử"
    report = _pdfsig(bytes(copy.pdf), tmp_path, nss_db)
    assert report.count("Signature is Valid") == 2 and report.count("Certificate is Trusted") == 2, report
    # Still archival and tagged after the two signatures, and the stamp's font embedded like the others.
    path = tmp_path / "signed.pdf"
    info = subprocess.run(["pdfinfo", "-meta", str(path)], capture_output=True, text=True, check=True).stdout
    assert 'pdfaid:part="2"' in info and 'pdfaid:conformance="A"' in info
    assert (
        "Tagged:          yes"
        in subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    )
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert len(rows) >= 5 and all(" yes yes yes " in row for row in rows), fonts
    # Placement (Phụ lục I): the seal's right edge on the first third of the signer's box, same page.
    page, signer = signatures.signer_box(issued.signature_place)
    seal_page, seal = signatures.seal_box(issued.signature_place)
    assert page == seal_page
    assert seal[2] == pytest.approx(signer[0] + (signer[2] - signer[0]) / 3)
    assert seal[0] < signer[0] < seal[2] < signer[2]
    # Signing again does not add a second agency signature.
    assert services.agency_sign(actor=world.leader, issued=issued).pk == copy.pk


def test_a_tampered_copy_is_refused(world, issued, trusted):
    signed = bytearray(_signed_by(issued, trusted.signer, trusted.ca))
    at = bytes(signed).find(b"/Contents", 2000) - 200  # a byte inside the first page's objects
    signed[at] = ord("X") if signed[at] != ord("X") else ord("Y")
    _refused(world, issued, bytes(signed), "")


def test_a_re_saved_copy_is_refused(world, issued, trusted):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.writer import copy_into_new_writer

    signed = _signed_by(issued, trusted.signer, trusted.ca)
    writer = copy_into_new_writer(PdfFileReader(io.BytesIO(signed)))
    out = io.BytesIO()
    writer.write(out)
    _refused(world, issued, out.getvalue(), "")


def test_a_copy_re_saved_by_another_program_is_refused(world, issued, trusted, tmp_path):
    """poppler's pdfunite rewrites the file as any other PDF program would when it saves."""
    signed = tmp_path / "signed.pdf"
    signed.write_bytes(_signed_by(issued, trusted.signer, trusted.ca))
    resaved = tmp_path / "resaved.pdf"
    subprocess.run(["pdfunite", str(signed), str(resaved)], check=True)
    _refused(world, issued, resaved.read_bytes(), "")


def test_a_signature_over_other_bytes_is_refused(world, issued, trusted):
    other = services.report_issue(
        actor=world.leader,
        kind="annual",
        params={"province": world.province.code, "period": f"{YEAR}-q1"},
        request_token=token(),
    )
    _refused(
        world, issued, _signed_by(other, trusted.signer, trusted.ca), "không chứa nguyên vẹn bản đã ban hành"
    )


def test_an_expired_certificate_is_refused(world, issued, trusted):
    _refused(
        world, issued, _signed_by(issued, trusted.expired, trusted.ca), "không còn hiệu lực tại thời điểm ký"
    )


def test_an_untrusted_certificate_is_refused(world, issued, trusted):
    signed = _signed_by(issued, trusted.stranger, trusted.stranger_ca)
    _refused(world, issued, signed, "không do tổ chức chứng thực được tin cậy cấp")


def test_a_file_that_is_not_a_pdf_or_not_signed_is_refused(world, issued, trusted):
    _refused(world, issued, b"PK\x03\x04 not a pdf", "không phải là tệp PDF")
    _refused(world, issued, b"%PDF-1.7\n garbage", "")
    _refused(world, issued, bytes(issued.pdf), "chưa có chữ ký số")


def test_upload_page_refuses_with_the_reason_and_stores_nothing(world, issued, trusted, client):
    client.force_login(world.leader)
    data = _signed_by(issued, trusted.stranger, trusted.stranger_ca)
    upload = io.BytesIO(data)
    upload.name = "da-ky.pdf"
    response = client.post(reverse("issuance:upload_signed", args=[issued.pk]), {"pdf": upload}, follow=True)
    assert "không do tổ chức chứng thực được tin cậy cấp" in response.content.decode()
    assert not SignedCopy.objects.exists()


def test_public_verification_page_shows_number_date_agency_and_hash_and_checks_uploads(
    world, issued, trusted, client
):
    page = client.get(reverse("issuance:verify_code", args=[issued.pretty_code]))
    html = page.content.decode()
    assert page.status_code == 200
    assert issued.number_text in html and issued.sha256 in html and issued.agency_name in html
    # No figures and no personal data: no money from the report, not the signer's or issuer's name.
    total = issued.figures["source_totals"]["planned"]
    assert f"{total:,}".replace(",", ".") not in html
    assert world.leader.username not in html and (not issued.signer_name or issued.signer_name not in html)

    def check(data: bytes) -> str:
        upload = io.BytesIO(data)
        upload.name = "x.pdf"
        return client.post(reverse("issuance:verify"), {"pdf": upload}).content.decode()

    assert "Đúng là bản đã ban hành (chưa có chữ ký số)" in check(bytes(issued.pdf))
    signed = _signed_by(issued, trusted.signer, trusted.ca)
    assert "có 1 chữ ký số hợp lệ" in check(signed)
    assert "chữ ký số không hợp lệ" in check(_signed_by(issued, trusted.stranger, trusted.stranger_ca))
    live = exports.annual(province=world.province, period=Period(YEAR), fmt="pdf").content
    assert "không phải là báo cáo số" not in check(live)  # no code given: any issued report
    assert "không phải là bản đã ban hành" in check(live)
    assert "bị hỏng" in check(b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    assert "không phải là tệp PDF" in check(b"hello")
    assert not SignedCopy.objects.exists()
    assert client.get(reverse("issuance:verify_code", args=["ZZZZ-ZZZZ"])).status_code == 404


def test_without_configured_roots_nothing_is_trusted_and_the_reason_says_so(world, issued, trusted, settings):
    signed = _signed_by(issued, trusted.signer, trusted.ca)
    settings.ISSUANCE_TRUST_ROOTS = []
    _refused(world, issued, signed, "chưa được cấu hình chứng thư số gốc")

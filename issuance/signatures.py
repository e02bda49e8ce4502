"""Digital signatures on issued reports, with pyHanko (PAdES): checking a signed copy against the issued
bytes, and signing on the server with the agency's own certificate. No PDF or CMS structure is written here.

Trust: the roots are the certificates the administrator configures (ISSUANCE_TRUST_ROOTS, PEM or DER files);
nothing is fetched from the network. A signature counts when it is intact, made by a certificate that chains
to one of those roots and was valid at the time of signing, covers the whole issued document byte for byte,
and is followed by no change other than further signatures.
"""

from __future__ import annotations

import datetime
import functools
import io
import logging
import os
import tempfile
import textwrap
from dataclasses import asdict, dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

VN_TIME = ZoneInfo("Asia/Ho_Chi_Minh")

# The signer's signature between title and name (Phụ lục I NĐ 30/2020): a box this size at the anchor the
# renderer records; the agency's seal, at the size of a round seal (about 35 mm), over its left third.
SIGNER_BOX = (150.0, 56.0)
SEAL_SIZE = 100.0
SIGNER_FIELD = "ChuKyNguoiKy"
AGENCY_FIELD = "ChuKyCoQuan"
# A signature reported as made this long before the report was issued cannot be a signature of it.
CLOCK_TOLERANCE = datetime.timedelta(minutes=5)


class SignatureRefused(ValidationError):
    """A signed PDF that does not hold; the message is the reason, in Vietnamese."""


@dataclass
class SignatureInfo:
    field: str
    signer: str
    signed_at: str  # ISO 8601, Vietnam time
    issuer: str
    valid: bool
    reason: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def signer_box(place: dict) -> tuple[int, tuple[float, float, float, float]] | None:
    """The page and box of the signer's signature from the place recorded at issuing."""
    if not place:
        return None
    x, top = place["x"], place["y"]
    width, height = SIGNER_BOX
    return place["page"], (x, top - height - 2, x + width, top - 2)


def seal_box(place: dict) -> tuple[int, tuple[float, float, float, float]] | None:
    """The agency's seal: its right edge on the first third of the signer's box, centred on it vertically."""
    found = signer_box(place)
    if found is None:
        return None
    page, (x1, y1, x2, y2) = found
    right = x1 + (x2 - x1) / 3
    middle = (y1 + y2) / 2
    return page, (right - SEAL_SIZE, middle - SEAL_SIZE / 2, right, middle + SEAL_SIZE / 2)


def trust_roots() -> list:
    from pyhanko.keys import load_cert_from_pemder

    roots = []
    for path in getattr(settings, "ISSUANCE_TRUST_ROOTS", []):
        roots.append(load_cert_from_pemder(str(path)))
    return roots


def _dn(name) -> str:
    """A distinguished name as people read it: its common name, else its organisation, else all of it."""
    try:
        native = name.native
        return native.get("common_name") or native.get("organization_name") or name.human_friendly
    except Exception:  # an odd name still gets shown
        return name.human_friendly


def _name(cert) -> str:
    return _dn(cert.subject)


def _refuse(message: str):
    raise SignatureRefused(message)


def read_pdf(data: bytes):
    """A pyHanko reader over `data`, or a refusal saying the file is not a readable PDF."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader

    if not data[:1024].lstrip().startswith(b"%PDF-"):
        _refuse(_("Tệp tải lên không phải là tệp PDF."))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        reader.root  # noqa: B018 (reads the catalogue: a broken file fails here)
        return reader
    except (PdfReadError, ValueError, KeyError, TypeError, IndexError) as exc:
        logger.info("Unreadable PDF: %s", exc)
        _refuse(_("Tệp PDF bị hỏng, không đọc được."))


def check_signatures(
    data: bytes, *, issued_pdf: bytes | None, issued_at: datetime.datetime | None
) -> list[SignatureInfo]:
    """Validate every signature of `data`. With `issued_pdf`, also that the file is that document with
    signatures added after it. Raises SignatureRefused with the first reason a signature does not hold."""
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    reader = read_pdf(data)
    signatures = reader.embedded_signatures
    if not signatures:
        _refuse(_("Tệp PDF không có chữ ký số nào."))
    if issued_pdf is not None and not data.startswith(issued_pdf):
        _refuse(
            _(
                "Tệp không chứa nguyên vẹn bản đã ban hành: văn bản đã bị sửa, lưu lại bằng phần mềm khác "
                "hoặc chữ ký được đặt trên một văn bản khác."
            )
        )
    roots = trust_roots()
    if not roots:
        logger.error("ISSUANCE_TRUST_ROOTS is empty: no certificate authority is trusted.")
        _refuse(
            _(
                "Cổng chưa được cấu hình chứng thư số gốc tin cậy nên chưa kiểm tra được chữ ký số; "
                "liên hệ quản trị hệ thống."
            )
        )
    now = timezone.now()
    result = []
    for sig in signatures:
        start, hole_start, hole_end, length = sig.byte_range
        if issued_pdf is not None and (start != 0 or hole_start < len(issued_pdf)):
            _refuse(_("Chữ ký số không bao trùm toàn bộ văn bản đã ban hành."))
        cert = sig.signer_cert
        # The time the signature states, bounded by the issuing and by now (a certificate that expired
        # before the report existed cannot have signed it, whatever time it claims).
        signed_at = sig.self_reported_timestamp
        if signed_at is None:
            _refuse(_("Chữ ký số không ghi thời điểm ký."))
        if signed_at > now + CLOCK_TOLERANCE:
            _refuse(_("Thời điểm ký ghi trong chữ ký số ở tương lai."))
        if issued_at is not None and signed_at < issued_at - CLOCK_TOLERANCE:
            _refuse(_("Thời điểm ký ghi trong chữ ký số trước thời điểm ban hành văn bản."))
        validity = cert["tbs_certificate"]["validity"]
        not_before, not_after = validity["not_before"].native, validity["not_after"].native
        if not (not_before <= signed_at <= not_after):
            _refuse(
                _(
                    "Chứng thư số của %(name)s không còn hiệu lực tại thời điểm ký (hiệu lực từ %(start)s đến %(end)s)."
                )
                % {
                    "name": _name(cert),
                    "start": not_before.astimezone(VN_TIME).strftime("%d/%m/%Y"),
                    "end": not_after.astimezone(VN_TIME).strftime("%d/%m/%Y"),
                }
            )
        context = ValidationContext(
            trust_roots=roots, moment=signed_at, allow_fetching=False, revocation_mode="soft-fail"
        )
        try:
            status = validate_pdf_signature(sig, signer_validation_context=context)
        except (SignatureValidationError, ValueError, KeyError) as exc:
            logger.info("Signature not validated: %s", exc)
            _refuse(
                _("Không kiểm tra được chữ ký số %(field)s: cấu trúc chữ ký không hợp lệ.")
                % {"field": sig.field_name}
            )
        if not status.intact or not status.valid:
            _refuse(
                _("Chữ ký số của %(name)s không khớp với nội dung: văn bản đã bị sửa sau khi ký.")
                % {"name": _name(cert)}
            )
        if status.coverage not in (
            SignatureCoverageLevel.ENTIRE_FILE,
            SignatureCoverageLevel.ENTIRE_REVISION,
        ):
            _refuse(_("Chữ ký số không bao trùm toàn bộ văn bản."))
        if (
            status.modification_level is not None
            and status.modification_level > ModificationLevel.FORM_FILLING
        ):
            _refuse(_("Văn bản đã bị thay đổi sau chữ ký số của %(name)s.") % {"name": _name(cert)})
        if not status.trusted or status.revoked:
            _refuse(
                _(
                    "Chứng thư số của %(name)s không do tổ chức chứng thực được tin cậy cấp (nơi cấp: %(issuer)s)."
                )
                % {"name": _name(cert), "issuer": _dn(cert.issuer)}
            )
        result.append(
            SignatureInfo(
                field=sig.field_name,
                signer=_name(cert),
                signed_at=signed_at.astimezone(VN_TIME).isoformat(timespec="seconds"),
                issuer=_dn(cert.issuer),
                valid=True,
            )
        )
    return result


@functools.cache
def _stamp_font() -> str:
    """The bundled Liberation Serif at 1000 units per em, for the stamp. pyHanko 0.38 writes glyph widths in
    the font's own units where PDF wants thousandths of an em, which spaces the letters of a 2048-unit
    TrueType font twice too wide; a copy scaled to 1000 units (fontTools) prints as it should."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    found = finders.find("fonts/LiberationSerif-Regular.ttf")
    if not found:
        raise ImproperlyConfigured("The bundled font static/fonts/LiberationSerif-Regular.ttf is missing.")
    font = TTFont(found)
    if font["head"].unitsPerEm == 1000:
        return found
    scale_upem(font, 1000)
    folder = Path(tempfile.mkdtemp(prefix="khuyencong-stamp-font-"))
    path = folder / "LiberationSerif-Regular-1000.ttf"
    font.save(str(path))
    return str(path)


def add_signature_fields(pdf: bytes, place: dict) -> bytes:
    """The issued PDF with the two empty signature fields where Phụ lục I puts them, so the signer's tool
    signs in the right place; an incremental revision written by pyHanko."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field

    signer, seal = signer_box(place), seal_box(place)
    if signer is None:
        return pdf
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    append_signature_field(writer, SigFieldSpec(SIGNER_FIELD, on_page=signer[0], box=signer[1]))
    append_signature_field(writer, SigFieldSpec(AGENCY_FIELD, on_page=seal[0], box=seal[1]))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def agency_signer():
    """The agency's certificate and key from its PKCS#12 file (ISSUANCE_AGENCY_PKCS12; the passphrase in the
    environment variable named by ISSUANCE_AGENCY_PASSPHRASE_ENV), or None when none is configured."""
    from pyhanko.sign import signers

    path = getattr(settings, "ISSUANCE_AGENCY_PKCS12", "")
    if not path:
        return None
    if not Path(path).is_file():
        raise ImproperlyConfigured(f"ISSUANCE_AGENCY_PKCS12 names no file: {path}")
    passphrase = os.environ.get(settings.ISSUANCE_AGENCY_PASSPHRASE_ENV, "")
    signer = signers.SimpleSigner.load_pkcs12(path, passphrase=passphrase.encode() if passphrase else None)
    if signer is None:
        raise ImproperlyConfigured("The agency's PKCS#12 file could not be opened (passphrase?).")
    return signer


def sign_as_agency(pdf: bytes, *, agency: str, number_text: str, place: dict, signer=None) -> bytes:
    """Sign `pdf` as the organisation, in the agency field (the seal over the left third of the signer's
    signature), the stamp showing agency, number and signing time (ISO 8601, Vietnam time) in Times New
    Roman–metric 10 pt, red like a seal."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import TextStampStyle

    signer = signer or agency_signer()
    if signer is None:
        raise ImproperlyConfigured("No agency certificate is configured (ISSUANCE_AGENCY_PKCS12).")
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    existing = {name for name, _value, _ref in fields.enumerate_sig_fields(writer.prev, filled_status=False)}
    if AGENCY_FIELD not in existing:
        seal = seal_box(place)
        if seal is None:
            raise ValueError("No place for the agency's signature.")
        fields.append_signature_field(writer, fields.SigFieldSpec(AGENCY_FIELD, on_page=seal[0], box=seal[1]))
    red = (0.8, 0.0, 0.0)
    style = TextStampStyle(
        stamp_text="%(agency)s\n%(number)s\n%(time)s",
        text_box_style=TextBoxStyle(
            font=GlyphAccumulatorFactory(_stamp_font()), font_size=10, text_color=red
        ),
        border_width=1,
        border_color=red,
    )
    signed_time = timezone.now().astimezone(VN_TIME).isoformat(timespec="seconds")
    metadata = signers.PdfSignatureMetadata(
        field_name=AGENCY_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=_("Ký số của cơ quan ban hành (Nghị định 30/2020/NĐ-CP)"),
        location=agency,
    )
    out = signers.PdfSigner(metadata, signer=signer, stamp_style=style).sign_pdf(
        writer,
        # Lines short enough for the seal's width at 10 pt.
        appearance_text_params={
            "agency": textwrap.fill(agency, 22),
            "number": number_text,
            "time": signed_time,
        },
    )
    return out.getvalue()


def agency_configured() -> bool:
    return bool(getattr(settings, "ISSUANCE_AGENCY_PKCS12", ""))

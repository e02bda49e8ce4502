"""A throw-away certificate authority made at test time with `cryptography`: a root, a signer's certificate,
an expired one, one from a CA nobody trusts, and the agency's PKCS#12 file. Nothing is committed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

UTC = datetime.UTC


def _name(cn: str, org: str = "Cơ quan thử") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Issued:
    key: object
    cert: x509.Certificate
    key_path: Path
    cert_path: Path


def _write(tmp: Path, stem: str, key, cert) -> Issued:
    key_path, cert_path = tmp / f"{stem}.key.pem", tmp / f"{stem}.pem"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return Issued(key, cert, key_path, cert_path)


def make_ca(tmp: Path, name: str = "CA thử nghiệm") -> Issued:
    key = _key()
    now = datetime.datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(name))
        .issuer_name(_name(name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=3650))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return _write(tmp, name.replace(" ", "-"), key, cert)


def make_cert(
    tmp: Path, ca: Issued, cn: str, *, not_before: datetime.datetime | None = None, not_after=None
) -> Issued:
    key = _key()
    now = datetime.datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(ca.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - datetime.timedelta(days=30))
        .not_valid_after(not_after or now + datetime.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False
        )
        .sign(ca.key, hashes.SHA256())
    )
    return _write(tmp, cn.replace(" ", "-"), key, cert)


def pkcs12_file(tmp: Path, who: Issued, ca: Issued, passphrase: bytes) -> Path:
    path = tmp / "co-quan.p12"
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"co-quan",
            who.key,
            who.cert,
            [ca.cert],
            serialization.BestAvailableEncryption(passphrase),
        )
    )
    return path


def pyhanko_signer(who: Issued, ca: Issued):
    """The signer's own tool: pyHanko with their key and certificate."""
    from pyhanko.sign import signers

    return signers.SimpleSigner.load(
        str(who.key_path), str(who.cert_path), ca_chain_files=(str(ca.cert_path),)
    )


def sign_with(pdf: bytes, signer, *, field: str = "ChuKyNguoiKy") -> bytes:
    import io

    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import TextStampStyle

    from issuance.signatures import _stamp_font

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    # A tool that embeds its stamp's font, as an archival file needs (pyHanko's default stamp uses Courier,
    # not embedded).
    style = TextStampStyle(
        stamp_text="Ký bởi: %(signer)s\n%(ts)s",
        text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(_stamp_font()), font_size=9),
        border_width=0,
    )
    meta = signers.PdfSignatureMetadata(
        field_name=field, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES
    )
    return signers.PdfSigner(meta, signer=signer, stamp_style=style).sign_pdf(writer).getvalue()

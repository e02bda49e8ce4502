"""Issued reports on the reports' generated world, with a throw-away certificate authority."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.reports.conftest import YEAR, ReportWorld, build_world  # noqa: F401

from . import pki

PASSPHRASE = "mat-khau-thu-" + uuid.uuid4().hex[:8]


@pytest.fixture
def world(db) -> ReportWorld:
    return build_world()


@dataclass
class TestPki:
    dir: Path
    ca: pki.Issued
    signer: pki.Issued
    expired: pki.Issued
    stranger_ca: pki.Issued
    stranger: pki.Issued
    agency: pki.Issued
    p12: Path


@pytest.fixture(scope="session")
def test_pki(tmp_path_factory) -> TestPki:
    import datetime

    tmp = tmp_path_factory.mktemp("pki")
    ca = pki.make_ca(tmp)
    now = datetime.datetime.now(datetime.UTC)
    signer = pki.make_cert(tmp, ca, "Phạm Thị Dung")
    expired = pki.make_cert(
        tmp,
        ca,
        "Người ký hết hạn",
        not_before=now - datetime.timedelta(days=800),
        not_after=now - datetime.timedelta(days=400),
    )
    stranger_ca = pki.make_ca(tmp, "CA không tin cậy")
    stranger = pki.make_cert(tmp, stranger_ca, "Người lạ")
    agency = pki.make_cert(tmp, ca, "Sở Công Thương thử")
    p12 = pki.pkcs12_file(tmp, agency, ca, PASSPHRASE.encode())
    return TestPki(tmp, ca, signer, expired, stranger_ca, stranger, agency, p12)


@pytest.fixture
def trusted(settings, test_pki, monkeypatch) -> TestPki:
    settings.ISSUANCE_TRUST_ROOTS = [str(test_pki.ca.cert_path)]
    settings.ISSUANCE_AGENCY_PKCS12 = str(test_pki.p12)
    monkeypatch.setenv(settings.ISSUANCE_AGENCY_PASSPHRASE_ENV, PASSPHRASE)
    return test_pki


def token() -> str:
    return uuid.uuid4().hex

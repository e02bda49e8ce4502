"""Hand-made workbooks and staff users for the import tests."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from openpyxl import Workbook

from accounts.roles import GROUP_NAMES, Role
from places.models import AdministrativeUnit
from tests.factories import AgencyFactory, StaffProfileFactory, UserFactory


def make_xlsx(
    headers: Sequence[str] | None,
    rows: Sequence[Sequence],
    *,
    title: str = "Sheet1",
    extra_sheets: dict[str, tuple[Sequence[str], Sequence[Sequence]]] | None = None,
    merge: str | None = None,
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    if headers is not None:
        sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    if merge:
        sheet.merge_cells(merge)
    for name, (more_headers, more_rows) in (extra_sheets or {}).items():
        other = workbook.create_sheet(name)
        other.append(list(more_headers))
        for row in more_rows:
            other.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def can_tho(loaded_places, db):
    return AdministrativeUnit.objects.current().provinces().get(code="92")


@pytest.fixture
def hai_phong(loaded_places, db):
    return AdministrativeUnit.objects.current().provinces().get(code="31")


def staff_of(province, username: str, role: str = Role.OFFICER):
    agency = AgencyFactory(province=province, name=f"Sở Công Thương {province.name} ({username})")
    user = StaffProfileFactory(user=UserFactory(username=username), agency=agency).user
    group, _created = Group.objects.get_or_create(name=GROUP_NAMES[role])
    user.groups.add(group)
    return user


def soffice_convert(tmp_path: Path, files: dict[str, bytes], to: str = "xlsx") -> dict[str, bytes]:
    """Save each file through LibreOffice (`soffice --headless --convert-to`), as people's files are."""
    exe = shutil.which("soffice")
    if exe is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    src = tmp_path / "in"
    out = tmp_path / "out"
    src.mkdir(parents=True)
    out.mkdir()
    paths = []
    for name, data in files.items():
        path = src / name
        path.write_bytes(data)
        paths.append(str(path))
    filter_args = ["--infilter=CSV:44,34,76,1"] if all(p.endswith(".csv") for p in paths) else []
    subprocess.run(
        [exe, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile", *filter_args,
         "--convert-to", to, "--outdir", str(out), *paths],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return {Path(name).stem: (out / (Path(name).stem + "." + to)).read_bytes() for name in files}


@pytest.fixture
def can_tho_officer(can_tho):
    return staff_of(can_tho, "chuyenvien_ct")


@pytest.fixture
def hai_phong_officer(hai_phong):
    return staff_of(hai_phong, "chuyenvien_hp")


@pytest.fixture(autouse=True)
def uploads_in_tmp(settings, tmp_path):
    """Uploaded files go to a temporary MEDIA_ROOT, never into the working tree."""
    settings.MEDIA_ROOT = tmp_path / "media"

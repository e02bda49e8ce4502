"""Hand-made workbooks and staff users for the import tests."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pytest
from openpyxl import Workbook

from accounts.scoping import user_province_id  # noqa: F401 - imported so a broken scoping fails early
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


def staff_of(province, username: str):
    agency = AgencyFactory(province=province, name=f"Sở Công Thương {province.name} ({username})")
    return StaffProfileFactory(user=UserFactory(username=username), agency=agency).user


@pytest.fixture
def can_tho_officer(can_tho):
    return staff_of(can_tho, "chuyenvien_ct")


@pytest.fixture
def hai_phong_officer(hai_phong):
    return staff_of(hai_phong, "chuyenvien_hp")

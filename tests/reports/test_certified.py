"""The annual report counts the establishments of its đề án holding certifications in force at the period's end."""

import datetime
import io

import openpyxl
import pytest

from beneficiaries.models import Certification
from reports import exports
from reports.periods import Period
from reports.selectors.annual import annual_report
from tests.projects.conftest import build_world, ready_project

pytestmark = pytest.mark.django_db


def test_certified_establishments_are_counted_by_scheme_and_grade():
    world = build_world()
    project = ready_project(world.own.plan)  # plan of 2025
    b = project.beneficiary_links.get().beneficiary
    Certification.objects.create(beneficiary=b, scheme="ocop", product_name="A", stars=4, year=2024)
    Certification.objects.create(
        beneficiary=b,
        scheme="cnnt",
        product_name="B",
        level="tinh",
        year=2023,
        expires_on=datetime.date(2025, 6, 30),
    )
    outsider = ready_project(world.other.plan).beneficiary_links.get().beneficiary
    Certification.objects.create(beneficiary=outsider, scheme="ocop", product_name="C", stars=5, year=2024)

    def counted(period):
        return [
            (r.label, r.beneficiaries)
            for r in annual_report(province=world.own.unit, period=period).certified
        ]

    assert counted(Period(2025, quarter=2)) == [("Sản phẩm CNNT tiêu biểu cấp tỉnh", 1), ("OCOP 4 sao", 1)]
    assert counted(Period(2025)) == [("OCOP 4 sao", 1)]  # the CNNT certificate lapsed on 30/6
    result = exports.annual(province=world.own.unit, period=Period(2025), fmt="xlsx", user=None)
    book = openpyxl.load_workbook(io.BytesIO(result.content))
    assert any(
        row[1:] == ("OCOP 4 sao", 1) for row in book["Chứng nhận sản phẩm"].iter_rows(values_only=True)
    )

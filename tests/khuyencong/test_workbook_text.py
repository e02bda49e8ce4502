"""Every workbook the portal emits stores text a person typed as text: never a formula, never an apostrophe.

Each kind of workbook is built from a world whose every free-text field holds a formula; the file is
reopened with openpyxl (the only formula cells are the portal's own =SUM totals) and converted by
LibreOffice to CSV (the typed characters come out, never a formula's result). A new kind of workbook joins
WORKBOOK_KINDS; `test_every_module_that_builds_a_workbook_is_covered` fails until it does.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from openpyxl import Workbook, load_workbook

from beneficiaries.models import Beneficiary, BeneficiaryKind
from khuyencong.list_export import export_response
from places.models import AdministrativeUnit
from programs.models import (
    ActivityContent,
    Agency,
    AnnualPlan,
    FundingSource,
    Indicator,
    Programme,
    ProgrammeTarget,
)
from projects.models import Project, ProjectOutput
from reports import exports
from reports.periods import Period
from spreadsheets.models import ImportJob, ImportKind
from spreadsheets.services import rejected_rows_workbook
from spreadsheets.template_files import build_template
from tests.reports.conftest import YEAR, build_world

ROOT = Path(__file__).resolve().parents[2]
EVIL_RESULT = "40002"  # what =SUM(40000,2) shows if it ever runs
SHORT = "=SUM(40000,2)"
PORTAL_FORMULA = re.compile(r"^=SUM\([A-Z]+\d+:[A-Z]+\d+\)$")


def hyperlink(tag: str) -> str:
    return f'=HYPERLINK("http://evil.example/{tag}","bấm-{tag}")'


HOSTILE_MODELS = [
    Project,
    AnnualPlan,
    Programme,
    ProgrammeTarget,
    ProjectOutput,
    Beneficiary,
    BeneficiaryKind,
    Agency,
    AdministrativeUnit,
    FundingSource,
    ActivityContent,
    Indicator,
]
# Fields the code reads as keys rather than shows (their values are fixed by reference data or validators).
KEY_FIELDS = {"code", "name_folded", "search_text", "qualifier", "legal_basis_url", "slug"}


def make_hostile() -> set[str]:
    """Every free-text field of every row of the models the workbooks show now holds a formula."""
    written: set[str] = set()
    for model in HOSTILE_MODELS:
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField) or field.choices:
                continue
            if field.name in KEY_FIELDS or field.name.endswith("_folded") or field.primary_key:
                continue
            for pk in model.objects.values_list("pk", flat=True):
                tag = f"{model._meta.model_name}-{field.name}-{pk}"
                value = hyperlink(tag)
                if field.max_length and len(value) > field.max_length:
                    if field.max_length < len(SHORT) or field.unique:
                        continue
                    value = SHORT
                try:
                    with transaction.atomic():
                        model.objects.filter(pk=pk).update(**{field.name: value})
                except IntegrityError:  # a short value that must be unique: one row carries it
                    continue
                written.add(value)
    return written


def _report(kind: str, world) -> bytes:
    projects = Project.objects.all()
    if kind == "annual":
        return exports.annual(province=world.province, period=Period(YEAR), fmt="xlsx").content
    if kind == "programme":
        return exports.programme(programme=world.programme, fmt="xlsx").content
    if kind == "national":
        return exports.national(period=Period(YEAR), fmt="xlsx").content
    if kind == "project-list":
        return exports.project_list(projects=projects, description=hyperlink("mo-ta"), fmt="xlsx").content
    return exports.support_history(projects=projects, description=hyperlink("mo-ta"), fmt="xlsx").content


def _list_export(world) -> bytes:
    rows = Project.objects.values_list("code", "title", "implementing_unit_name", "year")
    return export_response(
        ["Mã", "Tên", "Đơn vị", hyperlink("tieu-de")], rows, filename="danh-sach", title=hyperlink("x")
    ).content


def _template(kind: str, world) -> bytes:
    return build_template(kind, province=world.province)


def _rejected(world) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Cơ sở CNNT"
    sheet.append(["Tên cơ sở", "Mã số thuế"])
    sheet.append([hyperlink("ten-co-so"), SHORT])
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = ImportJob(
        owner=world.leader,
        kind=ImportKind.BENEFICIARIES,
        status=ImportJob.Status.INVALID,
        original_name="co-so.xlsx",
        report={
            "errors": [
                {"sheet": "Cơ sở CNNT", "row": 2, "column": "Mã số thuế", "letter": "B", "message": SHORT}
            ]
        },
    )
    job.file.save("co-so.xlsx", ContentFile(buffer.getvalue()), save=False)
    job.save()
    return rejected_rows_workbook(job)


def _register(world) -> bytes:
    """The register of outgoing reports, its text fields as hostile as a person could make them."""
    import datetime
    from types import SimpleNamespace

    from issuance.exports import register_xlsx

    row = SimpleNamespace(
        number_text=hyperlink("so"),
        issued_on=datetime.date(YEAR, 1, 5),
        title=hyperlink("trich-yeu"),
        agency_name=hyperlink("co-quan"),
        signer_name=SHORT,
        issued_by=world.leader,
        recipients=[hyperlink("noi-nhan")],
        signed_count=0,
        pretty_code="ABCD-EFGH",
        sha256="0" * 64,
    )
    return register_xlsx([row], year=YEAR)


# Every kind of workbook the portal emits, by the module that builds it. A new kind joins this list.
WORKBOOK_KINDS = {
    "report-annual": ("reports/xlsx", lambda w: _report("annual", w)),
    "report-programme": ("reports/xlsx", lambda w: _report("programme", w)),
    "report-national": ("reports/xlsx", lambda w: _report("national", w)),
    "report-project-list": ("reports/xlsx", lambda w: _report("project-list", w)),
    "report-support-history": ("reports/xlsx", lambda w: _report("support", w)),
    "list-export": ("khuyencong/list_export.py", _list_export),
    **{
        f"import-template-{kind}": ("spreadsheets/template_files.py", lambda w, k=kind: _template(k, w))
        for kind in ImportKind.values
    },
    "rejected-rows": ("spreadsheets/services.py", _rejected),
    "issued-report-register": ("issuance/exports.py", _register),
}

# Every app of the portal's own (a new app is read without being named here).
APP_DIRS = sorted(
    p.parent.name for p in ROOT.glob("*/apps.py") if p.parent.name not in {"tests", "benchmarks", "loadtest"}
)


def test_every_module_that_builds_a_workbook_is_covered():
    """A module that creates a workbook is one of the kinds tested here, and no module but the shared
    writer puts a value into a cell by hand."""
    builders, hand_written = set(), []
    for app in APP_DIRS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or "management" in path.parts:
                continue
            relative = path.relative_to(ROOT).as_posix()
            text = path.read_text(encoding="utf-8")
            if re.search(r"\bWorkbook\(", text):
                builders.add(relative)
            if relative != "khuyencong/workbooks.py" and re.search(
                r"WriteOnlyCell\(|\.cell\([^)]*value=|\.append\(\[(?!self\._cell|cell)", text
            ):
                hand_written.append(relative)
    covered = {module for module, _build in WORKBOOK_KINDS.values()}
    assert {b for b in builders if not any(b.startswith(c) for c in covered)} == set()
    assert hand_written == []


def _cells(content: bytes):
    for ws in load_workbook(io.BytesIO(content)).worksheets:
        for row in ws.iter_rows():
            yield from row


def _libreoffice_csv(tmp_path: Path, content: bytes) -> str:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:  # pragma: no cover - the Makefile installs it
        pytest.fail("LibreOffice (soffice) is needed to prove no formula runs")
    source = tmp_path / "in.xlsx"
    source.write_bytes(content)
    profile = tmp_path / "profile"
    # Sheet -1: every sheet to its own CSV file (LibreOffice 7.2+), formulas evaluated on load.
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(tmp_path / "out"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((tmp_path / "out").glob("*.csv")))


@pytest.mark.parametrize("kind", list(WORKBOOK_KINDS))
def test_text_typed_by_people_is_text_in_every_workbook(kind, db, tmp_path):
    world = build_world(n_projects=10)
    hostile = make_hostile()
    content = WORKBOOK_KINDS[kind][1](world)

    formulas, typed = [], []
    for cell in _cells(content):
        if cell.data_type == "f":
            formulas.append(cell.value)
        elif isinstance(cell.value, str) and ("evil.example" in cell.value or SHORT in cell.value):
            assert not cell.value.startswith("'"), cell.value
            typed.append(cell.value)
    assert [f for f in formulas if not PORTAL_FORMULA.match(f)] == []
    assert typed, "the workbook shows none of the hostile text: the test proves nothing"
    assert any(value in hostile or value.startswith(("=HYPERLINK", SHORT)) for value in typed)

    text = _libreoffice_csv(tmp_path, content)
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert any(c.startswith("=HYPERLINK(") or c.startswith(SHORT) for c in cells)
    assert not [c for c in cells if c == EVIL_RESULT or re.fullmatch(r"bấm-[\w-]+", c)]
    assert "#NAME?" not in cells and "Err:" not in text


def test_report_totals_stay_formulas(db):
    world = build_world(n_projects=6)
    content = _report("project-list", world)
    assert any(c.data_type == "f" and PORTAL_FORMULA.match(c.value) for c in _cells(content))

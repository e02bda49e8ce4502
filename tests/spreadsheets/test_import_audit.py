"""Imports leave an audit trail: who imported, when, and each audited field's old and new value, also for the
rows written in bulk (budget lines, beneficiaries' support); a rejected import leaves no audit row at all."""

import io
import json

import pytest
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from projects.models import BudgetLine, Project, ProjectBeneficiary
from spreadsheets.audit import is_audited
from spreadsheets.engine import run_import
from tests.factories import AnnualPlanFactory, BeneficiaryFactory

from .test_import_projects import project_row, workbook

pytestmark = pytest.mark.django_db


def run(data, actor, commit=True):
    return run_import(kind="projects", source=io.BytesIO(data), actor=actor, commit=commit)


def entries(model):
    return LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model)).order_by("pk")


@pytest.fixture
def plan(can_tho, reference_data):
    return AnnualPlanFactory(province=can_tho, year=2026, kind="kcdp")


@pytest.fixture
def firm(can_tho):
    return BeneficiaryFactory(province=can_tho)


def data_for(firm, *, amount="12.000.000", support="50.000.000"):
    return workbook(
        [project_row()],
        budget=[
            ["CT-2026-01", 1, "KC địa phương", "Thuê giảng viên", amount],
            ["CT-2026-01", 3, "Vốn đối ứng", "Máy đan", 150_000_000],
        ],
        links=[["CT-2026-01", firm.tax_code, None, None, support, "20.000.000", "Có"]],
    )


def test_the_models_written_in_bulk_are_audited():
    # If these stop being audited, the tests below no longer test the bulk path.
    assert is_audited(BudgetLine) and is_audited(ProjectBeneficiary) and is_audited(Project)


def test_an_import_records_who_created_each_record_and_its_values(plan, can_tho_officer, firm):
    report = run(data_for(firm), can_tho_officer)
    assert report.committed, report.errors

    lines = {line.pk: line for line in BudgetLine.objects.all()}
    logged = list(entries(BudgetLine))
    assert sorted(int(e.object_pk) for e in logged) == sorted(lines)
    for entry in logged:
        line = lines[int(entry.object_pk)]
        assert entry.action == LogEntry.Action.CREATE
        assert entry.actor == can_tho_officer
        assert entry.object_id == line.pk and entry.object_repr == str(line)
        assert entry.changes["amount"] == [None, line.amount]
        assert entry.changes["project"][1] == line.project_id
    assert {e.changes["amount"][1] for e in logged} == {12_000_000, 150_000_000}

    (link_entry,) = entries(ProjectBeneficiary)
    link = ProjectBeneficiary.objects.get()
    assert (link_entry.action, link_entry.actor, int(link_entry.object_pk)) == (
        LogEntry.Action.CREATE, can_tho_officer, link.pk,
    )  # fmt: skip
    assert link_entry.changes["support_amount"] == [None, 50_000_000]
    assert link_entry.changes["counterpart_committed"] == [None, True]

    # The đề án itself is saved one by one (its signals log it): the importer is named there too.
    project_entries = list(entries(Project))
    assert project_entries and all(e.actor == can_tho_officer for e in project_entries)


def test_the_audit_rows_of_records_written_in_bulk_are_auditlogs_own_diff(plan, can_tho_officer, firm):
    # On PostgreSQL these rows are built by the database from the stored records; elsewhere in Python.
    assert run(data_for(firm), can_tho_officer).committed
    for model in (BudgetLine, ProjectBeneficiary):
        saved = {record.pk: record for record in model.objects.all()}
        logged = list(entries(model))
        assert sorted(e.object_id for e in logged) == sorted(saved)
        for entry in logged:
            record = saved[entry.object_id]
            expected = json.loads(json.dumps(model_instance_diff(None, record, use_json_for_changes=True)))
            assert entry.changes == expected, (model, entry.object_id)
            assert (entry.object_pk, entry.object_repr) == (str(record.pk), str(record))
            assert entry.actor == can_tho_officer and entry.actor_email == can_tho_officer.email


def test_a_reimport_that_changes_money_records_old_and_new_values(plan, can_tho_officer, firm):
    assert run(data_for(firm), can_tho_officer).committed
    before = LogEntry.objects.count()
    line = BudgetLine.objects.get(expense_item="Thuê giảng viên")

    report = run(data_for(firm, amount="15.500.000", support="45.000.000"), can_tho_officer)
    assert report.committed and report.totals.updated == 2, report.errors

    changed = list(LogEntry.objects.order_by("pk")[before:])
    by_model = {(e.content_type.model_class(), int(e.object_pk)): e for e in changed}
    entry = by_model[(BudgetLine, line.pk)]
    assert entry.action == LogEntry.Action.UPDATE and entry.actor == can_tho_officer
    assert entry.changes == {"amount": [12_000_000, 15_500_000]}
    link = ProjectBeneficiary.objects.get()
    assert by_model[(ProjectBeneficiary, link.pk)].changes == {"support_amount": [50_000_000, 45_000_000]}
    # The unchanged budget line ("Máy đan") and the unchanged đề án get no audit row.
    assert len(changed) == 2


def test_an_unchanged_reimport_records_nothing(plan, can_tho_officer, firm):
    assert run(data_for(firm), can_tho_officer).committed
    before = LogEntry.objects.count()
    again = run(data_for(firm), can_tho_officer)
    assert again.committed and again.totals.unchanged == 4
    assert LogEntry.objects.count() == before


def test_a_rejected_import_leaves_no_audit_row(plan, can_tho_officer, firm):
    before = LogEntry.objects.count()  # the fixtures' own records (plan, programme) are audited
    data = workbook(
        [project_row()],
        budget=[
            ["CT-2026-01", 1, "KC địa phương", "Thuê giảng viên", "12.000.000"],
            ["CT-2026-01", 1, "KC địa phương", "Tài liệu", "-1"],
        ],
        links=[["CT-2026-01", firm.tax_code, None, None, "50.000.000", "20.000.000", "Có"]],
    )
    report = run(data, can_tho_officer)
    assert not report.committed and report.errors
    assert Project.objects.count() == BudgetLine.objects.count() == ProjectBeneficiary.objects.count() == 0
    assert LogEntry.objects.count() == before


def test_a_preview_leaves_no_audit_row(plan, can_tho_officer, firm):
    before = LogEntry.objects.count()
    report = run(data_for(firm), can_tho_officer, commit=False)
    assert report.ok and not report.committed
    assert LogEntry.objects.count() == before

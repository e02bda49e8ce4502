"""Every record a person enters is audited (actor, time, old → new), and settlement is reconciled against
what was disbursed."""

import datetime

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.roles import Role
from beneficiaries.models import Certification
from khuyencong.audit import project_audit_trail
from projects.models import Appraisal, Disbursement, ProgressReport, ProjectDocument, ProjectOutput
from projects.models import ProjectStatus as S
from projects.services import (
    appraisal_submit,
    document_upload,
    outputs_record,
    progress_report_submit,
    project_settle,
)
from spreadsheets.models import ImportJob
from tests.factories import BeneficiaryFactory, indicator, source

from .conftest import project_in

DAY = datetime.date(2025, 6, 1)
SCORES = dict(score_fit=15, score_necessity=15, score_efficiency=15, score_budget=15, score_capacity=15)


def entries(obj):
    return list(LogEntry.objects.get_for_object(obj).order_by("timestamp", "pk"))


def test_an_output_corrected_from_5_to_7_keeps_both_values_and_who(world):
    project = project_in(world.own.plan, S.IN_PROGRESS)
    centre = world.user(Role.CENTRE)
    trainees = indicator("trainees")
    with set_actor(centre):
        outputs_record(actor=centre, project=project, achieved={trainees: 5})
        outputs_record(actor=centre, project=project, achieved={trainees: 7})
    row = ProjectOutput.objects.get(project=project, indicator=trainees)
    last = entries(row)[-1]
    assert last.action == LogEntry.Action.UPDATE and last.actor == centre and last.timestamp
    assert last.changes_dict["achieved"] == [5, 7]
    assert row.pk in {
        int(e.object_pk) for e in project_audit_trail(project) if e.content_type.model == "projectoutput"
    }


def test_a_corrected_appraisal_sheet_keeps_the_old_scores_in_the_trail(world):
    project = project_in(world.own.plan, S.APPRAISING)
    appraiser = world.user(Role.APPRAISER)
    with set_actor(appraiser):
        appraisal_submit(actor=appraiser, project=project, recommendation="approve", **SCORES)
        appraisal_submit(
            actor=appraiser, project=project, recommendation="revise", **{**SCORES, "score_budget": 8}
        )
    sheet = Appraisal.objects.get(project=project, appraiser=appraiser)
    created, corrected = entries(sheet)
    assert created.action == LogEntry.Action.CREATE
    assert created.changes_dict["score_budget"][1] == 15
    assert corrected.changes_dict["score_budget"] == [15, 8]
    assert corrected.changes_dict["recommendation"] == ["approve", "revise"]
    assert corrected.actor == appraiser


def test_progress_reports_and_documents_are_audited_with_their_actor(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project = project_in(world.own.plan, S.IN_PROGRESS)
    centre = world.user(Role.CENTRE)
    with set_actor(centre):
        progress_report_submit(
            actor=centre, project=project, month=DAY, percent_complete=40, summary="Đã mở 2 lớp", today=DAY
        )
        document_upload(
            actor=centre,
            project=project,
            file=SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 bien ban", content_type="application/pdf"),
            kind=ProjectDocument.Kind.OTHER if hasattr(ProjectDocument.Kind, "OTHER") else "other",
            title="Biên bản",
        )
    for record in (ProgressReport.objects.get(project=project), ProjectDocument.objects.get(project=project)):
        (entry,) = entries(record)
        assert entry.action == LogEntry.Action.CREATE and entry.actor == centre


def test_beneficiaries_certifications_and_import_jobs_are_audited(world):
    officer = world.user(Role.OFFICER)
    with set_actor(officer):
        beneficiary = BeneficiaryFactory(province=world.own.unit, employees=5)
        beneficiary.employees = 7
        beneficiary.save()
        certificate = Certification.objects.create(
            beneficiary=beneficiary,
            scheme=Certification.Scheme.OCOP,
            product_name="Bánh pía",
            stars=3,
            year=2024,
        )
        job = ImportJob.objects.create(
            owner=officer, kind="beneficiaries", status=ImportJob.Status.PREVIEWED, original_name="a.xlsx"
        )
        job.status = ImportJob.Status.IMPORTED
        job.finished_at = timezone.now()
        job.save()
    assert entries(beneficiary)[-1].changes_dict["employees"] == [5, 7]
    assert entries(certificate)[0].actor == officer
    assert entries(job)[-1].changes_dict["status"] == ["previewed", "imported"]


@pytest.mark.parametrize(
    ("settled", "paid", "flag"),
    [
        (90_000_000, 90_000_000, None),
        (
            90_000_000,
            60_000_000,
            "quyết toán 90.000.000 đồng, đã giải ngân 60.000.000 đồng: còn phải chi 30.000.000",
        ),
        (
            50_000_000,
            60_000_000,
            "quyết toán 50.000.000 đồng, đã giải ngân 60.000.000 đồng: phải thu hồi 10.000.000",
        ),
    ],
)
def test_settlement_is_reconciled_against_disbursements_and_a_difference_is_flagged(
    world, settled, paid, flag
):
    project = project_in(world.own.plan, S.CLOSED)
    kcdp = source("kcdp")
    Disbursement.objects.create(
        project=project, source=kcdp, amount=paid, paid_on=DAY, recorded_by=world.admin
    )
    transition = project_settle(
        actor=world.user(Role.LEADER),
        project=project,
        amounts={kcdp: settled},
        decision_number="201/QĐ-SCT",
        decision_date=DAY,
    )
    if flag is None:
        assert transition.acknowledged_warnings == ""
    else:
        assert flag in transition.acknowledged_warnings

"""Back up, wipe, restore: every row, every đồng and every uploaded file comes back; a damaged backup is
refused before anything is touched. Runs on whichever database the suite runs on (SQLite or PostgreSQL)."""

import hashlib
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.db.models import Sum

from projects.models import BudgetLine, Project, ProjectDocument
from tests.factories import (
    BudgetLineFactory,
    PlanAllocationFactory,
    ProjectBeneficiaryFactory,
    ProjectFactory,
    UserFactory,
    content,
    source,
)

pytestmark = pytest.mark.django_db(transaction=True)


def state(media_root: Path) -> dict:
    """Every table's rows (as values) and every money total, plus each uploaded file's hash."""
    rows, money = {}, {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        label = model._meta.label
        rows[label] = sorted(map(repr, model._base_manager.order_by("pk").values_list()))
        for field in model._meta.concrete_fields:
            if isinstance(field, models.BigIntegerField) and not field.primary_key and not field.is_relation:
                money[f"{label}.{field.name}"] = model._base_manager.aggregate(t=Sum(field.name))["t"]
    files = {
        str(p.relative_to(media_root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in media_root.rglob("*")
        if p.is_file()
    }
    return {"rows": rows, "money": money, "files": files}


@pytest.fixture
def portal_data(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    amounts = [1, 999, 123_456_789, 15_940_000_000, 9_007_199_254_740_993]  # the last exceeds a double
    user = UserFactory(username="canbo.luu")
    projects = []
    for i, amount in enumerate(amounts):
        project = ProjectFactory(title=f"Đề án sao lưu {i} — Đan lát Thới Lai")
        BudgetLineFactory(project=project, source=source("kcdp"), content=content(1), amount=amount)
        ProjectBeneficiaryFactory(project=project, support_amount=amount // 3, counterpart_amount=amount // 7)
        PlanAllocationFactory(plan=project.plan, amount=amount)
        document = ProjectDocument(
            project=project,
            kind=ProjectDocument.Kind.DECISION,
            original_name=f"quyet-dinh-{i}.pdf",
            size=20,
            content_type="application/pdf",
            uploaded_by=user,
        )
        document.file.save("upload.pdf", ContentFile(b"%PDF-1.4 quyet dinh " + bytes([i])), save=False)
        document.save()
        projects.append(project)
    return projects


def test_backup_wipe_restore_finds_every_row_every_dong_and_every_file(portal_data, settings, tmp_path):
    media_root = Path(settings.MEDIA_ROOT)
    before = state(media_root)
    assert before["money"]["projects.BudgetLine.amount"] == sum(
        BudgetLine.objects.values_list("amount", flat=True)
    )
    call_command("backup", output=str(tmp_path / "ban-sao-luu"), verbosity=0)

    # Wipe: every table emptied, every uploaded file gone.
    call_command("flush", interactive=False, verbosity=0)
    for path in media_root.rglob("*"):
        if path.is_file():
            path.unlink()
    assert Project.objects.count() == 0
    assert not any(p.is_file() for p in media_root.rglob("*"))

    call_command("restore", input=str(tmp_path / "ban-sao-luu"), yes=True, verbosity=0)
    connection.close()  # read back through a fresh connection, as the next request would
    after = state(media_root)
    assert after == before
    assert BudgetLine.objects.get(amount=9_007_199_254_740_993)
    for document in ProjectDocument.objects.all():
        with document.file.open("rb") as handle:
            assert handle.read().startswith(b"%PDF-1.4 quyet dinh ")


def test_the_manifest_records_row_counts_money_totals_and_checksums(portal_data, tmp_path):
    call_command("backup", output=str(tmp_path / "b"), verbosity=0)
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["vendor"] == connection.vendor
    assert manifest["rows"]["projects.Project"] == 5
    assert manifest["money"]["projects.BudgetLine.amount"] == sum(
        BudgetLine.objects.values_list("amount", flat=True)
    )
    assert len(manifest["media_files"]) == 5


def test_a_damaged_backup_is_refused_and_nothing_is_touched(portal_data, settings, tmp_path):
    folder = tmp_path / "b"
    call_command("backup", output=str(folder), verbosity=0)
    some_file = next(p for p in (folder / "media").rglob("*") if p.is_file())
    some_file.write_bytes(b"%PDF-1.4 sua doi")
    before = state(Path(settings.MEDIA_ROOT))
    with pytest.raises(CommandError, match="đã bị sửa"):
        call_command("restore", input=str(folder), yes=True, verbosity=0)
    assert state(Path(settings.MEDIA_ROOT)) == before


def test_a_backup_never_overwrites_an_earlier_one(portal_data, tmp_path):
    call_command("backup", output=str(tmp_path / "b"), verbosity=0)
    with pytest.raises(CommandError, match="đã có dữ liệu"):
        call_command("backup", output=str(tmp_path / "b"), verbosity=0)

"""What an import costs does not grow with the file: the place index is checked once per import, each unit
is loaded once, today's unit and province come from the index, new rows get their keys in one go; and
every shortcut gives what the plain path gives (auditlog's own diff, `today_province()`, bulk_create)."""

import json

import pytest
from auditlog.diff import get_field_value, model_instance_diff, track_field
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from beneficiaries.models import Beneficiary, BeneficiaryKind
from places.models import AdministrativeUnit
from places.resolve import pinned_index, today_of
from spreadsheets.audit import _field_getter
from spreadsheets.resources.bulk_sql import insert_rows_with_ids
from tests.factories import BeneficiaryFactory, valid_tax_code

from .conftest import make_xlsx
from .test_fast_paths import HEADERS, run

pytestmark = pytest.mark.django_db


def _rows(can_tho, places: int, count: int = 40) -> list[list]:
    """`count` rows naming `places` different communes of Cần Thơ: half today's (as the template writes
    them), half old ones with their district."""
    new = [
        f"{u.full_name}, {can_tho.full_name}"
        for u in AdministrativeUnit.objects.current().communes().filter(province=can_tho).order_by("pk")
    ]
    old = [
        f"{u.full_name}, {u.parent.full_name}"
        for u in AdministrativeUnit.objects.historic().communes().filter(current_province=can_tho)
        .select_related("parent").order_by("pk")
    ]  # fmt: skip
    names = [n for pair in zip(new, old, strict=False) for n in pair][:places]
    return [
        [f"Cơ sở {i}", "Doanh nghiệp nhỏ và vừa", valid_tax_code(), names[i % len(names)], None, None, None,
         None, "Gốm", None, 3, "Có", "Không"]
        for i in range(count)
    ]  # fmt: skip


def _queries(data: bytes, actor) -> int:
    with CaptureQueriesContext(connection) as captured:
        report = run(data, actor, commit=False)
    assert report.ok, report.errors[:3]
    return len(captured)


def test_the_queries_of_an_import_do_not_grow_with_the_places_named(reference_data, can_tho, can_tho_officer):
    _queries(make_xlsx(HEADERS, _rows(can_tho, places=1)), can_tho_officer)  # warm: the index, the caches
    few = _queries(make_xlsx(HEADERS, _rows(can_tho, places=2)), can_tho_officer)
    many = _queries(make_xlsx(HEADERS, _rows(can_tho, places=30)), can_tho_officer)
    assert many == few


def test_today_of_is_what_the_units_say(can_tho):
    units = list(
        AdministrativeUnit.objects.filter(current_province=can_tho)
        | AdministrativeUnit.objects.filter(province=can_tho)
        | AdministrativeUnit.objects.filter(pk=can_tho.pk)
    )
    assert len(units) > 50
    assert {u.era for u in units} == {AdministrativeUnit.Era.NEW, AdministrativeUnit.Era.OLD}
    with pinned_index():
        for unit in units:
            province = unit.today_province()
            if unit.era == AdministrativeUnit.Era.NEW:
                current = unit.pk
            else:
                successors = list(unit.successors.values_list("pk", flat=True))
                current = successors[0] if len(successors) == 1 else None
            assert today_of(unit) == (current, province.pk if province else None), unit


def test_a_pinned_index_is_checked_once(can_tho):
    from places.resolve import resolve_place_ids

    with CaptureQueriesContext(connection) as unpinned:
        for _ in range(3):
            resolve_place_ids("xã Thới Lai, Cần Thơ")
    with pinned_index(), CaptureQueriesContext(connection) as pinned:
        for _ in range(3):
            resolve_place_ids("xã Thới Lai, Cần Thơ")
    assert len(unpinned) == 3 and len(pinned) == 0


def test_bulk_audit_rows_are_auditlogs_own(reference_data, can_tho, can_tho_officer):
    report = run(make_xlsx(HEADERS, _rows(can_tho, places=6, count=12)), can_tho_officer)
    assert report.committed, report.errors[:3]
    kind = ContentType.objects.get_for_model(Beneficiary)
    saved = {b.pk: b for b in Beneficiary.objects.all()}
    entries = list(LogEntry.objects.filter(content_type=kind))
    assert sorted(e.object_id for e in entries) == sorted(saved)
    for entry in entries:
        beneficiary = saved[entry.object_id]
        expected = model_instance_diff(None, beneficiary, use_json_for_changes=True)
        assert entry.changes == json.loads(json.dumps(expected)), entry.object_id
        assert (entry.action, entry.actor, entry.object_repr, entry.object_pk) == (
            LogEntry.Action.CREATE, can_tho_officer, str(beneficiary), str(beneficiary.pk),
        )  # fmt: skip
        assert entry.timestamp is not None and entry.actor_email == can_tho_officer.email


@pytest.mark.parametrize("as_json", [True, False])
def test_field_values_read_directly_are_auditlogs(can_tho, as_json):
    beneficiary = BeneficiaryFactory(province=can_tho, tax_code=None, employees=None)
    fields = [f for f in Beneficiary._meta.get_fields() if track_field(f)]
    assert any(f.one_to_many for f in fields) and any(f.many_to_one for f in fields)
    for field in fields:
        getter, _field = _field_getter(field, as_json)
        assert getter(beneficiary) == get_field_value(beneficiary, field, as_json), field.name


def test_rows_inserted_with_keys_are_what_bulk_create_stores(reference_data, can_tho):
    kind = BeneficiaryKind.objects.first()

    def build(name):
        return Beneficiary(name=name, province=can_tho, unit_at_time=can_tho, kind=kind)

    ours = insert_rows_with_ids(Beneficiary, [build("Cơ sở A\tB"), build("Cơ sở \\ C")])
    theirs = Beneficiary.objects.bulk_create([build("Cơ sở A\tB"), build("Cơ sở \\ C")])
    assert all(b.pk is not None and not b._state.adding for b in ours)
    assert ours[0].pk < ours[1].pk
    skipped = ("id", "created_at", "updated_at")
    columns = [f.attname for f in Beneficiary._meta.concrete_fields if f.attname not in skipped]
    for mine, reference in zip(ours, theirs, strict=True):
        stored = Beneficiary.objects.values(*columns, "created_at").get(pk=mine.pk)
        assert stored == Beneficiary.objects.values(*columns, "created_at").get(pk=reference.pk) | {
            "created_at": stored["created_at"]
        }
        assert stored["created_at"] == mine.created_at


def _logged(model, rows) -> list[dict]:
    kind = ContentType.objects.get_for_model(model)
    entries = LogEntry.objects.filter(content_type=kind, object_id__in=[r.pk for r in rows]).order_by("pk")
    return [{k: v for k, v in entry.items() if k not in ("id", "timestamp")} for entry in entries.values()]


@pytest.mark.postgres
def test_creation_audit_rows_built_in_postgresql_are_those_built_in_python(
    reference_data, can_tho, can_tho_officer, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("cần PostgreSQL")
    from spreadsheets import audit

    kind = BeneficiaryKind.objects.first()
    unit = AdministrativeUnit.objects.current().communes().filter(province=can_tho).first()

    def batch(tag):
        return insert_rows_with_ids(
            Beneficiary,
            [
                Beneficiary(name=f"Cơ sở «Ánh» {tag}\t\\ 1", province=can_tho, kind=kind, tax_code=valid_tax_code(),
                            unit_at_time=unit, current_unit=unit, employees=0, women_owned=True, phone="0292"),
                Beneficiary(name=f'Cơ sở "B" {tag}', province=can_tho, kind=kind, tax_code=None, employees=None,
                            email="a@b.vn", address="Ấp 3\n", ethnic_minority=True),
                Beneficiary(name=f"Cơ sở {tag} C", province=can_tho, kind=kind, employees=12_000),
            ],
        )  # fmt: skip

    def log(created):
        with audit.import_actor(can_tho_officer):
            return audit.log_bulk_changes(Beneficiary, created=created, actor=can_tho_officer)

    in_sql = batch("sql")
    with CaptureQueriesContext(connection) as captured:
        assert log(in_sql) == 3
    (query,) = [q["sql"] for q in captured.captured_queries if "auditlog_logentry" in q["sql"]]
    assert query.startswith('INSERT INTO "auditlog_logentry"') and " SELECT " in query  # no row from Python
    in_python = batch("python")
    monkeypatch.setattr(audit, "_insert_creations_in_sql", lambda *args: False)
    assert log(in_python) == 3

    ours, theirs = _logged(Beneficiary, in_sql), _logged(Beneficiary, in_python)
    assert [e["object_id"] for e in ours] == [b.pk for b in in_sql]  # in the rows' order
    for entry, reference, beneficiary in zip(ours, theirs, in_sql, strict=True):
        expected = model_instance_diff(None, beneficiary, use_json_for_changes=True)
        assert entry["changes"] == json.loads(json.dumps(expected))
        assert (entry["object_pk"], entry["object_repr"]) == (str(beneficiary.pk), beneficiary.name)
        # Everything else (action, actor and their e-mail, content type, address, correlation id…) as Python.
        per_row = ("object_pk", "object_id", "object_repr", "changes")
        assert {k: v for k, v in entry.items() if k not in per_row} == {
            k: v for k, v in reference.items() if k not in per_row
        }

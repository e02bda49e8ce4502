"""The audit trail of imports: rows written in bulk get the same audit rows a form's save would give them.

Imports write new and changed rows in bulk, which sends no model signal, so django-auditlog would record
nothing. For the models registered in `khuyencong.audit` the import records, after each bulk write and in
the same transaction, one audit row per created or updated record: the importing user, the time, and the
old and new value of each audited field, in auditlog's own format (`model_instance_diff`). Models not
registered there cost nothing. On PostgreSQL the audit rows of new records are built by the database from
the records just written (one INSERT … SELECT per batch): the same rows, without a JSON document per row
made in Python and sent over (on 100.000 beneficiaries, about a third of the import's own time).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator

from auditlog.registry import auditlog
from django.utils.translation import gettext as _


def is_audited(model) -> bool:
    return auditlog.contains(model)


def _context() -> dict:
    from auditlog.context import auditlog_value

    try:
        return auditlog_value.get()
    except LookupError:
        return {}


@contextlib.contextmanager
def import_actor(actor) -> Iterator[None]:
    """Audit rows written during the import, by model signals or in bulk, name `actor` (the request's
    address, when there is one, is kept); the context around the import (AuditlogMiddleware's) is put back
    afterwards."""
    from auditlog.context import auditlog_value, set_actor

    if actor is None or not getattr(actor, "is_authenticated", False):
        yield
        return
    previous = _context()
    try:
        with set_actor(
            actor, remote_addr=previous.get("remote_addr"), remote_port=previous.get("remote_port")
        ):
            yield
    finally:
        if previous:
            auditlog_value.set(previous)


_PRIMITIVE = frozenset({type(None), bool, int, float, str})  # the commonest of auditlog's `is_primitive`


def _creation_differ(model, as_json: bool):
    """auditlog's `model_instance_diff(None, instance)` with its set-up (the audited fields, their
    defaults) done once per model instead of once per row: the same changes, a fraction of the time on an
    import of thousands of rows. Masked fields fall back to auditlog's own function."""
    from auditlog.diff import get_field_value, is_primitive, model_instance_diff
    from django.utils.encoding import smart_str

    if auditlog.get_model_fields(model).get("mask_fields"):
        return lambda instance: model_instance_diff(None, instance, use_json_for_changes=as_json)
    fields = _audited_fields(model)
    prepared = []  # (getter, name, old value, old value as stored), once per import
    for field in fields:
        getter, _field = _field_getter(field, as_json)
        old = get_field_value(None, field, as_json)
        if not as_json:
            stored = smart_str(old)
        else:
            stored = old if is_primitive(old) else smart_str(old)
        prepared.append((getter, field.name, old, stored))

    def diff(instance):
        changes = {}
        for getter, name, old, stored in prepared:
            new = getter(instance)
            if old != new:
                if not as_json:
                    changes[name] = (stored, smart_str(new))
                else:
                    changes[name] = (
                        stored,
                        new if type(new) in _PRIMITIVE or is_primitive(new) else smart_str(new),
                    )
        return changes or None

    return diff


def _audited_fields(model) -> list:
    """The fields auditlog compares for `model`, as its `get_fields_in_model` and the model's options."""
    from auditlog.diff import track_field

    options = auditlog.get_model_fields(model)
    fields = [f for f in model._meta.get_fields() if track_field(f)]
    if options["include_fields"]:
        fields = [f for f in fields if f.name in options["include_fields"]]
    if options["exclude_fields"]:
        fields = [f for f in fields if f.name not in options["exclude_fields"]]
    return fields


def _creation_columns(model, first, as_json: bool) -> tuple[list, dict] | None:
    """How each audited field of a new `model` row enters its audit row's changes, for building them in
    PostgreSQL: ([(name, column, is text)] read from the stored row, {name: [None, value]} the same for
    every row, here a reverse relation's manager text). None when some field's logged value is not its
    column's value as JSON (dates, decimals, masks, text representations of keys…): Python builds those."""
    from auditlog.diff import get_field_value, is_primitive
    from django.conf import settings
    from django.db.models import ForeignKey, OneToOneField
    from django.utils.encoding import smart_str

    from .resources.bulk_sql import PLAIN_FIELD_CLASSES

    options = auditlog.get_model_fields(model)
    if not as_json or options.get("mask_fields") or callable(getattr(model, "get_additional_data", None)):
        return None
    keys_as_text = getattr(settings, "AUDITLOG_USE_FK_STRING_REPRESENTATION", False)
    own_columns = set(model._meta.local_concrete_fields)  # a parent model's fields live in its own table
    columns, constants = [], {}
    for field in _audited_fields(model):
        if get_field_value(None, field, as_json) is not None:
            return None  # a change is then "value differs from that", not "value is not NULL"
        if field.many_to_many or field.one_to_many:
            value = get_field_value(first, field, as_json)  # the manager's text, one for every saved row
            if value is not None:
                constants[field.name] = [None, value if is_primitive(value) else smart_str(value)]
        elif field not in own_columns:
            return None
        elif field.many_to_one or field.one_to_one:
            if (
                keys_as_text
                or type(field) not in (ForeignKey, OneToOneField)
                or type(field.target_field) not in PLAIN_FIELD_CLASSES
            ):
                return None
            columns.append((field.name, field.column, _is_text(field.target_field)))
        elif type(field) in PLAIN_FIELD_CLASSES:
            columns.append((field.name, field.column, _is_text(field)))
        else:
            return None
    return columns, constants


def _is_text(field) -> bool:
    """A column whose JSON value is a quoted string (numbers and yes/no are their own text)."""
    from django.db.models import BooleanField, IntegerField

    return not isinstance(field, IntegerField | BooleanField)


def _insert_creations_in_sql(model, created: list, new_entry, as_json: bool) -> bool:
    """On PostgreSQL, write the creation audit rows of `created` (saved, keys set) with one INSERT … SELECT
    from the rows as stored, in the rows' order: the values auditlog's diff of a new instance records,
    without building and sending 100.000 JSON documents from Python. False (nothing written) where the
    changes cannot be read from the columns; the caller then builds them in Python."""
    from auditlog.models import LogEntry
    from django.db import connections, models, router
    from django.utils.encoding import smart_str

    alias = router.db_for_write(LogEntry)
    connection = connections[alias]
    pk = model._meta.pk
    if (
        connection.vendor != "postgresql"
        or router.db_for_write(model) != alias
        or type(pk) not in (models.AutoField, models.BigAutoField, models.SmallAutoField)
    ):
        return False
    plan = _creation_columns(model, created[0], as_json)
    if plan is None:
        return False
    columns, constants = plan
    quote = connection.ops.quote_name
    # The changes as JSON text, parsed once into jsonb: building it with jsonb_build_object takes twice
    # as long. A NULL column gives a NULL member, which concat_ws leaves out, as the diff leaves out a
    # value that is still None; it takes at most 100 arguments, hence the groups of 90.
    members = [
        f"%s || {f'to_json(t.{quote(column)})' if text else f't.{quote(column)}::text'} || ']'"
        for _name, column, text in columns
    ]
    member_params = [f"{json.dumps(name)}: [null, " for name, _column, _text in columns]
    if constants:
        members.append("%s")
        member_params.append(json.dumps(constants)[1:-1])
    groups = [
        f"NULLIF(concat_ws(', ', {', '.join(members[start : start + 90])}), '')"
        for start in range(0, len(members), 90)
    ] or ["''"]
    body = groups[0] if len(groups) == 1 else f"concat_ws(', ', {', '.join(groups)})"
    changes = f"NULLIF(('{{' || coalesce({body}, '') || '}}')::jsonb, '{{}}'::jsonb)"
    per_row = {
        "object_pk": ("k.pk::text", []),
        "object_id": ("k.pk", []),
        "object_repr": ("k.repr", []),
        "changes": (changes, member_params),
    }
    # Every other column is one value for the batch, as the Python path's entries get it (actor, time…).
    template = new_entry(
        object_pk="", object_id=None, object_repr="", action=LogEntry.Action.CREATE, changes=None
    )
    names, values, params = [], [], []
    for field in LogEntry._meta.local_concrete_fields:
        if field.primary_key or field.generated:
            continue
        names.append(quote(field.column))
        if field.attname in per_row:
            value, value_params = per_row[field.attname]
        else:
            value = f"%s::{field.db_type(connection)}"
            value_params = [field.get_db_prep_save(getattr(template, field.attname), connection)]
        values.append(value)
        params.extend(value_params)
    params += [[obj.pk for obj in created], [smart_str(obj) for obj in created]]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(LogEntry._meta.db_table)} ({', '.join(names)}) "
            f"SELECT {', '.join(values)} FROM unnest(%s::{pk.db_type(connection)}[], %s::text[]) "
            "WITH ORDINALITY AS k(pk, repr, n) "
            f"JOIN {quote(model._meta.db_table)} t ON t.{quote(pk.column)} = k.pk ORDER BY k.n",
            params,
        )
    return True


def _field_getter(field, as_json: bool):
    """(getter, field): `getter(instance)` is auditlog's `get_field_value(instance, field, as_json)`,
    read directly for the common kinds of field (text, number, yes/no, foreign key id) and for a
    many-valued relation, whose value is its manager's text ("needs.Need.None"), the same for every
    saved instance; anything else goes through auditlog's function."""
    from auditlog.diff import get_field_value
    from django.conf import settings
    from django.db.models import DateTimeField, JSONField
    from django.utils.encoding import smart_str

    def general(instance):
        return get_field_value(instance, field, as_json)

    if isinstance(field, DateTimeField | JSONField):
        return general, field
    if field.many_to_many or field.one_to_many:
        constant: list = []

        def many(instance):
            if instance.pk is None:
                return general(instance)
            if not constant:
                constant.append(general(instance))
            return constant[0]

        return many, field
    if not field.concrete:
        return general, field
    if field.many_to_one or field.one_to_one:
        if getattr(settings, "AUDITLOG_USE_FK_STRING_REPRESENTATION", False) or not hasattr(
            field, "rel_class"
        ):
            return general, field
        attname = field.get_attname()

        def key(instance):
            value = getattr(instance, attname)
            return value if value is None or type(value) is int else smart_str(value, strings_only=True)

        return key, field
    name = field.name
    if as_json:
        return (lambda instance: getattr(instance, name)), field

    def as_text(instance):
        value = smart_str(getattr(instance, name))
        return str(value) if type(value).__name__ == "__proxy__" else value

    return as_text, field


def _entry_factory(model, common: dict):
    """`lambda **values: model(**common, **values)` for many entries: the common values (content type,
    actor…) go through the model's constructor once; each entry copies them and gets its own values and
    its own call of each callable default (the time stamp)."""
    from django.db.models.base import ModelState

    template = dict(model(**common).__dict__)
    template.pop("_state", None)
    fresh = [
        (f.attname, f.default) for f in model._meta.concrete_fields if f.has_default() and callable(f.default)
    ]
    new = object.__new__

    def make(**values):
        entry = new(model)
        attributes = entry.__dict__
        attributes.update(template)
        for attname, default in fresh:
            attributes[attname] = default()
        attributes.update(values)
        entry._state = ModelState()
        return entry

    return make


def log_bulk_changes(
    model, *, created: Iterable = (), updated: Iterable[tuple[object, object]] = (), actor=None
) -> int:
    """Write the audit rows of records created (saved instances) and updated ((old copy, saved instance))
    in bulk; returns how many were written. Updates that changed no audited field leave none."""
    from auditlog.cid import get_cid
    from auditlog.diff import model_instance_diff
    from auditlog.models import LogEntry
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.utils.encoding import smart_str

    if not is_audited(model):
        return 0
    as_json = getattr(settings, "AUDITLOG_STORE_JSON_CHANGES", False)
    context = _context()
    actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else context.get("actor")
    common = {
        "content_type": ContentType.objects.get_for_model(model),
        "actor": actor,
        "actor_email": getattr(actor, "email", None) if actor is not None else None,
        "remote_addr": context.get("remote_addr"),
        "remote_port": context.get("remote_port"),
        "cid": get_cid(),
    }
    entries = []
    new_entry = _entry_factory(LogEntry, common)
    serialize = auditlog.get_serialize_options(model)["serialize_data"]
    created = list(created)
    for instance in created:
        if instance.pk is None:
            raise ValueError(
                _(
                    "Một bản ghi cần ghi nhật ký được lưu mà không nhận lại mã (khóa chính) từ cơ sở dữ liệu: "
                    "lần nhập bị hủy, không dòng nào được ghi."
                )
            )
    written = 0
    if created and not serialize and _insert_creations_in_sql(model, created, new_entry, as_json):
        written, created = len(created), []
    creation_diff = _creation_differ(model, as_json) if created else None

    def add(instance, action, changes) -> None:
        pk = instance.pk
        entry = new_entry(
            object_pk=str(pk),
            object_id=pk if isinstance(pk, int) else None,
            object_repr=smart_str(instance),
            action=action,
            changes=changes,
            serialized_data=LogEntry.objects._get_serialized_data_or_none(instance) if serialize else None,
        )
        additional = getattr(instance, "get_additional_data", None)
        if callable(additional):
            entry.additional_data = additional()
        entries.append(entry)

    for instance in created:
        add(instance, LogEntry.Action.CREATE, creation_diff(instance))
    for old, instance in updated:
        changes = model_instance_diff(old, instance, use_json_for_changes=as_json)
        if changes:
            add(instance, LogEntry.Action.UPDATE, changes)
    # The rows in one executemany (SQLite) or COPY (PostgreSQL), like the records they describe: the ORM's
    # bulk_create compiles a statement per few dozen rows of this wide table.
    from .resources.base import insert_rows

    insert_rows(LogEntry, entries)
    return written + len(entries)

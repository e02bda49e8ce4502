"""Write many rows fast: one executemany (SQLite) or one COPY / UPDATE … FROM (VALUES …) (PostgreSQL) per
batch, storing what Django's bulk_create and bulk_update would store."""

from __future__ import annotations

from django.db import models

# Field classes whose value on an instance is what the database driver stores: no conversion, no pre_save.
PLAIN_FIELD_CLASSES = frozenset(
    {
        models.CharField, models.TextField, models.EmailField, models.SlugField, models.URLField,
        models.IntegerField, models.BigIntegerField, models.SmallIntegerField, models.PositiveIntegerField,
        models.PositiveBigIntegerField, models.PositiveSmallIntegerField, models.BooleanField,
        models.AutoField, models.BigAutoField, models.SmallAutoField,
    }
)  # fmt: skip


def _is_plain(field) -> bool:
    if field.many_to_one and field.concrete:
        return type(field) is models.ForeignKey and _is_plain(field.target_field)
    return type(field) in PLAIN_FIELD_CLASSES


def _is_timestamp(field) -> bool:
    """A date/time field set by the database write itself (auto_now, auto_now_add): one value per batch."""
    return type(field) in (models.DateTimeField, models.DateField) and (field.auto_now or field.auto_now_add)


def _row_getter(fields: list, connection, objects: list, *, pre_save: bool):
    """A function giving, for an object, the values of `fields` as the driver takes them, and the order of
    those fields. Plain fields are read in one C call (attrgetter); time stamps are computed once for the
    batch; every other field goes through its own `pre_save` (when inserting) and `get_db_prep_save`."""
    from operator import attrgetter

    plain = [f for f in fields if _is_plain(f)]
    stamps = [f for f in fields if not _is_plain(f) and pre_save and _is_timestamp(f)]
    other = [f for f in fields if f not in plain and f not in stamps]
    order = plain + other + stamps
    stamp_values = tuple(
        f.get_db_prep_save(f.pre_save(objects[0], True), connection=connection) for f in stamps
    )
    get_plain = attrgetter(*[f.attname for f in plain]) if plain else (lambda obj: ())
    single = len(plain) == 1

    def values(obj) -> tuple:
        row = get_plain(obj)
        if single:
            row = (row,)
        if other:
            if pre_save:
                row += tuple(f.get_db_prep_save(f.pre_save(obj, True), connection=connection) for f in other)
            else:
                row += tuple(
                    f.get_db_prep_save(getattr(obj, f.attname), connection=connection) for f in other
                )
        return row + stamp_values if stamp_values else row

    return values, order


def insert_rows_with_ids(model, objects: list) -> list:
    """INSERT new objects and give each its primary key, as `bulk_create` does (ids in the objects' order,
    `_state` saved, the time stamps set on every object).

    On PostgreSQL the ids are taken from the key's sequence in one query and the rows, ids included, go in
    one COPY: bulk_create compiles an INSERT … RETURNING per 500 rows. Elsewhere, and for a key that is not
    an integer from a sequence, it is `bulk_create` itself."""
    from django.db import connections, router

    if not objects:
        return objects
    connection = connections[router.db_for_write(model)]
    pk = model._meta.pk
    if (
        connection.vendor != "postgresql"
        or type(pk) not in (models.AutoField, models.BigAutoField, models.SmallAutoField)
        or any(obj.pk is not None for obj in objects)
    ):
        return model.objects.bulk_create(objects, batch_size=500)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s) ORDER BY 1",
            [quote(model._meta.db_table), pk.column, len(objects)],
        )
        ids = [row[0] for row in cursor.fetchall()]
    for obj, pk_value in zip(objects, ids, strict=True):
        obj.pk = pk_value
    stamps = [
        f for f in model._meta.local_concrete_fields if not f.generated and _is_timestamp(f) and f is not pk
    ]
    _insert(model, objects, connection, with_pk=True)
    stamp_values = [getattr(objects[0], f.attname) for f in stamps]
    alias = connection.alias
    for obj in objects:
        for field, value in zip(stamps, stamp_values, strict=True):
            setattr(obj, field.attname, value)
        obj._state.adding = False
        obj._state.db = alias
    return objects


def insert_rows(model, objects: list) -> None:
    """INSERT many new objects in one executemany (SQLite) or one COPY (PostgreSQL).

    Django's bulk_create compiles one multi-row INSERT per batch, and on SQLite a batch holds only
    999 / (number of fields) rows: for a 20-column table, 49 rows. Importing 100.000 rows then spends most
    of its write time compiling SQL. Values are what bulk_create would store (each field's `pre_save` and
    `get_db_prep_save`), computed without a call per cell for plain text, number and key fields, with one
    time stamp for the batch. The objects get no primary key back (the import does not need it).
    """
    from django.db import connections, router

    if not objects:
        return
    _insert(model, objects, connections[router.db_for_write(model)], with_pk=False)


def _insert(model, objects: list, connection, *, with_pk: bool) -> None:
    fields = [
        f
        for f in model._meta.local_concrete_fields
        if not f.generated and (with_pk or f is not model._meta.pk)
    ]
    values, order = _row_getter(fields, connection, objects, pre_save=True)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in order)
    table = quote(model._meta.db_table)
    rows = [values(obj) for obj in objects]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            try:
                body = _copy_text(rows)
            except _NoCopy:
                from psycopg2.extras import execute_values

                execute_values(
                    cursor.cursor, f"INSERT INTO {table} ({columns}) VALUES %s", rows, page_size=1000
                )
            else:
                cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", body)
        else:
            placeholders = ", ".join(["%s"] * len(order))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


def update_rows(model, objects: list, field_names: list[str]) -> None:
    """UPDATE the given fields of many objects by primary key: what bulk_update stores (each field's
    `get_db_prep_save`, no `pre_save`), in one executemany (SQLite) or one UPDATE … FROM (VALUES …) per
    thousand rows (PostgreSQL), instead of bulk_update's CASE WHEN per field and row."""
    from django.db import connections, router

    if not objects or not field_names:
        return
    connection = connections[router.db_for_write(model)]
    pk = model._meta.pk
    fields = [model._meta.get_field(name) for name in field_names]
    values, order = _row_getter([*fields, pk], connection, objects, pre_save=False)
    at = order.index(pk)
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    rows = [values(obj) for obj in objects]
    rows = [row[:at] + row[at + 1 :] + (row[at],) for row in rows]  # primary key last
    order = order[:at] + order[at + 1 :]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_values

            names = [f"c{i}" for i in range(len(order))]
            sets = ", ".join(f"{quote(f.column)} = v.{name}" for f, name in zip(order, names, strict=True))
            casts = [f.db_type(connection) or "text" for f in order] + [pk.rel_db_type(connection)]
            template = "(" + ", ".join(f"CAST(%s AS {cast})" for cast in casts) + ")"
            execute_values(
                cursor.cursor,
                f"UPDATE {table} SET {sets} FROM (VALUES %s) AS v({', '.join(names)}, pk) "
                f"WHERE {table}.{quote(pk.column)} = v.pk",
                rows,
                template=template,
                page_size=1000,
            )
        else:
            sets = ", ".join(f"{quote(f.column)} = %s" for f in order)
            cursor.executemany(f"UPDATE {table} SET {sets} WHERE {quote(pk.column)} = %s", rows)


class _NoCopy(Exception):
    """A value COPY's text format is not written for here; the rows go through INSERT instead."""


def _copy_text(rows: list[tuple]):
    """The rows in PostgreSQL COPY text format: tab-separated, \\N for NULL, backslash escapes."""
    import datetime
    import decimal
    import io

    from psycopg2.extras import Json

    def text(value: str) -> str:
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        return value

    def other(value) -> str:
        if isinstance(value, str):
            return text(value)
        if isinstance(value, bool):
            return "t" if value else "f"
        if isinstance(value, int | float | decimal.Decimal):
            return str(value)
        if isinstance(value, datetime.date | datetime.time):  # datetime is a date
            return value.isoformat()
        if isinstance(value, Json):  # a JSONField's value, as psycopg2 would send it
            return text(value.dumps(value.adapted))
        raise _NoCopy

    stamps: dict = {}

    def stamp(value) -> str:
        # A batch's time stamps are one value written on every row: formatted once.
        found = stamps.get(value)
        if found is None:
            found = stamps[value] = value.isoformat()
        return found

    by_type = {
        str: text,
        int: str,
        bool: lambda value: "t" if value else "f",
        type(None): lambda value: "\\N",
        datetime.datetime: stamp,
        Json: lambda value: text(value.dumps(value.adapted)),
    }
    lines = []
    for row in rows:
        lines.append("\t".join([by_type.get(type(value), other)(value) for value in row]))
    lines.append("")
    return io.StringIO("\n".join(lines))

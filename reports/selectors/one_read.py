"""Several reads of a report in a few round trips, compiled once per shape.

A report reads a score of small grouped aggregates. Sent one by one, each costs a round trip, and building
and compiling its queryset costs more Python time than the database spends on it (a median province's year:
23 statements, about 24 ms in the database and 30 ms in Python). Here the querysets are named and read
together:

- On PostgreSQL they become a few statements (`PARTS` reads each): each queryset's own SQL is a subquery
  whose rows are gathered as a JSON array, so a score of reads costs three round trips.
- The statement depends on the inputs (year, province, the period's days) only through its parameters. It
  is compiled once per shape (`key`): the querysets are built twice with two sets of stand-in values, and
  the statement is kept only if both give the same SQL and differ exactly where the stand-ins are; later
  calls put the real values in those places without building a queryset.
- Elsewhere (SQLite) each queryset is read as usual, so both give the same tuples.

Every queryset is a `values_list` (plain tuples); a `RawPart` is hand-written SQL over the compiled filter
of a queryset (what the ORM cannot say, e.g. GROUPING SETS).
"""

from __future__ import annotations

import datetime
import decimal
import json
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class RawPart:
    """Hand-written SQL for one read: `sql` holds `{where}`, filled with the compiled filter of `scope`."""

    sql: str
    scope: QuerySet
    columns: int
    fallback: Callable[[], list[tuple]]  # the same rows by the ORM, for other databases

    def compile(self) -> tuple[str, tuple]:
        query = self.scope.query
        where, params = query.get_compiler(using=self.scope.db).compile(query.where)
        return self.sql.format(where=where), tuple(params)


Read = QuerySet | RawPart
Build = Callable[[dict[str, object]], dict[str, Read]]


def _converter(field) -> Callable | None:
    kind = field.get_internal_type() if field is not None else ""
    if kind == "DateField":
        return lambda v: None if v is None else datetime.date.fromisoformat(v)
    if kind == "DateTimeField":
        return lambda v: None if v is None else datetime.datetime.fromisoformat(v)
    if kind == "FloatField":
        return lambda v: None if v is None else float(v)
    return None


def _compile(read: Read) -> tuple[str | None, tuple, int, list]:
    """(SQL, params, column count, converters); SQL None for a read that can return nothing."""
    if isinstance(read, RawPart):
        try:
            sql, params = read.compile()
        except EmptyResultSet:
            return None, (), read.columns, []
        return sql, params, read.columns, [None] * read.columns
    query = read.query
    names = [*query.extra_select, *query.values_select, *query.annotation_select]
    fields = [*read._fields, *(f for f in query.annotation_select if f not in read._fields)]
    if not read._fields or fields != names:
        raise ValueError("one_read takes values_list querysets listing their fields before their annotations")
    compiler = query.get_compiler(using=read.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None, (), len(names), []
    converters = [_converter(getattr(expr, "output_field", None)) for expr, _sql, _alias in compiler.select]
    return sql, tuple(params), compiler.col_count, converters


@dataclass
class _Statement:
    sql: str
    slots: list[tuple[str, object]]  # ("", constant), ("=", input name) or ("str", input name: as text)
    names: list[str]
    converters: list[list]

    def params(self, inputs: dict[str, object]) -> list:
        return [
            value if not how else inputs[value] if how == "=" else str(inputs[value])
            for how, value in self.slots
        ]


# The most reads in one statement. PostgreSQL plans each part in about 0.2 ms up to ten or so parts, then the
# whole statement's planning jumps by ten milliseconds and more (measured: 10 parts 2 ms, 20 parts 13 ms);
# a few statements of eight parts cost a few tenths of a millisecond in round trips instead.
PARTS = 8


def _statement(reads: dict[str, Read]) -> tuple[str, list, list[str], list[list]]:
    parts, params, converters = [], [], []
    for read in reads.values():
        sql, part_params, columns, convert = _compile(read)
        converters.append(convert)
        if sql is None:
            parts.append("'[]'::json")
            continue
        cols = ", ".join(f"t.c{i}" for i in range(columns))
        parts.append(
            f"(SELECT COALESCE(json_agg(json_build_array({cols})), '[]'::json) "
            f"FROM ({sql}) AS t({cols.replace('t.', '')}))"
        )
        params.extend(part_params)
    return f"SELECT json_build_array({', '.join(parts)})", params, list(reads), converters


def _chunks(reads: dict[str, Read]) -> list[dict[str, Read]]:
    items = list(reads.items())
    return [dict(items[i : i + PARTS]) for i in range(0, len(items), PARTS)]


# Stand-ins for the inputs while a statement is compiled: two sets, each value different from the others. They
# stay within a small positive field's range (Django leaves out a comparison with a value beyond it).
def _stand_ins(inputs: dict[str, object], second: bool) -> dict[str, object]:
    result = {}
    for i, (name, value) in enumerate(sorted(inputs.items())):
        if isinstance(value, datetime.date):
            result[name] = datetime.date(2 if second else 1, 1, 2 + i)
        elif isinstance(value, int) and not isinstance(value, bool):
            result[name] = (31_001 if second else 30_001) + i
        else:
            raise TypeError(f"one_read inputs are whole numbers or days, not {type(value).__name__}")
    return result


def _shaped(build: Build, inputs: dict[str, object]) -> list[_Statement] | None:
    """The statements with the inputs as slots, or None if the two compilations disagree."""
    first, second = _stand_ins(inputs, False), _stand_ins(inputs, True)
    # Django may pass a day as text: both forms are recognised.
    by_value = {(first[name], second[name]): ("=", name) for name in inputs}
    by_value.update({(str(first[name]), str(second[name])): ("str", name) for name in inputs})
    chunks_b = _chunks(build(second))
    statements = []
    for i, chunk in enumerate(_chunks(build(first))):
        if i >= len(chunks_b) or list(chunk) != list(chunks_b[i]):
            return None
        sql_a, params_a, names, converters = _statement(chunk)
        sql_b, params_b, _names, _conv = _statement(chunks_b[i])
        if sql_a != sql_b or len(params_a) != len(params_b):
            return None
        slots: list[tuple[str, object]] = []
        for a, b in zip(params_a, params_b, strict=True):
            if type(a) is type(b) and a == b:
                slots.append(("", a))
            elif (a, b) in by_value:
                slots.append(by_value[(a, b)])
            else:  # a value derived from an input: cannot be put in place safely
                return None
        statements.append(_Statement(sql_a, slots, names, converters))
    return statements


_shapes: dict[Hashable, list[_Statement] | None] = {}
_lock = threading.Lock()


def _rows(values: list, converters: list) -> list[tuple]:
    if not any(converters):
        return [tuple(row) for row in values]
    return [
        tuple(
            value if convert is None else convert(value)
            for value, convert in zip(row, converters, strict=True)
        )
        for row in values
    ]


def _execute(
    alias: str, sql: str, params: list, names: list[str], converters: list[list]
) -> dict[str, list[tuple]]:
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        document = cursor.fetchone()[0]
    if isinstance(document, str):  # Django turns psycopg's JSON decoding off
        document = json.loads(document, parse_float=decimal.Decimal)
    return {
        name: _rows(values, convert)
        for name, values, convert in zip(names, document, converters, strict=True)
    }


def read_together(
    key: Hashable | None, build: Build, inputs: dict[str, object], *, model: type[Model]
) -> dict[str, list[tuple]]:
    """The rows of every read `build(inputs)` names, by name: a few statements on PostgreSQL.

    `key` names the statement's shape: everything that changes its SQL other than `inputs` (which must be
    whole numbers or days used as they are). With `key` None the statement is compiled on every call. The
    statements go to the database the router reads `model` from (a report page may read from the replica);
    every read must be routed there too."""
    alias = router.db_for_read(model)
    if connections[alias].vendor != "postgresql":
        return {
            name: read.fallback() if isinstance(read, RawPart) else list(read)
            for name, read in build(inputs).items()
        }
    shape = None
    if key is not None:
        key = (alias, key)
        with _lock:
            known = key in _shapes
            shape = _shapes.get(key)
        if not known:
            shape = _shaped(build, inputs)
            with _lock:
                _shapes[key] = shape
    rows: dict[str, list[tuple]] = {}
    if shape is None:
        for chunk in _chunks(build(inputs)):
            rows.update(_execute(alias, *_statement(chunk)))
        return rows
    for statement in shape:
        rows.update(
            _execute(alias, statement.sql, statement.params(inputs), statement.names, statement.converters)
        )
    return rows

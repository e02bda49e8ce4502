"""Bulk writer for the synthetic dataset: COPY on PostgreSQL, executemany elsewhere."""

from __future__ import annotations

import datetime
import io
import queue
import threading
import time
from collections.abc import Callable, Iterable

from django.db import connection, models

# --------------------------------------------------------------------------------------------------
# Bulk writer: COPY on PostgreSQL, executemany elsewhere


class _Table:
    """Rows of one table. Columns not given take the model field's default, so a field added later with a
    default does not break the load."""

    def __init__(self, loader: BulkLoader, model: type[models.Model], columns: list[str], explicit_id: bool):
        self.loader = loader
        self.model = model
        self.name = model._meta.db_table
        fields = {f.column: f for f in model._meta.concrete_fields}
        unknown = [c for c in columns if c not in fields]
        if unknown:
            raise ValueError(f"{self.name}: unknown columns {unknown}")
        rest = [
            f for col, f in fields.items() if col not in columns and not (col == "id" and not explicit_id)
        ]
        self.columns = columns + [f.column for f in rest]
        self.tail = tuple(loader.default_of(f) for f in rest)
        self.explicit_id = explicit_id
        self.rows: list = []
        self.count = 0
        self.next_id = loader.max_id(self.name) + 1 if explicit_id else 0

    def take_id(self) -> int:
        value = self.next_id
        self.next_id += 1
        return value

    def add(self, *values) -> None:
        self.rows.append(values + self.tail if self.tail else values)
        if len(self.rows) >= self.loader.chunk:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.loader.write(self, self.rows)
            self.count += len(self.rows)
            self.rows = []


def _pg_text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    return str(value)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


class BulkLoader:
    """Streams rows into tables. On PostgreSQL, `suspend_indexes` drops the secondary indexes of the tables
    about to grow and `finish` builds them again: one sorted build is far cheaper than millions of inserts
    into a B-tree or a trigram GIN index. All of it runs in the caller's transaction."""

    def __init__(self, *, chunk: int = 20_000, log: Callable[[str], None] = print):
        self.log = log
        self.connection = connection
        self.is_pg = connection.vendor == "postgresql"
        self.chunk = chunk
        self.tables: list[_Table] = []
        self.suspended: list[tuple[str, str]] = []  # (index name, CREATE INDEX statement)
        self.now = _ts(datetime.datetime.now(datetime.UTC).replace(tzinfo=None))

    def max_id(self, table: str) -> int:
        if getattr(self, "sender", None) is not None:
            self.pending.join()  # the connection carries one statement at a time: let the COPYs finish
            if self.failure is not None:
                self._stop_sender()
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {self.connection.ops.quote_name(table)}")
            return cursor.fetchone()[0]

    def default_of(self, field: models.Field):
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return self.now
        value = field.get_default()
        if isinstance(value, datetime.datetime):
            return _ts(value.replace(tzinfo=None))
        if isinstance(value, datetime.date):
            return value.isoformat()
        return value

    def table(self, model: type[models.Model], columns: str, *, explicit_id: bool = False) -> _Table:
        table = _Table(self, model, columns.split(), explicit_id)
        self.tables.append(table)
        return table

    def start(self) -> None:
        """On PostgreSQL: skip the per-row foreign-key triggers when allowed (checked set-wise in `finish`),
        and send COPY buffers from a second thread, so the server ingests while Python builds rows."""
        if not self.is_pg:
            return
        self.checks_fk_later = False
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if cursor.fetchone()[0]:
                cursor.execute("SET LOCAL session_replication_role = replica")
                self.checks_fk_later = True
        self.raw = self.connection.connection  # the psycopg2 connection, inside the open transaction
        self.pending: queue.Queue = queue.Queue(maxsize=3)
        self.failure: BaseException | None = None
        self.sender = threading.Thread(target=self._send, daemon=True)
        self.sender.start()

    def _send(self) -> None:
        cursor = self.raw.cursor()
        while True:
            item = self.pending.get()
            if item is None:
                self.pending.task_done()
                break
            if self.failure is None:
                try:
                    cursor.copy_expert(item[0], item[1])
                except BaseException as error:  # noqa: BLE001 — handed back to the main thread
                    self.failure = error
            self.pending.task_done()
        cursor.close()

    def _stop_sender(self) -> None:
        if getattr(self, "sender", None) is not None:
            self.pending.put(None)
            self.sender.join()
            self.sender = None
            if self.failure is not None:
                raise self.failure

    def write(self, table: _Table, rows: list[tuple]) -> None:
        quote = self.connection.ops.quote_name
        columns = ", ".join(quote(c) for c in table.columns)
        if self.is_pg:
            buffer = io.StringIO("\n".join("\t".join(map(_pg_text, row)) for row in rows) + "\n")
            if self.failure is not None:
                self._stop_sender()
            self.pending.put((f"COPY {quote(table.name)} ({columns}) FROM STDIN", buffer))
            return
        marks = ", ".join(["%s"] * len(table.columns))
        with self.connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({marks})", rows)

    def _check_foreign_keys(self) -> None:
        """What the skipped triggers would have checked, as one anti-join per foreign key."""
        quote = self.connection.ops.quote_name
        with self.connection.cursor() as cursor:
            for table in self.tables:
                for field in table.model._meta.concrete_fields:
                    if not field.is_relation or field.column not in table.columns:
                        continue
                    target = field.target_field
                    cursor.execute(
                        f"SELECT c.{quote(field.column)} FROM {quote(table.name)} c "
                        f"WHERE c.{quote(field.column)} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                        f"{quote(target.model._meta.db_table)} t WHERE t.{quote(target.column)} = c.{quote(field.column)}) "
                        "LIMIT 1"
                    )
                    missing = cursor.fetchone()
                    if missing:
                        raise RuntimeError(
                            f"{table.name}.{field.column} = {missing[0]}: không có bản ghi được trỏ tới"
                        )

    def suspend_indexes(self, models_: Iterable[type[models.Model]]) -> None:
        """Drop the indexes that back no constraint (primary and unique keys stay and keep checking)."""
        if not self.is_pg:
            return
        with self.connection.cursor() as cursor:
            for model in models_:
                cursor.execute(
                    "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                    "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT EXISTS "
                    "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
                    [model._meta.db_table],
                )
                for name, definition in cursor.fetchall():
                    cursor.execute(f"DROP INDEX {name}")
                    self.suspended.append((name, definition))

    def finish(self) -> None:
        for table in self.tables:
            table.flush()
        if self.is_pg:
            self._stop_sender()
            if self.checks_fk_later:
                started = time.monotonic()
                with self.connection.cursor() as cursor:
                    cursor.execute("SET LOCAL session_replication_role = origin")
                self._check_foreign_keys()
                self.log(f"  kiểm tra khóa ngoại (theo tập): {time.monotonic() - started:.1f} giây")
            with self.connection.cursor() as cursor:
                # Check the deferred foreign keys now: an index cannot be built under pending checks.
                started = time.monotonic()
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                self.log(f"  kiểm tra khóa ngoại: {time.monotonic() - started:.1f} giây")
                started = time.monotonic()
                cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
                for _name, definition in self.suspended:
                    cursor.execute(definition)
                self.log(f"  dựng lại {len(self.suspended)} chỉ mục: {time.monotonic() - started:.1f} giây")
                for table in self.tables:
                    if table.explicit_id:
                        cursor.execute(
                            "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                            f"(SELECT MAX(id) FROM {self.connection.ops.quote_name(table.name)}))",
                            [table.name],
                        )


def _ts(moment: datetime.datetime) -> str:
    """A UTC timestamp as both backends read it (the connection's time zone is UTC)."""
    return moment.strftime("%Y-%m-%d %H:%M:%S")

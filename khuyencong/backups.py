"""Backups of the portal: the database (pg_dump on PostgreSQL, SQLite's online backup otherwise) and the
uploaded files, with a manifest of row counts, money totals and checksums that `restore` verifies.

A backup folder holds:
  manifest.json       what was saved, when, from which database, and the figures to check after a restore
  database.dump       PostgreSQL custom-format dump (pg_restore), or
  database.sqlite3    a consistent copy of the SQLite database
  media/              the uploaded documents, as stored under MEDIA_ROOT
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction

MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA = "media"
FORMAT_VERSION = 1


class BackupError(Exception):
    """A backup or restore that cannot go on (message in Vietnamese, for the operator)."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def figures(cursor) -> dict:
    """Row counts of every table and the total of every whole-đồng field: what a restore must find again.

    Read with plain SQL through `cursor`, so the same figures come from the live database, from a
    PostgreSQL snapshot shared with pg_dump, or from the SQLite copy itself."""
    counts, money = {}, {}
    quote = connection.ops.quote_name
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        label, table = model._meta.label, quote(model._meta.db_table)
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - names come from the models
        counts[label] = cursor.fetchone()[0]
        for field in model._meta.concrete_fields:
            if isinstance(field, models.BigIntegerField) and not field.primary_key and not field.is_relation:
                cursor.execute(f"SELECT SUM({quote(field.column)}) FROM {table}")  # noqa: S608
                money[f"{label}.{field.name}"] = int(cursor.fetchone()[0] or 0)
    return {"rows": counts, "money": money}


def _pg_env() -> tuple[list[str], dict]:
    conf = connection.settings_dict
    args = []
    if conf.get("HOST"):
        args += ["-h", conf["HOST"]]
    if conf.get("PORT"):
        args += ["-p", str(conf["PORT"])]
    if conf.get("USER"):
        args += ["-U", conf["USER"]]
    env = {**os.environ}
    if conf.get("PASSWORD"):
        env["PGPASSWORD"] = conf["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} thất bại: {result.stderr.strip()[:2000]}")


def _files_of(root: Path) -> dict[str, str]:
    if not root.exists():
        return {}
    return {str(p.relative_to(root)): sha256(p) for p in sorted(root.rglob("*")) if p.is_file()}


@dataclass
class BackupResult:
    folder: Path
    manifest: dict


def backup(output: Path) -> BackupResult:
    """Write a complete backup into `output` (a new or empty folder)."""
    output = Path(output)
    if output.exists() and any(output.iterdir()):
        raise BackupError(f"Thư mục {output} đã có dữ liệu; hãy chọn một thư mục mới.")
    output.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    if vendor == "postgresql":
        # pg_dump reads the very snapshot the figures are counted in: a consistent pair under live writes.
        args, env = _pg_env()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            data_figures = figures(cursor)
            _run(
                [
                    "pg_dump",
                    "-Fc",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    *args,
                    "-f",
                    str(output / PG_DUMP),
                    connection.settings_dict["NAME"],
                ],
                env,
            )
        database_file = PG_DUMP
    elif vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(output / SQLITE_COPY)
        try:
            connection.connection.backup(target)
            data_figures = figures(target.cursor())  # counted in the copy itself
        finally:
            target.close()
        database_file = SQLITE_COPY
    else:
        raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu {vendor}.")
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.exists():
        shutil.copytree(media_root, output / MEDIA)
    else:
        (output / MEDIA).mkdir()
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "vendor": vendor,
        "database_file": database_file,
        "database_sha256": sha256(output / database_file),
        "media_files": _files_of(output / MEDIA),
        **data_figures,
    }
    (output / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return BackupResult(output, manifest)


def verify(folder: Path) -> dict:
    """Read the manifest and check every file of the backup against its checksum."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError as missing:
        raise BackupError(
            f"Không tìm thấy {MANIFEST} trong {folder}: đây không phải bản sao lưu."
        ) from missing
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError("Bản sao lưu có định dạng khác phiên bản này của cổng.")
    if sha256(folder / manifest["database_file"]) != manifest["database_sha256"]:
        raise BackupError("Tệp cơ sở dữ liệu trong bản sao lưu bị hỏng hoặc đã bị sửa (sai mã kiểm tra).")
    if _files_of(folder / MEDIA) != manifest["media_files"]:
        raise BackupError("Thư mục tài liệu trong bản sao lưu thiếu tệp, thừa tệp hoặc tệp đã bị sửa.")
    return manifest


def restore(folder: Path) -> dict:
    """Replace the database and the uploaded files with those of the backup, then check the figures.

    Everything in the current database is replaced. Returns the manifest."""
    folder = Path(folder)
    manifest = verify(folder)
    vendor = connection.vendor
    if manifest["vendor"] != vendor:
        raise BackupError(
            f"Bản sao lưu là của {manifest['vendor']}, cơ sở dữ liệu hiện tại là {vendor}: "
            "hãy phục hồi vào cùng loại cơ sở dữ liệu."
        )
    if vendor == "postgresql":
        connection.close()
        args, env = _pg_env()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                *args,
                "-d",
                connection.settings_dict["NAME"],
                str(folder / PG_DUMP),
            ],
            env,
        )
    else:
        connection.ensure_connection()
        source = sqlite3.connect(folder / SQLITE_COPY)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    _restore_media(folder / MEDIA, Path(settings.MEDIA_ROOT))
    with connection.cursor() as cursor:
        found = figures(cursor)
    for key in ("rows", "money"):
        if found[key] != manifest[key]:
            diff = {
                k: (manifest[key].get(k), found[key].get(k))
                for k in set(found[key]) | set(manifest[key])
                if manifest[key].get(k) != found[key].get(k)
            }
            raise BackupError(f"Số liệu sau phục hồi không khớp bản sao lưu: {diff}")
    return manifest


def _restore_media(source: Path, media_root: Path) -> None:
    """Swap the uploaded files for the backup's: copied beside the old folder first, then renamed."""
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".media-restore-", dir=media_root.parent))
    shutil.copytree(source, staging / "media")
    old = None
    if media_root.exists():
        old = media_root.with_name(media_root.name + ".truoc-phuc-hoi")
        if old.exists():
            shutil.rmtree(old)
        media_root.rename(old)
    (staging / "media").rename(media_root)
    shutil.rmtree(staging)
    if old is not None:
        shutil.rmtree(old)

"""Prove that moving indexes between migrations leaves PostgreSQL's schema as it was.

    .venv/bin/python scripts/compare_index_schema.py --base <git ref> [--prefix khuyencong_cmp]

1. `<prefix>_old`: migrated with the code at <base> (a temporary `git worktree` under var/), then dumped;
2. the same database migrated with the working tree's code, dumped again;
3. `<prefix>_fresh`: a new database migrated with the working tree's code only, dumped.

Each dump is every index of the public schema (`pg_indexes`) and the installed extensions. Definitions are
compared with the index's own name taken out, so a renamed index counts as the same index: the script prints
the renames, and fails (exit 1) if any definition was added, lost or changed, or if the upgraded and the
fresh databases differ in any way, names included. The databases are dropped at the end (--keep to keep).
Needs PostgreSQL at PGHOST (127.0.0.1), user postgres.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = os.environ.get("PGHOST", "127.0.0.1")


def psql(db: str, sql: str) -> list[list[str]]:
    out = subprocess.run(
        ["psql", "-h", HOST, "-U", "postgres", "-d", db, "-AtF", "\t", "-c", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def recreate(db: str) -> None:
    psql("postgres", f"DROP DATABASE IF EXISTS {db}")
    psql("postgres", f"CREATE DATABASE {db}")


def migrate(checkout: Path, db: str) -> None:
    env = {**os.environ, "DATABASE_URL": f"postgres://postgres@{HOST}:5432/{db}", "PYTHONPATH": str(checkout)}
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=checkout, env=env, check=True
    )


def dump(db: str) -> dict[str, str]:
    rows = psql(db, "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1")
    indexes = {name: definition for name, definition in rows}
    for (extension,) in psql(db, "SELECT extname FROM pg_extension ORDER BY 1"):
        indexes[f"extension:{extension}"] = f"CREATE EXTENSION {extension}"
    return indexes


def shape(definition: str, name: str) -> str:
    return re.sub(rf"\bINDEX {re.escape(name)} ON\b", "INDEX ON", definition)


def compare(before: dict[str, str], after: dict[str, str]) -> tuple[list[tuple[str, str]], list[str]]:
    """(renames, differences) between two dumps."""
    lost = {n: shape(d, n) for n, d in before.items() if n not in after or shape(after[n], n) != shape(d, n)}
    new = {n: shape(d, n) for n, d in after.items() if n not in before or shape(before[n], n) != shape(d, n)}
    renames = []
    for old_name, definition in sorted(lost.items()):
        match = [n for n, d in new.items() if d == definition]
        if len(match) == 1:
            renames.append((old_name, match[0]))
            del new[match[0]]
    renamed = {old for old, _ in renames}
    differences = [f"- {lost[n]}" for n in sorted(lost) if n not in renamed]
    differences += [f"+ {new[n]}" for n in sorted(new)]
    return renames, differences


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="git ref of the code before the change")
    parser.add_argument("--prefix", default="khuyencong_cmp", help="database name prefix")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    args = parser.parse_args()
    old_db, fresh_db = f"{args.prefix}_old", f"{args.prefix}_fresh"
    base = ROOT / "var" / "compare-base"
    if base.exists():
        subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=ROOT, check=False)
        shutil.rmtree(base, ignore_errors=True)
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(base), args.base],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    try:
        recreate(old_db)
        migrate(base, old_db)
        at_base = dump(old_db)
        migrate(ROOT, old_db)
        upgraded = dump(old_db)
        recreate(fresh_db)
        migrate(ROOT, fresh_db)
        fresh = dump(fresh_db)
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=ROOT, check=False)
        if not args.keep:
            for db in (old_db, fresh_db):
                psql("postgres", f"DROP DATABASE IF EXISTS {db}")

    renames, differences = compare(at_base, upgraded)
    fresh_vs_upgraded = sorted(set(upgraded.items()) ^ set(fresh.items()))
    print(
        f"Indexes and extensions: {len(at_base)} at {args.base}, {len(upgraded)} after upgrading, "
        f"{len(fresh)} on a fresh database."
    )
    print("Renamed on upgrade (same definition):")
    for old, new in renames:
        print(f"  {old} -> {new}")
    print(f"Definitions added, lost or changed on upgrade: {len(differences)}")
    for line in differences:
        print(f"  {line}")
    print(f"Differences between the upgraded and the fresh database: {len(fresh_vs_upgraded)}")
    for name, definition in fresh_vs_upgraded:
        side = "upgraded" if upgraded.get(name) == definition else "fresh"
        print(f"  {side}: {definition}")
    unchanged = Counter(shape(d, n) for n, d in upgraded.items())
    print(f"Identical definitions: {sum(unchanged.values()) - len(differences)}")
    return 1 if differences or fresh_vs_upgraded else 0


if __name__ == "__main__":
    sys.exit(main())

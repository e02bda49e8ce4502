"""Import of beneficiary rows, three ways on the same rows: the portal's import and django-import-export's
default ModelResource (both from benchmarks/import_beneficiaries.py, run as written there), and PostgreSQL
COPY of the same rows already resolved (the floor: what the database alone needs to store them).

Runs on its own database (IMPORT_DATABASE_URL), never on the benchmark's national data: the import
benchmark empties the beneficiary table before each contender. Prints one JSON line for benchmarks.run.
"""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path


def copy_floor(path: Path) -> dict:
    """COPY the rows of the same file, places and kinds already resolved, in a transaction rolled back."""
    from django.db import connection, transaction
    from openpyxl import load_workbook

    from beneficiaries.models import Beneficiary, BeneficiaryKind
    from khuyencong.vn_text import fold_accents
    from places.models import AdministrativeUnit
    from places.resolve import resolve_place

    province = AdministrativeUnit.objects.current().provinces().get(code="92")
    kinds = {k.name: k.pk for k in BeneficiaryKind.objects.all()}
    units: dict[str, int] = {}
    lines = []
    sheet = load_workbook(path, read_only=True).worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    next(rows)
    for row in rows:
        place = row[3]
        if place not in units:
            units[place] = resolve_place(place, province_hint=province).pk
        employees = int(str(row[9]).replace(".", ""))
        name = row[0]
        search = fold_accents(" ".join([name, row[2] or "", row[5] or "", "", row[8] or ""]))
        values = [
            name, str(kinds[row[1]]), row[2] or "\\N", str(units[place]), str(province.pk), row[5] or "",
            row[6] or "", row[7] or "", row[8] or "", str(employees), "t" if row[10] == "Có" else "f",
            "t" if row[11] == "Có" else "f", search, "f", "", "", "", "now", "now",
        ]  # fmt: skip
        lines.append("\t".join(values))
    columns = (
        "name, kind_id, tax_code, unit_at_time_id, province_id, address, representative, phone, industry, "
        "employees, women_owned, ethnic_minority, search_text, is_demo, source_note, email, craft_village, "
        "created_at, updated_at"
    )
    body = "\n".join(lines) + "\n"
    Beneficiary.objects.all().delete()
    started = time.perf_counter()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.cursor.copy_expert(
                f"COPY beneficiaries_beneficiary ({columns}) FROM STDIN", io.StringIO(body)
            )
            elapsed = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        pass
    return {"rows": len(lines), "seconds": elapsed}


class _Rollback(Exception):
    pass


def _portal_once(path: Path, env: dict) -> dict:
    """The portal's import of the file, once, in a process of its own (the import benchmark's own child
    also re-reads the file as a preview, which is not part of "import 100.000 rows")."""
    import subprocess

    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.import_side_by_side", "--portal", str(path)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    for line in done.stdout.splitlines():
        if line.startswith("{"):
            return json.loads(line)
    raise SystemExit(f"portal import failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")


def portal_child(path: Path) -> None:
    import resource

    from benchmarks import import_beneficiaries as theirs

    theirs.setup_django()
    from beneficiaries.models import Beneficiary

    Beneficiary.objects.all().delete()
    outcome = theirs.run_portal(path)
    outcome["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(outcome))


def main() -> None:
    if sys.argv[1:2] == ["--portal"]:
        portal_child(Path(sys.argv[2]))
        return
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    default_rows = int(sys.argv[2]) if len(sys.argv) > 2 else None
    url = os.environ["IMPORT_DATABASE_URL"]
    env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="khuyencong.settings.test")
    env["KHUYENCONG_IMPORT_MAX_ROWS"] = str(max(rows, 200_000))
    os.environ.update(env)
    from benchmarks import import_beneficiaries as theirs

    theirs.setup_django()
    theirs.prepare_database()
    path = Path(tempfile.mkdtemp(prefix="khuyencong-perf-import-")) / f"co-so-{rows}.xlsx"
    theirs.make_file(path, rows)
    from django.db import connection

    connection.close()
    portal = _portal_once(path, env)
    # The default resource on a file of its own length: timed while it reads only the rows it imports (read
    # from a 100.000-row file and cut, its rate was understated about 2×), and the portal on that same file.
    small = path
    if default_rows and default_rows < rows:
        small = path.with_name(f"co-so-{default_rows}.xlsx")
        theirs.make_file(small, default_rows)
    default = theirs.spawn("default", small, env, None)
    portal_small = _portal_once(small, env) if small != path else portal
    floor = copy_floor(path)
    print(
        json.dumps(
            {
                "rows": rows,
                "portal_rows_per_s": portal["rows"] / portal["seconds"],
                "portal_seconds": portal["seconds"],
                "portal_peak_mb": portal.get("peak_mb"),
                "portal_rejected": portal.get("rejected"),
                "import_export_rows_per_s": default["rows"] / default["seconds"],
                "import_export_rows": default["rows"],
                "portal_same_file_rows_per_s": portal_small["rows"] / portal_small["seconds"],
                "import_export_peak_mb": default.get("peak_mb"),
                "copy_rows_per_s": floor["rows"] / floor["seconds"],
                "copy_seconds": floor["seconds"],
            }
        )
    )


if __name__ == "__main__":
    main()

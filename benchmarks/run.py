"""The benchmark suite (`make bench`): every figure side by side with its floor or its Django reference.

Runs against the PostgreSQL database named by DATABASE_URL holding the national synthetic dataset
(`generate_synthetic --scale national`). Prints one table and rewrites the generated part of
docs/performance.md (between the bench markers) with the table, the machine and the query plans read.
A piece of the portal that is not there yet is shown as "chưa có", never as a number.
"""

from __future__ import annotations

import datetime
import os
import platform
import sys
import traceback
from pathlib import Path

from benchmarks.context import DOC, ROOT, Context, _wait_for_database
from benchmarks.page_sections import (
    cold_cache,
    dashboard,
    import_rows,
    pages_over_http,
    project_list,
    public_pages,
    search,
)
from benchmarks.report_sections import annual_reports, national_list_file, report_files

START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings.dev")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    import django

    django.setup()


SECTIONS = [
    annual_reports, report_files, national_list_file, project_list, dashboard, search, pages_over_http, import_rows,
    public_pages, cold_cache,
]  # fmt: skip


# ---------------------------------------------------------------------------------------------- output


def machine() -> dict[str, str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
        cursor.execute("SHOW jit")
        pg += f" (jit = {cursor.fetchone()[0]})"
    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "Ngày đo": datetime.datetime.now(datetime.UTC).strftime("%d/%m/%Y %H:%M UTC"),
        "CPU": f"{os.cpu_count()} nhân ({cpu})" if cpu else f"{os.cpu_count()} nhân",
        "RAM": f"{mem_kb / 1024 / 1024:.0f} GB",
        "Tải máy lúc đo (load average 1/5/15 phút)": " / ".join(f"{x:.1f}" for x in os.getloadavg()),
        "PostgreSQL": pg,
        "Python / Django": f"{platform.python_version()} / {__import__('django').get_version()}",
    }


def dataset() -> list[tuple[str, int]]:
    from django.db import connection

    tables = [
        "beneficiaries_beneficiary",
        "projects_project",
        "projects_budgetline",
        "projects_projectbeneficiary",
        "projects_projectoutput",
        "projects_projecttransition",
        "projects_progressreport",
        "projects_advance",
        "projects_disbursement",
        "projects_settlementline",
    ]
    counts = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            counts.append((table, cursor.fetchone()[0]))
    return counts


def table_text(rows) -> str:
    header = ("Phần", "Đo", "Kết quả", "So với", "Tỉ lệ", "Mục tiêu", "Đạt?")
    lines = [header] + [(r.section, r.what, r.value, r.floor, r.ratio, r.goal, r.verdict) for r in rows]
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
    out = []
    for n, line in enumerate(lines):
        out.append("  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(line)))
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def markdown(rows, info: dict[str, str], counts, plans, errors: list[str]) -> str:
    out = [START, "", "## Kết quả lần đo gần nhất", "", "Máy đo:", ""]
    out += [f"- {k}: {v}" for k, v in info.items()]
    out += ["", "Dữ liệu (toàn bộ cơ sở dữ liệu đo, gồm dữ liệu tổng hợp quy mô national):", ""]
    out += [f"- `{t}`: {n:,}".replace(",", ".") for t, n in counts]
    out += ["", "| Phần | Đo | Kết quả | So với | Tỉ lệ | Mục tiêu | Đạt? |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        what = r.what + (f" — {r.note}" if r.note else "")
        cells = (r.section, what, r.value, r.floor, r.ratio, r.goal, r.verdict)
        out.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
    if errors:
        out += ["", "Lỗi khi đo:", ""] + [f"- {e}" for e in errors]
    out += ["", "### Kế hoạch truy vấn đã đọc (EXPLAIN ANALYZE, lần đo này)", ""]
    for title, sql, plan in plans:
        out += [
            f"#### {title}",
            "",
            "```sql",
            sql[:3000] + (" …" if len(sql) > 3000 else ""),
            "```",
            "",
            "```",
            plan,
            "```",
            "",
        ]
    out.append(END)
    return "\n".join(out)


def write_doc(text: str) -> None:
    DOC.parent.mkdir(exist_ok=True)
    current = DOC.read_text() if DOC.exists() else "# Hiệu năng\n\n"
    if START in current and END in current:
        before, rest = current.split(START, 1)
        after = rest.split(END, 1)[1]
        DOC.write_text(before + text + after)
    else:
        DOC.write_text(current.rstrip() + "\n\n" + text + "\n")


def analyze() -> None:
    """Planner statistics for every table, as autovacuum keeps them on a server in use. A freshly loaded or
    copied database may have none for its small tables (the map of places, the plans): the planner then
    guesses their size and, e.g., hashes the whole map of 14.000 units to name 300 of them."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> None:
    setup()
    from django.db import DatabaseError

    only = sys.argv[1:]
    analyze()
    ctx = Context()
    rows, errors = [], []
    for section in SECTIONS:
        if only and section.__name__ not in only:
            continue
        print(f"… {section.__name__}", flush=True)
        try:
            try:
                rows += section(ctx)
            except DatabaseError:
                # The server went away (a restart by someone else on a shared machine): wait, run again once.
                traceback.print_exc()
                _wait_for_database()
                rows += section(ctx)
        except Exception as error:  # noqa: BLE001 — one broken section must not hide the others
            traceback.print_exc()
            errors.append(f"{section.__name__}: {type(error).__name__}: {error}")
            from django.db import connection

            connection.close()  # a lost server connection must not fail the sections after it
    print()
    print(table_text(rows))
    for error in errors:
        print("LỖI", error)
    if not only:
        write_doc(markdown(rows, machine(), dataset(), ctx.plans, errors))
        print(f"\nĐã ghi {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

"""Benchmark sections for report files: the annual report against its floor, every report file (PDF and
Excel) in a process of its own, the national đề án list Excel."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from benchmarks.context import ROOT, YEAR, Context, _provinces_by_size, _wait_for_database, replayed


def annual_reports(ctx: Context):
    """The report against its floor: the better of the hand-written query and the ORM's own SQL replayed
    through a plain cursor, for the smallest, the median and the busiest province and the nation (warm: each
    timed after one run that filled the caches; a cold run is not measured on a shared machine)."""
    from benchmarks import floor_sql
    from benchmarks.measure import MISSING, Row, interleaved, ms, ratio

    try:
        from reports.periods import Period
        from reports.selectors import annual_report, national_report
    except ImportError:
        return [Row("Báo cáo năm", "tổng hợp một tỉnh / toàn quốc", MISSING)]
    period = Period(YEAR)
    rows = []
    cases = [
        (
            f"tổng hợp tỉnh {label} ({province.name}, {n} đề án năm {YEAR})",
            (lambda province=province: annual_report(province=province, period=period)),
            (lambda province=province: floor_sql.province_figures(province.pk, YEAR)),
            label in ("trung vị",),
        )
        for label, province, n in _provinces_by_size()
    ]
    cases.append(
        (f"tổng hợp toàn quốc (năm {YEAR})", lambda: national_report(period=period),
         lambda: floor_sql.national_figures(YEAR), True)
    )  # fmt: skip
    for what, orm_fetch, hand_fetch, has_goal in cases:
        replay, statements = replayed(orm_fetch)
        orm, hand, cursor = interleaved([orm_fetch, hand_fetch, replay], repeat=REPORT_SAMPLES)
        floor = min(hand.median, cursor.median)
        rows.append(
            Row(
                "Báo cáo năm",
                f"{what}, trung vị {REPORT_SAMPLES} lần (ấm, xen kẽ với mốc sàn)",
                ms(orm.median),
                f"{ms(floor)} ({'SQL ORM qua con trỏ' if cursor.median <= hand.median else 'SQL viết tay'})",
                ratio(orm.median, floor),
                "≤ 1,5× mốc sàn" if has_goal else "",
                orm.median <= 1.5 * floor if has_goal else None,
                f"viết tay {ms(hand.median)}; {statements} câu SQL của ORM qua con trỏ {ms(cursor.median)}",
            )
        )
    ctx.explain_slowest(
        "Báo cáo năm một tỉnh: truy vấn chậm nhất",
        lambda: annual_report(province=ctx.province, period=period),
    )
    ctx.explain_slowest("Báo cáo năm toàn quốc: truy vấn chậm nhất", lambda: national_report(period=period))
    ctx.explain(
        "Báo cáo năm một tỉnh: truy vấn SQL viết tay (mốc sàn)",
        _mogrify(floor_sql.PROVINCE_SQL, floor_sql.province_params(ctx.province.pk, YEAR)),
    )
    return rows


# Samples per contender of the report-against-floor rows. A 20–30 ms call on a shared machine moves by a few
# milliseconds from one run to the next: 30 samples, taken in turns (report, hand-written SQL, replayed SQL, and
# again), so a busy moment slows all three alike instead of one contender's whole series.
REPORT_SAMPLES = 30


def _mogrify(sql: str, params) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        value = cursor.cursor.mogrify(sql, params)
    return value.decode() if isinstance(value, bytes) else value


REPORT_FILE_RUNS = 3


def _report_file_run(args: list[str]) -> dict | str:
    """One report file built in a process of its own: its figures, or the error's last line."""
    for attempt in range(2):  # once more if the server was restarted under us (shared machine)
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.report_file", *args],
            capture_output=True, text=True, cwd=ROOT, env=os.environ.copy(), check=False,
        )  # fmt: skip
        if done.returncode == 0 or "connection" not in done.stderr or attempt:
            break
        _wait_for_database()
    if done.returncode != 0:
        return (done.stderr.strip().splitlines() or ["?"])[-1][:200]
    return json.loads(done.stdout.strip().splitlines()[-1])


def report_files(ctx: Context):
    """Every report file the portal builds on request, each in a fresh process (median of 3 runs, peak RSS):
    the annual report of the busiest province, the national annual report and the national programme's
    report, as PDF and as Excel. Goal for each: < 3 s and < 300 MB."""
    from benchmarks.measure import MISSING, Row, ms

    try:
        from reports import pdf, xlsx  # noqa: F401
    except ImportError:
        return [Row("Tệp báo cáo", "PDF / Excel", MISSING)]
    cases = [
        ("annual", f"báo cáo năm tỉnh {ctx.province.name}", [str(YEAR), str(ctx.province.pk)]),
        ("national", "báo cáo năm toàn quốc", [str(YEAR)]),
        ("national_programme", "báo cáo Chương trình khuyến công quốc gia", [str(YEAR)]),
    ]
    rows = []
    for kind, title, args in cases:
        for fmt, label in (("pdf", "PDF"), ("xlsx", "Excel")):
            runs = []
            for _ in range(REPORT_FILE_RUNS):
                found = _report_file_run([kind, fmt, *args])
                if isinstance(found, str):
                    rows.append(Row("Tệp báo cáo", f"{label} {title}", "lỗi", note=found))
                    break
                runs.append(found)
            if len(runs) < REPORT_FILE_RUNS:
                continue
            runs.sort(key=lambda r: r["total_ms"])
            middle = runs[len(runs) // 2]
            peak = max(r["peak_mb"] for r in runs)
            rows.append(
                Row(
                    "Tệp báo cáo",
                    f"{label} {title} năm {YEAR}: thời gian (tổng hợp + dựng tệp), trung vị "
                    f"{REPORT_FILE_RUNS} lần; bộ nhớ đỉnh (RSS)",
                    f"{ms(middle['total_ms'])}; {peak:.0f} MB",
                    "",
                    "",
                    "< 3 s, < 300 MB",
                    middle["total_ms"] < 3000 and peak < 300,
                    f"tổng hợp {ms(middle['aggregate_ms'])}, dựng tệp {ms(middle['build_ms'])}, "
                    f"{middle['bytes'] // 1024} KB; riêng Django đã nạp: {middle['baseline_mb']:.0f} MB"
                    + (
                        "; phông chữ cắt bằng fontTools (thiếu libharfbuzz-subset0: chạy `make system-deps`)"
                        if fmt == "pdf" and middle.get("font_subsetter") == "fonttools"
                        else ""
                    ),
                )
            )
    return rows


def national_list_file(ctx: Context):
    """The Ministry's national đề án list Excel of one year, as the background job builds it (streamed), and
    the old way (the whole list in memory) for comparison; each in a process of its own."""
    from benchmarks.measure import Row, ms

    found = {}
    for how in ("streamed", "in-request"):
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.national_list", str(YEAR), how],
            capture_output=True, text=True, cwd=ROOT, env=os.environ.copy(), check=False,
        )  # fmt: skip
        if done.returncode != 0:
            return [
                Row("Danh sách đề án toàn quốc", how, "lỗi", note=done.stderr.strip().splitlines()[-1][:200])
            ]
        found[how] = json.loads(done.stdout.strip().splitlines()[-1])
    ours, old = found["streamed"], found["in-request"]
    return [
        Row(
            "Danh sách đề án toàn quốc",
            f"Excel năm {YEAR}, {ours['rows']:,} đề án (việc nền, ghi dần ra tệp): thời gian".replace(
                ",", "."
            ),
            ms(ours["seconds"] * 1000),
            f"cách cũ trong yêu cầu web: {ms(old['seconds'] * 1000)}",
            "",
            "< 10 s",
            ours["seconds"] < 10,
            f"tệp {ours['file_mb']:.1f} MB",
        ),
        Row(
            "Danh sách đề án toàn quốc",
            "cùng tệp: bộ nhớ đỉnh của tiến trình (RSS)",
            f"{ours['peak_mb']:.0f} MB",
            f"cách cũ: {old['peak_mb']:.0f} MB",
            "",
            "< 150 MB",
            ours["peak_mb"] < 150,
            f"riêng Django đã nạp: {ours['baseline_mb']:.0f} MB",
        ),
    ]

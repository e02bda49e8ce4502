"""Cold-cache figures: the first request after the caches were emptied, beside the warm figures.

What "cold" means here, honestly:
- the operating system's page cache is dropped (`sync; echo 3 > /proc/sys/vm/drop_caches`, which needs root;
  where that is refused the row says so and no cold figure is given);
- the query runs on a new PostgreSQL backend (a fresh connection: no plan or catalogue cache of its own);
- PostgreSQL's own shared buffers can only be emptied by restarting the server. On a machine the benchmark
  owns, `BENCH_COLD_RESTART=1` restarts the local cluster (`pg_ctlcluster 15 main restart`) before each cold
  run as well; without it the shared buffers (128 MB by default, against several GB of data) keep what
  they held, and the row says so. The share of pages read from outside the shared buffers is given from
  `pg_stat_database` (blocks read vs hit) for each cold run.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

COLD_RUNS = 3


def drop_os_cache() -> bool:
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def restart_server() -> bool:
    done = subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return done.returncode == 0


def _blocks() -> tuple[int, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT blks_read, blks_hit FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()


def cold_run(fetch: Callable[[], object], *, restart: bool) -> tuple[float, float] | None:
    """One run of `fetch` with cold caches: (milliseconds, share of blocks read from outside shared buffers);
    None when the OS cache cannot be dropped."""
    from django.db import connection

    from benchmarks.context import _wait_for_database

    connection.close()
    if restart:
        restart_server()
        _wait_for_database()
        connection.close()
    if not drop_os_cache():
        return None
    connection.ensure_connection()
    read0, hit0 = _blocks()
    started = time.perf_counter()
    fetch()
    elapsed = (time.perf_counter() - started) * 1000
    # pg_stat_database is updated when a backend reports (at most every 500 ms in 15): wait for it.
    connection.close()
    time.sleep(0.7)
    read1, hit1 = _blocks()
    read, hit = read1 - read0, hit1 - hit0
    return elapsed, (read / (read + hit) if read + hit else 0.0)


def cold_cache(ctx, year: int):
    from django.test import Client

    from benchmarks.context import _provinces_by_size
    from benchmarks.measure import Row, ms, timed
    from reports.periods import Period
    from reports.selectors import annual_report, national_report

    restart = os.environ.get("BENCH_COLD_RESTART") == "1"
    period = Period(year)
    _label, median, n = _provinces_by_size()[1]
    ministry = Client()
    ministry.force_login(ctx.ministry)
    cases = [
        (
            "Báo cáo năm",
            f"tổng hợp tỉnh trung vị ({median.name}, {n} đề án)",
            lambda: annual_report(province=median, period=period),
        ),
        ("Báo cáo năm", "tổng hợp toàn quốc", lambda: national_report(period=period)),
        ("Bảng điều khiển", "Bộ (toàn quốc)", lambda: ministry.get("/bao-cao/tong-quan/")),
        ("Danh sách", "đề án, trang 1 (Bộ)", lambda: ministry.get("/de-an/")),
    ]
    how = (
        "máy chủ PostgreSQL khởi động lại, bộ đệm hệ điều hành xóa, kết nối mới"
        if restart
        else "bộ đệm hệ điều hành xóa, kết nối mới; shared_buffers của PostgreSQL không xóa được khi không "
        "khởi động lại máy chủ (BENCH_COLD_RESTART=1 để khởi động lại)"
    )
    rows = []
    for section, what, fetch in cases:
        warm = timed(fetch, repeat=9)
        runs = [cold_run(fetch, restart=restart) for _ in range(COLD_RUNS)]
        if any(r is None for r in runs):
            rows.append(
                Row(section, f"{what}: lần đầu khi bộ đệm trống", "không đo được",
                    note="không xóa được bộ đệm hệ điều hành (cần quyền root)")
            )  # fmt: skip
            continue
        cold = statistics.median(r[0] for r in runs)
        outside = statistics.median(r[1] for r in runs)
        rows.append(
            Row(
                section,
                f"{what}: lần đầu khi bộ đệm trống, trung vị {COLD_RUNS} lần",
                ms(cold),
                f"ấm: trung vị {ms(warm.median)}",
                f"{cold / warm.median:.1f}×".replace(".", ","),
                "(đo để biết, không có mục tiêu)",
                None,
                f"{how}; {outside:.0%} khối đọc ngoài shared_buffers",
            )
        )
    from django.db import connection

    connection.close()
    return rows

"""Benchmark of the public transparency pages (no login): the national page, the busiest province's year and
that province's open data files (JSON, CSV), as an anonymous visitor asks for them.

Each is measured warm (served from the server's cache of public pages) and cold (the first request after a
change to published data: the data version is raised before every sample, so the page is computed again),
in-process (Django's test client) and over HTTP through gunicorn (2 workers × 2 threads, the default
per-process cache). `python -m benchmarks.run public_pages` runs only this part.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = 30  # pages: warm and cold, in-process and over HTTP
FILE_COLD_SAMPLES = 10  # a cold file of a whole province takes seconds: fewer samples
GOAL_MS = 200


def _gunicorn() -> tuple[subprocess.Popen, int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "khuyencong.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--threads", "2", "--worker-class", "gthread", "--log-level", "warning"],
        cwd=ROOT, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    # The master listens before its workers have loaded Django: wait until they answer, so their start-up
    # does not fall into the first in-process samples.
    answered = 0
    for _ in range(300):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
            answered += connection.getresponse().status == 200
            connection.close()
            if answered >= 4:
                break
        except OSError:
            time.sleep(0.2)
    return server, port


def _sample(fetch: Callable[[], str], samples: int, *, scope: str | None) -> tuple[list[float], list[str]]:
    """Timings of `fetch` (which returns the X-Public-Cache header); with a scope, that data version is
    raised before each sample, as a committed change does."""
    from public import freshness

    timings, states = [], []
    for _ in range(samples):
        if scope is not None:
            freshness.bump(scope)
        started = time.perf_counter()
        states.append(fetch())
        timings.append((time.perf_counter() - started) * 1000)
    return timings, states


def public_pages(ctx, year: int):
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from benchmarks.measure import MISSING, Row, Timing, ms

    try:
        national = reverse("public:index")
        province = reverse("public:province", args=[ctx.province.code, year])
        json_url = reverse("public:download_json")
        csv_url = reverse("public:download_csv")
    except NoReverseMatch:
        return [Row("Trang công khai", "toàn quốc", MISSING)]
    scope = {"nam": year, "tinh": ctx.province.code}
    name = ctx.province.name
    from public import freshness

    province_scope = freshness.province_scope(ctx.province.pk)
    cases = [
        ("toàn quốc theo tỉnh", national, {"nam": year}, True, SAMPLES),
        (f"đề án đã duyệt của {name} ({ctx.province_projects} đề án), trang 1", province, {}, True, SAMPLES),
        (f"dữ liệu mở JSON của {name}", json_url, scope, False, FILE_COLD_SAMPLES),
        (f"dữ liệu mở CSV của {name}", csv_url, scope, False, FILE_COLD_SAMPLES),
    ]
    client = Client()  # anonymous, as the public
    rows = []
    server, port = _gunicorn()
    try:
        for what, url, query, page_goal, cold_samples in cases:
            response = client.get(url, query)
            if response.status_code != 200:
                rows.append(Row("Trang công khai", what, "lỗi", note=f"HTTP {response.status_code}"))
                continue
            size = len(response.content)
            freshness.bump()
            queries = ctx.explain_slowest(
                f"Trang công khai, {what} (lần đầu sau khi dữ liệu đổi)",
                lambda url=url, query=query: client.get(url, query),
            )

            def in_process(url=url, query=query) -> str:
                return client.get(url, query).get("X-Public-Cache", "")

            path = f"{url}?{urlencode(query)}" if query else url
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            statuses: list[int] = []

            def over_http(connection=connection, path=path, statuses=statuses) -> str:
                connection.request("GET", path, headers={"Host": "127.0.0.1"})
                answer = connection.getresponse()
                answer.read()
                statuses.append(answer.status)
                return answer.getheader("X-Public-Cache", "")

            for label, fetch in (("trong tiến trình", in_process), ("qua HTTP (gunicorn)", over_http)):
                for _ in range(4):  # each gunicorn worker keeps its own cache: fill both
                    fetch()
                runs = [("ấm", None, SAMPLES, "hit")]
                runs.append((f"nguội sau một thay đổi ở {name}", province_scope, cold_samples, "miss"))
                if page_goal:  # a change to what every page shows: everything computed again
                    runs.append(("nguội hoàn toàn", freshness.EVERYTHING, cold_samples, "miss"))
                for state, scope, n, expected in runs:
                    samples, states = _sample(fetch, n, scope=scope)
                    timing = Timing(samples)
                    # A cold sample served from the cache (or a warm one computed) is reported, not hidden.
                    odd = sum(s != expected for s in states)
                    bad = [s for s in statuses if s != 200]
                    goal = page_goal or scope is None
                    note = f"trung vị {ms(timing.median)}; {size // 1024} KB"
                    if scope == freshness.EVERYTHING:
                        note += f"; {queries} truy vấn"
                    if odd:
                        note += f"; {odd} mẫu không đúng trạng thái bộ nhớ đệm"
                    if bad:
                        note += f"; {len(bad)} trả lời khác 200"
                    rows.append(
                        Row(
                            "Trang công khai",
                            f"{what}: p95 {label}, {state}, {n} mẫu",
                            ms(timing.p95),
                            "",
                            "",
                            f"< {GOAL_MS} ms" if goal else "",
                            (timing.p95 < GOAL_MS and not odd and not bad) if goal else None,
                            note,
                        )
                    )
            connection.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return rows

"""Benchmark sections for pages and writes: lists, dashboards, search (in-process and over HTTP through
gunicorn), the import, the public pages and the cold-cache first runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from benchmarks.context import ROOT, SAMPLES, YEAR, Context


def project_list(ctx: Context):
    from django.contrib import admin
    from django.urls import NoReverseMatch, reverse

    from benchmarks.measure import MISSING, Row, ms, ratio, timed
    from projects.models import Project

    try:
        staff_url = reverse("projects:list")
        admin_url = reverse("admin:projects_project_changelist")
    except NoReverseMatch:
        return [Row("Danh sách đề án", "trang danh sách", MISSING)]
    model_admin = admin.site._registry.get(Project)
    if model_admin is not None:
        # Same page size on both sides, so "page 500" is the same rows.
        model_admin.list_per_page = 25
    staff = ctx.client(ctx.ministry)
    django_admin = ctx.client(ctx.admin)
    rows = []
    matching = Project.objects.filter(status="settled").count()
    for page in (1, 500):
        if (page - 1) * 25 >= matching:
            rows.append(
                Row("Danh sách đề án", f"trang {page}", "—", note=f"chỉ có {matching} đề án khớp bộ lọc")
            )
            continue
        ours = f"{staff_url}?status=settled&page={page}"
        theirs = f"{admin_url}?status__exact=settled&p={page}"
        response = staff.get(ours)
        other = django_admin.get(theirs)
        if response.status_code != 200 or other.status_code != 200:
            rows.append(
                Row(
                    "Danh sách đề án",
                    f"trang {page}",
                    "lỗi",
                    note=f"HTTP {response.status_code} / {other.status_code}",
                )
            )
            continue
        our_queries = ctx.explain_slowest(
            f"Danh sách đề án, lọc «đã quyết toán», trang {page}", lambda ours=ours: staff.get(ours)
        )
        their_queries = ctx.explain_slowest(
            f"Trang quản trị Django, cùng bộ lọc, trang {page}",
            lambda theirs=theirs: django_admin.get(theirs),
        )
        our_time = timed(lambda ours=ours: staff.get(ours), repeat=SAMPLES)
        their_time = timed(lambda theirs=theirs: django_admin.get(theirs), repeat=10)
        rows.append(
            Row(
                "Danh sách đề án",
                f"lọc «đã quyết toán» ({matching} đề án), trang {page}: p95 (trung vị) trong tiến trình, "
                f"{SAMPLES} mẫu (admin 10)",
                f"{ms(our_time.p95)} ({ms(our_time.median)})",
                f"admin: {ms(their_time.p95)} ({ms(their_time.median)})",
                ratio(our_time.p95, their_time.p95),
                "p95 < 150 ms, không chậm hơn admin",
                our_time.p95 < 150 and our_time.p95 <= their_time.p95,
            )
        )
        rows.append(
            Row(
                "Danh sách đề án",
                f"trang {page}: số truy vấn",
                str(our_queries),
                f"admin: {their_queries}",
                ratio(our_queries, their_queries),
                "ít hơn admin",
                our_queries < their_queries,
            )
        )
    return rows


def dashboard(ctx: Context):
    from django.urls import NoReverseMatch, reverse

    from benchmarks.measure import MISSING, Row, ms, timed

    try:
        url = reverse("reports:dashboard")
    except NoReverseMatch:
        return [Row("Bảng điều khiển lãnh đạo", "trang tổng quan", MISSING)]
    rows = []
    for who, user in (("Bộ (toàn quốc)", ctx.ministry), (f"lãnh đạo Sở {ctx.province.name}", ctx.leader)):
        if user is None:
            continue
        client = ctx.client(user)
        response = client.get(url)
        if response.status_code != 200:
            rows.append(Row("Bảng điều khiển lãnh đạo", who, "lỗi", note=f"HTTP {response.status_code}"))
            continue
        queries = ctx.explain_slowest(f"Bảng điều khiển, {who}", lambda client=client: client.get(url))
        timing = timed(lambda client=client: client.get(url), repeat=SAMPLES)
        rows.append(
            Row(
                "Bảng điều khiển lãnh đạo",
                f"{who}: p95 (trung vị) trong tiến trình, {SAMPLES} mẫu, {queries} truy vấn",
                f"{ms(timing.p95)} ({ms(timing.median)})",
                "",
                "",
                "< 200 ms",
                timing.p95 < 200,
            )
        )
    return rows


SEARCHES = ["Nguyễn Thị Bình", "gốm sứ", "lang nghe may tre dan", "Công ty TNHH Hưng Thịnh", "88012"]


def search(ctx: Context):
    from django.db import connection
    from django.urls import NoReverseMatch, reverse

    from benchmarks.measure import Row, ms, timed
    from beneficiaries.models import Beneficiary
    from khuyencong.pagination import narrow_rows

    rows = []
    total = Beneficiary.objects.count()
    samples = []
    for text in SEARCHES:
        # As the list page and the autocomplete read them: the keys first, in the list's order (name, id).
        samples += timed(
            lambda text=text: narrow_rows(Beneficiary.objects.search(text).order_by("name", "pk"), 0, 25),
            repeat=SAMPLES // len(SEARCHES),
        ).samples
    from benchmarks.measure import Timing

    timing = Timing(samples)
    rows.append(
        Row(
            "Tìm kiếm không dấu",
            f"{total} cơ sở, {len(SEARCHES)} câu tìm: 25 kết quả đầu theo tên, p95 (trung vị), {len(samples)} mẫu",
            f"{ms(timing.p95)} ({ms(timing.median)})",
            "",
            "",
            "< 200 ms",
            timing.p95 < 200,
        )
    )
    ctx.explain(
        "Tìm cơ sở «Công ty TNHH Hưng Thịnh»: khóa của 25 kết quả đầu theo tên",
        connection.ops.compose_sql(
            *Beneficiary.objects.search("Công ty TNHH Hưng Thịnh")
            .order_by("name", "pk")
            .values("pk")[:25]
            .query.sql_with_params()
        ),
    )
    try:
        url = reverse("beneficiaries:list")
    except NoReverseMatch:
        return rows
    client = ctx.client(ctx.ministry)
    samples = []
    for text in SEARCHES:
        samples += timed(
            lambda text=text: client.get(url, {"q": text}), repeat=SAMPLES // len(SEARCHES)
        ).samples
    queries = ctx.explain_slowest(
        "Trang danh sách cơ sở, tìm «gốm sứ»", lambda: client.get(url, {"q": "gốm sứ"})
    )
    timing = Timing(samples)
    rows.append(
        Row(
            "Tìm kiếm không dấu",
            f"trang danh sách cơ sở với ô tìm kiếm: p95 (trung vị) trong tiến trình, {len(samples)} mẫu, "
            f"{queries} truy vấn",
            f"{ms(timing.p95)} ({ms(timing.median)})",
            "",
            "",
            "< 150 ms",
            timing.p95 < 150,
        )
    )
    return rows


IMPORT_ROWS = 100_000
# django-import-export's default resource is measured on a 5.000-row file of its own (the whole 100.000 rows
# would take it many minutes), and the portal on the same file for the ratio.
DEFAULT_RESOURCE_ROWS = 5_000


def import_rows(ctx: Context):
    """Import of 100.000 beneficiary rows: the import engineer's benchmark, on a database of its own."""
    from benchmarks.measure import MISSING, Row

    if not (ROOT / "benchmarks" / "import_beneficiaries.py").exists():
        return [Row("Nhập 100.000 cơ sở", "dòng/giây so với django-import-export và COPY", MISSING)]
    from django.conf import settings

    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}_import"
    subprocess.run([sys.executable, "-m", "benchmarks.ensure_db", url], cwd=ROOT, check=True)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.import_side_by_side",
            str(IMPORT_ROWS),
            str(DEFAULT_RESOURCE_ROWS),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=dict(os.environ, IMPORT_DATABASE_URL=url),
        check=False,
    )
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["?"]
        return [Row("Nhập 100.000 cơ sở", "dòng/giây", "lỗi", note=tail[0][:200])]
    return import_rows_from(done.stdout)


def import_rows_from(output: str):
    from benchmarks.measure import Row, number, ratio

    try:
        data = json.loads(output.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return [Row("Nhập 100.000 cơ sở", "dòng/giây", "kết quả không đọc được", note=output[-200:])]
    ours, default, copy = data["portal_rows_per_s"], data["import_export_rows_per_s"], data["copy_rows_per_s"]
    same = data.get("portal_same_file_rows_per_s", ours)
    return [
        Row(
            "Nhập 100.000 cơ sở",
            f"{number(data['rows'])} dòng .xlsx, cổng (đọc, kiểm tra, ghi): dòng/giây",
            number(ours),
            f"import-export mặc định: {number(default)}",
            ratio(same, default),
            "≥ 5.000 dòng/giây, ≥ 10× import-export mặc định, bộ nhớ < 500 MB",
            ours >= 5_000 and same >= 10 * default and data["portal_peak_mb"] < 500,
            f"cổng {data['portal_seconds']:.0f} s, bộ nhớ đỉnh {data['portal_peak_mb']:.0f} MB; tỉ lệ đo trên cùng "
            f"một tệp {number(data['import_export_rows'])} dòng (cổng {number(same)} dòng/giây trên tệp đó)",
        ),
        Row(
            "Nhập 100.000 cơ sở",
            "so với COPY cùng các dòng, đã tra sẵn địa bàn (mốc sàn): dòng/giây",
            number(ours),
            f"COPY: {number(copy)}",
            f"COPY nhanh gấp {ratio(copy, ours)}",
            "(mốc sàn, không có mục tiêu)",
            None,
            f"COPY {data['copy_seconds']:.1f} s",
        ),
    ]


HTTP_SAMPLES = SAMPLES


def pages_over_http(ctx: Context):
    """The pages people wait on, over HTTP through gunicorn (2 workers × 2 threads, as a small server) and
    in-process, p95 of 30 samples each after a warm-up request; one person's session, one request at a time."""
    import http.client
    import socket
    import time

    from django.conf import settings

    from benchmarks.measure import Row, Timing, ms, timed

    pages = [
        ("Bảng điều khiển", "Bộ (toàn quốc)", ctx.ministry, "/bao-cao/tong-quan/", 200),
        ("Bảng điều khiển", f"lãnh đạo Sở {ctx.province.name}", ctx.leader, "/bao-cao/tong-quan/", 200),
        ("Danh sách", "đề án, trang 1 (Bộ)", ctx.ministry, "/de-an/", 150),
        ("Danh sách", "đề án, trang 500 (Bộ)", ctx.ministry, "/de-an/?page=500", 150),
        ("Tìm kiếm", "cơ sở «gốm sứ» (Bộ)", ctx.ministry, "/co-so/?q=g%E1%BB%91m+s%E1%BB%A9", 150),
    ]
    port = int(os.environ.get("BENCH_HTTP_PORT", "0"))  # a port of one's own on a shared machine
    if not port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "khuyencong.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--threads", "2", "--worker-class", "gthread", "--log-level", "warning"],
        cwd=ROOT, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    rows = []
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        for section, who, user, path, goal in pages:
            if user is None:
                continue
            client = ctx.client(user)
            cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            statuses = []

            def over_http(connection=connection, cookie=cookie, statuses=statuses, path=path):
                connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
                response = connection.getresponse()
                response.read()
                statuses.append(response.status)

            over_http()
            samples = []
            for _ in range(HTTP_SAMPLES):
                started = time.perf_counter()
                over_http()
                samples.append((time.perf_counter() - started) * 1000)
            connection.close()
            http_timing = Timing(samples)
            inproc = timed(lambda client=client, path=path: client.get(path), repeat=HTTP_SAMPLES)
            bad = [s for s in statuses if s != 200]
            rows.append(
                Row(
                    section,
                    f"{who}: p95 qua HTTP (gunicorn), {HTTP_SAMPLES} mẫu",
                    ms(http_timing.p95),
                    f"trong tiến trình: p95 {ms(inproc.p95)}",
                    "",
                    f"< {goal} ms",
                    http_timing.p95 < goal and not bad,
                    f"trung vị HTTP {ms(http_timing.median)}"
                    + (f"; {len(bad)} trả lời khác 200: {bad[:3]}" if bad else ""),
                )
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    return rows


def public_pages(ctx: Context):
    from benchmarks.public_pages import public_pages as measure

    return measure(ctx, YEAR)


def cold_cache(ctx: Context):
    from benchmarks.cold import cold_cache as measure

    return measure(ctx, YEAR)

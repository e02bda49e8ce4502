"""The benchmark suite (`make bench`): every figure side by side with its floor or its Django reference.

Runs against the PostgreSQL database named by DATABASE_URL holding the national synthetic dataset
(`generate_synthetic --scale national`). Prints one table and rewrites the generated part of
docs/performance.md (between the bench markers) with the table, the machine and the query plans read.
A piece of the portal that is not there yet is shown as "chưa có", never as a number.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
YEAR = 2024  # the last whole year of the dataset: every status but drafts, money moved
SAMPLES = 30  # timings per page: a p95 from at least 30 samples


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings.dev")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    import django

    django.setup()


class Context:
    """What every section needs: the users, the busiest province, the plans read."""

    def __init__(self):
        from django.contrib.auth import get_user_model
        from django.db.models import Count

        from places.models import AdministrativeUnit
        from projects.models import Project

        User = get_user_model()
        self.ministry = User.objects.get(username="syn-bo")
        self.admin = User.objects.get(username="syn-admin")
        busiest = (
            Project.objects.filter(plan__year=YEAR, code__startswith="syn-")
            .values("province")
            .annotate(n=Count("id"))
            .order_by("-n")
            .first()
        )
        self.province = AdministrativeUnit.objects.get(pk=busiest["province"])
        self.province_projects = busiest["n"]
        self.leader = User.objects.filter(username=f"syn-lanhdao-{self.province.code}").first()
        self.plans: list[tuple[str, str, str]] = []  # (title, sql, plan)

    def client(self, user):
        from django.test import Client

        client = Client()
        client.force_login(user)
        return client

    def explain(self, title: str, sql: str) -> None:
        from django.db import connection

        try:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
        except Exception as error:  # noqa: BLE001 — a plan we cannot read is reported, not fatal
            plan = f"(không đọc được kế hoạch: {error})"
        self.plans.append((title, sql, plan))

    def explain_slowest(self, title: str, fetch: Callable[[], object]) -> int:
        """Run `fetch` once capturing its queries; keep the plan of the slowest; return the query count."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            fetch()
        queries = captured.captured_queries
        if queries:
            slowest = max(queries, key=lambda q: float(q["time"]))
            if slowest["sql"].lstrip().upper().startswith("SELECT"):
                self.explain(title, slowest["sql"])
        return len(queries)


# ---------------------------------------------------------------------------------------------- sections


def replayed(fetch: Callable[[], object]) -> tuple[Callable[[], None], int]:
    """The ORM's own SQL for `fetch`, captured once, as a function that runs it through a plain cursor
    (execute and fetch every row, no model instances): the ORM's cost without Python's."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fetch()
    statements = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
    ]

    def replay() -> None:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
                cursor.fetchall()

    return replay, len(statements)


def _provinces_by_size():
    """(province, đề án in YEAR) for the smallest, the median and the busiest province."""
    from django.db.models import Count

    from places.models import AdministrativeUnit
    from projects.models import Project

    counts = list(
        Project.objects.filter(year=YEAR).values("province").annotate(n=Count("id")).order_by("n", "province")
    )
    picks = [("nhỏ nhất", counts[0]), ("trung vị", counts[len(counts) // 2]), ("đông nhất", counts[-1])]
    return [(label, AdministrativeUnit.objects.get(pk=c["province"]), c["n"]) for label, c in picks]


def annual_reports(ctx: Context):
    """The report against its floor: the better of the hand-written query and the ORM's own SQL replayed
    through a plain cursor, for the smallest, the median and the busiest province and the nation (warm: each
    timed after one run that filled the caches; a cold run is not measured on a shared machine)."""
    from benchmarks import floor_sql
    from benchmarks.measure import MISSING, Row, ms, ratio, timed

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
        orm = timed(orm_fetch, repeat=9)
        hand = timed(hand_fetch, repeat=9)
        replay, statements = replayed(orm_fetch)
        cursor = timed(replay, repeat=9)
        floor = min(hand.median, cursor.median)
        rows.append(
            Row(
                "Báo cáo năm",
                f"{what}, trung vị 9 lần (ấm)",
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
                    f"{middle['bytes'] // 1024} KB; riêng Django đã nạp: {middle['baseline_mb']:.0f} MB",
                )
            )
    return rows


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
    from django.urls import NoReverseMatch, reverse

    from benchmarks.measure import Row, ms, timed
    from beneficiaries.models import Beneficiary

    rows = []
    total = Beneficiary.objects.count()
    samples = []
    for text in SEARCHES:
        samples += timed(
            lambda text=text: list(Beneficiary.objects.search(text).order_by("name")[:25]),
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
        "Tìm cơ sở «gốm sứ» (25 kết quả đầu)",
        str(Beneficiary.objects.search("gốm sứ").order_by("name")[:25].query),
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


def _wait_for_database(seconds: int = 120) -> None:
    import time

    from django.db import connection

    connection.close()
    for _ in range(seconds):
        try:
            connection.ensure_connection()
            return
        except Exception:  # noqa: BLE001
            connection.close()
            time.sleep(1)


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

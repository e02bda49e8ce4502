"""The load and fault runs on loopback: gunicorn + PostgreSQL, 50 simulated staff for 60 seconds (Locust).

    python -m loadtest.run             # all three runs (what `make loadtest` does)
    python -m loadtest.run --no-fault --no-stress  # the load run only

1. Prepares the database khuyencong_load (migrate, bootstrap with demo accounts, the national synthetic
   dataset when `generate_synthetic` exists, else the small one; says which) and collects static files.
2. Serves the portal with gunicorn (production settings, loopback variant loadtest.settings).
3. Load run: 50 users, 60 s, each pausing 3-10 s between clicks (reading the page); throughput, p95 and
   errors per page, against the goal (no errors, p95 < 500 ms).
4. Fault run: 50 users pausing only 1-3 s; PostgreSQL is stopped after 20 s and started again 8 s later.
   Users must get the Vietnamese 503 page (never a stack trace), the portal must answer again by itself
   within seconds, and every write acknowledged to a user must be in the database.
5. Stress run, for information: the load run with 1-3 s pauses (about 25 requests a second), to show where
   this machine's limit is; it has no goal.
PostgreSQL is always started again at the end, whatever happens. Results: artifacts/loadtest/summary.md.
"""

import argparse
import csv
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "artifacts" / "loadtest"
PY = sys.executable
BIN = Path(PY).parent
DB_NAME = os.environ.get("LOADTEST_DB", "khuyencong_load")
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
PORT = int(os.environ.get("LOADTEST_PORT", "8791"))
HOST = f"http://127.0.0.1:{PORT}"
USERS, SPAWN_RATE, DURATION = 50, 5, 60
# Seconds a simulated person pauses between clicks: reading a page (the goal run), and a stress run with
# barely a pause (1-3 s: some 25 requests a second) reported for information, to show where the limit is.
WAIT, STRESS_WAIT = (3, 10), (1, 3)
WORKERS = int(os.environ.get("LOADTEST_WORKERS", "4"))
THREADS = int(os.environ.get("LOADTEST_THREADS", "3"))
OUTAGE_AT, OUTAGE_FOR = 20, 8
GOAL_P95_MS = 500
PG = ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main"]


def say(text: str) -> None:
    print(text, flush=True)


def portal_env() -> dict:
    return {
        **os.environ,
        "DATABASE_URL": DB_URL,
        "DJANGO_SETTINGS_MODULE": "loadtest.settings",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_STATIC_ROOT": str(OUT / "static"),
        "DJANGO_MEDIA_ROOT": str(OUT / "media"),
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def manage(*args: str, env: dict) -> str:
    result = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} thất bại:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def pg_ready() -> bool:
    return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"]).returncode == 0


def pg_start() -> None:
    if not pg_ready():
        subprocess.run([*PG, "start"], check=False)
    for _ in range(60):
        if pg_ready():
            return
        time.sleep(0.5)
    raise SystemExit("PostgreSQL không khởi động được.")


def query(sql: str, params=()) -> list[tuple]:
    connection = psycopg2.connect(host="127.0.0.1", user="postgres", dbname=DB_NAME)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    finally:
        connection.close()


def _database(*, fresh: bool) -> None:
    server = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    server.autocommit = True
    with server.cursor() as cursor:
        if fresh:
            cursor.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{DB_NAME}"')
        cursor.execute(f'ALTER DATABASE "{DB_NAME}" SET jit = off')
    server.close()


def _synthetic_projects() -> int:
    try:
        return query("SELECT count(*) FROM projects_project WHERE code LIKE 'syn-%%'")[0][0]
    except psycopg2.Error:
        return 0


def prepare(env: dict) -> str:
    pg_start()
    _database(fresh=False)
    commands = manage("help", "--commands", env=env).split()
    national = "generate_synthetic" in commands
    if national and _synthetic_projects() < 100_000:
        # The synthetic national dataset is generated once, into a fresh database without the demo
        # đề án (it brings its own plans for every province and year).
        say("• Tạo mới cơ sở dữ liệu và sinh bộ dữ liệu toàn quốc (generate_synthetic --scale national)…")
        _database(fresh=True)
        manage("migrate", "--noinput", env=env)
        manage("bootstrap", "--no-demo", env=env)
        manage("generate_synthetic", "--scale", "national", env=env)
    say(f"• Cơ sở dữ liệu {DB_NAME}: migrate, tài khoản demo…")
    manage("migrate", "--noinput", env=env)
    if national:
        manage("bootstrap", "--no-demo", env=env)
        # The demo accounts only (their agencies come with the seed data), not the demo đề án.
        manage(
            "shell",
            "-c",
            "import os; from accounts.services import demo_accounts_ensure; "
            "demo_accounts_ensure(password=os.environ.get('DEMO_PASSWORD', 'KhuyenCong@2025'))",
            env=env,
        )
        dataset = f"national (generate_synthetic --scale national: {_synthetic_projects():,} đề án tổng hợp)"
    else:
        manage("bootstrap", env=env)
        dataset = "demo (generate_synthetic chưa có: chỉ dữ liệu minh họa của bootstrap)"
    manage("collectstatic", "--noinput", env=env)
    counts = query(
        "SELECT (SELECT count(*) FROM projects_project), (SELECT count(*) FROM beneficiaries_beneficiary),"
        " (SELECT count(*) FROM projects_budgetline)"
    )[0]
    return f"{dataset}; đề án {counts[0]:,}, cơ sở {counts[1]:,}, dòng dự toán {counts[2]:,}"


def start_portal(env: dict) -> subprocess.Popen:
    log = open(OUT / "gunicorn.log", "w")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "khuyencong.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(WORKERS),
            "--threads",
            str(THREADS),
            "--worker-class",
            "gthread",
            "--timeout",
            "120",
            # Longer than a simulated user's pause (1-3 s), so an idle kept-alive connection is never
            # closed just as the client reuses it (nginx keeps its upstream connections the same way).
            "--keep-alive",
            "10",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    for _ in range(120):
        if healthz() == 200:
            return process
        time.sleep(0.5)
    stop_portal(process)
    raise SystemExit("gunicorn không trả lời /healthz; xem artifacts/loadtest/gunicorn.log")


def stop_portal(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def healthz() -> int:
    try:
        with urllib.request.urlopen(f"{HOST}/healthz", timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def run_locust(tag: str, *, write_weight: int = 3, wait: tuple[int, int] = WAIT) -> subprocess.Popen:
    for name in ("writes", "events", "attempts"):
        (OUT / f"{tag}-{name}.jsonl").unlink(missing_ok=True)
    env = {
        **os.environ,
        "LOADTEST_WRITES": str(OUT / f"{tag}-writes.jsonl"),
        "LOADTEST_EVENTS": str(OUT / f"{tag}-events.jsonl"),
        "LOADTEST_ATTEMPTS": str(OUT / f"{tag}-attempts.jsonl"),
        "LOADTEST_WRITE_WEIGHT": str(write_weight),
        "LOADTEST_WAIT": f"{wait[0]},{wait[1]}",
    }
    return subprocess.Popen(
        [
            str(BIN / "locust"),
            "-f",
            "loadtest/locustfile.py",
            "--headless",
            "-u",
            str(USERS),
            "-r",
            str(SPAWN_RATE),
            "-t",
            f"{DURATION}s",
            "--host",
            HOST,
            "--csv",
            str(OUT / tag),
            "--only-summary",
            "--stop-timeout",
            "10",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=open(OUT / f"{tag}-locust.log", "w"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
    )


def stats(tag: str) -> tuple[dict, list[dict]]:
    with open(OUT / f"{tag}_stats.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    return total, [r for r in rows if r["Name"] != "Aggregated"]


def events_of(tag: str) -> list[dict]:
    path = OUT / f"{tag}-events.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def writes_of(tag: str, what: str = "writes") -> list[dict]:
    path = OUT / f"{tag}-{what}.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def table(pages: list[dict]) -> list[str]:
    lines = ["| trang | yêu cầu | lỗi | trung vị ms | p95 ms | max ms |", "|---|---:|---:|---:|---:|---:|"]
    for r in sorted(pages, key=lambda r: -int(r["Request Count"])):
        lines.append(
            f"| {r['Type']} {r['Name']} | {r['Request Count']} | {r['Failure Count']} | {r['50%']} | "
            f"{r['95%']} | {float(r['Max Response Time']):.0f} |"
        )
    return lines


def check_writes(tag: str) -> tuple[list[str], dict, list[str], list[str], int]:
    """Acknowledged writes all present exactly once; count unacknowledged attempts that still committed."""
    names = [w["name"] for w in writes_of(tag)]
    attempts = [w["name"] for w in writes_of(tag, "attempts")]
    found = dict(
        query(
            "SELECT name, count(*) FROM beneficiaries_beneficiary WHERE name = ANY(%s) GROUP BY name",
            (attempts or names,),
        )
    )
    lost = [n for n in names if n not in found]
    doubled = [n for n, c in found.items() if c != 1]
    acknowledged = set(names)
    unacknowledged_kept = sum(1 for n in attempts if n in found and n not in acknowledged)
    return names, found, lost, doubled, unacknowledged_kept


def load_run(tag: str = "load", wait: tuple[int, int] = WAIT) -> tuple[list[str], bool]:
    stress = tag != "load"
    say(
        f"• Chạy {'quá tải' if stress else 'tải'}: {USERS} người dùng, {DURATION} giây, nghỉ {wait[0]}–{wait[1]} s…"
    )
    locust = run_locust(tag, wait=wait)
    locust.wait()
    total, pages = stats(tag)
    kinds = {}
    load_events = events_of(tag)
    for event in load_events:
        kinds[event["kind"]] = kinds.get(event["kind"], 0) + 1
    # Logging in (a deliberately slow password hash, once per person and day) apart from the day's work.
    work = [e["ms"] for e in load_events if not e["name"].startswith("đăng nhập")]
    p95 = float(total["95%"])
    errors = int(total["Failure Count"])
    names, found, lost, doubled, _kept = check_writes(tag)
    ok = errors == 0 and p95 < GOAL_P95_MS and not lost and not doubled
    writes = f"{len(names)} (trong cơ sở dữ liệu: {sum(1 for n in names if n in found)}, mất {len(lost)})"
    title = "## Chạy quá tải (để biết giới hạn; không phải mục tiêu)" if stress else "## Chạy tải"
    lines = [
        title,
        "",
        f"- {USERS} người dùng mô phỏng, {DURATION} s, tăng {SPAWN_RATE} người/giây, mỗi người nghỉ "
        f"{wait[0]}–{wait[1]} s giữa hai lần bấm; gunicorn {WORKERS} tiến trình × {THREADS} luồng; "
        f"máy {os.cpu_count()} nhân, chung với PostgreSQL và Locust.",
        f"- Yêu cầu: {total['Request Count']}, thông lượng {float(total['Requests/s']):.1f} yêu cầu/giây, "
        f"ghi mới được xác nhận: {writes}.",
        f"- Lỗi: {errors}; trung vị {total['50%']} ms; **p95 {total['95%']} ms**; p99 {total['99%']} ms; "
        f"max {float(total['Max Response Time']):.0f} ms.",
        f"- Phân loại phản hồi: {kinds}.",
        f"- Không tính đăng nhập (băm mật khẩu chậm có chủ ý, mỗi người một lần): {len(work)} yêu cầu, "
        f"trung vị {percentile(work, 0.5):.0f} ms, p95 {percentile(work, 0.95):.0f} ms.",
        f"- Mục tiêu (không lỗi, p95 < {GOAL_P95_MS} ms): **{'ĐẠT' if ok else 'CHƯA ĐẠT'}**."
        if not stress
        else f"- Ở nhịp này: {'không lỗi, p95 dưới mục tiêu' if ok else 'vượt mục tiêu p95 (chỉ để biết giới hạn)'}.",
        "",
        *table(pages),
        "",
    ]
    return lines, ok


def fault_run() -> tuple[list[str], bool]:
    say(f"• Chạy lỗi: tải như trên; dừng PostgreSQL ở giây {OUTAGE_AT} trong {OUTAGE_FOR} giây…")
    # More writes than in the load run: the point is to catch one committed, or lost, across the outage.
    # The fast pace (1-3 s pauses): as many requests as possible meet the outage.
    locust = run_locust("fault", write_weight=12, wait=STRESS_WAIT)
    started = time.time()
    recovered_at = None
    stopped_at = restarted_at = None
    try:
        time.sleep(OUTAGE_AT)
        stopped_at = time.time()
        subprocess.run([*PG, "stop", "-m", "fast"], check=False)
        down_probe = healthz()
        time.sleep(OUTAGE_FOR)
    finally:
        pg_start()  # always, whatever happened above
        restarted_at = time.time()
    while time.time() - restarted_at < 30:
        if healthz() == 200:
            recovered_at = time.time()
            break
        time.sleep(0.1)
    locust.wait()
    events = events_of("fault")
    kinds: dict[str, int] = {}
    for event in events:
        kinds[event["kind"]] = kinds.get(event["kind"], 0) + 1
    first_ok_page = next(
        (e["t"] for e in sorted(events, key=lambda e: e["t"]) if e["t"] > restarted_at and e["kind"] == "ok"),
        None,
    )
    names, found, lost, doubled, unacknowledged_kept = check_writes("fault")
    recovery = (recovered_at - restarted_at) if recovered_at else None
    traces = kinds.get("stack_trace", 0)
    bad = kinds.get("server_error", 0) + kinds.get("bare_503", 0) + traces
    ok = not lost and not doubled and traces == 0 and bad == 0 and recovery is not None and recovery < 10
    outage = [e for e in events if stopped_at <= e["t"] <= restarted_at + (recovery or 0)]
    lines = [
        "## Chạy lỗi (PostgreSQL dừng rồi khởi động lại giữa lúc tải)",
        "",
        f"- PostgreSQL dừng ở giây {stopped_at - started:.0f}, khởi động lại sau {restarted_at - stopped_at:.1f} s; "
        f"/healthz khi dừng: {down_probe}.",
        f"- Cổng trả lời lại (healthz 200) sau **{recovery:.2f} s** kể từ khi PostgreSQL chạy lại"
        if recovery is not None
        else "- Cổng KHÔNG tự phục hồi trong 30 s",
        f"- Trang đầu tiên trả về bình thường cho người dùng sau {first_ok_page - restarted_at:.2f} s."
        if first_ok_page
        else "- Không có trang bình thường nào sau khi khởi động lại.",
        f"- Phản hồi trong lúc gián đoạn: {len(outage)}; phân loại toàn bộ lần chạy: {kinds}.",
        f"- Trang 503 tiếng Việt «Dịch vụ tạm thời gián đoạn»: {kinds.get('outage_page', 0)}; "
        f"lỗi 500: {kinds.get('server_error', 0)}; 503 không có trang tiếng Việt: {kinds.get('bare_503', 0)}; "
        f"trang có stack trace: {traces}; lỗi kết nối: {kinds.get('connection_error', 0)}.",
        f"- Ghi mới được xác nhận cho người dùng: {len(names)}; tìm thấy trong cơ sở dữ liệu: "
        f"{sum(1 for n in names if n in found)}; mất: {len(lost)}; trùng: {len(doubled)}; "
        f"ghi không được xác nhận (người dùng thấy trang 503) nhưng vẫn có trong cơ sở dữ liệu: {unacknowledged_kept}.",
        f"- Mục tiêu (trang 503 tiếng Việt, không stack trace, tự phục hồi < 10 s, không mất dữ liệu đã xác nhận): "
        f"**{'ĐẠT' if ok else 'CHƯA ĐẠT'}**.",
        "",
    ]
    return lines, ok


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--no-fault", action="store_true", help="Chỉ chạy tải, không dừng PostgreSQL.")
    parser.add_argument("--no-stress", action="store_true", help="Bỏ lần chạy quá tải (nghỉ 1–3 s).")
    args = parser.parse_args()
    if shutil.which("pg_ctlcluster") is None:
        raise SystemExit("Cần PostgreSQL 15 (pg_ctlcluster) trên máy này.")
    OUT.mkdir(parents=True, exist_ok=True)
    env = portal_env()
    dataset = prepare(env)
    say(f"• Dữ liệu: {dataset}")
    portal = start_portal(env)
    lines = ["# Kết quả chạy tải và chạy lỗi", "", f"Dữ liệu: {dataset}.", ""]
    results = []
    try:
        part, ok = load_run()
        lines += part
        results.append(ok)
        if not args.no_fault:
            part, ok = fault_run()
            lines += part
            results.append(ok)
        if not args.no_stress:
            part, _ok = load_run("stress", STRESS_WAIT)  # for information: where the limit is
            lines += part
    finally:
        pg_start()
        stop_portal(portal)
    summary = "\n".join(lines)
    (OUT / "summary.md").write_text(summary + "\n", encoding="utf-8")
    print(summary)
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    threading.current_thread().name = "loadtest"
    main()

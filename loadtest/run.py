"""A realistic working day under load, then the faults that really happen, on a private PostgreSQL cluster.

    python -m loadtest.run                  # the day, then every fault (what `make loadtest` does)
    python -m loadtest.run --soak           # the day for LOADTEST_SOAK_SECONDS (30 min): memory, connections
    LOADTEST_USERS=10 LOADTEST_DURATION=60 LOADTEST_FAULTS=hang,crash python -m loadtest.run

1. A private cluster (var/pg-load, port LOADTEST_PG_PORT=5420; never the shared 5432) holding a copy of the
   national synthetic dataset (pg_dump of LOADTEST_SOURCE, once), migrated, with the demo accounts and the
   synthetic staff of LOADTEST_PROVINCES more provinces (loadtest/prepare.py).
2. gunicorn (production settings, loopback variant loadtest.settings) and two task workers; uploads and the
   task queue's files on a small tmpfs of their own when the machine allows mounting one.
3. A warm-up of LOADTEST_WARMUP_SECONDS (45) with the same users, not counted: the day is measured on a
   portal whose workers have served each page once (reported beside the day, without a goal).
   The day: LOADTEST_USERS (50) people of every role, arriving LOADTEST_SPAWN_RATE (1) a second, for
   LOADTEST_DURATION seconds, pausing 3-10 s, two of them pulling the national đề án list as Excel
   (loadtest/locustfile.py).
4. Each fault of LOADTEST_FAULTS (crash, kill, hang, disk, worker; loadtest/faults.py) under the same load
   with shorter pauses: the ledger of writes is checked against the database after each (loadtest/ledger.py).
Results: artifacts/loadtest/summary.md (a table: every goal of docs/deploy.md and whether it holds).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from loadtest import faults, ledger, prepare
from loadtest.sampler import Sampler, children, curve, growth

ROOT = prepare.ROOT
OUT = ROOT / "artifacts" / "loadtest"
BIN = Path(sys.executable).parent
PORT = int(os.environ.get("LOADTEST_PORT", "8791"))
HOST = f"http://127.0.0.1:{PORT}"
USERS = int(os.environ.get("LOADTEST_USERS", "50"))
DURATION = int(os.environ.get("LOADTEST_DURATION", "180"))
FAULT_SECONDS = int(os.environ.get("LOADTEST_FAULT_SECONDS", "75"))
FAULT_AT = int(os.environ.get("LOADTEST_FAULT_AT", "15"))
SOAK_SECONDS = int(os.environ.get("LOADTEST_SOAK_SECONDS", "1800"))
WARMUP_SECONDS = int(os.environ.get("LOADTEST_WARMUP_SECONDS", "45"))
# People arriving per second: a morning's fifty do not all sign in within the same ten seconds.
SPAWN_RATE = float(os.environ.get("LOADTEST_SPAWN_RATE", "1"))
FAULTS = [f for f in os.environ.get("LOADTEST_FAULTS", "crash,kill,hang,disk,worker").split(",") if f]
WORKERS = int(os.environ.get("LOADTEST_WORKERS", "4"))
THREADS = int(os.environ.get("LOADTEST_THREADS", "3"))
# gunicorn's keep-alive as the systemd unit sets it (75 s, longer than nginx keeps an idle upstream connection, so
# the proxy, never gunicorn, closes an idle one). Shorter, gunicorn closes connections the users' clients are
# about to reuse after a pause, and the one request that races the close is reset (seen at 10 s under load).
KEEP_ALIVE = os.environ.get("LOADTEST_KEEP_ALIVE", "75")
# The task workers' niceness, as the systemd unit sets it (docs/systemd/khuyencong-worker.service).
WORKER_NICE = int(os.environ.get("LOADTEST_WORKER_NICE", "10"))
MEDIA_MB = int(os.environ.get("LOADTEST_MEDIA_MB", "256"))
GOAL_P95_MS, GOAL_RECOVERY_S, GOAL_HANG_WAIT_MS, GOAL_RSS_GROWTH = 500, 15, 10_000, 10.0
# Pages that are not "interactive": file downloads, imports, the job page polled by the progress bar, login.
NOT_INTERACTIVE = ("tải:", "nhập:", "việc nền", "đăng nhập")
# "moved_on" is not one of them: a đề án moved on by a colleague answers with a message (locustfile.py).
BAD_KINDS = ("server_error", "bare_503", "bare_507", "stack_trace", "logged_out", "client_error")


def say(text: str) -> None:
    print(text, flush=True)


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def mount_media(media: Path) -> bool:
    """A tmpfs of MEDIA_MB for uploads and job files (the disk fault fills it); False if not allowed."""
    media.mkdir(parents=True, exist_ok=True)
    if os.path.ismount(media):
        return True
    if os.geteuid() != 0:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={MEDIA_MB}m", "tmpfs", str(media)], capture_output=True
    )
    return done.returncode == 0


def portal_env(pg, media: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": pg.database_url(prepare.DB_NAME),
        "DJANGO_SETTINGS_MODULE": "loadtest.settings",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_STATIC_ROOT": str(OUT / "static"),
        "DJANGO_MEDIA_ROOT": str(media / "files"),
        "KHUYENCONG_JOBS_CACHE_DIR": str(media / "jobs-progress"),
        "KHUYENCONG_JOBS_HEAVY_AT_ONCE": os.environ.get("KHUYENCONG_JOBS_HEAVY_AT_ONCE", "1"),
        # Every imported workbook is kept on disk and checked by a worker (as large ones are), so the
        # full-disk fault meets uploads and the task queue's files.
        "KHUYENCONG_IMPORT_BACKGROUND_BYTES": os.environ.get("KHUYENCONG_IMPORT_BACKGROUND_BYTES", "4096"),
        "DJANGO_LOG_LEVEL": "WARNING",
        # As docs/systemd/khuyencong.env.sample sets it for the service.
        "MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", "2"),
    }


class Portal:
    """gunicorn and the task workers; stopped whatever happens."""

    def __init__(self, env: dict):
        self.env = env
        self.web: subprocess.Popen | None = None
        self.tasks: list[subprocess.Popen] = []

    def start(self) -> None:
        log = open(OUT / "gunicorn.log", "a")  # noqa: SIM115 - closed with the process
        self.web = subprocess.Popen(
            [str(BIN / "gunicorn"), "khuyencong.wsgi:application", "--bind", f"127.0.0.1:{PORT}", "--workers",
             str(WORKERS), "--threads", str(THREADS), "--worker-class", "gthread", "--timeout", "120",
             "--keep-alive", KEEP_ALIVE],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        self.tasks = [self.task_worker(), self.task_worker()]
        for _ in range(120):
            if healthz() == 200:
                return
            time.sleep(0.5)
        raise SystemExit("gunicorn không trả lời /healthz; xem artifacts/loadtest/gunicorn.log")

    def task_worker(self) -> subprocess.Popen:
        log = open(OUT / "worker.log", "a")  # noqa: SIM115
        # At the priority docs/systemd/khuyencong-worker.service gives them (Nice=10): the web requests go first.
        return subprocess.Popen([sys.executable, "manage.py", "jobs_worker", "--interval", "0.5"], cwd=ROOT,
                                env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                preexec_fn=lambda: os.nice(WORKER_NICE))  # fmt: skip

    def web_workers(self) -> list[int]:
        return children(self.web.pid) if self.web else []

    def groups(self, pg) -> dict[str, list[int]]:
        workers = [p for t in self.tasks for p in [t.pid, *children(t.pid)]]
        return {"gunicorn": [self.web.pid, *self.web_workers()] if self.web else [], "task workers": workers,
                "postgres": pg.pids()}  # fmt: skip

    def stop(self) -> None:
        for process in [self.web, *self.tasks]:
            if process is not None and process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                    process.wait(timeout=20)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    try:
                        os.killpg(process.pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass


def healthz() -> int:
    try:
        with urllib.request.urlopen(f"{HOST}/healthz", timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


_LOCUSTS: list[subprocess.Popen] = []


def locust(tag: str, *, users: int, seconds: int, wait: str, spawn: float = SPAWN_RATE) -> subprocess.Popen:
    for name in ("ledger", "events"):
        (OUT / f"{tag}-{name}.jsonl").unlink(missing_ok=True)
    env = {**os.environ, "LOADTEST_LEDGER": str(OUT / f"{tag}-ledger.jsonl"), "LOADTEST_EVENTS":
           str(OUT / f"{tag}-events.jsonl"), "LOADTEST_ACCOUNTS": str(OUT / "accounts.json"), "LOADTEST_WAIT": wait}  # fmt: skip
    process = subprocess.Popen(
        [str(BIN / "locust"), "-f", "loadtest/locustfile.py", "--headless", "-u", str(users), "-r",
         str(spawn), "-t", f"{seconds}s", "--host", HOST, "--csv", str(OUT / tag), "--only-summary",
         "--stop-timeout", "15", "--loglevel", "WARNING"],
        cwd=ROOT, env=env, stdout=open(OUT / f"{tag}-locust.log", "w"), stderr=subprocess.STDOUT,  # noqa: SIM115
    )  # fmt: skip
    _LOCUSTS.append(process)
    return process


def events_of(tag: str) -> list[dict]:
    path = OUT / f"{tag}-events.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return [json.loads(line) for line in lines if line.strip()]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else 0.0


def settle(pg, seconds: float = 90) -> None:
    """Let the task workers finish the writes they were given (imports) before the ledger is read."""
    until = time.time() + seconds
    while time.time() < until:
        try:
            active = prepare.query(pg.database_url(prepare.DB_NAME),
                                   "SELECT count(*) FROM jobs_job WHERE status IN ('queued', 'running')"
                                   " AND handler LIKE 'spreadsheets.%%'")[0][0]  # fmt: skip
        except Exception:  # noqa: BLE001 - the database may still be starting
            active = 1
        if not active:
            return
        time.sleep(2)


def kinds_of(events: list[dict]) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for event in events:
        kinds[event["kind"]] = kinds.get(event["kind"], 0) + 1
    return kinds


def warm_up(seconds: int) -> dict:
    """The portal as it is after some time in service: every web worker has served each kind of page once
    (imported its views, compiled its templates, read its catalogues). The day is then measured on warm
    workers; in service, gunicorn replaces one worker at a time (max-requests with jitter), never all at once.
    What the users of this cold start waited is reported beside the day, without a goal."""
    if seconds <= 0:
        return {}
    say(f"• Khởi động: {USERS} người trong {seconds} s (không tính vào ngày làm việc)…")
    process = locust("warmup", users=USERS, seconds=seconds, wait="1,3", spawn=max(1, USERS // 10))
    process.wait()
    interactive = [e["ms"] for e in events_of("warmup") if not e["name"].startswith(NOT_INTERACTIVE)]
    return {"seconds": seconds, "p95": percentile(interactive, 0.95), "p50": percentile(interactive, 0.5),
            "requests": len(interactive)}  # fmt: skip


def day(pg, tag: str, seconds: int) -> dict:
    say(f"• Ngày làm việc: {USERS} người, {seconds} s, nghỉ 3–10 s, 2 người xuất danh sách đề án toàn quốc…")
    load = []
    process = locust(tag, users=USERS, seconds=seconds, wait="3,10")
    while process.poll() is None:
        load.append(os.getloadavg()[0])
        time.sleep(5)
    settle(pg)
    events = events_of(tag)
    interactive = [e["ms"] for e in events if not e["name"].startswith(NOT_INTERACTIVE)]
    kinds = kinds_of(events)
    check = ledger.check(OUT / f"{tag}-ledger.jsonl", pg.database_url(prepare.DB_NAME))
    exports = [e["ms"] for e in events if e["name"] == "tải: tệp việc nền"]
    return {"tag": tag, "requests": len(events), "kinds": kinds, "errors": sum(kinds.get(k, 0) for k in BAD_KINDS)
            + kinds.get("connection_error", 0) + kinds.get("outage_page", 0), "p95": percentile(interactive, 0.95),
            "p50": percentile(interactive, 0.5), "ledger": check, "exports": len(exports),
            "load": max(load) if load else os.getloadavg()[0]}  # fmt: skip


def upload_probe() -> dict:
    """An officer uploads a workbook through the import page (with its CSRF token) while the disk is full."""
    import io
    import re

    import requests
    from openpyxl import Workbook

    from loadtest.browser import fill, form_of

    session = requests.Session()
    page = session.get(f"{HOST}/accounts/dang-nhap/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    session.post(f"{HOST}/accounts/dang-nhap/", {"username": "canbo.cantho", "password": prepare.PASSWORD,
                 "csrfmiddlewaretoken": token, "next": "/"}, headers={"Referer": f"{HOST}/accounts/dang-nhap/"}, timeout=20)  # fmt: skip
    workbook = Workbook()
    workbook.active.append(["Tên cơ sở", "Loại hình", "Mã số thuế", "Xã/phường", "Số lao động"])
    for i in range(300):
        workbook.active.append([f"Hộ ổ đầy {i}", "Hộ kinh doanh", None, "xã Thới Lai, Cần Thơ", 3])
    buffer = io.BytesIO()
    workbook.save(buffer)
    form = form_of(session.get(f"{HOST}/excel/", timeout=10).text, has="kind")
    response = session.post(f"{HOST}/excel/", data=fill(form, {"kind": "beneficiaries"}), allow_redirects=False,
                            files={"file": ("co-so.xlsx", buffer.getvalue(), "application/octet-stream")},
                            headers={"Referer": f"{HOST}/excel/"}, timeout=30)  # fmt: skip
    return {"status": response.status_code, "page": "Máy chủ hết chỗ lưu trữ" in response.text,
            "traceback": "Traceback" in response.text}  # fmt: skip


def fault(pg, portal: Portal, name: str, media: Path | None) -> dict:
    say(f"• Lỗi «{name}» dưới tải: {USERS} người, {FAULT_SECONDS} s, lỗi ở giây {FAULT_AT}…")
    tag = f"fault-{name}"
    # Everyone is already at work when the fault comes (at FAULT_AT seconds): the users start at once.
    process = locust(tag, users=USERS, seconds=FAULT_SECONDS, wait="1,4", spawn=max(1, USERS // 10))
    time.sleep(FAULT_AT)
    if name == "disk" and media is None:
        process.wait()
        return {"name": name, "skipped": "không gắn được tmpfs riêng (cần quyền root)"}
    done = faults.FAULTS[name](pg, media=media, web_workers=portal.web_workers, task_workers=portal.tasks,
                               restart_task_worker=portal.task_worker, probe=upload_probe)  # fmt: skip
    recovered = None
    while time.time() - done["ended"] < 60:
        if healthz() == 200:
            recovered = time.time() - done["ended"]
            break
        time.sleep(0.1)
    process.wait()
    settle(pg)
    events = events_of(tag)
    kinds = kinds_of(events)
    during = [
        e
        for e in events
        if e["t"] - e["ms"] / 1000 >= done["began"] - 0.5 and e["t"] - e["ms"] / 1000 <= done["ended"]
    ]
    after = sorted((e for e in events if e["t"] - e["ms"] / 1000 > done["ended"]), key=lambda e: e["t"])
    first_ok = next((e["t"] - done["ended"] for e in after if e["kind"] == "ok"), None)
    # "Normal" again: from then on nothing but ordinary answers for the users.
    fault_kinds = ("outage_page", "connection_error", "server_error", "bare_503", "disk_full_page", "bare_507",
                   "stack_trace", "logged_out")  # fmt: skip
    last_bad = max((e["t"] - done["ended"] for e in after if e["kind"] in fault_kinds), default=0.0)
    check = ledger.check(OUT / f"{tag}-ledger.jsonl", pg.database_url(prepare.DB_NAME))
    return {"name": name, "detail": done["detail"], "recovered": recovered, "first_ok": first_ok,
            "probe": done.get("probe"), "new_files": done.get("new_files", []),
            "normal_after": last_bad, "max_wait_during": max((e["ms"] for e in during), default=0),
            "kinds": kinds, "ledger": check, "load": os.getloadavg()[0]}  # fmt: skip


def summary(
    dataset: str, result_day: dict | None, results: list[dict], soak: dict | None
) -> tuple[list[str], bool]:
    rows, ok_all = [], True

    def goal(text: str, measured: str, holds: bool | None) -> None:
        nonlocal ok_all
        ok_all &= holds is not False
        rows.append(
            f"| {text} | {measured} | {'—' if holds is None else ('ĐẠT' if holds else 'KHÔNG ĐẠT')} |"
        )

    if result_day:
        d, t = result_day, result_day["ledger"]["totals"]
        goal(
            f"Ngày làm việc, {USERS} người (2 xuất toàn quốc): 0 lỗi",
            f"{d['errors']} / {d['requests']} yêu cầu {d['kinds']}",
            d["errors"] == 0,
        )
        goal(
            f"p95 trang tương tác < {GOAL_P95_MS} ms",
            f"{d['p95']:.0f} ms (trung vị {d['p50']:.0f})",
            d["p95"] < GOAL_P95_MS,
        )
        if w := d.get("warm_up"):
            goal(
                f"(để biết) {w['seconds']} s khởi động ngay sau khi cổng bật, trước ngày làm việc: p95 trang "
                "tương tác",
                f"{w['p95']:.0f} ms (trung vị {w['p50']:.0f}, {w['requests']} yêu cầu)",
                None,
            )
        goal(
            "Xuất danh sách đề án toàn quốc chạy nền, xong và tải được",
            f"{d['exports']} tệp",
            d["exports"] > 0,
        )
        goal("Ghi được xác nhận: có đúng một lần, có nhật ký", f"{t.get('ack', 0)} xác nhận, mất {t.get('lost', 0)}, trùng "
             f"{t.get('duplicate', 0)}, dở {t.get('partial', 0)}, thiếu nhật ký {t.get('no_audit', 0)}",
             not any(t.get(k) for k in ("lost", "duplicate", "partial", "no_audit", "refused_kept")))  # fmt: skip
    for r in results:
        if "skipped" in r:
            goal(f"Lỗi {r['name']}", r["skipped"], None)
            continue
        t, k = r["ledger"]["totals"], r["kinds"]
        goal(f"Lỗi {r['name']}: 0 ghi đã xác nhận bị mất, 0 trùng, 0 ghi dở", f"{t.get('ack', 0)} xác nhận, {t.get('unknown', 0)} "
             f"không rõ; mất {t.get('lost', 0)}, trùng {t.get('duplicate', 0)}, dở {t.get('partial', 0)}, từ chối mà vẫn ghi "
             f"{t.get('refused_kept', 0)}", not any(t.get(x) for x in ("lost", "duplicate", "partial", "refused_kept")))  # fmt: skip
        goal(f"Lỗi {r['name']}: 0 stack trace, 0 lỗi 500, không ai bị đăng xuất", f"{k}",
             not any(k.get(x) for x in ("stack_trace", "server_error", "logged_out", "bare_503", "bare_507")))  # fmt: skip
        normal = r["normal_after"]
        goal(f"Lỗi {r['name']}: bình thường lại trong {GOAL_RECOVERY_S} s", f"healthz {r['recovered'] if r['recovered'] is None else round(r['recovered'], 2)} s; "
             f"lỗi cuối cùng {normal:.1f} s sau khi hết lỗi ({r['detail']})", r["recovered"] is not None and normal < GOAL_RECOVERY_S)  # fmt: skip
        if r["name"] == "disk" and r.get("probe") is not None:
            p = r["probe"]
            goal("Ổ đầy: tải tệp lên nhận trang 507 tiếng Việt, không tệp ghi dở", f"mã {p['status']}, trang tiếng Việt "
                 f"{'có' if p['page'] else 'không'}; tệp mới còn lại: {r['new_files'] or 'không'}",
                 p["status"] == 507 and p["page"] and not p["traceback"] and not r["new_files"])  # fmt: skip
        if r["name"] == "hang":
            goal(
                "Khi treo: không yêu cầu nào chờ quá 10 s",
                f"lâu nhất {r['max_wait_during']:.0f} ms",
                r["max_wait_during"] <= GOAL_HANG_WAIT_MS,
            )
    if soak:
        for name, (start, end, pct) in soak["rss"].items():
            goal(
                f"Soak {soak['seconds'] // 60} phút: RSS {name} tăng < {GOAL_RSS_GROWTH:.0f} %",
                f"{start / 1024:.0f} → {end / 1024:.0f} MiB ({pct:+.1f} %)",
                pct < GOAL_RSS_GROWTH,
            )
        goal("Soak: không rò kết nối", f"kết nối đầu {soak['connections'][0]}, cuối {soak['connections'][1]}, tối đa {soak['connections'][2]}",
             soak["connections"][1] <= soak["connections"][0] + WORKERS * THREADS + 4)  # fmt: skip
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    params = (
        f"Tham số: {USERS} người, ngày làm việc {DURATION} s, sự cố {','.join(FAULTS)} mỗi sự cố {FAULT_SECONDS} s; "
        f"gunicorn {WORKERS} × {THREADS}."
    )
    if soak:
        params = f"Tham số: soak, {USERS} người trong {SOAK_SECONDS} s; gunicorn {WORKERS} × {THREADS}."
    lines = [f"# Chạy tải và chạy lỗi ({stamp})", "", params, "", f"Dữ liệu: {dataset}. Máy {os.cpu_count()} nhân; tải trung bình khi "
             f"kết thúc {load_average()} (trong ngày làm việc tối đa {result_day['load'] if result_day else 0:.2f}).", "",
             "| mục tiêu | đo được | kết quả |", "|---|---|---|", *rows, ""]  # fmt: skip
    if soak and soak.get("curve"):
        lines += ["RSS (MiB) lúc bắt đầu, sau mỗi phần mười thời gian chạy và lúc kết thúc (tăng theo bậc rồi đứng yên "
                  "là khởi động: lần đầu một tiến trình dựng PDF, nhập hay xuất tệp; tăng đều đến cuối là rò rỉ):", ""]  # fmt: skip
        lines += [
            f"- {n}: " + " → ".join(f"{v:.0f}" for v in values) for n, values in soak["curve"].items()
        ] + [""]
    if result_day:
        lines += ["## Ghi trong ngày làm việc", "", *ledger.table(result_day["ledger"]), ""]
    for r in results:
        if "ledger" in r:
            lines += [
                f"## Ghi trong lỗi {r['name']}",
                "",
                *ledger.table(r["ledger"]),
                *[f"- {p}" for p in r["ledger"]["problems"][:20]],
                "",
            ]
    return lines, ok_all


def to_docs(lines: list[str], *, soak: bool) -> None:
    """Put the goals table (with its date, parameters and load) into docs/deploy.md between the markers."""
    docs = ROOT / "docs" / "deploy.md"
    mark = "loadtest-soak" if soak else "loadtest-results"
    text = docs.read_text(encoding="utf-8")
    begin, end = f"<!-- {mark} -->", f"<!-- /{mark} -->"
    if begin not in text:
        text = text.replace("<!-- /loadtest-results -->", f"<!-- /loadtest-results -->\n\n{begin}\n{end}")
    body = [line.replace("# ", "### ", 1) if line.startswith("# ") else line for line in lines]
    body = body[: next((i for i, line in enumerate(body) if line.startswith("## ")), len(body))]
    head, rest = text.split(begin, 1)
    docs.write_text(
        head + begin + "\n" + "\n".join(body).rstrip() + "\n" + end + rest.split(end, 1)[1], encoding="utf-8"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--soak", action="store_true", help="Ngày làm việc trong LOADTEST_SOAK_SECONDS, đo bộ nhớ."
    )
    parser.add_argument("--no-faults", action="store_true", help="Chỉ ngày làm việc.")
    parser.add_argument("--docs", action="store_true", help="Chép bảng kết quả vào docs/deploy.md (mục 12).")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    pg = prepare.cluster().ensure()
    media = ROOT / "var" / "load-media"
    mounted = mount_media(media)
    env = portal_env(pg, media)
    dataset = prepare.database(pg, env)
    prepare.accounts(pg, OUT, env)
    manifest = OUT / "static" / "staticfiles.json"
    newest = max((p.stat().st_mtime for p in (ROOT / "static").rglob("*") if p.is_file()), default=0)
    if not manifest.exists() or manifest.stat().st_mtime < newest:  # compressing every file takes minutes
        prepare.manage("collectstatic", "--noinput", env=env)
    portal = Portal(env)
    result_day, results, soak = None, [], None
    sampler = Sampler(lambda: portal.groups(pg), pg.database_url(prepare.DB_NAME))
    try:
        portal.start()
        sampler.start()
        warm = warm_up(WARMUP_SECONDS)
        result_day = day(pg, "soak" if args.soak else "day", SOAK_SECONDS if args.soak else DURATION)
        result_day["warm_up"] = warm
        samples = sampler.stop()
        if args.soak:
            connections = [s["connections"] for s in samples if s["connections"] >= 0]
            groups = ("gunicorn", "task workers", "postgres")
            soak = {"seconds": SOAK_SECONDS, "rss": {n: growth(samples, n) for n in groups},
                    "curve": {n: curve(samples, n) for n in groups},
                    "connections": (connections[len(connections) // 5] if connections else 0, connections[-1] if connections else 0,
                                    max(connections, default=0))}  # fmt: skip
            (OUT / "soak-samples.json").write_text(json.dumps(samples), encoding="utf-8")
        elif not args.no_faults:
            for name in FAULTS:
                results.append(fault(pg, portal, name, media if mounted else None))
    finally:
        for process in _LOCUSTS:
            if process.poll() is None:
                process.terminate()
        pg.thaw()
        if not pg.ready():
            pg.start()
        portal.stop()
        if mounted:
            subprocess.run(["umount", "-l", str(media)], check=False)
    lines, ok = summary(dataset, result_day, results, soak)
    name = "soak.md" if args.soak else "summary.md"
    (OUT / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    if args.docs:
        to_docs(lines, soak=args.soak)
    print("\n".join(lines))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    threading.current_thread().name = "loadtest"
    main()

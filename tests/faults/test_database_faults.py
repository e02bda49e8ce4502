"""Faults that really happen, against the real server programs: PostgreSQL hanging, crashing (immediate stop,
killed postmaster, each with WAL replay) and a web worker killed in the middle of a multi-row save.

What must hold: requests fail fast with the Vietnamese 503 page and never a stack trace; every write the portal
acknowledged is there exactly once afterwards, a write cut off is there completely or not at all; the portal
serves normally within seconds of the fault ending, and the people logged in are still logged in.
"""

from __future__ import annotations

import os
import random
import secrets
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import psycopg2
import pytest

from loadtest.browser import fill, form_of
from loadtest.fakes import tax_code
from loadtest.sampler import children

from .conftest import login

OUTAGE = "Dịch vụ tạm thời gián đoạn"


def wait_until_normal(session, url: str, *, within: float) -> float:
    """Seconds until a logged-in page answers normally again (and still logged in)."""
    began = time.monotonic()
    while time.monotonic() - began < within:
        try:
            response = session.get(f"{url}/de-an/", timeout=5)
            if response.status_code == 200:
                assert "/accounts/dang-nhap/" not in response.url, "the user was logged out by the outage"
                return time.monotonic() - began
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"not normal within {within} s")


def test_a_hung_database_answers_the_503_page_fast_and_the_portal_recovers(cluster, portal):
    url, _env, _process = portal
    session = login(url, "canbo.cantho")
    assert session.get(f"{url}/de-an/", timeout=10).status_code == 200
    others = [login(url, "canbo.cantho") for _ in range(8)]

    def visit(s):
        began = time.monotonic()
        try:
            response = s.get(f"{url}/de-an/", timeout=15)
            return time.monotonic() - began, response.status_code, response.text
        except OSError as error:  # a timeout here is exactly what must not happen
            return time.monotonic() - began, 0, str(error)

    cluster.freeze()
    try:
        with ThreadPoolExecutor(8) as pool:
            # More requests than the server has threads (2 × 4), twice over.
            answers = list(pool.map(visit, others + others))
        time.sleep(1)
    finally:
        cluster.thaw()
    waits = [a[0] for a in answers]
    assert max(waits) < 10, f"a request waited {max(waits):.1f} s"
    assert {a[1] for a in answers} == {503}
    assert all(OUTAGE in a[2] and "Traceback" not in a[2] for a in answers)
    assert wait_until_normal(session, url, within=15) < 15


def _write_beneficiary(session, url: str, mark: str) -> str:
    """One cơ sở through its form: "ack" (redirected to it), "refused" (form again) or "unknown"."""
    try:
        page = session.get(f"{url}/co-so/them/", timeout=10)
        form = form_of(page.text, has="tax_code") if page.status_code == 200 else None
        if form is None:
            return "not sent"
        units = [u for u in form["options"]["current_unit"] if u]
        kinds = [k for k in form["options"]["kind"] if k]
        data = fill(form, {"name": f"Cơ sở {mark}", "kind": kinds[0], "tax_code": tax_code(),
                           "current_unit": random.choice(units), "address": "Ấp 1", "employees": "3"})  # fmt: skip
        response = session.post(f"{url}/co-so/them/", data=data, allow_redirects=False, timeout=15,
                                headers={"Referer": f"{url}/co-so/them/"})  # fmt: skip
    except OSError:
        return "unknown"
    if response.status_code == 302 and response.headers["Location"].startswith("/co-so/"):
        return "ack"
    if response.status_code in (200, 400) and "tax_code" in response.text:
        return "refused"
    assert "Traceback" not in response.text
    return "unknown"


@pytest.mark.parametrize("crash", ["immediate stop", "killed postmaster"])
def test_a_crash_keeps_every_acknowledged_write_once_and_the_session(cluster, portal, crash):
    url, _env, _process = portal
    sessions = [login(url, random.choice(["canbo.cantho", "canbo.haiphong"])) for _ in range(3)]
    ledger: list[tuple[str, str]] = []
    stop = threading.Event()

    def writer(session):
        while not stop.is_set():
            mark = f"LT{secrets.token_hex(6)}"
            ledger.append((mark, _write_beneficiary(session, url, mark)))

    threads = [threading.Thread(target=writer, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    try:
        time.sleep(3)
        cluster.crash() if crash == "immediate stop" else cluster.kill_postmaster()
        time.sleep(3)
    finally:
        cluster.start()  # WAL replay
    recovered = wait_until_normal(sessions[0], url, within=15)
    time.sleep(2)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    rows = cluster.psql(
        "khuyencong_faults", "SELECT name FROM beneficiaries_beneficiary WHERE name LIKE 'Cơ sở LT%'"
    )
    counts: dict[str, int] = {}
    for name in rows.splitlines():
        mark = name.removeprefix("Cơ sở ")
        counts[mark] = counts.get(mark, 0) + 1
    acknowledged = [m for m, outcome in ledger if outcome == "ack"]
    assert len(acknowledged) > 3, ledger
    assert [m for m in acknowledged if counts.get(m) != 1] == [], "acknowledged writes lost or doubled"
    assert [m for m, outcome in ledger if outcome == "refused" and counts.get(m)] == []
    assert all(c == 1 for c in counts.values())
    assert recovered < 15
    for session in sessions:  # nobody was logged out
        assert "/accounts/dang-nhap/" not in session.get(f"{url}/de-an/", timeout=10).url


def test_a_web_worker_killed_in_the_middle_of_a_multi_row_save_leaves_nothing(cluster, portal):
    """The đề án, its beneficiaries and its budget lines are one transaction: the worker is killed while the
    save waits (a lock held on the budget lines), and none of it stays."""
    url, _env, process = portal
    session = login(url, "canbo.cantho")
    page = session.get(f"{url}/de-an/moi/", timeout=20)
    form = form_of(page.text, has="form_token")
    o = form["options"]
    mark = f"LT{secrets.token_hex(6)}"
    data = fill(form, {
        "title": f"Đề án {mark}", "plan": o["plan"][1], "implementing_agency": o["implementing_agency"][1],
        "site_address": "Ấp 1", "start_date": "01/03/2026", "end_date": "30/11/2026", "contents": o["contents"][0],
        "beneficiaries-0-new_name": f"Cơ sở {mark}", "beneficiaries-0-new_kind": o["beneficiaries-0-new_kind"][1],
        "beneficiaries-0-new_tax_code": tax_code(), "beneficiaries-0-new_address": "Ấp 1",
        "beneficiaries-0-support_amount": "40000000", "beneficiaries-0-counterpart_amount": "10000000",
        "budget-0-source": o["budget-0-source"][1], "budget-0-content": o["budget-0-content"][1],
        "budget-0-expense_item": "Máy", "budget-0-amount": "40000000",
    })  # fmt: skip
    blocker = psycopg2.connect(cluster.database_url("khuyencong_faults"))
    outcome: list = []
    try:
        with blocker.cursor() as cursor:
            cursor.execute("LOCK TABLE projects_budgetline IN ACCESS EXCLUSIVE MODE")
        sender = threading.Thread(target=lambda: outcome.append(_post(session, url, data)))
        sender.start()
        waiting = ""
        for _ in range(50):  # until the save has written its first rows and waits for the lock
            waiting = cluster.psql("khuyencong_faults", "SELECT count(*) FROM pg_locks WHERE NOT granted")
            if waiting != "0":
                break
            time.sleep(0.05)
        assert waiting != "0", "the save never reached the budget lines"
        for pid in children(process.pid):
            os.kill(pid, signal.SIGKILL)
        sender.join(timeout=30)
    finally:
        blocker.rollback()
        blocker.close()
    assert outcome and outcome[0] != 302
    for table, column in (("projects_project", "title"), ("beneficiaries_beneficiary", "name")):
        assert (
            cluster.psql("khuyencong_faults", f"SELECT count(*) FROM {table} WHERE {column} LIKE '%{mark}%'")
            == "0"
        )
    assert wait_until_normal(session, url, within=30) < 30


def _post(session, url, data):
    try:
        return session.post(f"{url}/de-an/moi/", data=data, allow_redirects=False, timeout=30,
                            headers={"Referer": f"{url}/de-an/moi/"}).status_code  # fmt: skip
    except OSError:
        return 0

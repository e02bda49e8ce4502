"""A realistic working day: every role of several provinces and the Ministry, reading and doing every kind of
write through the real pages, with the pauses people make.

Run by loadtest/run.py (`make loadtest`, `make soak`); by hand against a running portal:
    LOADTEST_ACCOUNTS=artifacts/loadtest/accounts.json \
    locust -f loadtest/locustfile.py --headless -u 50 -r 5 -t 60s --host http://127.0.0.1:8791

Every write carries a unique ASCII marker (in its title, name, comment or reference) and is written to the
ledger ($LOADTEST_LEDGER) *before* it is sent, then again with its outcome: "ack" (the portal redirected to
the result), "refused" (the form came back with its errors: nothing may be written), "unknown" (503, a
dropped connection: written at most once). loadtest/ledger.py checks the ledger against the database.
Every response is classified into $LOADTEST_EVENTS; one that lands on the login page is "logged_out", a
failure (a user silently logged out is not a success).

Forms are fetched first and sent back with everything the page put in them (CSRF token, one-time form token,
formset fields), as a browser does (loadtest/browser.py).
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import threading
import time

from locust import HttpUser, between, events, task

from loadtest.browser import fill, form_of
from loadtest.fakes import marker, tax_code

PASSWORD = os.environ.get("DEMO_PASSWORD", "KhuyenCong@2025")
LEDGER = os.environ.get("LOADTEST_LEDGER", "artifacts/loadtest/ledger.jsonl")
EVENTS = os.environ.get("LOADTEST_EVENTS", "artifacts/loadtest/events.jsonl")
ACCOUNTS = os.environ.get("LOADTEST_ACCOUNTS", "artifacts/loadtest/accounts.json")
IMPORT_ROWS = int(os.environ.get("LOADTEST_IMPORT_ROWS", "300"))
# Seconds between two clicks of one person (reading the page, typing). The fault runs use "1,3".
WAIT = tuple(float(x) for x in os.environ.get("LOADTEST_WAIT", "3,10").split(","))
# How often a Ministry exporter starts the national đề án list (seconds between two exports).
EXPORT_EVERY = float(os.environ.get("LOADTEST_EXPORT_EVERY", "60"))
YEAR = int(os.environ.get("LOADTEST_YEAR", "2025"))
OUTAGE_TEXT = "Dịch vụ tạm thời gián đoạn"
DISK_TEXT = "Máy chủ hết chỗ lưu trữ"
LOGIN_PATH = "/accounts/dang-nhap/"
# A đề án moved on by someone else since the page was opened (as in an office: a colleague submits while
# you have the list open). Opening its edit page leads to its page with a message; a saved edit comes back
# as the typed form with status 409 and this mark; a step sent from an outdated page is redirected to the
# đề án's panel of steps (#steps) with a message. Nothing is written in any of them: not an error.
MOVED_ON_MARK = 'id="moved-on"'
MOVED_ON_ANCHOR = "#steps"
_lock = threading.Lock()


def _append(path: str, record: dict) -> None:
    with _lock, open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def _accounts() -> dict[str, list[str]]:
    try:
        with open(ACCOUNTS, encoding="utf-8") as handle:
            return json.load(handle)
    except OSError:
        # The demo accounts of the two demo provinces, when run by hand without run.py's setup.
        return {
            "officer": ["canbo.cantho", "canbo.haiphong"],
            "appraiser": ["thamdinh.cantho", "thamdinh.haiphong"],
            "leader": ["lanhdao.cantho", "lanhdao.haiphong"],
            "centre": ["trungtam.cantho", "trungtam.haiphong"],
            "importer": ["canbo.cantho"],
            "ministry": ["bo.congthuong"],
        }


# The hand-offs a notification makes in the portal, per province (locust's users share this process): the
# drafts an officer has just entered, ready to submit; the submitted ones, for an officer to put to appraisal;
# those under appraisal, for an appraiser to score; those scored, for the leaders to approve. Each list is
# filled by one kind of user and emptied by the next, so a đề án entered in the day can go the whole way.
READY: dict[str, list[str]] = {}
SUBMITTED: dict[str, list[str]] = {}
TO_APPRAISE: dict[str, list[str]] = {}
APPRAISED: dict[str, list[str]] = {}


_DEALT: dict[str, int] = {}


def hand_off(queue: dict[str, list[str]], username: str, pk: str | None) -> None:
    if pk:
        with _lock:
            queue.setdefault(province_of(username), []).append(pk)


def take(queue: dict[str, list[str]], username: str) -> str | None:
    with _lock:
        waiting = queue.get(province_of(username))
        return waiting.pop(0) if waiting else None


def province_of(username: str) -> str:
    """The province part of a staff name: "cantho" for thamdinh.cantho and lanhdao.cantho, "11" for
    syn-thamdinh-11 and syn-lanhdao-11."""
    return username.rsplit(".", 1)[-1] if "." in username else username.rsplit("-", 1)[-1]


@events.request.add_listener
def classify(request_type, name, response_time, response_length, response=None, exception=None, **kwargs):
    status = getattr(response, "status_code", 0) if response is not None else 0
    text = ""
    if response is not None and "text/html" in response.headers.get("Content-Type", ""):
        text = response.text
    kind = "ok"
    if exception is not None and status == 0:
        kind = "connection_error"
    elif status == 503:
        kind = "outage_page" if OUTAGE_TEXT in text or "bận" in text else "bare_503"
    elif status == 507:
        kind = "disk_full_page" if DISK_TEXT in text else "bare_507"
    elif status >= 500:
        kind = "server_error"
    elif status == 409 and MOVED_ON_MARK in text:
        kind = "moved_on"  # saved after a colleague moved the đề án on: the typed form again, nothing saved
    elif status >= 400 and status != 400:
        kind = "client_error"
    if "Traceback" in text or 'id="traceback"' in text:
        kind = "stack_trace"
    final = getattr(response, "url", "") or ""
    location = response.headers.get("Location", "") if response is not None else ""
    if not name.startswith("đăng nhập") and (LOGIN_PATH in final or location.startswith(LOGIN_PATH)):
        kind = "logged_out"
    _append(EVENTS, {"t": time.time(), "name": name, "status": status, "kind": kind, "ms": response_time})


class Staff(HttpUser):
    abstract = True
    wait_time = between(*WAIT)
    role = ""

    def on_start(self):
        # Accounts are dealt in turn, so every province has its officers, appraisers and leaders (a hand-off
        # needs someone of the next role in the same province).
        names = _accounts().get(self.role) or ["bo.congthuong"]
        with _lock:
            turn = _DEALT[self.role] = _DEALT.get(self.role, -1) + 1
        self.username = names[turn % len(names)]
        self.login()
        self.projects: dict[str, list[str]] = {}

    def login(self):
        page = self.client.get(LOGIN_PATH, name="đăng nhập (trang)")
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text or "")
        if not match:
            return
        self.client.post(
            LOGIN_PATH,
            {
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": match.group(1),
                "next": "/",
            },
            name="đăng nhập (gửi)",
            headers={"Referer": self.host + LOGIN_PATH},
        )

    # --- reading ------------------------------------------------------------------------------------
    def list_projects(self, status: str | None = None) -> list[str]:
        params = (
            {"status": status}
            if status
            else random.choice([{}, {"page": random.randint(1, 5)}, {"q": "đào tạo"}])
        )
        with self.client.get("/de-an/", params=params, name="đề án: danh sách", catch_response=True) as r:
            found = re.findall(r'href="/de-an/(\d+)/"', r.text or "") if r.status_code == 200 else []
            r.success() if r.status_code == 200 else None
        if found:
            self.projects[status or ""] = found[:30]
        return found

    def some_project(self, status: str | None = None) -> str | None:
        known = self.projects.get(status or "")
        if not known and not self.list_projects(status):
            return None
        return random.choice(self.projects[status or ""])

    @task(5)
    def read_list(self):
        self.list_projects()

    @task(5)
    def read_detail(self):
        pk = self.some_project()
        if pk:
            self.client.get(f"/de-an/{pk}/", name="đề án: chi tiết")

    @task(2)
    def read_other(self):
        path, name = random.choice(
            [
                ("/co-so/", "cơ sở: danh sách"),
                ("/chuong-trinh/", "chương trình"),
                ("/bao-cao/tong-quan/", "tổng quan"),
            ]
        )
        self.client.get(path, name=name)

    def follow_job(self, response, *, patience: float = 300):
        """A background job: poll its page (as the progress bar does) until its file can be downloaded."""
        match = re.search(r"/viec-nen/(\d+)/", getattr(response, "url", "") or "")
        if not match:
            return
        job = match.group(1)
        began = time.time()
        while time.time() - began < patience:
            page = self.client.get(
                f"/viec-nen/{job}/", name="việc nền: tiến độ", headers={"HX-Request": "true"}
            )
            if f"/viec-nen/{job}/tep/" in (page.text or ""):
                self.client.get(f"/viec-nen/{job}/tep/", name="tải: tệp việc nền")
                return
            if "Thất bại" in (page.text or ""):
                return
            time.sleep(3)

    # --- writing ------------------------------------------------------------------------------------
    def send(self, kind: str, page_url: str, changes, *, action: str | None = None, has: str = "form_token",
             files=None, count: int = 1, mark: str | None = None) -> str | None:  # fmt: skip
        """Fetch the page, take its form, apply `changes(form, marker)`, log, send; returns the marker if
        acknowledged. `action` picks the form posting to that path (a page shows several)."""
        page = self.client.get(page_url, name=f"{kind}: trang")
        if page.status_code != 200:
            return None
        if page.history:  # sent elsewhere: the đề án moved on since the list was read
            self.projects.clear()
            return None
        form = self._form(page.text, action=action, has=has)
        if form is None:
            return None
        mark = mark or marker()
        data = changes(form, mark)
        if data is None:
            return None
        target = form["action"] or page_url
        _append(LEDGER, {"t": time.time(), "marker": mark, "kind": kind, "phase": "attempt", "count": count,
                         "user": self.username})  # fmt: skip
        outcome, status = "unknown", 0
        try:
            with self.client.post(target, data=data, files=files, name=f"{kind}: ghi", allow_redirects=False,
                                  catch_response=True, headers={"Referer": self.host + page_url}) as r:  # fmt: skip
                status = r.status_code
                location = r.headers.get("Location", "")
                if status == 302 and location.endswith(MOVED_ON_ANCHOR):
                    outcome = "refused"  # a step from an outdated page: nothing written
                    self.projects.clear()
                    r.success()
                elif status == 302 and location and not location.startswith(LOGIN_PATH):
                    outcome = "ack"
                    self.last_location = location
                    r.success()
                elif status in (200, 400, 409) and "csrfmiddlewaretoken" in (r.text or ""):
                    outcome = "refused"  # the form again, with its errors: nothing written
                    r.success()
                else:
                    r.failure(f"{kind}: {status} {location}")
        finally:
            _append(LEDGER, {"t": time.time(), "marker": mark, "kind": kind, "phase": "outcome",
                             "outcome": outcome, "status": status, "count": count})  # fmt: skip
        return mark if outcome == "ack" else None

    @staticmethod
    def _form(html: str, *, action: str | None, has: str):
        if action is None:
            return form_of(html, has=has)
        from loadtest.browser import forms_of

        return next((f for f in forms_of(html) if f["action"].endswith(action)), None)

    def step(self, kind: str, status: str, action: str, extra=None, *, pk: str | None = None) -> str | None:
        """A workflow step on a đề án of the given status (or on `pk`), through the detail page's form for it."""
        pk = pk or self.some_project(status)
        if not pk:
            return None

        def changes(form, mark):
            names = {n for n, _v in form["fields"]}
            values: dict[str, str] = {}
            for name in names | set(form["options"]):
                short = name.split("-", 1)[-1]
                if short in ("comment", "summary", "reference"):
                    values[name] = f"Ghi chép tải thử {mark}"
                elif short.endswith("_number"):
                    values[name] = mark
                elif short.startswith("score_"):
                    values[name] = str(random.randint(6, 10))
                elif short == "percent_complete":
                    values[name] = str(random.randint(10, 90))
                elif short == "amount":
                    values[name] = str(random.choice([1_000_000, 2_000_000, 5_000_000]))
                elif short == "source":
                    choices = [o for o in form["options"].get(name, []) if o]
                    if not choices:
                        return None
                    values[name] = choices[0]
            values.update(extra or {})
            return fill(form, values)

        mark = self.send(kind, f"/de-an/{pk}/", changes, action=f"/buoc/{action}/")
        if mark:
            self.projects.pop(status, None)  # it has moved on
            self.last_pk = pk
        return mark

    def project_of_location(self) -> str | None:
        match = re.search(r"/de-an/(\d+)/", getattr(self, "last_location", "") or "")
        return match.group(1) if match else None


class Officer(Staff):
    """Enters and edits đề án (with budget lines and beneficiaries), records cơ sở, writes notes, submits."""

    weight = 10
    role = "officer"

    @task(3)
    def create_project(self):
        """A draft as an officer enters one that can go the whole way: this year's local plan, its own source
        for the state's share (at most 30 % of the cost, within every support cap), the rest counterpart funds
        that each cơ sở has committed, and a commune of the province as the site."""

        def changes(form, mark):
            o, labels = form["options"], form["labels"]
            plans = [v for v, text in labels.get("plan", {}).items() if v and text.startswith(f"{YEAR} — ")]
            local = [v for v in plans if "địa phương" in labels["plan"][v]]
            sources = labels.get("budget-0-source", {})
            state = next((v for v, text in sources.items() if v and "địa phương" in text), None)
            counterpart = next((v for v, text in sources.items() if v and "đối ứng" in text), None)
            if not (local or plans) or len(o.get("implementing_agency", [])) < 2 or not o.get("sites"):
                return None
            if state is None or counterpart is None:
                return None
            kind = o["beneficiaries-0-new_kind"][1]
            content = [c for c in o["budget-0-content"] if c]
            values = {
                "title": f"Đề án tải thử {mark}",
                "plan": random.choice(local or plans),
                "implementing_agency": o["implementing_agency"][1],
                "site_address": "Ấp Thới Lai",
                "sites": random.choice(o["sites"]),
                "start_date": f"01/03/{YEAR + 1}",
                "end_date": f"30/11/{YEAR + 1}",
                "contents": content[0],
                "beneficiaries-TOTAL_FORMS": "2",
                "budget-TOTAL_FORMS": "3",
                "outputs-0-indicator": o["outputs-0-indicator"][1],
                "outputs-0-planned": "2",
            }
            for i in range(2):
                values |= {
                    f"beneficiaries-{i}-new_name": f"Cơ sở {mark}-{i}",
                    f"beneficiaries-{i}-new_kind": kind,
                    f"beneficiaries-{i}-new_tax_code": tax_code(),
                    f"beneficiaries-{i}-new_address": f"Ấp {i + 1}",
                    f"beneficiaries-{i}-support_amount": "10000000",
                    f"beneficiaries-{i}-counterpart_amount": "40000000",
                    f"beneficiaries-{i}-counterpart_committed": "on",
                }
            for i, (src, amount) in enumerate(
                [(state, 12_000_000), (state, 8_000_000), (counterpart, 80_000_000)]
            ):
                values |= {
                    f"budget-{i}-source": src,
                    f"budget-{i}-content": content[0],
                    f"budget-{i}-expense_item": f"Khoản {i + 1}",
                    f"budget-{i}-amount": str(amount),
                }
            return fill(form, values)

        if self.send("đề án: lập", "/de-an/moi/", changes, has="form_token"):
            hand_off(READY, self.username, self.project_of_location())

    @task(2)
    def edit_draft(self):
        pk = self.some_project("draft")
        if not pk:
            return

        def changes(form, mark):
            title = re.sub(r" \(sửa LT\w+\)", "", dict(form["fields"]).get("title", ""))[:150]
            return fill(form, {"title": f"{title} (sửa {mark})"})

        self.send("đề án: sửa", f"/de-an/{pk}/sua/", changes, has="form_token")

    @task(2)
    def record_beneficiary(self):
        def changes(form, mark):
            o = form["options"]
            units = [u for u in o.get("current_unit", []) if u]
            kinds = [k for k in o.get("kind", []) if k]
            if not units or not kinds:
                return None
            return fill(form, {"name": f"Cơ sở tải thử {mark}", "kind": kinds[0], "tax_code": tax_code(),
                               "current_unit": random.choice(units), "address": "Ấp Thới Lai",
                               "employees": str(random.randint(1, 40))})  # fmt: skip

        self.send("cơ sở: ghi mới", "/co-so/them/", changes, has="tax_code")

    @task(1)
    def note(self):
        pk = self.some_project()
        if pk:
            self.send("đề án: ghi chú", f"/de-an/{pk}/", lambda f, m: fill(f, {"text": f"Ghi chú {m}"}),
                      action="/ghi-chu/")  # fmt: skip

    @task(1)
    def submit(self):
        # Mostly a draft entered today (it has all a submission needs); now and then one from the list.
        if self.step("đề án: nộp", "draft", "submit", pk=take(READY, self.username)):
            hand_off(SUBMITTED, self.username, self.last_pk)

    @task(1)
    def start_appraisal(self):
        pk = take(SUBMITTED, self.username)
        if pk and self.step("đề án: đưa ra thẩm định", "submitted", "start_appraisal", pk=pk):
            hand_off(TO_APPRAISE, self.username, pk)

    @task(1)
    def download_list(self):
        self.client.get("/bao-cao/de-an.xlsx", params={"year": YEAR}, name="tải: đề án tỉnh (xlsx)")


class Importer(Staff):
    """An officer importing a workbook of a few hundred cơ sở: template, upload, preview, confirm."""

    fixed_count = 1
    role = "importer"

    def on_start(self):
        super().on_start()
        self.communes: list[str] = []
        from openpyxl import load_workbook

        r = self.client.get("/excel/mau/beneficiaries.xlsx", name="nhập: mẫu")
        if r.status_code == 200:
            sheet = load_workbook(io.BytesIO(r.content), read_only=True)["Danh mục"]
            rows = list(sheet.iter_rows(values_only=True))
            column = list(rows[0]).index("Xã/phường")
            self.communes = [row[column] for row in rows[1:] if row[column]][:50]

    @task(10)
    def import_workbook(self):
        if not self.communes:
            return
        from openpyxl import Workbook

        mark = marker()
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(["Tên cơ sở", "Loại hình", "Mã số thuế", "Xã/phường", "Số lao động"])
        for i in range(IMPORT_ROWS):
            sheet.append(
                [f"Hộ {mark} {i}", "Hộ kinh doanh", None, random.choice(self.communes), random.randint(1, 9)]
            )
        buffer = io.BytesIO()
        workbook.save(buffer)
        upload = {"file": ("co-so.xlsx", buffer.getvalue(), "application/octet-stream")}
        page = self.client.get("/excel/", name="nhập: trang")
        form = form_of(page.text or "", has="kind")
        if form is None:
            return
        r = self.client.post("/excel/", data=fill(form, {"kind": "beneficiaries"}), files=upload,
                             name="nhập: tải tệp lên", allow_redirects=False,
                             headers={"Referer": self.host + "/excel/"})  # fmt: skip
        preview = r.headers.get("Location", "")
        if r.status_code != 302 or "/excel/nhap/" not in preview:
            return
        for _ in range(30):  # a larger file is checked by a worker
            page = self.client.get(preview, name="nhập: xem trước")
            if "/xac-nhan/" in (page.text or ""):
                break
            time.sleep(2)
        # Every row of the workbook carries its marker: all of them are written, or none.
        self.send(
            "nhập: xác nhận",
            preview,
            lambda f, m: fill(f, {}),
            action="/xac-nhan/",
            count=IMPORT_ROWS,
            mark=mark,
        )


class Appraiser(Staff):
    weight = 3
    role = "appraiser"

    @task(3)
    def appraise(self):
        # The đề án just put to appraisal in the province first, else one from the list.
        pk = take(TO_APPRAISE, self.username) or self.some_project("appraising")
        if pk and self.step(
            "thẩm định: phiếu", "appraising", "appraise", {"appraise-recommendation": "approve"}, pk=pk
        ):
            # The leader of the province sees it among the đề án whose appraisal is complete.
            hand_off(APPRAISED, self.username, pk)


class Leader(Staff):
    weight = 3
    role = "leader"

    @task(2)
    def approve(self):
        # A leader approves what the appraisers have scored (the rule asks for at least one appraisal sheet);
        # with nothing scored yet they mostly read the list, and now and then try one from it, which the rules
        # may refuse with their message.
        pk = take(APPRAISED, self.username)
        if pk is None and random.random() < 0.7:
            return self.list_projects("appraising")  # nothing scored yet: the leader reads what is coming
        self.step("lãnh đạo: phê duyệt", "appraising", "approve", pk=pk)

    @task(1)
    def annual_report(self):
        code = random.choice(_accounts().get("province_codes", {}).get(self.username, ["92"]))
        fmt = random.choice(["xlsx", "pdf"])
        r = self.client.get(f"/bao-cao/ke-hoach/{code}/{YEAR}.{fmt}", name=f"tải: kế hoạch năm ({fmt})")
        self.follow_job(r)  # a PDF is laid out by a task worker: its job's page, then the file

    @task(1)
    def audit_trail(self):
        pk = self.some_project()
        if pk:
            self.client.get(f"/nhat-ky/de-an/{pk}/", name="đề án: nhật ký")


class Centre(Staff):
    """The Centre: contracts, progress reports, advances and payments."""

    weight = 4
    role = "centre"

    @task(2)
    def progress(self):
        self.step("trung tâm: báo cáo tiến độ", "in_progress", "report_progress")

    @task(2)
    def advance(self):
        self.step("trung tâm: tạm ứng", random.choice(["contracted", "in_progress"]), "request_advance")

    @task(2)
    def payment(self):
        self.step("trung tâm: thanh toán", random.choice(["in_progress", "accepted"]), "record_disbursement")

    @task(1)
    def contract(self):
        self.step("trung tâm: hợp đồng", "approved", "contract")


class Ministry(Staff):
    """The Ministry reads the nation, one province at a time, and downloads the national annual report."""

    weight = 2
    role = "ministry"

    @task(1)
    def national_report(self):
        """Now and then (a report is built once, then read): at most once per EXPORT_EVERY per person."""
        if time.time() - getattr(self, "last_report", 0.0) < EXPORT_EVERY:
            return self.read_list()
        self.last_report = time.time()
        r = self.client.get(f"/bao-cao/toan-quoc/{YEAR}.xlsx", name="tải: báo cáo toàn quốc (việc nền)")
        self.follow_job(r)


class NationalExporter(Ministry):
    """Two Ministry users who each pull the national đề án list as Excel now and then (the heavy case)."""

    fixed_count = int(os.environ.get("LOADTEST_EXPORTERS", "2"))
    weight = 0

    def on_start(self):
        super().on_start()
        self.last_export = 0.0

    @task
    def national_list(self):
        if time.time() - self.last_export < EXPORT_EVERY:
            return self.read_list()
        self.last_export = time.time()
        r = self.client.get(
            "/bao-cao/de-an.xlsx", params={"year": YEAR}, name="tải: danh sách đề án toàn quốc"
        )
        self.follow_job(r)

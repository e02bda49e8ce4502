"""50 simulated staff of two provinces and the Ministry: mixed reads, writes and report downloads.

Run by loadtest/run.py (`make loadtest`); can also be run by hand against a running portal:
    locust -f loadtest/locustfile.py --headless -u 50 -r 5 -t 60s --host http://127.0.0.1:8791

Every acknowledged write (a beneficiary recorded, answered by a redirect to its page) is appended to
$LOADTEST_WRITES (one JSON line each) so the fault run can check that none was lost. Every response is
classified (ok, the Vietnamese 503 page, an error page, a stack trace) into $LOADTEST_EVENTS.
"""

import json
import os
import random
import re
import threading
import time

from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("DEMO_PASSWORD", "KhuyenCong@2025")
WRITES = os.environ.get("LOADTEST_WRITES", "artifacts/loadtest/writes.jsonl")
ATTEMPTS = os.environ.get("LOADTEST_ATTEMPTS", "artifacts/loadtest/attempts.jsonl")
EVENTS = os.environ.get("LOADTEST_EVENTS", "artifacts/loadtest/events.jsonl")
OUTAGE_TEXT = "Dịch vụ tạm thời gián đoạn"
_lock = threading.Lock()
_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def _append(path: str, record: dict) -> None:
    with _lock, open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")


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
        kind = "outage_page" if OUTAGE_TEXT in text else "bare_503"
    elif status >= 500:
        kind = "server_error"
    elif status >= 400:
        kind = "client_error"
    if "Traceback" in text or 'id="traceback"' in text:
        kind = "stack_trace"
    _append(EVENTS, {"t": time.time(), "name": name, "status": status, "kind": kind, "ms": response_time})


def tax_code() -> str:
    while True:
        nine = f"{random.randrange(10**8, 10**9):09d}"
        remainder = sum(int(d) * w for d, w in zip(nine, _WEIGHTS, strict=True)) % 11
        if remainder:
            return nine + str(10 - remainder)


# A person reads a page before the next click: 3 to 10 seconds by default (50 people then make some 7
# requests a second, about 27.000 an hour). The stress run of loadtest/run.py sets "1,3".
WAIT = tuple(float(x) for x in os.environ.get("LOADTEST_WAIT", "3,10").split(","))


class Staff(HttpUser):
    abstract = True
    wait_time = between(*WAIT)
    usernames: tuple[str, ...] = ()

    def on_start(self):
        self.username = random.choice(self.usernames)
        page = self.client.get("/accounts/dang-nhap/", name="đăng nhập (trang)")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        self.client.post(
            "/accounts/dang-nhap/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token, "next": "/"},
            name="đăng nhập (gửi)",
            headers={"Referer": self.host + "/accounts/dang-nhap/"},
        )
        self.project_ids: list[str] = []

    def _remember_projects(self, html: str) -> None:
        found = re.findall(r'href="/de-an/(\d+)/"', html)
        if found:
            self.project_ids = found[:50]

    @task(6)
    def project_list(self):
        params = random.choice([{}, {"page": random.randint(1, 20)}, {"q": "đào tạo"}, {"sort": "-code"}])
        with self.client.get("/de-an/", params=params, name="đề án: danh sách", catch_response=True) as r:
            if r.status_code == 200:
                self._remember_projects(r.text)
                r.success()

    @task(6)
    def project_detail(self):
        if not self.project_ids:
            return self.project_list()
        self.client.get(f"/de-an/{random.choice(self.project_ids)}/", name="đề án: chi tiết")

    @task(3)
    def beneficiary_list(self):
        params = random.choice([{}, {"q": "may tre"}, {"page": random.randint(1, 10)}])
        self.client.get("/co-so/", params=params, name="cơ sở: danh sách")

    @task(2)
    def plans_and_programmes(self):
        self.client.get(
            random.choice(["/chuong-trinh/", "/chuong-trinh/ke-hoach/"]), name="chương trình, kế hoạch"
        )

    @task(2)
    def dashboard(self):
        self.client.get("/bao-cao/tong-quan/", name="tổng quan")

    @task(1)
    def report_download(self):
        self.download()

    def download(self):
        """The province's đề án of the year as Excel (a role may download something else instead)."""
        self.client.get("/bao-cao/de-an.xlsx", params={"year": 2025}, name="báo cáo: đề án (xlsx)")


class Officer(Staff):
    weight = 3
    usernames = ("canbo.cantho", "canbo.haiphong")

    def on_start(self):
        super().on_start()
        form = self.client.get("/co-so/them/", name="cơ sở: form thêm")
        self.kinds = re.findall(r'<option value="(\d+)"[^>]*>\s*Hộ kinh doanh', form.text) or re.findall(
            r'name="kind".*?<option value="(\d+)"', form.text, flags=re.S
        )
        select = re.search(r'<select name="current_unit".*?</select>', form.text, flags=re.S)
        self.communes = re.findall(r'<option value="(\d+)"', select.group(0)) if select else []

    @task(int(os.environ.get("LOADTEST_WRITE_WEIGHT", "3")))
    def record_beneficiary(self):
        """A write: a new household business, with a valid tax code. Acknowledged = redirected to its page."""
        if not self.kinds or not self.communes:
            return
        page = self.client.get("/co-so/them/", name="cơ sở: form thêm")
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if not match:
            return
        name = f"Cơ sở tải thử {os.getpid()}-{random.getrandbits(48):012x}"
        data = {
            "csrfmiddlewaretoken": match.group(1),
            "name": name,
            "kind": self.kinds[0],
            "tax_code": tax_code(),
            "current_unit": random.choice(self.communes),
            "address": "Ấp Thới Lai",
            "employees": str(random.randint(1, 40)),
        }
        _append(ATTEMPTS, {"t": time.time(), "name": name})
        with self.client.post(
            "/co-so/them/",
            data,
            name="cơ sở: ghi mới",
            allow_redirects=False,
            catch_response=True,
            headers={"Referer": self.host + "/co-so/them/"},
        ) as r:
            if r.status_code == 302 and re.match(r"^/co-so/\d+/$", r.headers.get("Location", "")):
                _append(WRITES, {"t": time.time(), "name": name, "location": r.headers["Location"]})
                r.success()
            elif r.status_code == 503:
                r.failure("503 (cơ sở dữ liệu gián đoạn)")
            else:
                r.failure(f"không ghi được: {r.status_code}")


class Leader(Staff):
    weight = 1
    usernames = ("lanhdao.cantho", "lanhdao.haiphong")

    @task(2)
    def audit_trail(self):
        if self.project_ids:
            self.client.get(f"/nhat-ky/de-an/{random.choice(self.project_ids)}/", name="đề án: nhật ký")

    @task(1)
    def annual_report(self):
        code = "92" if self.username.endswith("cantho") else "31"
        self.client.get(f"/bao-cao/ke-hoach/{code}/2025.xlsx", name="báo cáo: kế hoạch năm (xlsx)")


class Ministry(Staff):
    """The Ministry reads the nation and one province at a time: its downloads are the national annual
    report and one province's đề án list (the whole nation's list, some 25.000 rows, is an occasional
    export, not something ten people pull every minute)."""

    weight = 1
    usernames = ("bo.congthuong",)

    def on_start(self):
        super().on_start()
        page = self.client.get("/de-an/", name="đề án: danh sách")
        select = re.search(r'<select name="province".*?</select>', page.text, flags=re.S)
        self.provinces = re.findall(r'<option value="(\d+)"', select.group(0)) if select else []

    def download(self):
        if random.random() < 0.5 or not self.provinces:
            self.client.get("/bao-cao/toan-quoc/2025.xlsx", name="báo cáo: toàn quốc (xlsx)")
        else:
            self.client.get(
                "/bao-cao/de-an.xlsx",
                params={"year": 2025, "province": random.choice(self.provinces)},
                name="báo cáo: đề án (xlsx)",
            )

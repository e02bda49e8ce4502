"""Flood test of the public needs page against a running portal (standard library only).

One address posts many needs as fast as it can while many other addresses each post one; the portal sits
behind a proxy that sets X-Real-IP (run it with DJANGO_BEHIND_PROXY=true), which is how distinct addresses
are told apart on one machine. What must hold: the flooding address is slowed (429 past the limit), and
every person from another address gets a receipt whose page opens (none lost).

    python loadtest/needs_flood.py --base http://127.0.0.1:8000 --province 92 --commune "Thới Lai" \
        --flood 300 --people 100 --threads 16
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import re
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

PATH = "/dang-ky-nhu-cau/"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def open_form(base: str) -> tuple[urllib.request.OpenerDirector, dict[str, str]]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
    html = opener.open(base + PATH, timeout=30).read().decode()
    fields = dict(re.findall(r'name="(csrfmiddlewaretoken|token)" value="([^"]+)"', html))
    kind = re.search(r'<option value="(\d+)">Hộ kinh doanh', html).group(1)
    content = re.search(r'name="content" value="(\d+)"', html).group(1)
    province = None
    return opener, {**fields, "kind": kind, "content": content, "province": province or ""}


def province_pk(base: str, code_name: str) -> str:
    html = urllib.request.urlopen(base + PATH, timeout=30).read().decode()
    match = re.search(rf'<option value="(\d+)">[^<]*{re.escape(code_name)}</option>', html)
    return match.group(1)


def post(opener, base: str, form: dict[str, str], address: str, text: str) -> tuple[int, float, str]:
    body = urllib.parse.urlencode(
        {
            **form,
            "name": f"Hộ kinh doanh thử tải {text}",
            "tax_code": "",
            "address": "",
            "description": f"Nhu cầu thử tải {text}",
            "estimated_cost": "100.000.000",
            "representative": "Người thử tải",
            "phone": "0912345678",
            "email": "",
            "consent": "on",
            "website": "",
        }
    ).encode()
    request = urllib.request.Request(
        base + PATH,
        data=body,
        headers={
            "X-Real-IP": address,
            "Referer": base + PATH,
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    started = time.perf_counter()
    try:
        response = opener.open(request, timeout=60)
        status, location = response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as error:
        status, location = error.code, error.headers.get("Location", "")
    return status, time.perf_counter() - started, location


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--province", default="Cần Thơ", help="the province's name as listed")
    parser.add_argument("--commune", default="Thới Lai")
    parser.add_argument("--flood", type=int, default=300, help="posts from the one flooding address")
    parser.add_argument("--people", type=int, default=100, help="posts, one from each other address")
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--fill-seconds", type=float, default=3.2, help="wait after opening the form")
    args = parser.parse_args()

    opener, form = open_form(args.base)
    form.update(province=province_pk(args.base, args.province), commune=args.commune)
    time.sleep(args.fill_seconds)
    lock = threading.Lock()
    results: dict[str, list] = {"flood": [], "people": []}

    def flood(n: int) -> None:
        outcome = post(opener, args.base, form, "203.0.113.66", f"lũ {n}")
        with lock:
            results["flood"].append(outcome)

    def person(n: int) -> None:
        outcome = post(opener, args.base, form, f"10.{n // 250}.{n % 250}.{1 + n % 200}", f"người {n}")
        with lock:
            results["people"].append(outcome)

    jobs = [("f", n) for n in range(args.flood)]
    # People arrive spread through the flood, not all after it.
    for n in range(args.people):
        jobs.insert(min(len(jobs), (n * (args.flood + args.people)) // max(1, args.people)), ("p", n))
    started = time.perf_counter()
    with ThreadPoolExecutor(args.threads) as pool:
        for kind, n in jobs:
            pool.submit(flood if kind == "f" else person, n)
    elapsed = time.perf_counter() - started

    receipts_ok = 0
    for status, _seconds, location in results["people"]:
        if status == 302 and "/bien-nhan/" in location:
            url = location if location.startswith("http") else args.base + location
            if urllib.request.urlopen(url, timeout=30).status == 200:
                receipts_ok += 1

    def summary(rows):
        times = sorted(r[1] for r in rows)
        counts: dict[int, int] = {}
        for status, *_rest in rows:
            counts[status] = counts.get(status, 0) + 1
        return {
            "sent": len(rows),
            "by_status": counts,
            "p50_ms": round(statistics.median(times) * 1000, 1) if times else None,
            "p95_ms": round(times[int(len(times) * 0.95) - 1] * 1000, 1) if times else None,
        }

    print(
        json.dumps(
            {
                "seconds": round(elapsed, 1),
                "flood_from_one_address": summary(results["flood"]),
                "people_from_distinct_addresses": summary(results["people"]),
                "people_receipts_that_open": receipts_ok,
            },
            ensure_ascii=False,
            indent=2,
        )
    )


if __name__ == "__main__":
    main()

"""Processor time the web process spends per request on the pages a province's staff read most (the ones the
load test's users open: loadtest/locustfile.py), with the number of queries of each; optionally a profile.

Run with the production settings on a copy of the national dataset (docs/performance.md), e.g.
    DATABASE_URL=postgres://…/copy DJANGO_SETTINGS_MODULE=loadtest.settings DJANGO_SECRET_KEY=… \
    DJANGO_ALLOWED_HOSTS=testserver DJANGO_STATIC_ROOT=… python -m benchmarks.page_cpu --rounds 20
(collectstatic first: the manifest storage needs its manifest). It writes one job row for the progress page.
`--profile NAME` prints the cProfile of that page instead (NAME as in the table, e.g. "chi tiết (thẩm định)").
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import time


def pick_users():
    from django.contrib.auth import get_user_model

    User = get_user_model()
    found = {}
    for role, names in {
        "officer": ["syn-canbo-01", "canbo.cantho"],
        "appraiser": ["syn-thamdinh-01", "thamdinh.cantho"],
        "leader": ["syn-lanhdao-01", "lanhdao.cantho"],
        "centre": ["syn-trungtam-01", "trungtam.cantho"],
    }.items():
        found[role] = [u for u in User.objects.filter(username__in=names)]
        found[role].sort(key=lambda u: names.index(u.username))
    return found


def project_of(user, status: str):
    from projects.models import Project

    return (
        Project.objects.visible_to(user).filter(status=status).order_by("pk").values_list("pk", flat=True)[5]
    )


def job_for(user) -> int:
    from jobs.models import Job

    job = Job.objects.filter(owner=user, label="page_cpu").first()
    if job is None:
        job = Job.objects.create(
            owner=user, handler="reports.project_list", label="page_cpu", status=Job.Status.QUEUED, total=100
        )
    return job.pk


def pages() -> list[tuple[str, object, str, dict]]:
    """(name, user, url, headers) for every page measured."""
    users = pick_users()
    result = []
    for officer in users["officer"]:
        who = officer.username
        for name, url in (
            ("danh sách", "/de-an/"),
            ("danh sách trang 3", "/de-an/?page=3"),
            ("danh sách tìm «đào tạo»", "/de-an/?q=%C4%91%C3%A0o+t%E1%BA%A1o"),
            ("danh sách dự thảo", "/de-an/?status=draft"),
            ("danh sách đang thẩm định", "/de-an/?status=appraising"),
            ("trang đầu /", "/"),
            ("cơ sở", "/co-so/"),
            ("chương trình", "/chuong-trinh/"),
            ("tổng quan", "/bao-cao/tong-quan/"),
            ("chi tiết dự thảo", f"/de-an/{project_of(officer, 'draft')}/"),
            ("chi tiết đang thực hiện", f"/de-an/{project_of(officer, 'in_progress')}/"),
            ("việc nền (HX)", f"/viec-nen/{job_for(officer)}/"),
        ):
            headers = {"HX-Request": "true"} if "HX" in name else {}
            result.append((f"{who}: {name}", officer, url, headers))
    for role, status in (("appraiser", "appraising"), ("leader", "appraising"), ("centre", "in_progress")):
        for user in users[role]:
            pk = project_of(user, status)
            result.append((f"{user.username}: chi tiết ({status})", user, f"/de-an/{pk}/", {}))
            if role == "leader":
                result.append((f"{user.username}: nhật ký", user, f"/nhat-ky/de-an/{pk}/", {}))
                result.append((f"{user.username}: danh sách", user, "/de-an/", {}))
    return result


def measure(rounds: int, only: str | None) -> dict[str, dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    measured = [p for p in pages() if not only or only in p[0]]
    clients = {}
    for _name, user, _url, _headers in measured:
        if user.pk not in clients:
            clients[user.pk] = Client()
            clients[user.pk].force_login(user)
    results: dict[str, dict] = {}
    for name, user, url, headers in measured:
        client = clients[user.pk]
        for _ in range(2):  # warm: templates compiled, catalogues read
            response = client.get(url, headers=headers)
        assert response.status_code == 200, (name, url, response.status_code)
        with CaptureQueriesContext(connection) as captured:
            client.get(url, headers=headers)
        results[name] = {
            "url": url,
            "queries": len(captured),
            "cpu": [],
            "wall": [],
            "bytes": len(response.content),
        }
    for _ in range(rounds):  # interleaved, so a busy moment of the machine spreads over every page
        for name, user, url, headers in measured:
            client = clients[user.pk]
            cpu, wall = time.process_time(), time.perf_counter()
            client.get(url, headers=headers)
            results[name]["cpu"].append((time.process_time() - cpu) * 1000)
            results[name]["wall"].append((time.perf_counter() - wall) * 1000)
    return results


def profile(name: str, calls: int, limit: int, sort: str) -> None:
    from django.test import Client

    name, user, url, headers = next(p for p in pages() if name in p[0])
    client = Client()
    client.force_login(user)
    for _ in range(2):
        client.get(url, headers=headers)
    profiler = cProfile.Profile(time.process_time)  # processor time, as the table measures
    profiler.enable()
    for _ in range(calls):
        client.get(url, headers=headers)
    profiler.disable()
    print(f"{name} {url}, {calls} lần")
    pstats.Stats(profiler).sort_stats(sort).print_stats(limit)


def main() -> None:
    import django

    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--only")
    parser.add_argument("--json")
    parser.add_argument("--profile")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--limit", type=int, default=60)
    args = parser.parse_args()
    django.setup()
    if args.profile:
        return profile(args.profile, args.rounds, args.limit, args.sort)
    results = measure(args.rounds, args.only)
    print(f"{'trang':55} {'CPU ms':>8} {'thật ms':>8} {'truy vấn':>8}")
    for name, r in results.items():
        r["cpu_median"], r["wall_median"] = statistics.median(r["cpu"]), statistics.median(r["wall"])
        print(f"{name:55} {r['cpu_median']:8.1f} {r['wall_median']:8.1f} {r['queries']:8d}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(results, handle, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()

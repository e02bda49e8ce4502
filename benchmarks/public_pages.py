"""Benchmark of the public transparency pages (no login): the national page, a busy province's year and the
open data file of that province, as an anonymous visitor asks for them, without any cache in front."""

from __future__ import annotations


def public_pages(ctx, year: int):
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from benchmarks.measure import MISSING, Row, ms, timed

    try:
        national = reverse("public:index")
        province = reverse("public:province", args=[ctx.province.code, year])
        download = reverse("public:download_json")
    except NoReverseMatch:
        return [Row("Trang công khai", "toàn quốc", MISSING)]
    client = Client()  # anonymous, as the public
    rows = []
    cases = [
        ("toàn quốc theo tỉnh", national, {"nam": year}, "< 200 ms", 200),
        (f"đề án đã duyệt của {ctx.province.name}, trang 1", province, {}, "", None),
        (
            f"dữ liệu mở JSON của {ctx.province.name}",
            download,
            {"nam": year, "tinh": ctx.province.code},
            "",
            None,
        ),
    ]
    for what, url, query, goal, limit in cases:
        response = client.get(url, query)
        if response.status_code != 200:
            rows.append(Row("Trang công khai", what, "lỗi", note=f"HTTP {response.status_code}"))
            continue
        queries = ctx.explain_slowest(
            f"Trang công khai, {what}", lambda url=url, query=query: client.get(url, query)
        )
        timing = timed(lambda url=url, query=query: client.get(url, query), repeat=20)
        rows.append(
            Row(
                "Trang công khai",
                f"{what}: p95 (trung vị), {queries} truy vấn, không qua bộ nhớ đệm",
                f"{ms(timing.p95)} ({ms(timing.median)})",
                "",
                "",
                goal,
                timing.p95 < limit if limit else None,
            )
        )
    return rows

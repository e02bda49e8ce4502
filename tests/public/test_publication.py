"""The public section: what it shows, what it must never show, and that it is cacheable."""

import json
import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from public.selectors import PUBLIC_STATUSES

from .conftest import COOP_NAME, ENTERPRISE_NAME, HIDDEN_TITLES, PERSONAL

HREF = re.compile(r'href="([^"#]+)"')
HIDDEN_STATUS_LABELS = [
    "Dự thảo",
    "Yêu cầu bổ sung",
    "Không phê duyệt",
    "Đang thẩm định",
    "Đã đăng ký",
    "Đã rút",
]
HIDDEN_STATUS_LABELS_EN = ["Draft", "Returned for changes", "Rejected", "Under appraisal", "Withdrawn"]


def crawl(client: Client, starts: list[str]) -> dict[str, bytes]:
    """Every address under /cong-khai/ reachable from the starts, fetched anonymously."""
    seen: dict[str, bytes] = {}
    queue = list(starts)
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        body = response.content
        seen[url] = body
        if response["Content-Type"].startswith("text/html"):
            for href in HREF.findall(body.decode()):
                href = href.replace("&amp;", "&")
                target = urljoin(url, href)
                if urlsplit(target).path.startswith("/cong-khai/") and target not in seen:
                    queue.append(target)
    return seen


def _personal_values() -> list[str]:
    values = [v for v in PERSONAL.values() if v]
    # Phone numbers are also looked for without their spaces.
    values += [v.replace(" ", "") for v in values if re.fullmatch(r"[\d ]+", v)]
    return values


@pytest.mark.django_db
def test_anonymous_crawl_of_every_public_page_and_download_finds_no_personal_data_nor_hidden_status(
    published,
):
    client = Client()
    pages = crawl(client, ["/cong-khai/", "/cong-khai/?lang=en"])
    downloads = [u for u in pages if ".csv" in u or ".json" in u]
    assert len(pages) >= 12 and len(downloads) >= 4, sorted(pages)
    assert any(f"/tinh/{published.province.code}/2025/" in u for u in pages)
    assert any("/chuong-trinh/" in u and published.programme.code in u for u in pages)
    for url, body in pages.items():
        text = body.decode("utf-8-sig")
        for value in _personal_values():
            assert value.casefold() not in text.casefold(), (url, value)
        for title in HIDDEN_TITLES.values():
            assert title not in text, (url, title)
        assert "7.777.777" not in text and "7777777" not in text, url  # money of hidden đề án
        if url.endswith(".json") or ".json?" in url:
            for project in json.loads(text)["projects"]:
                assert project["status"] in PUBLIC_STATUSES
        elif ".csv" not in url:
            labels = HIDDEN_STATUS_LABELS_EN if "lang=en" in url else HIDDEN_STATUS_LABELS
            for label in labels:
                assert f">{label}<" not in text, (url, label)


@pytest.mark.django_db
def test_province_page_names_enterprises_and_cooperatives_and_only_counts_households(published):
    response = Client().get(f"/cong-khai/tinh/{published.province.code}/2025/")
    text = response.content.decode()
    assert ENTERPRISE_NAME in text and COOP_NAME in text
    assert "Đào tạo nghề mây tre đan Hòa Bình" in text
    assert "Trung tâm Khuyến công Tỉnh Công Khai" in text  # implementing unit
    assert "Xã Hòa Bình" in text  # place, down to the commune
    assert "150.000.000" in text and "40.000.000" in text  # support by source
    assert "45/QĐ-SCT" in text
    assert "không nêu danh tính" in text  # households counted
    # A household's name written into a title is hidden there too.
    assert "Hỗ trợ máy móc cho […]" in text


@pytest.mark.django_db
def test_json_download_has_licence_and_the_same_content(published):
    response = Client().get("/cong-khai/du-lieu-mo/de-an.json", {"nam": 2025})
    body = json.loads(response.content)
    assert "CC BY 4.0" in body["licence"]["name"]
    codes = {p["code"] for p in body["projects"]}
    assert codes == {published.shown.code, published.titled_with_household.code}
    shown = next(p for p in body["projects"] if p["code"] == published.shown.code)
    assert shown["support_by_source"] == {"kcdp": 150_000_000, "doi-ung": 40_000_000}
    assert shown["outputs"][0]["achieved"] == 28
    assert {b["name"] for b in shown["named_beneficiaries"]} == {ENTERPRISE_NAME, COOP_NAME}
    assert sum(o["count"] for o in shown["other_beneficiaries"]) == 2


@pytest.mark.django_db
def test_csv_download_opens_in_a_spreadsheet_with_vietnamese_letters(published):
    response = Client().get("/cong-khai/du-lieu-mo/de-an.csv", {"nam": 2025, "tinh": published.province.code})
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("code,title,year")
    assert "Đào tạo nghề mây tre đan Hòa Bình" in text


@pytest.mark.django_db
def test_programme_page_shows_targets_against_achievements(published):
    response = Client().get(f"/cong-khai/chuong-trinh/{published.programme.code}/")
    text = response.content.decode()
    assert "Đào tạo nghề cho 200 lao động" in text
    assert ">28<" in text  # achieved by the published đề án
    assert "14 %" in text


@pytest.mark.django_db
def test_national_page_counts_only_published_projects_by_province(published):
    response = Client().get("/cong-khai/", {"nam": 2025})
    picture = response.context["picture"]
    row = next(r for r in picture.rows if r.province == published.province)
    assert row.projects == 2
    assert row.by_source == {"kcdp": 150_000_000 + 100_000_000 * 0, "doi-ung": 40_000_000}


@pytest.mark.django_db
def test_public_pages_are_cacheable_and_answer_304_to_a_matching_etag(published):
    client = Client()
    first = client.get("/cong-khai/", {"nam": 2025})
    assert "public" in first["Cache-Control"] and "max-age=" in first["Cache-Control"]
    assert first.has_header("ETag")
    again = client.get("/cong-khai/", {"nam": 2025}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert "Set-Cookie" not in first.headers
    # The language is in the address: caches need not split by cookie or browser language.
    assert "Cookie" not in first.get("Vary", "") and "Accept-Language" not in first.get("Vary", "")


@pytest.mark.django_db
def test_english_version_is_a_separate_address(published):
    vi = Client().get("/cong-khai/du-lieu-mo/")
    en = Client().get("/cong-khai/du-lieu-mo/", {"lang": "en"})
    assert vi["Content-Language"] == "vi" and en["Content-Language"] == "en"
    assert 'lang="en"' in en.content.decode()


@pytest.mark.django_db
def test_unknown_province_and_page_answer_404(published):
    assert Client().get("/cong-khai/tinh/ZZZ/2025/").status_code == 404
    assert Client().get(f"/cong-khai/tinh/{published.province.code}/2025/", {"trang": 9}).status_code == 404

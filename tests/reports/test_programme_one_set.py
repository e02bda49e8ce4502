"""The programme page, its PDF and its workbook count the same đề án and the same money, for every seeded
programme (seed articles plus the demo đề án): one selector of plans feeds all three."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from accounts.services import demo_accounts_ensure
from khuyencong.money import format_dong
from programs.models import Programme
from programs.selectors import programme_plans
from projects.models import Project
from reports import exports
from reports.selectors import programme_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(loaded_places, reference_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("loaddata", "fixtures/seed/sources.json", verbosity=0)
    demo_accounts_ensure(password="MatKhau@Demo2025")
    call_command("load_demo", verbosity=0)


def _pdf_text(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode("utf-8").split())


def _page_figures(html: str) -> tuple[int, int | None]:
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    count = re.search(r"(\d+) đề án trong các kế hoạch năm của chương trình", text)
    total = re.search(r"tổng dự toán ([\d.]+) đồng", text)
    return int(count.group(1)), int(total.group(1).replace(".", "")) if total else None


def test_cantho_programme_page_shows_the_demo_projects_of_its_unlinked_plans(demo, client):
    programme = Programme.objects.get(code="ct-cantho-2022-2025")
    client.force_login(get_user_model().objects.get(username="lanhdao.cantho"))
    html = client.get(reverse("programs:detail", kwargs={"pk": programme.pk})).content.decode()
    count, total = _page_figures(html)
    assert count > 0 and total
    assert "Chưa có đề án nào có dự toán trong chương trình." not in html


@pytest.mark.parametrize("username", ["bo.congthuong", "lanhdao.cantho"])
def test_page_pdf_and_workbook_agree_for_every_seeded_programme(demo, client, username):
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    programmes = Programme.objects.visible_to(user)
    assert programmes.exists()
    for programme in programmes:
        report = programme_report(programme=programme, user=user)
        projects = Project.objects.visible_to(user).filter(plan__in=programme_plans(programme))
        assert report.project_count == projects.count()

        html = client.get(reverse("programs:detail", kwargs={"pk": programme.pk})).content.decode()
        count, total = _page_figures(html)
        assert count == report.project_count, programme.code
        assert (total or 0) == report.planned_total, programme.code

        text = _pdf_text(exports.programme(programme=programme, fmt="pdf", user=user).content)
        assert f"Đã có {report.project_count} đề án thuộc chương trình" in text, programme.code
        assert f"Tổng cộng {report.project_count} {format_dong(report.planned_total)}" in text, programme.code

        wb = load_workbook(io.BytesIO(exports.programme(programme=programme, fmt="xlsx", user=user).content))
        years = [[c.value for c in row] for row in wb["Theo năm"].iter_rows(min_row=6)]
        data = [r for r in years if isinstance(r[0], int)]
        assert sum(r[1] for r in data) == count, programme.code
        assert sum(r[2] for r in data) == (total or 0), programme.code
        # The page's targets read the same đề án as the report's.
        page_targets = re.findall(r"Đạt (\d+) / ", html)
        report_targets = [str(t.achieved) for t in report.targets if t.min_value]
        assert page_targets == report_targets, programme.code

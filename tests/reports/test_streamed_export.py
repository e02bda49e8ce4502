"""The đề án list for a long filter is written in constant memory: rows read a chunk at a time and streamed
into a write-only sheet saved to a file. Memory is measured with tracemalloc around the export, for a list
and for a list six times as long: the peak must stay under a ceiling and not grow with the list."""

from __future__ import annotations

import tracemalloc

import pytest
from django.db.models import Sum
from openpyxl import load_workbook

from projects.models import BudgetLine, Project
from reports import exports
from synthetic.generator import Generator
from synthetic.vocabulary import Scale

pytestmark = pytest.mark.django_db

CEILING = 30 * 1024 * 1024  # bytes of Python allocations at the peak, whatever the length of the list
CHUNK = 250  # đề án read at a time (2.000 in production): the long list is twelve chunks, the short one two


@pytest.fixture
def many_projects(loaded_places, reference_data):
    Generator(Scale("streamed-export", 3, 2024, 2025, 1_000, 3_000), seed=3, log=lambda *_: None).run()
    return Project.objects.all()


def export_peak(projects, path) -> int:
    tracemalloc.start()
    try:
        exports.project_list_to_file(projects=projects, description="thử", path=path, chunk=CHUNK)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_long_list_is_streamed_in_constant_memory_and_adds_up(many_projects, tmp_path):
    everything = many_projects
    count = everything.count()
    assert count >= 3_000
    sixth = Project.objects.filter(
        pk__in=list(everything.order_by("pk").values_list("pk", flat=True)[: count // 6])
    )

    small_peak = export_peak(sixth, tmp_path / "small.xlsx")
    peak = export_peak(everything, tmp_path / "all.xlsx")

    assert peak < CEILING, f"{peak / 2**20:.1f} MB"
    # Six times the rows, not six times the memory (the list of ids and the workbook's shared strings grow a little).
    assert peak < 1.3 * small_peak + 2 * 2**20, (peak / 2**20, small_peak / 2**20)

    sheet = load_workbook(tmp_path / "all.xlsx", read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(min_row=6, values_only=True))
    data = [r for r in rows if isinstance(r[0], int)]
    assert len(data) == count
    assert [r[0] for r in data] == list(range(1, count + 1))
    codes = [r[1] for r in data]
    assert codes == list(everything.order_by("plan__year", "code").values_list("code", flat=True))
    planned = sum(r[-1] or 0 for r in data)
    assert planned == BudgetLine.objects.aggregate(total=Sum("amount"))["total"]
    total_row = next(r for r in rows if r[0] == "Tổng cộng" or (r[1] or "") == "Tổng cộng")
    assert str(total_row[-1]).startswith("=SUM(")

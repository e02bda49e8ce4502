"""The synthetic dataset: marked, valid, deterministic, removable, on both SQLite and PostgreSQL."""

from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from beneficiaries.models import Beneficiary
from beneficiaries.tax_code import tax_code_error
from khuyencong.vn_text import fold_accents
from projects.models import BudgetLine, Project, ProjectStatus, ProjectTransition
from projects.workflow import is_allowed
from synthetic.cleanup import delete_synthetic
from synthetic.generator import Generator
from synthetic.vocabulary import MARK, PREFIX, SCALES

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(loaded_places, reference_data):
    return SCALES["small"]


def generate(scale, seed=1):
    generator = Generator(scale, seed=seed, log=lambda *_: None)
    return generator.run()


def test_small_scale_fills_every_table_and_every_status(world):
    counts = generate(world)
    assert counts["projects_project"] == world.projects
    assert counts["beneficiaries_beneficiary"] == world.beneficiaries
    for table in (
        "projects_budgetline",
        "projects_projecttransition",
        "projects_advance",
        "projects_settlementline",
    ):
        assert counts[table] > 0, table
    statuses = set(Project.objects.values_list("status", flat=True))
    # The synthetic đề án are local ones: the national procedure's own statuses are not generated.
    national_only = {ProjectStatus.FORWARDED, ProjectStatus.CUC_REVIEW}
    assert statuses == set(ProjectStatus.values) - national_only


def test_every_synthetic_row_is_marked(world):
    generate(world)
    assert not Project.objects.exclude(code__startswith=PREFIX).filter(
        source_note__contains="generate_synthetic"
    )
    projects = Project.objects.filter(code__startswith=PREFIX)
    assert projects.count() == world.projects
    assert all(p.is_demo and p.title.endswith(MARK) for p in projects)
    assert all(b.is_demo and b.name.endswith(MARK) for b in Beneficiary.objects.filter(is_demo=True))


def test_tax_codes_are_valid_and_search_text_matches_what_save_would_store(world):
    generate(world)
    beneficiaries = list(Beneficiary.objects.filter(is_demo=True))
    assert any(b.tax_code for b in beneficiaries) and any(b.tax_code is None for b in beneficiaries)
    assert all(tax_code_error(b.tax_code) is None for b in beneficiaries if b.tax_code)
    assert all(b.search_text == b.build_search_text() for b in beneficiaries)
    for p in Project.objects.filter(code__startswith=PREFIX):
        assert p.search_text == fold_accents(f"{p.code} {p.title} {p.site_address}")[:800]


def test_audit_trail_follows_the_transition_table_to_the_current_status(world):
    generate(world)
    trails = {}
    for t in ProjectTransition.objects.order_by("project_id", "created_at", "id"):
        trails.setdefault(t.project_id, []).append(t)
    for project in Project.objects.filter(code__startswith=PREFIX):
        trail = trails.get(project.pk, [])
        status = "draft"
        for t in trail:
            assert t.from_status == status and is_allowed(t.from_status, t.to_status)
            status = t.to_status
        assert status == project.status


def test_the_same_seed_gives_the_same_data(world):
    def snapshot():
        return (
            list(Project.objects.order_by("code").values_list("code", "title", "status")),
            sorted(Counter(BudgetLine.objects.values_list("amount", flat=True)).items()),
        )

    generate(world, seed=5)
    first = snapshot()
    delete_synthetic(log=lambda *_: None)
    generate(world, seed=5)
    assert snapshot() == first


def test_reset_removes_synthetic_rows_and_keeps_the_rest(world):
    call_command("loaddata", "fixtures/seed/sources.json", verbosity=0)
    before = Project.objects.count(), Beneficiary.objects.count()
    generate(world)
    delete_synthetic(log=lambda *_: None)
    assert (Project.objects.count(), Beneficiary.objects.count()) == before


def test_command_skips_when_the_same_scale_is_there_and_refuses_another(world, capsys):
    call_command("generate_synthetic", "--scale", "small")
    call_command("generate_synthetic", "--scale", "small")
    assert "bỏ qua" in capsys.readouterr().out
    assert Project.objects.filter(code__startswith=PREFIX).count() == world.projects


def test_national_scale_is_refused_on_sqlite(world, settings):
    from django.db import connection

    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL runs the national scale")
    with pytest.raises(CommandError):
        call_command("generate_synthetic", "--scale", "national")

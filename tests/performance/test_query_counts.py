"""Pages cost a fixed number of queries, whatever the amount of data: each page is measured at two sizes
of the synthetic dataset and must run the same number of queries (no N+1), under a ceiling."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.models import AnnualPlan, Programme
from projects.models import Project
from synthetic.cleanup import delete_synthetic
from synthetic.generator import Generator
from synthetic.vocabulary import Scale

pytestmark = pytest.mark.django_db

SMALL = Scale("perf-small", 2, 2024, 2025, 60, 20)
LARGE = Scale("perf-large", 2, 2024, 2025, 240, 80)

# The most a page may run, whatever the data (session, user, roles, second factor and the page's own reads).
CEILING = 40
# Lower ceilings for the report pages: each child table is read once, grouped by every key a page shows.
# The dashboard went from 18 to 19 when the national procedure, notes and jobs joined it (one more fixed read).
PAGE_CEILINGS = {"reports:dashboard": 19, "reports:annual": 28}


def _richest(model, **filters):
    return model.objects.filter(**filters).order_by("-pk").first()


def _url(name: str, user) -> str:
    """The page to measure, pointing at the largest record of its kind the user may see."""
    if name == "projects:detail":
        visible = Project.objects.visible_to(user)
        project = visible.filter(status="settled").order_by("-pk").first() or visible.order_by("-pk").first()
        return reverse(name, args=[project.pk])
    if name == "beneficiaries:detail":
        link = (
            Project.objects.visible_to(user).filter(code__startswith="syn-").first().beneficiary_links.first()
        )
        return reverse(name, args=[link.beneficiary_id])
    if name == "programs:detail":
        return reverse(
            name,
            args=[
                _richest(Programme, pk__in=Programme.objects.visible_to(user), code__startswith="syn-ct").pk
            ],
        )
    if name == "programs:plan_detail":
        return reverse(
            name,
            args=[
                _richest(
                    AnnualPlan,
                    pk__in=AnnualPlan.objects.visible_to(user),
                    is_demo=True,
                    declared_project_count__gt=0,
                ).pk
            ],
        )
    if name == "reports:annual":
        projects = Project.objects.visible_to(user).filter(code__startswith="syn-")
        code = projects.values_list("province__code", flat=True).first()
        return reverse(name, args=[code, "2025", "xlsx"])
    return reverse(name)


PAGES = [
    "projects:list",
    "projects:detail",
    "beneficiaries:list",
    "beneficiaries:detail",
    "programs:list",
    "programs:detail",
    "programs:plan_list",
    "programs:plan_detail",
    "reports:index",
    "reports:dashboard",
    "reports:annual",
]


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries)


def _load(scale: Scale) -> None:
    delete_synthetic(log=lambda *_: None)
    Generator(scale, seed=3, log=lambda *_: None).run()


def _users():
    User = get_user_model()
    code = Project.objects.filter(code__startswith="syn-").values_list("province__code", flat=True).first()
    return {
        "ministry": User.objects.get(username="syn-bo"),
        "officer": User.objects.get(username=f"syn-canbo-{code}"),
    }


def _measure(client) -> dict[tuple[str, str], int]:
    counts = {}
    for who, user in _users().items():
        client.force_login(user)
        for page in PAGES:
            counts[(page, who)] = _count(client, _url(page, user))
    return counts


def test_pages_run_the_same_queries_at_two_data_sizes(loaded_places, reference_data, client):
    _load(SMALL)
    small = _measure(client)
    _load(LARGE)
    large = _measure(client)
    growing = {key: (small[key], large[key]) for key in small if small[key] != large[key]}
    assert not growing, f"queries grow with the data ({SMALL.projects} → {LARGE.projects} đề án): {growing}"
    heavy = {key: n for key, n in large.items() if n > PAGE_CEILINGS.get(key[0], CEILING)}
    assert not heavy, f"more queries than the page's ceiling ({PAGE_CEILINGS}, else {CEILING}): {heavy}"

"""The đề án entry page stays cheap whatever the đề án holds: its lists are read once per page (not once per
row), its drop-downs and communes are written without a template per option, and an administrator editing
a đề án sees its province's communes, not the whole country's."""

import re

from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from khuyencong.select_widget import ListSelect
from tests.factories import BudgetLineFactory, CommuneFactory, ProjectFactory, content, indicator, source
from tests.projects.conftest import ready_project


def entry_page(client, project):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("projects:edit", args=[project.pk]))
    assert response.status_code == 200
    return response, len(ctx)


def test_the_edit_page_costs_the_same_queries_for_one_and_for_twenty_estimate_lines(client, world):
    few = ready_project(world.own.plan)
    many = ready_project(world.own.plan)
    for n in range(19):
        BudgetLineFactory(project=many, source=source("kcdp"), content=content(1), amount=1_000_000 + n)
    client.force_login(world.user(Role.OFFICER))
    indicator()  # an output row's list is not empty
    _page, queries_few = entry_page(client, few)
    page, queries_many = entry_page(client, many)
    assert queries_many == queries_few
    html = page.content.decode()
    assert html.count('name="budget-19-source"') == 1
    assert 'name="budget-20-source"' in html  # the blank row after the twenty lines


def test_estimate_lines_keep_their_source_and_content_selected(client, world):
    project = ready_project(world.own.plan)
    line = project.budget_lines.get()
    client.force_login(world.user(Role.OFFICER))
    html = entry_page(client, project)[0].content.decode()
    select = re.search(r'<select name="budget-0-source".*?</select>', html, re.S).group(0)
    assert re.findall(r"<option[^>]*selected[^>]*>", select) == [
        f'<option value="{line.source_id}" selected>'
    ]
    assert 'class="bl-source"' in select and 'id="id_budget-0-source"' in select


def test_an_administrator_editing_a_dean_sees_only_its_provinces_communes(client, world):
    CommuneFactory(province=world.other.unit, full_name="Xã Ở Tỉnh Khác")
    project = ready_project(world.own.plan)
    own = CommuneFactory(province=world.own.unit, full_name="Xã Cùng Tỉnh")
    client.force_login(world.user(Role.ADMIN))
    html = entry_page(client, project)[0].content.decode()
    assert "Xã Cùng Tỉnh" in html
    assert "Xã Ở Tỉnh Khác" not in html
    site = project.sites.get()
    assert re.search(rf'value="{site.pk}" id="id_sites_\d+" checked>', html)
    assert re.search(rf'value="{own.pk}" id="id_sites_\d+">', html)


def test_list_select_writes_what_djangos_select_writes():
    choices = [("", "— Chọn —"), (1, "Một"), (2, "Hai & <ba>"), (2, "Hai lần")]
    ours = ListSelect(attrs={"class": "x"}, choices=choices)
    theirs = forms.Select(attrs={"class": "x"}, choices=choices)
    for value in (None, "", 2, "1"):
        attrs = {"id": "id_f", "required": True, "aria-invalid": "true"}

        def normal(html):
            return re.sub(r">\s+<", "><", html.strip())

        a, b = normal(ours.render("f", value, attrs)), normal(theirs.render("f", value, attrs))
        assert re.findall(r"<option[^>]*>[^<]*</option>", a) == re.findall(r"<option[^>]*>[^<]*</option>", b)
        assert sorted(re.search(r"<select([^>]*)>", a).group(1).split()) == sorted(
            re.search(r"<select([^>]*)>", b).group(1).split()
        )


def test_a_dean_without_rows_still_gets_one_blank_row_of_each(client, world):
    project = ProjectFactory(plan=world.own.plan)
    client.force_login(world.user(Role.OFFICER))
    html = entry_page(client, project)[0].content.decode()
    for prefix in ("beneficiaries-0-new_kind", "budget-0-source", "outputs-0-indicator"):
        assert f'name="{prefix}"' in html

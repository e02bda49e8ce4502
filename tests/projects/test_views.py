"""The đề án pages: list (filters, search, export, fixed queries), entry (draft service, nothing lost),
the one-page view (only the steps this user may take, fixed queries) and steps posting to the services."""

import io
import re

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from beneficiaries.models import Beneficiary
from places.models import AdministrativeUnit
from projects.models import Project, ProjectStatus, ProjectTransition
from tests.factories import (
    BeneficiaryFactory,
    BudgetLineFactory,
    CommuneFactory,
    ProjectBeneficiaryFactory,
    ProjectFactory,
    beneficiary_kind,
    content,
    indicator,
    source,
    valid_tax_code,
)
from tests.projects.conftest import grow, project_in, ready_project

S = ProjectStatus


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


# ---------------------------------------------------------------------------------------------- list


def test_list_shows_only_the_users_province(client, world):
    mine = ready_project(world.own.plan, title="Đề án của tỉnh mình")
    theirs = ready_project(world.other.plan, title="Đề án của tỉnh khác")
    client.force_login(world.user(Role.OFFICER))
    page = client.get(reverse("projects:list")).content.decode()
    assert mine.title in page
    assert theirs.title not in page


def test_search_ignores_accents_on_title_beneficiary_and_commune(client, world):
    by_beneficiary = ProjectFactory(plan=world.own.plan, title="Hỗ trợ máy móc")
    ProjectBeneficiaryFactory(
        project=by_beneficiary,
        beneficiary__name="Cơ sở Đan dây nhựa Út Hiền",
        beneficiary__province=world.own.unit,
    )
    by_site = ProjectFactory(plan=world.own.plan, title="Tập huấn sản xuất sạch hơn")
    by_site.sites.set([CommuneFactory(province=world.own.unit, name="Thới Lai", full_name="Xã Thới Lai")])
    other = ProjectFactory(plan=world.own.plan, title="Hội chợ triển lãm")
    client.force_login(world.user(Role.OFFICER))

    found = client.get(reverse("projects:list"), {"q": "dan day nhua"}).context["object_list"]
    assert list(found) == [by_beneficiary]
    found = client.get(reverse("projects:list"), {"q": "thoi lai"}).context["object_list"]
    assert list(found) == [by_site]
    found = client.get(reverse("projects:list"), {"place": "Thoi Lai"}).context["object_list"]
    assert list(found) == [by_site]
    assert other not in client.get(reverse("projects:list"), {"q": "tap huan"}).context["object_list"]


def test_filters_by_status_source_and_content(client, world):
    draft = ready_project(world.own.plan)
    approved = project_in(world.own.plan, S.APPROVED)
    BudgetLineFactory(project=approved, source=source("kcqg"), content=content(3), amount=5)
    approved.contents.add(content(3))
    client.force_login(world.user(Role.OFFICER))
    url = reverse("projects:list")
    assert list(client.get(url, {"status": "draft"}).context["object_list"]) == [draft]
    assert list(client.get(url, {"source": source("kcqg").pk}).context["object_list"]) == [approved]
    assert list(client.get(url, {"content": content(3).pk}).context["object_list"]) == [approved]


def test_export_holds_exactly_the_filtered_rows(client, world):
    ready_project(world.own.plan, title="Đào tạo nghề đan lát")
    ready_project(world.own.plan, title="Hội chợ hàng thủ công")
    client.force_login(world.user(Role.OFFICER))
    response = client.get(reverse("projects:list"), {"q": "dao tao", "export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    titles = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if row[1]]
    assert titles == ["Đào tạo nghề đan lát"]
    assert sheet.cell(row=2, column=8).value == 100_000_000


def test_list_runs_the_same_number_of_queries_for_few_and_many_rows(client, world, django_assert_num_queries):
    client.force_login(world.user(Role.OFFICER))
    ready_project(world.own.plan)
    url = reverse("projects:list")
    few = queries_for(client, url)
    for _ in range(8):
        p = ready_project(world.own.plan)
        p.contents.add(content(2), content(3))
    with django_assert_num_queries(few):
        client.get(url)


# ---------------------------------------------------------------------------------------------- entry


def entry_data(world, **overrides):
    existing = BeneficiaryFactory(province=world.own.unit, name="Hợp tác xã Đan dây nhựa")
    commune = CommuneFactory(province=world.own.unit)
    data = {
        "title": "Đào tạo nghề đan dây nhựa cho lao động nông thôn",
        "code": "",
        "plan": world.own.plan.pk,
        "shape": "named",
        "selection": "review",
        "contents": [content(1).pk],
        "sites": [commune.pk],
        "start_date": "2025-03-01",
        "end_date": "2025-11-30",
        "beneficiaries-TOTAL_FORMS": "2",
        "beneficiaries-INITIAL_FORMS": "0",
        "beneficiaries-0-beneficiary": existing.pk,
        "beneficiaries-0-label": existing.name,
        "beneficiaries-0-support_amount": "50.000.000",
        "beneficiaries-0-counterpart_amount": "20.000.000",
        "beneficiaries-0-counterpart_committed": "on",
        "beneficiaries-1-new_name": "Cơ sở Mây tre đan Thới Lai",
        "beneficiaries-1-new_kind": beneficiary_kind("ho-kinh-doanh").pk,
        "beneficiaries-1-new_tax_code": valid_tax_code(),
        "beneficiaries-1-support_amount": "30.000.000",
        "beneficiaries-1-counterpart_amount": "10.000.000",
        "beneficiaries-1-counterpart_committed": "on",
        "budget-TOTAL_FORMS": "2",
        "budget-INITIAL_FORMS": "0",
        "budget-0-source": source("kcdp").pk,
        "budget-0-content": content(1).pk,
        "budget-0-expense_item": "Thù lao giảng viên",
        "budget-0-amount": "80.000.000",
        "budget-1-source": source("doi-ung").pk,
        "budget-1-content": content(1).pk,
        "budget-1-expense_item": "Nguyên liệu thực hành",
        "budget-1-amount": "30000000",
        "outputs-TOTAL_FORMS": "1",
        "outputs-INITIAL_FORMS": "0",
        "outputs-0-indicator": indicator().pk,
        "outputs-0-planned": "35",
    }
    data.update(overrides)
    return data


def test_officer_saves_a_draft_with_two_beneficiaries_and_two_sources(client, world):
    client.force_login(world.user(Role.OFFICER))
    response = client.post(reverse("projects:create"), entry_data(world))
    project = Project.objects.get(title__startswith="Đào tạo nghề đan dây nhựa")
    assert response.status_code == 302
    assert response.url == reverse("projects:detail", args=[project.pk])
    assert project.status == S.DRAFT
    assert project.province == world.own.unit
    assert project.code.endswith("-2025-001")
    assert project.beneficiary_links.count() == 2
    assert Beneficiary.objects.filter(name="Cơ sở Mây tre đan Thới Lai", province=world.own.unit).exists()
    assert sorted(project.budget_lines.values_list("amount", flat=True)) == [30_000_000, 80_000_000]
    assert project.outputs.get().planned == 35


def test_a_failed_save_keeps_everything_typed_and_writes_nothing(client, world):
    client.force_login(world.user(Role.OFFICER))
    data = entry_data(world, **{"beneficiaries-1-new_tax_code": "0101245480", "budget-1-amount": "3,5 triệu"})
    projects, beneficiaries = Project.objects.count(), Beneficiary.objects.count()
    response = client.post(reverse("projects:create"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Đào tạo nghề đan dây nhựa cho lao động nông thôn" in page
    assert "Cơ sở Mây tre đan Thới Lai" in page
    assert "Nguyên liệu thực hành" in page
    assert "sai chữ số kiểm tra" in page
    assert "không phải là số tiền hợp lệ" in page
    assert (Project.objects.count(), Beneficiary.objects.count()) == (projects, beneficiaries)


def test_a_draft_needs_only_a_title_and_a_plan(client, world):
    client.force_login(world.user(Role.OFFICER))
    response = client.post(
        reverse("projects:create"),
        {
            "title": "Đề án còn dang dở",
            "plan": world.own.plan.pk,
            "shape": "named",
            "selection": "review",
            **{f"{p}-TOTAL_FORMS": "0" for p in ("beneficiaries", "budget", "outputs")},
            **{f"{p}-INITIAL_FORMS": "0" for p in ("beneficiaries", "budget", "outputs")},
        },
    )
    assert response.status_code == 302
    assert Project.objects.get(title="Đề án còn dang dở").status == S.DRAFT


def test_editing_keeps_rows_and_another_province_gets_404(client, world):
    project = ready_project(world.own.plan)
    client.force_login(world.user(Role.OFFICER))
    page = client.get(reverse("projects:edit", args=[project.pk]))
    assert page.status_code == 200
    assert page.context["formsets"]["budget"].initial[0]["amount"] == 100_000_000
    client.force_login(world.user(Role.OFFICER, "other"))
    assert client.get(reverse("projects:edit", args=[project.pk])).status_code == 404
    assert client.get(reverse("projects:detail", args=[project.pk])).status_code == 404


def test_only_officers_may_open_the_entry_page(client, world):
    client.force_login(world.user(Role.LEADER))
    assert client.get(reverse("projects:create")).status_code == 403
    client.force_login(world.user(Role.OFFICER))
    assert client.get(reverse("projects:create")).status_code == 200


# ---------------------------------------------------------------------------------------------- page


def test_the_page_offers_only_the_steps_this_user_may_take(client, world):
    project = ready_project(world.own.plan)
    client.force_login(world.user(Role.OFFICER))
    officer_steps = {
        s["move"].action for s in client.get(reverse("projects:detail", args=[project.pk])).context["steps"]
    }
    assert "submit" in officer_steps
    assert "approve" not in officer_steps
    client.force_login(world.user(Role.LEADER))
    assert not {
        s["move"].action for s in client.get(reverse("projects:detail", args=[project.pk])).context["steps"]
    } & {
        "submit",
        "approve",
    }


def test_submitting_from_the_page_calls_the_service_and_writes_the_timeline(client, world):
    project = ready_project(world.own.plan)
    client.force_login(world.user(Role.OFFICER))
    response = client.post(
        reverse("projects:step", args=[project.pk, "submit"]), {"submit-comment": "Kính trình"}
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == S.SUBMITTED
    transition = ProjectTransition.objects.get(project=project)
    assert transition.comment == "Kính trình"
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Kính trình" in page


def test_a_refused_step_shows_the_reason_next_to_the_form(client, world):
    project = ProjectFactory(plan=world.own.plan)  # no site, no budget: submission is refused
    client.force_login(world.user(Role.OFFICER))
    response = client.post(reverse("projects:step", args=[project.pk, "submit"]), {})
    assert response.status_code == 400
    assert "Chưa có dòng dự toán kinh phí nào." in response.content.decode()
    project.refresh_from_db()
    assert project.status == S.DRAFT


def test_a_step_the_user_may_not_take_is_forbidden(client, world):
    project = project_in(world.own.plan, S.APPRAISING)
    client.force_login(world.user(Role.OFFICER))
    response = client.post(
        reverse("projects:step", args=[project.pk, "approve"]),
        {"approve-decision_number": "1/QĐ", "approve-decision_date": "2025-06-01"},
    )
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.status == S.APPRAISING


def test_the_page_runs_the_same_number_of_queries_for_few_and_many_rows(
    client, world, django_assert_num_queries
):
    project = project_in(world.own.plan, S.IN_PROGRESS)
    centre = world.user(Role.CENTRE)

    def add_transition(n):
        ProjectTransition.objects.create(
            project=project,
            action="start",
            from_status=S.CONTRACTED,
            to_status=S.IN_PROGRESS,
            actor=centre,
            comment=f"Ghi chú {n}",
        )

    add_transition(0)  # one row of each kind, so every prefetch runs in both cases
    client.force_login(centre)
    url = reverse("projects:detail", args=[project.pk])
    few = queries_for(client, url)
    grow(project, world)
    with django_assert_num_queries(few):
        client.get(url)


def test_anonymous_users_are_sent_to_login(client, world):
    project = ready_project(world.own.plan)
    for url in (
        reverse("projects:list"),
        reverse("projects:detail", args=[project.pk]),
        reverse("projects:create"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response.url


def test_year_filter_offers_the_years_of_the_users_plans_only(client, world):
    world.other.plan.year = 2019
    world.other.plan.save()
    client.force_login(world.user(Role.OFFICER))
    choices = client.get(reverse("projects:list")).context["filter"].form.fields["year"].choices
    assert (2025, 2025) in choices
    assert (2019, 2019) not in choices


def _unchanged(project) -> dict:
    """The edit page of a ready_project draft sent back as the browser would, nothing changed but the amount."""
    link = project.beneficiary_links.get()
    line = project.budget_lines.get()
    return {
        "title": project.title,
        "code": project.code,
        "plan": project.plan_id,
        "shape": project.shape,
        "selection": project.selection,
        "contents": [c.pk for c in project.contents.all()],
        "sites": [s.pk for s in project.sites.all()],
        "beneficiaries-TOTAL_FORMS": "1",
        "beneficiaries-INITIAL_FORMS": "1",
        "beneficiaries-0-beneficiary": link.beneficiary_id,
        "beneficiaries-0-label": link.beneficiary.name,
        "beneficiaries-0-support_amount": "50.000.000",
        "beneficiaries-0-counterpart_amount": "20.000.000",
        "beneficiaries-0-counterpart_committed": "on",
        "budget-TOTAL_FORMS": "2",
        "budget-INITIAL_FORMS": "1",
        "budget-0-source": line.source_id,
        "budget-0-content": line.content_id,
        "budget-0-expense_item": line.expense_item,
        "budget-0-amount": "100.000.000",
        "outputs-TOTAL_FORMS": "1",
        "outputs-INITIAL_FORMS": "0",
    }


def test_saving_an_edited_draft_unchanged_keeps_its_rows(client, world):
    project = ready_project(world.own.plan)
    link = project.beneficiary_links.get()
    client.force_login(world.user(Role.OFFICER))
    assert client.get(reverse("projects:edit", args=[project.pk])).status_code == 200
    response = client.post(reverse("projects:edit", args=[project.pk]), _unchanged(project))
    assert response.status_code == 302
    assert project.beneficiary_links.get().beneficiary_id == link.beneficiary_id
    assert list(project.budget_lines.values_list("amount", flat=True)) == [100_000_000]
    assert project.sites.count() == 1


def test_a_draft_whose_site_is_a_commune_of_the_old_map_keeps_it_when_saved(client, world):
    """A draft written before 1/7/2025 names a commune of the old map: the edit page shows it ticked beside
    today's communes, and saving the page keeps it (it used to be dropped, being no longer offered)."""
    old = CommuneFactory(
        name="Xã Thử Cũ",
        era=AdministrativeUnit.Era.OLD,
        province=world.own.unit,
        current_province=world.own.unit,
    )
    project = ready_project(world.own.plan)
    project.sites.set([old])
    client.force_login(world.user(Role.OFFICER))
    page = client.get(reverse("projects:edit", args=[project.pk])).content.decode()
    assert re.search(rf'value="{old.pk}"[^>]*checked', page), "the old commune is not shown ticked"
    response = client.post(reverse("projects:edit", args=[project.pk]), _unchanged(project))
    assert response.status_code == 302
    assert list(project.sites.all()) == [old]


def test_a_submitted_dean_can_no_longer_be_edited(client, world):
    """Its officer is sent to its page with the reason (tests/projects/test_moved_on.py), not refused."""
    project = project_in(world.own.plan, S.SUBMITTED)
    client.force_login(world.user(Role.OFFICER))
    response = client.get(reverse("projects:edit", args=[project.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:detail", args=[project.pk])


def test_the_leader_decides_an_advance_from_the_page(client, world, advance_rules):
    project = project_in(world.own.plan, S.IN_PROGRESS)
    client.force_login(world.user(Role.CENTRE))
    response = client.post(
        reverse("projects:step", args=[project.pk, "request_advance"]),
        {"request_advance-source": source("kcdp").pk, "request_advance-amount": "30.000.000"},
    )
    assert response.status_code == 302
    advance = project.advances.get()
    client.force_login(world.user(Role.LEADER))
    page = client.get(reverse("projects:detail", args=[project.pk]))
    assert page.context["advances"][0].decide_form is not None
    response = client.post(
        reverse("projects:step", args=[project.pk, "decide_advance"]),
        {"decide_advance-advance": advance.pk, "decide_advance-decision": "approve"},
    )
    assert response.status_code == 302
    advance.refresh_from_db()
    assert advance.status == "approved"
    money = client.get(reverse("projects:detail", args=[project.pk])).context["money"]
    assert money.total.advanced == 30_000_000


def test_an_advance_over_the_rule_is_refused_with_the_reason(client, world, advance_rules):
    project = project_in(world.own.plan, S.IN_PROGRESS)
    client.force_login(world.user(Role.CENTRE))
    response = client.post(
        reverse("projects:step", args=[project.pk, "request_advance"]),
        {"request_advance-source": source("kcdp").pk, "request_advance-amount": "100.000.000"},
    )
    assert response.status_code == 400
    assert "Tạm ứng vượt mức cho phép" in response.content.decode()
    assert response.context["steps"][0]["open"] or any(s["open"] for s in response.context["steps"])
    assert not project.advances.exists()


def test_a_document_uploaded_from_the_page_is_listed_and_downloadable(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project = ready_project(world.own.plan)
    client.force_login(world.user(Role.OFFICER))
    pdf = SimpleUploadedFile("to-trinh.pdf", b"%PDF-1.4\n% to trinh\n", content_type="application/pdf")
    response = client.post(
        reverse("projects:step", args=[project.pk, "upload_document"]),
        {"upload_document-kind": "other", "upload_document-title": "Tờ trình", "upload_document-file": pdf},
    )
    assert response.status_code == 302
    document = project.documents.get()
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert reverse("projects:document", args=[document.pk]) in page
    assert client.get(reverse("projects:document", args=[document.pk])).status_code == 200
    client.force_login(world.user(Role.OFFICER, "other"))
    assert client.get(reverse("projects:document", args=[document.pk])).status_code == 404


def test_only_national_users_filter_by_province(client, world):
    mine = ready_project(world.own.plan)
    theirs = ready_project(world.other.plan)
    client.force_login(world.user(Role.OFFICER))
    assert "province" not in client.get(reverse("projects:list")).context["filter"].form.fields
    client.force_login(world.user(Role.MINISTRY))
    url = reverse("projects:list")
    assert set(client.get(url).context["object_list"]) == {mine, theirs}
    assert list(client.get(url, {"province": world.other.unit.pk}).context["object_list"]) == [theirs]


def test_the_page_names_the_months_whose_report_is_overdue(client, world):
    project = project_in(world.own.plan, S.IN_PROGRESS)  # planned from 1/3/2025, no report yet
    client.force_login(world.user(Role.CENTRE))
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Chưa nộp báo cáo tháng" in page
    assert "03/2025" in page


def test_the_list_pages_by_25_and_keeps_the_filters_in_the_page_links(client, world):
    for n in range(30):
        ProjectFactory(plan=world.own.plan, title=f"Đào tạo nghề số {n}")
    client.force_login(world.user(Role.OFFICER))
    first = client.get(reverse("projects:list"), {"q": "dao tao", "sort": "title"})
    assert len(first.context["object_list"]) == 25
    assert "q=dao+tao&amp;sort=title&amp;page=2" in first.content.decode()
    second = client.get(reverse("projects:list"), {"q": "dao tao", "sort": "title", "page": 2})
    assert len(second.context["object_list"]) == 5

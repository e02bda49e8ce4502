"""The Django admin is no side door: every registered admin page and inline either writes through the
rules the staff pages use or is read-only, so a POST that breaks a money, status or province rule changes
nothing. The walk reads `admin.site._registry`: a newly registered admin is attacked too, and one that
exposes a rule-carrying field with no record to attack fails the test by name."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import models
from django.test import RequestFactory
from django.urls import reverse

from accounts.roles import Role
from beneficiaries.models import Beneficiary
from programs.models import AnnualPlan, PlanAllocation
from projects import services
from projects.models import BudgetLine, Project
from projects.models import ProjectStatus as S
from projects.services.entry import project_save_draft
from spreadsheets.models import ImportJob
from tests.factories import AnnualPlanFactory, PlanAllocationFactory, ProjectOutputFactory, source

from .conftest import ready_project

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 6, 1)
HUGE = 5_000_000_000
# Where a province field holds a record in a province's books (moving it moves the record to other books).
PROVINCE_BOUND = {AnnualPlan, Beneficiary}


def settle(project, actor):
    """Drive a đề án from appraisal to settlement through the services, money records included."""
    kcdp = source("kcdp")
    steps = [
        ("approve", {"decision_number": "9/QĐ", "decision_date": DAY, "acknowledge_double_support": True}),
        ("contract", {"contract_number": "1/HĐ", "contract_date": DAY}),
        ("start", {}),
    ]
    for action, kwargs in steps:
        services.MOVE_SERVICES[action](actor=actor, project=project, **kwargs)
    advance = services.advance_request(actor=actor, project=project, source=kcdp, amount=270_000_000)
    services.advance_decide(actor=actor, advance=advance, approve=True)
    services.disbursement_record(
        actor=actor, project=project, source=kcdp, amount=270_000_000, paid_on=DAY, reference="UNC-1"
    )
    output = ProjectOutputFactory(project=project, planned=10)
    services.outputs_record(actor=actor, project=project, achieved={output.indicator: 10})
    services.project_accept(actor=actor, project=project, minutes_number="5/BB", minutes_date=DAY)
    services.project_close(actor=actor, project=project, closure_number="6/TL", closure_date=DAY)
    services.project_settle(
        actor=actor, project=project, amounts={kcdp: 900_000_000}, decision_number="7/QĐ", decision_date=DAY
    )
    project.refresh_from_db()
    return project


@pytest.fixture
def books(world, advance_rules):
    """A settled đề án of 900.000.000 đồng with its money records, in a plan that holds it; an import job."""
    project = ready_project(world.own.plan, amount=900_000_000, status=S.APPRAISING)
    settle(project, world.admin)
    ImportJob.objects.create(
        owner=world.admin, kind="beneficiaries", status=ImportJob.Status.PREVIEWED, original_name="a.xlsx"
    )
    return project


def _value(field) -> object:
    """A bound field's current value as a browser would POST it."""
    value = field.value()
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(getattr(v, "pk", v)) for v in value]
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(getattr(value, "pk", value))


def change_page_data(client, url) -> dict:
    """What the change page would POST unchanged: its form and every inline formset, as rendered."""
    response = client.get(url)
    assert response.status_code == 200, url
    data: dict = {}
    adminform = response.context.get("adminform")
    if adminform is not None:
        for field in adminform.form:
            if (value := _value(field)) != "":
                data[field.html_name] = value
    for inline in response.context.get("inline_admin_formsets") or []:
        formset = inline.formset
        for field in formset.management_form:
            data[field.html_name] = field.value()
        for form in formset.forms:
            for field in form:
                if (value := _value(field)) != "":
                    data[field.html_name] = value
    return data


def rule_fields(model) -> dict[str, str]:
    """The fields of `model` that carry a money, status or province rule, by kind."""
    found = {}
    money_bound = any(
        isinstance(f, models.ForeignKey) and f.related_model in (Project, AnnualPlan)
        for f in model._meta.concrete_fields
    )
    for f in model._meta.concrete_fields:
        if f.name == "status" and f.choices:
            found[f.name] = "status"
        elif type(f) is models.BigIntegerField and money_bound:  # whole đồng (not ids, not byte sizes)
            found[f.name] = "money"
        elif isinstance(f, models.ForeignKey) and f.related_model is AnnualPlan and model is Project:
            found[f.name] = "plan"
        elif f.name == "province" and model in PROVINCE_BOUND:
            found[f.name] = "province"
    return found


def attack_value(kind: str, model, instance, world) -> str:
    if kind == "status":
        choices = [c for c, _label in model._meta.get_field("status").choices]
        return next(c for c in reversed(choices) if c != instance.status)
    if kind == "money":
        # Above every cap and allocation; an allocation below what its đề án hold.
        return "1" if model is PlanAllocation else str(HUGE)
    if kind == "plan":
        return str(world.other.plan.pk)
    return str(world.other.unit.pk)


def target(model, project):
    if model is Project:
        return project
    if any(f.name == "project" for f in model._meta.concrete_fields):
        return model.objects.filter(project=project).order_by("pk").first()
    if model is AnnualPlan:
        return project.plan
    if model is Beneficiary:
        return project.beneficiary_links.first().beneficiary
    return model.objects.order_by("pk").first()


def snapshot() -> dict:
    """Every row of every model an admin page or inline shows, without the save-time stamps."""
    seen = {}
    for model, model_admin in admin.site._registry.items():
        for m in [model, *(inline.model for inline in model_admin.inlines)]:
            if m is LogEntry:
                continue
            skip = {f.attname for f in m._meta.concrete_fields if getattr(f, "auto_now", False)}
            fields = [f.attname for f in m._meta.concrete_fields if f.attname not in skip]
            seen[m._meta.label] = list(m.objects.order_by("pk").values_list(*fields))
    return seen


def test_no_admin_page_or_inline_lets_a_rule_breaking_post_change_anything(client, world, books):
    client.force_login(world.admin)
    read_only_probe = RequestFactory().get("/")
    read_only_probe.user = world.admin
    attacked, unguarded = [], []
    for model, model_admin in admin.site._registry.items():
        pages = [(model, None), *((model, inline) for inline in model_admin.inlines)]
        for parent, inline in pages:
            victim_model = inline.model if inline is not None else parent
            kinds = rule_fields(victim_model)
            if not kinds:
                continue
            obj = target(parent, books)
            if obj is None and not model_admin.has_change_permission(read_only_probe):
                continue  # a read-only admin: nothing of it can be changed, whatever the record
            if obj is None:
                unguarded.append(f"{parent._meta.label}: no record to attack {victim_model._meta.label}")
                continue
            url = reverse(f"admin:{parent._meta.app_label}_{parent._meta.model_name}_change", args=[obj.pk])
            data = change_page_data(client, url)
            rows = (
                [obj] if inline is None else list(victim_model.objects.filter(**{_fk(inline, parent): obj}))
            )
            prefixes = (
                [""] if inline is None else [f"{_prefix(client, url, inline)}-{i}-" for i in range(len(rows))]
            )
            for prefix, row in zip(prefixes, rows, strict=True):
                for name, kind in kinds.items():
                    data[f"{prefix}{name}"] = attack_value(kind, victim_model, row, world)
            before = snapshot()
            response = client.post(url, data)
            assert response.status_code in (200, 302, 403), (url, response.status_code)
            assert snapshot() == before, f"{url}: {victim_model._meta.label} changed by {sorted(kinds)}"
            attacked.append((parent._meta.label, victim_model._meta.label, tuple(sorted(kinds))))
    assert not unguarded, unguarded
    labels = {victim for _parent, victim, _kinds in attacked}
    # The walk is not vacuous: the money, status and province doors the issue names were all tried.
    assert {
        "projects.Project",
        "projects.BudgetLine",
        "projects.Advance",
        "projects.Disbursement",
        "projects.SettlementLine",
        "programs.PlanAllocation",
        "programs.AnnualPlan",
        "beneficiaries.Beneficiary",
        "spreadsheets.ImportJob",
    } <= labels, labels


def _fk(inline, parent) -> str:
    from django.forms.models import _get_foreign_key

    return _get_foreign_key(parent, inline.model, fk_name=inline.fk_name).name


def _prefix(client, url, inline) -> str:
    response = client.get(url)
    for formset in response.context.get("inline_admin_formsets") or []:
        if formset.formset.model is inline.model:
            return formset.formset.prefix
    raise AssertionError(f"{url}: inline {inline.model._meta.label} not on the page")


def test_the_walk_posts_real_changes_where_a_change_is_allowed(client, world, books):
    """Control: the same POST, with a change the rules allow, is saved (the walk's POSTs are well formed)."""
    client.force_login(world.admin)
    plan = world.own.plan
    url = reverse("admin:programs_annualplan_change", args=[plan.pk])
    data = change_page_data(client, url)
    prefix = next(k for k in data if k.endswith("-0-amount")).removesuffix("0-amount")
    data[f"{prefix}0-amount"] = "2000000000"
    assert client.post(url, data).status_code == 302
    assert PlanAllocation.objects.get(plan=plan).amount == 2_000_000_000


def test_raising_a_budget_line_of_a_settled_dean_through_the_admin_changes_nothing(client, world, books):
    client.force_login(world.admin)
    url = reverse("admin:projects_project_change", args=[books.pk])
    line = books.budget_lines.get()
    data = change_page_data(client, url)
    data.update(
        {
            "budget_lines-TOTAL_FORMS": "1",
            "budget_lines-INITIAL_FORMS": "1",
            "budget_lines-0-id": str(line.pk),
            "budget_lines-0-project": str(books.pk),
            "budget_lines-0-amount": str(HUGE),
            "budget_lines-0-expense_item": line.expense_item,
            "budget_lines-0-source": str(line.source_id),
            "budget_lines-0-content": str(line.content_id),
        }
    )
    assert client.post(url, data).status_code == 403
    assert books.budget_lines.get().amount == 900_000_000
    # The model refuses it too, whatever form would carry it: after approval only the adjustment flow.
    line.amount = HUGE
    with pytest.raises(ValidationError, match="dự toán chỉ sửa được"):
        line.full_clean()


def test_moving_a_dean_into_another_provinces_plan_changes_nothing(client, world, books):
    client.force_login(world.admin)
    draft = ready_project(world.own.plan)
    url = reverse("admin:projects_project_change", args=[draft.pk])
    data = {**change_page_data(client, url), "plan": str(world.other.plan.pk)}
    assert client.post(url, data).status_code == 403
    draft.refresh_from_db()
    assert (draft.plan, draft.province) == (world.own.plan, world.own.unit)
    # Not through the entry service either, even for an administrator of no province ...
    with pytest.raises(ValidationError, match="tỉnh khác"):
        project_save_draft(
            actor=world.admin,
            project=draft,
            data={"title": draft.title, "plan": world.other.plan},
            contents=[],
            sites=[],
            beneficiaries=[],
            budget_lines=[],
            outputs=[],
        )
    # ... nor by a save that skips validation.
    draft.plan = world.other.plan
    with pytest.raises(ValidationError, match="tỉnh khác"):
        draft.save()
    draft.refresh_from_db()
    assert draft.plan == world.own.plan
    # The other province's leader still has his whole allocation for his own đề án.
    theirs = ready_project(world.other.plan, amount=1_000_000_000, status=S.APPRAISING)
    services.project_approve(
        actor=world.user(Role.LEADER, "other"), project=theirs, decision_number="3/QĐ", decision_date=DAY
    )


def test_an_allocation_cannot_fall_below_what_approved_deans_hold(world, books):
    allocation = PlanAllocation.objects.get(plan=world.own.plan)
    allocation.amount = 899_999_999
    with pytest.raises(ValidationError, match="900.000.000"):
        allocation.full_clean()
    other = AnnualPlanFactory(province=world.other.unit, year=2026)
    PlanAllocationFactory(plan=other, source=source("kcdp"), amount=5)
    plan = world.own.plan
    plan.province = world.other.unit
    with pytest.raises(ValidationError, match="Kế hoạch đã có đề án"):
        plan.full_clean()
    assert BudgetLine.objects.filter(project=books).count() == 1

"""A money form sent twice acts once: every form on the đề án page and the entry page carries a one-time
token; the same token again writes nothing more and shows the first result. A voucher number is recorded
once per đề án, whichever form or door it comes through."""

import datetime
import re

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.roles import Role
from khuyencong.once import FIELD
from projects.models import Advance, Disbursement, Project
from projects.models import ProjectStatus as S
from projects.services import disbursement_record
from tests.factories import source

from .conftest import project_in
from .test_views import entry_data

TOKEN = "0123456789abcdef0123456789abcdef"


def paying_project(world):
    """An in-progress đề án with a granted advance of 60.000.000 đồng (of 100.000.000 approved)."""
    project = project_in(world.own.plan, S.IN_PROGRESS)
    Advance.objects.create(
        project=project,
        tranche=1,
        source=source("kcdp"),
        amount=60_000_000,
        status=Advance.Status.APPROVED,
        requested_by=world.user(Role.CENTRE),
    )
    return project


def payment(voucher="SEC-1", token=TOKEN, amount="10.000.000"):
    data = {
        "record_disbursement-source": source("kcdp").pk,
        "record_disbursement-amount": amount,
        "record_disbursement-paid_on": "02/06/2025",
        "record_disbursement-reference": voucher,
    }
    return {**data, FIELD: token} if token else data


def test_three_identical_posts_of_one_payment_record_it_once_and_show_the_first_result(client, world):
    project = paying_project(world)
    client.force_login(world.user(Role.CENTRE))
    url = reverse("projects:step", args=[project.pk, "record_disbursement"])
    responses = [client.post(url, payment()) for _ in range(3)]
    assert [r.status_code for r in responses] == [302, 302, 302]
    assert {r.url for r in responses} == {reverse("projects:detail", args=[project.pk])}
    assert Disbursement.objects.filter(project=project).count() == 1
    page = client.get(responses[-1].url).content.decode()
    assert "đã được gửi và ghi nhận trước đó" in page


def test_a_repeated_voucher_number_is_refused_with_a_clear_message(client, world):
    project = paying_project(world)
    client.force_login(world.user(Role.CENTRE))
    url = reverse("projects:step", args=[project.pk, "record_disbursement"])
    assert client.post(url, payment(token=None)).status_code == 302
    again = client.post(url, payment(voucher=" sec-1 ", token=None, amount="5.000.000"))
    assert again.status_code == 400
    assert "Số chứng từ «sec-1» đã được ghi cho lần giải ngân ngày 02/06/2025" in again.content.decode()
    assert Disbursement.objects.filter(project=project).count() == 1
    # Another voucher is another payment.
    assert client.post(url, payment(voucher="SEC-2", token=None, amount="5.000.000")).status_code == 302
    assert Disbursement.objects.filter(project=project).count() == 2


def test_the_database_refuses_a_repeated_voucher_that_skips_the_service(world):
    project = paying_project(world)
    day, centre = datetime.date(2025, 6, 2), world.user(Role.CENTRE)
    disbursement_record(
        actor=centre, project=project, source=source("kcdp"), amount=1_000_000, paid_on=day, reference="SEC-1"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Disbursement.objects.create(
            project=project,
            source=source("kcdp"),
            amount=1,
            paid_on=day,
            reference="Sec-1",
            recorded_by=centre,
        )


def test_an_advance_request_sent_twice_is_recorded_once(client, world, advance_rules):
    project = project_in(world.own.plan, S.IN_PROGRESS)
    client.force_login(world.user(Role.CENTRE))
    url = reverse("projects:step", args=[project.pk, "request_advance"])
    data = {"request_advance-source": source("kcdp").pk, "request_advance-amount": "30.000.000", FIELD: TOKEN}
    assert [client.post(url, data).status_code for _ in range(2)] == [302, 302]
    assert project.advances.count() == 1


def test_the_entry_form_sent_twice_makes_one_dean_and_shows_it(client, world):
    client.force_login(world.user(Role.OFFICER))
    data = {**entry_data(world), FIELD: TOKEN}
    first, second = (
        client.post(reverse("projects:create"), data),
        client.post(reverse("projects:create"), data),
    )
    assert (first.status_code, second.status_code) == (302, 302), second.content.decode()[-3000:]
    created = Project.objects.get(title__startswith="Đào tạo nghề đan dây nhựa")
    assert first.url == second.url == reverse("projects:detail", args=[created.pk])


def test_a_refused_form_does_not_use_up_its_token(client, world):
    project = paying_project(world)
    client.force_login(world.user(Role.CENTRE))
    url = reverse("projects:step", args=[project.pk, "record_disbursement"])
    assert client.post(url, payment(amount="90.000.000")).status_code == 400  # over the granted advance
    assert client.post(url, payment(amount="10.000.000")).status_code == 302
    assert Disbursement.objects.filter(project=project).count() == 1


def test_every_form_that_writes_on_the_dean_and_entry_pages_carries_a_token(client, world, advance_rules):
    project = paying_project(world)
    Advance.objects.create(
        project=project,
        tranche=2,
        source=source("kcdp"),
        amount=1_000_000,
        status=Advance.Status.REQUESTED,
        requested_by=world.user(Role.CENTRE),
    )
    pages = []
    for role in (Role.CENTRE, Role.LEADER, Role.OFFICER):
        client.force_login(world.user(role))
        pages.append(client.get(reverse("projects:detail", args=[project.pk])).content.decode())
    client.force_login(world.user(Role.OFFICER))
    pages.append(client.get(reverse("projects:create")).content.decode())
    forms = [f for page in pages for f in re.findall(r"<form[^>]*method=\"post\".*?</form>", page, re.S)]
    # Every POST form but the language switch and the log-out button.
    writing = [f for f in forms if "/i18n/setlang/" not in f and "/dang-xuat/" not in f and "logout" not in f]
    steps = {re.search(r"/buoc/([a-z_]+)/", f).group(1) for f in writing if "/buoc/" in f}
    assert {"record_disbursement", "request_advance", "decide_advance"} <= steps
    missing = [f[:120] for f in writing if f'name="{FIELD}"' not in f]
    assert not missing

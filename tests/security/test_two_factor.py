"""The optional second factor: offered to leadership and administrators, asked at every login once on."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role


@pytest.fixture(autouse=True)
def steady_clock(monkeypatch):
    """The authenticator's clock held in the middle of one 30-second step: on a loaded machine a test may
    otherwise cross a step or two between making a code and sending it, and fail by chance."""
    now = 1_780_000_015.0
    monkeypatch.setattr("django_otp.oath.time", lambda: now)
    monkeypatch.setattr(
        "django_otp.plugins.otp_totp.models.time", type("Clock", (), {"time": staticmethod(lambda: now)})
    )


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def turn_on(client, user) -> TOTPDevice:
    client.force_login(user)
    page = client.get(reverse("two_factor:setup"))
    assert page.status_code == 200
    assert re.search(r"<code>[A-Z2-7]{32}</code>", page.content.decode())
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("two_factor:setup"), {"token": code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


@pytest.mark.parametrize("role", [Role.LEADER, Role.ADMIN])
def test_leadership_and_administrators_may_turn_the_second_factor_on(client, world, role):
    turn_on(client, world.user(role) if role == Role.ADMIN else world.own.users[role])


@pytest.mark.parametrize("role", [Role.OFFICER, Role.APPRAISER, Role.CENTRE])
def test_other_roles_are_not_offered_a_second_factor(client, world, role):
    client.force_login(world.own.users[role])
    assert client.get(reverse("two_factor:setup")).status_code == 403


def test_without_a_device_nothing_more_is_asked(client, world):
    client.force_login(world.own.users[Role.LEADER])
    assert client.get(reverse("projects:list")).status_code == 200


def test_once_on_every_login_asks_for_the_code_before_any_page(client, world):
    leader = world.own.users[Role.LEADER]
    device = turn_on(client, leader)
    client.logout()
    client.force_login(leader)
    target = reverse("projects:detail", args=[world.own.project.pk])
    blocked = client.get(target)
    assert blocked.status_code == 302
    assert blocked["Location"].startswith(reverse("two_factor:verify"))
    assert client.get(reverse("admin:index")).status_code == 302
    wrong = client.post(reverse("two_factor:verify"), {"token": "000000", "next": target})
    assert wrong.status_code == 200
    assert "Mã xác thực không đúng" in wrong.content.decode()
    # One failure makes the next try wait a second; start from a clean throttle instead of sleeping.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    # A code is accepted once: the setup used this period's, so the app's next one is typed here.
    right = client.post(reverse("two_factor:verify"), {"token": code_for(device, offset=1), "next": target})
    assert right.status_code == 302 and right["Location"] == target
    assert client.get(target).status_code == 200


def test_the_verify_page_never_redirects_to_another_site(client, world):
    leader = world.own.users[Role.LEADER]
    device = turn_on(client, leader)
    client.logout()
    client.force_login(leader)
    response = client.post(
        reverse("two_factor:verify"), {"token": code_for(device, offset=1), "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_turning_it_off_needs_a_current_code(client, world):
    leader = world.own.users[Role.LEADER]
    device = turn_on(client, leader)
    refused = client.post(reverse("two_factor:disable"), {"token": "123"})
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(user=leader).exists()
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    device.refresh_from_db()
    assert (
        client.post(reverse("two_factor:disable"), {"token": code_for(device, offset=1)}).status_code == 302
    )
    assert not TOTPDevice.objects.filter(user=leader).exists()
    client.logout()
    client.force_login(leader)
    assert client.get(reverse("projects:list")).status_code == 200


def test_repeated_wrong_codes_are_throttled(client, world):
    leader = world.own.users[Role.LEADER]
    device = turn_on(client, leader)
    client.logout()
    client.force_login(leader)
    client.post(reverse("two_factor:verify"), {"token": "000000"})
    # Right away, even the right code waits out the throttle.
    response = client.post(reverse("two_factor:verify"), {"token": code_for(device, offset=1)})
    assert response.status_code == 200
    assert "quá nhiều lần" in response.content.decode()

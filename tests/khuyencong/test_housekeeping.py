"""Daily housekeeping: old one-time form tokens are forgotten, recent ones kept (a resent form still acts
once), and a nonsensical window is refused without deleting anything."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from khuyencong.models import FormSubmission

pytestmark = pytest.mark.django_db


def _token(user, token, age_days):
    row = FormSubmission.objects.create(token=token, user=user)
    FormSubmission.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(days=age_days))


def test_tokens_older_than_the_window_are_removed_and_recent_ones_kept():
    user = get_user_model().objects.create_user("nguoi.gui", password="x")
    _token(user, "a" * 32, 45)
    _token(user, "b" * 32, 31)
    _token(user, "c" * 32, 2)
    call_command("purge_form_tokens")
    assert list(FormSubmission.objects.values_list("token", flat=True)) == ["c" * 32]
    call_command("purge_form_tokens", days=1)
    assert not FormSubmission.objects.exists()


def test_a_window_under_one_day_is_refused_and_nothing_is_deleted():
    user = get_user_model().objects.create_user("nguoi.gui", password="x")
    _token(user, "d" * 32, 0)
    with pytest.raises(CommandError):
        call_command("purge_form_tokens", days=0)
    assert FormSubmission.objects.count() == 1

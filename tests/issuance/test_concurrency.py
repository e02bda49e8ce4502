"""Two leaders issue at the same moment: the counter row's lock gives them consecutive numbers, never the same
one and never a gap; a double click sent twice at once issues once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from issuance import services
from issuance.models import IssuedReport, RegisterCounter

from .conftest import YEAR, token

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("cần PostgreSQL (SQLite không khóa theo dòng)")


def _race(world, tokens: list[str]) -> list:
    start = threading.Barrier(len(tokens))
    outcomes: list = []

    def issue(request: str, period: str) -> None:
        try:
            start.wait(timeout=30)
            issued = services.report_issue(
                actor=world.leader,
                kind="annual",
                params={"province": world.province.code, "period": period},
                request_token=request,
            )
            outcomes.append(issued.number)
        except Exception as error:  # noqa: BLE001 (the test reports whatever went wrong)
            outcomes.append(error)
        finally:
            connections.close_all()

    periods = [f"{YEAR}-q{i + 1}" for i in range(len(tokens))]
    threads = [threading.Thread(target=issue, args=(t, p)) for t, p in zip(tokens, periods, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_two_leaders_issuing_at_once_get_consecutive_numbers(world):
    outcomes = _race(world, [token(), token()])
    assert sorted(outcomes) == [1, 2], outcomes
    assert sorted(IssuedReport.objects.values_list("number", flat=True)) == [1, 2]
    assert RegisterCounter.objects.get().last_number == 2


def test_the_same_click_sent_twice_at_once_issues_once(world):
    same = token()
    outcomes = _race(world, [same, same])
    assert outcomes == [1, 1], outcomes
    assert IssuedReport.objects.count() == 1

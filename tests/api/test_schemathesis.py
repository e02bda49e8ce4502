"""Schemathesis, a client we did not write, against the live schema of a running server: every operation,
with generated valid and invalid inputs, for a province's read-write key. Checks: no 5xx, status codes,
content types and bodies as the schema says, invalid bodies refused, and nothing of another province in any
answer. The number of generated cases is written to artifacts/schemathesis/cases.json."""

import json
from pathlib import Path

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, seed, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from .conftest import build_api_world

# Examples per operation and generation mode: enough to reach every operation with valid and invalid
# inputs while the run stays within a minute or two on a CI machine; the seed makes runs repeatable.
MAX_EXAMPLES = 8
COUNTS: dict[str, int] = {}
OUTPUT = Path("artifacts/schemathesis/cases.json")


@pytest.fixture
def api_world_live(transactional_db, settings):
    settings.API_RATES = {"api_token": "100000/min", "api_anon": "100000/min"}
    return build_api_world()


@pytest.fixture
def live_api_schema(live_server, api_world_live):
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/")
    schema.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=MAX_EXAMPLES
    )
    return schema


@pytest.fixture(scope="module", autouse=True)
def _report_count():
    yield
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    total = sum(COUNTS.values())
    OUTPUT.write_text(json.dumps({"total": total, "by_operation": COUNTS}, indent=1, ensure_ascii=False))
    print(f"\nSchemathesis: {total} generated cases over {len(COUNTS)} operations")


schema = schemathesis.pytest.from_fixture("live_api_schema")


def _provinces_in(value, found: set) -> set:
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "province" and isinstance(inner, str):
                found.add(inner)
            else:
                _provinces_in(inner, found)
    elif isinstance(value, list):
        for inner in value:
            _provinces_in(inner, found)
    return found


def stays_in_scope(ctx, response, case):
    """Nothing of another province comes back to a province's key, whatever was asked."""
    if response.status_code < 300 and "json" in response.headers.get("content-type", [""])[0]:
        provinces = _provinces_in(json.loads(response.content or b"null"), set())
        assert provinces <= {"T92"}, f"answer holds another province: {sorted(provinces)}"


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
    stays_in_scope,
]


def real_records(world) -> dict[str, tuple[str, object, object]]:
    """For each operation on one record: its path parameter, a record of the key's province and one of
    the other province. Generated ids and codes almost never exist, so each generated case is also sent
    to these two records, with the same generated query and body."""
    own, other = world.own, world.other
    return {
        "/api/v1/beneficiaries/{id}/": ("id", own.beneficiary.pk, other.beneficiary.pk),
        "/api/v1/plans/{id}/": ("id", own.plan.pk, other.plan.pk),
        "/api/v1/programmes/{code}/": ("code", own.plan.programme.code, other.plan.programme.code),
        "/api/v1/projects/{code}/": ("code", own.draft.code, other.draft.code),
        "/api/v1/projects/{code}/outputs/": ("code", own.running.code, other.running.code),
    }


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck), derandomize=False)
@seed(20261207)
def test_api_against_its_schema(case, api_world_live):
    headers = {"Authorization": f"Bearer {api_world_live.keys['own_write']}"}
    label = case.operation.label
    COUNTS[label] = COUNTS.get(label, 0) + 1
    case.validate_response(case.call(headers=headers), checks=CHECKS)
    record = real_records(api_world_live).get(case.operation.path)
    if record is None or not isinstance(case.path_parameters, dict):
        return
    name, own, other = record
    for value, theirs in ((own, False), (other, True)):
        case.path_parameters = {**case.path_parameters, name: value}
        # Sent with the key itself, whatever authorization the generated case carried.
        kwargs = case.as_transport_kwargs()
        kwargs["headers"] = {
            **{k: v for k, v in (kwargs.get("headers") or {}).items() if k.lower() != "authorization"},
            **headers,
        }
        response = requests.request(**kwargs)
        # A case that was invalid only by its authorization is valid now: the other checks still apply.
        case.validate_response(response, checks=[c for c in CHECKS if c is not negative_data_rejection])
        if theirs and case.method.upper() == case.operation.method.upper():
            assert response.status_code == 404, (label, response.status_code, response.content[:300])

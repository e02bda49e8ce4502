"""The REST API: scope of a key, problem details, writes through the services, audit, limits, schema."""

import json

import pytest
from auditlog.models import LogEntry
from django.core.cache import cache
from drf_spectacular.validation import validate_schema

from api.models import ApiToken, ApiWrite
from api.services import api_token_revoke
from projects.models import Project, ProjectStatus

from .conftest import api_client

S = ProjectStatus
PROBLEM = "application/problem+json"


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status and body["type"] == "about:blank"
    assert body["title"].isascii() and body["detail"]
    return body


def draft_body(world, **extra) -> dict:
    return {
        "plan": world.own.plan.pk,
        "title": "Đào tạo nghề đan lục bình (qua API)",
        "contents": [1],
        "budget_lines": [
            {"source": "kcdp", "content": 1, "expense_item": "Chi tổ chức lớp", "amount": 120_000_000}
        ],
        "beneficiaries": [{"beneficiary": world.own.beneficiary.pk, "support_amount": 50_000_000}],
        "outputs": [{"indicator": "trainees", "planned": 25}],
        **extra,
    }


def post(client, url: str, body) -> object:
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(url, data=data, content_type="application/json")


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    cache.clear()


def test_key_reads_its_province_and_gets_the_same_404_for_another_province_and_for_nothing(api_world):
    client = api_client(api_world.keys["own_read"])
    own = client.get(f"/api/v1/projects/{api_world.own.running.code}/")
    assert own.status_code == 200
    body = own.json()
    assert body["province"] == "T92"
    assert body["budget_lines"][0]["amount"] == 100_000_000 and body["outputs"][0]["indicator"] == "trainees"
    assert "status_history" in body
    other = client.get(f"/api/v1/projects/{api_world.other.running.code}/")
    absent = client.get("/api/v1/projects/khong-ton-tai/")
    assert _problem(other, 404) == _problem(absent, 404)
    codes = {p["code"] for p in client.get("/api/v1/projects/").json()["results"]}
    assert codes == {api_world.own.draft.code, api_world.own.running.code}
    for url in (
        f"/api/v1/beneficiaries/{api_world.other.beneficiary.pk}/",
        f"/api/v1/plans/{api_world.other.plan.pk}/",
    ):
        _problem(client.get(url), 404)
    _problem(client.get("/api/v1/reports/annual/", {"province": "T31", "year": 2025}), 404)
    assert (
        client.get("/api/v1/reports/annual/", {"province": "T92", "year": 2025}).json()["project_count"] == 2
    )


def test_national_key_reads_every_province_and_writes_nothing(api_world):
    client = api_client(api_world.keys["national"])
    provinces = {p["province"] for p in client.get("/api/v1/projects/").json()["results"]}
    assert provinces == {"T92", "T31"}
    before = Project.objects.count()
    body = _problem(post(client, "/api/v1/projects/", draft_body(api_world)), 403)
    assert "chỉ được đọc" in body["detail"]
    assert Project.objects.count() == before


def test_read_only_province_key_cannot_write(api_world):
    client = api_client(api_world.keys["own_read"])
    _problem(post(client, "/api/v1/projects/", draft_body(api_world)), 403)
    assert not ApiWrite.objects.exists()


def test_write_creates_a_draft_through_the_service_audited_with_the_system(api_world):
    client = api_client(api_world.keys["own_write"])
    response = post(client, "/api/v1/projects/", draft_body(api_world))
    assert response.status_code == 201, response.content
    body = response.json()
    project = Project.objects.get(code=body["code"])
    assert project.status == S.DRAFT and project.province == api_world.own.province
    assert project.created_by == api_world.tokens["own_write"].user
    assert project.budget_lines.get().amount == 120_000_000
    write = ApiWrite.objects.get()
    assert (
        write.system_name == "Hệ thống own_write"
        and write.object_ref == project.code
        and write.status_code == 201
    )
    entry = LogEntry.objects.get_for_object(project).first()
    assert entry is not None and entry.actor == api_world.tokens["own_write"].user
    assert entry.actor.first_name == "Hệ thống own_write"


def test_update_of_a_draft_and_refusal_once_it_is_running(api_world):
    client = api_client(api_world.keys["own_write"])
    response = client.put(
        f"/api/v1/projects/{api_world.own.draft.code}/",
        data=json.dumps(draft_body(api_world, title="Tên mới của đề án")),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert Project.objects.get(pk=api_world.own.draft.pk).title == "Tên mới của đề án"
    running = client.put(
        f"/api/v1/projects/{api_world.own.running.code}/",
        data=json.dumps(draft_body(api_world, title="Không được sửa")),
        content_type="application/json",
    )
    _problem(running, 403)
    assert Project.objects.get(pk=api_world.own.running.pk).title != "Không được sửa"


def test_outputs_recorded_for_a_running_project_and_404_for_another_province(api_world):
    client = api_client(api_world.keys["own_write"])
    url = f"/api/v1/projects/{api_world.own.running.code}/outputs/"
    response = post(client, url, {"outputs": [{"indicator": "trainees", "achieved": 27}]})
    assert response.status_code == 200, response.content
    assert api_world.own.running.outputs.get().achieved == 27
    other = post(
        client,
        f"/api/v1/projects/{api_world.other.running.code}/outputs/",
        {"outputs": [{"indicator": "trainees", "achieved": 1}]},
    )
    _problem(other, 404)
    assert api_world.other.running.outputs.get().achieved is None


def test_a_key_of_one_province_cannot_put_a_draft_in_another_provinces_plan(api_world):
    client = api_client(api_world.keys["other_write"])
    before = Project.objects.count()
    body = _problem(post(client, "/api/v1/projects/", draft_body(api_world)), 400)
    assert "plan" in body["errors"]
    assert Project.objects.count() == before


@pytest.mark.parametrize(
    "body, field",
    [
        ('{"title": "thiếu ngoặc"', None),
        ("[1, 2, 3]", "non_field_errors"),
        ({"plan": "một", "title": "x", "contents": [1]}, "plan"),
        ({"plan": 1, "title": 42, "contents": [1]}, "title"),
        ({"plan": 1, "title": "x", "contents": [1], "mau_sac": "đỏ"}, "mau_sac"),
        (
            {
                "plan": 1,
                "title": "x",
                "contents": [1],
                "budget_lines": [{"source": "kcdp", "expense_item": "a", "amount": "100"}],
            },
            "budget_lines",
        ),
        (
            {
                "plan": 1,
                "title": "x",
                "contents": [1],
                "budget_lines": [{"source": "kcdp", "expense_item": "a", "amount": -5}],
            },
            "budget_lines",
        ),
        ({"plan": 1, "title": "x", "contents": [1], "start_date": "31/12/2025"}, "start_date"),
    ],
)
def test_bad_bodies_get_vietnamese_problem_details_and_nothing_is_written(api_world, body, field):
    client = api_client(api_world.keys["own_write"])
    before = (Project.objects.count(), ApiWrite.objects.count())
    if isinstance(body, dict) and body.get("plan") == 1:
        body["plan"] = api_world.own.plan.pk
    problem = _problem(post(client, "/api/v1/projects/", body), 400)
    assert "không có gì được ghi" in problem["detail"]
    if field:
        assert field in problem["errors"]
    assert (Project.objects.count(), ApiWrite.objects.count()) == before


def test_huge_page_size_is_refused_and_cursor_pages_walk_the_list(api_world):
    client = api_client(api_world.keys["national"])
    _problem(client.get("/api/v1/projects/", {"page_size": 10**9}), 400)
    first = client.get("/api/v1/projects/", {"page_size": 1}).json()
    assert len(first["results"]) == 1 and "cursor=" in first["next"]
    seen = [first["results"][0]["code"]]
    url = first["next"]
    while url:
        page = client.get(url).json()
        seen += [p["code"] for p in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == 4


def test_missing_unknown_and_revoked_keys_answer_401(api_world):
    _problem(api_client(None).get("/api/v1/projects/"), 401)
    _problem(api_client("kc_khong-phai-khoa").get("/api/v1/projects/"), 401)
    token = api_world.tokens["own_read"]
    api_token_revoke(actor=api_world.admin, token=token)
    _problem(api_client(api_world.keys["own_read"]).get("/api/v1/projects/"), 401)


def test_keys_are_kept_only_as_hashes(api_world):
    raw = api_world.keys["own_write"]
    token = ApiToken.objects.get(pk=api_world.tokens["own_write"].pk)
    assert raw not in token.key_hash and len(token.key_hash) == 64
    assert not token.user.has_usable_password()


def test_rate_limit_answers_429_with_retry_after(api_world, settings):
    settings.API_RATES = {"api_token": "3/min", "api_anon": "3/min"}
    client = api_client(api_world.keys["own_read"])
    statuses = [client.get("/api/v1/places/").status_code for _ in range(4)]
    assert statuses[:3] == [200, 200, 200]
    response = client.get("/api/v1/places/")
    _problem(response, 429)
    assert int(response["Retry-After"]) > 0


def test_unknown_address_under_the_api_answers_problem_404(api_world):
    _problem(api_client(api_world.keys["own_read"]).get("/api/v1/khong-co/"), 404)


def test_schema_is_valid_openapi_3_and_docs_are_served_locally(api_world):
    response = api_client(None).get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)
    paths = set(schema["paths"])
    assert {
        "/api/v1/projects/",
        "/api/v1/projects/{code}/",
        "/api/v1/projects/{code}/outputs/",
        "/api/v1/places/",
        "/api/v1/programmes/",
        "/api/v1/plans/",
        "/api/v1/beneficiaries/",
        "/api/v1/reports/annual/",
    } <= paths
    docs = api_client(None).get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/" in docs and "cdn" not in docs.lower()


def test_outputs_answer_is_the_list_the_schema_declares(api_world):
    schema = json.loads(
        api_client(None).get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").content
    )
    declared = schema["paths"]["/api/v1/projects/{code}/outputs/"]["post"]["responses"]["200"]["content"]
    assert declared["application/json"]["schema"]["type"] == "array"
    client = api_client(api_world.keys["own_write"])
    response = post(
        client,
        f"/api/v1/projects/{api_world.own.running.code}/outputs/",
        {"outputs": [{"indicator": "trainees", "achieved": 3}]},
    )
    assert response.json() == [{"indicator": "trainees", "planned": 30, "achieved": 3}]

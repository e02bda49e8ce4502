"""Two provinces (own and other) with plans, đề án in several statuses, beneficiaries and a programme; keys for
the own province (read, read-write), the other province (read-write) and the nation (read)."""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from accounts.roles import GROUP_NAMES, Role
from api.services import api_token_issue
from projects.models import ProjectStatus
from tests.factories import (
    AgencyFactory,
    AnnualPlanFactory,
    BeneficiaryFactory,
    BudgetLineFactory,
    CommuneFactory,
    PlanAllocationFactory,
    ProgrammeFactory,
    ProjectBeneficiaryFactory,
    ProjectFactory,
    ProjectOutputFactory,
    ProvinceFactory,
    UserFactory,
    content,
    indicator,
    source,
)

S = ProjectStatus


@dataclass
class Side:
    province: object
    agency: object
    plan: object
    draft: object
    running: object
    beneficiary: object


@dataclass
class ApiWorld:
    own: Side
    other: Side
    admin: object
    keys: dict  # "own_read", "own_write", "other_write", "national" -> raw key
    tokens: dict


def _side(name: str, code: str) -> Side:
    province = ProvinceFactory(code=code, name=name, full_name=f"Thành phố {name}")
    agency = AgencyFactory(province=province, name=f"Sở Công Thương {name} (thử)")
    programme = ProgrammeFactory(province=province)
    plan = AnnualPlanFactory(province=province, year=2025, programme=programme)
    PlanAllocationFactory(plan=plan, source=source("kcdp"), amount=5_000_000_000)
    beneficiary = BeneficiaryFactory(province=province)
    draft = ProjectFactory(plan=plan, status=S.DRAFT, title=f"Đề án dự thảo {name}")
    running = ProjectFactory(plan=plan, status=S.IN_PROGRESS, title=f"Đề án đang thực hiện {name}")
    running.sites.set([CommuneFactory(province=province)])
    for project in (draft, running):
        BudgetLineFactory(project=project, source=source("kcdp"), content=content(1), amount=100_000_000)
        ProjectBeneficiaryFactory(project=project, beneficiary=beneficiary)
    ProjectOutputFactory(project=running, indicator=indicator("trainees"), planned=30)
    return Side(province, agency, plan, draft, running, beneficiary)


def build_api_world() -> ApiWorld:
    for role in Role:
        Group.objects.get_or_create(name=GROUP_NAMES[role])
    admin = UserFactory(username="quantri-api", is_superuser=True, is_staff=True)
    own = _side("Cần Thơ thử", "T92")
    other = _side("Hải Phòng thử", "T31")
    keys, tokens = {}, {}
    for name, agency, access in [
        ("own_read", own.agency, "read"),
        ("own_write", own.agency, "read_write"),
        ("other_write", other.agency, "read_write"),
        ("national", None, "read"),
    ]:
        tokens[name], keys[name] = api_token_issue(
            actor=admin, system_name=f"Hệ thống {name}", agency=agency, access=access
        )
    return ApiWorld(own, other, admin, keys, tokens)


@pytest.fixture
def api_world(db) -> ApiWorld:
    return build_api_world()


def api_client(key: str | None) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}") if key else Client()


@pytest.fixture(scope="session")
def _live_server_media_url():
    """The live server wraps the site in a media-file handler that cannot take MEDIA_URL = None (documents
    are served only through the permission-checked view): give it a prefix no page ever links to."""
    from django.conf import settings

    original = settings.MEDIA_URL
    settings.MEDIA_URL = "/__tai-lieu-khong-phuc-vu-truc-tiep__/"
    yield
    settings.MEDIA_URL = original


@pytest.fixture(scope="session")
def live_server(_live_server_media_url, live_server):
    return live_server

"""Needs are registered against the real map (old and new names) and the reference catalogues."""

from dataclasses import dataclass

import pytest
from django.core.cache import cache

from accounts.roles import Role
from places.models import AdministrativeUnit
from tests.factories import AgencyFactory, AnnualPlanFactory, PlanAllocationFactory, source
from tests.projects.conftest import make_user


@dataclass
class NeedsWorld:
    cantho: AdministrativeUnit
    haiphong: AdministrativeUnit
    plan: object
    officer: object
    centre: object
    leader: object
    other_officer: object
    ministry: object


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def needs_world(loaded_places, reference_data) -> NeedsWorld:
    province = AdministrativeUnit.objects.current().provinces()
    cantho, haiphong = province.get(code="92"), province.get(code="31")
    plan = AnnualPlanFactory(
        province=cantho, year=2027, kind="kcdp", name="Kế hoạch khuyến công địa phương 2027"
    )
    PlanAllocationFactory(plan=plan, source=source("kcdp"), amount=2_000_000_000)
    so_ct = AgencyFactory(province=cantho, name="Sở Công Thương Cần Thơ (thử)")
    so_hp = AgencyFactory(province=haiphong, name="Sở Công Thương Hải Phòng (thử)")
    cuc = AgencyFactory(province=None, name="Cục (thử)")
    return NeedsWorld(
        cantho=cantho,
        haiphong=haiphong,
        plan=plan,
        officer=make_user(Role.OFFICER, so_ct, "canbo.ct"),
        centre=make_user(Role.CENTRE, so_ct, "trungtam.ct"),
        leader=make_user(Role.LEADER, so_ct, "lanhdao.ct"),
        other_officer=make_user(Role.OFFICER, so_hp, "canbo.hp"),
        ministry=make_user(Role.MINISTRY, cuc, "bo.ct"),
    )


def need_post(world: NeedsWorld, **overrides) -> dict:
    """What a household in the former xã Trường Thắng (today's xã Thới Lai, Cần Thơ) types on the page."""
    from beneficiaries.models import BeneficiaryKind
    from needs.protection import form_token
    from programs.models import ActivityContent

    data = {
        "name": "Hộ kinh doanh Nguyễn Thị Hoa",
        "kind": BeneficiaryKind.objects.get(code="ho-kinh-doanh").pk,
        "tax_code": "",
        "province": world.cantho.pk,
        "commune": "xã Trường Thắng, huyện Thới Lai",
        "address": "Ấp Thới Hòa",
        "content": ActivityContent.objects.get(number=2).pk,
        "description": "Máy sấy nông sản công suất 500 kg/mẻ",
        "estimated_cost": "320.000.000",
        "representative": "Nguyễn Thị Hoa",
        "phone": "0912 345 678",
        "email": "",
        "consent": "on",
        "website": "",
        "token": form_token(),
    }
    data.update(overrides)
    return data

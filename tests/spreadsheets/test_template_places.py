"""Every commune value the template's drop-down offers imports as that commune; accents, dates and the
message for a truly ambiguous name."""

import datetime
import os

import pytest

from places.models import AdministrativeUnit
from spreadsheets.resources.beneficiaries import BeneficiaryResource
from spreadsheets.resources.places import exact_key
from spreadsheets.template_files import place_options

pytestmark = pytest.mark.django_db


def resolver():
    resource = BeneficiaryResource()
    resource._place_cache = {}
    return resource


def template_communes(province) -> list[tuple[str, AdministrativeUnit]]:
    units = AdministrativeUnit.objects.current().communes().filter(province=province).order_by("name")
    options = place_options(province)
    assert len(options) == units.count() > 20
    return list(zip(options, units, strict=True))


def refused_template_values(provinces) -> list[tuple[str, str]]:
    resource = resolver()
    refused = []
    for province in provinces:
        for option, unit in template_communes(province):
            found = resource.resolve_unit(option, hint=province)
            if not isinstance(found, AdministrativeUnit) or found.pk != unit.pk:
                refused.append((option, str(found)))
    return refused


def test_every_commune_of_the_template_of_can_tho_and_hai_phong_resolves_to_itself(can_tho, hai_phong):
    assert refused_template_values([can_tho, hai_phong]) == []


@pytest.mark.skipif(not os.environ.get("SLOW_TESTS"), reason="every province: set SLOW_TESTS=1 (≈ 1 min)")
def test_every_commune_of_every_province_template_resolves_to_itself(loaded_places):
    provinces = list(AdministrativeUnit.objects.current().provinces().order_by("code"))
    assert len(provinces) == 34
    assert refused_template_values(provinces) == []


def test_template_values_resolve_even_without_the_hint_and_in_another_spelling(can_tho):
    resource = resolver()
    unit = AdministrativeUnit.objects.current().communes().get(province=can_tho, name="Thuận Hòa")
    for text in ("Xã Thuận Hòa, Thành phố Cần Thơ", "xã  thuận hoà, thành phố cần thơ"):
        assert resource.resolve_unit(text) == unit


def test_the_accented_name_written_wins_over_a_name_that_only_folds_the_same(loaded_places):
    pairs = {}
    for unit in AdministrativeUnit.objects.current().communes().filter(name__in=["Cẩm Giang", "Cẩm Giàng"]):
        pairs[unit.name] = unit
    assert set(pairs) == {"Cẩm Giang", "Cẩm Giàng"}
    assert pairs["Cẩm Giang"].province_id == pairs["Cẩm Giàng"].province_id
    province = pairs["Cẩm Giang"].province
    resource = resolver()
    for name, unit in pairs.items():
        assert resource.resolve_unit(f"xã {name}", hint=province) == unit
        assert resource.resolve_unit(f"Xã {name}, {province.full_name}") == unit


def test_todays_unit_wins_for_a_record_dated_after_the_reform_and_the_old_one_before(can_tho):
    # A name borne by a commune of today's map and by an old commune that is now in the same province.
    old_names = set(
        AdministrativeUnit.objects.historic()
        .communes()
        .filter(current_province=can_tho)
        .values_list("name", flat=True)
    )
    new = AdministrativeUnit.objects.current().communes().filter(province=can_tho, name__in=old_names).first()
    assert new is not None
    resource = resolver()
    after = resource.resolve_unit(f"xã {new.name}", hint=can_tho, on=datetime.date(2026, 3, 1))
    assert after == new
    before = resource.resolve_unit(f"xã {new.name}", hint=can_tho, on=datetime.date(2024, 3, 1))
    assert isinstance(before, str) or before.era == AdministrativeUnit.Era.OLD


def test_an_ambiguous_name_lists_each_candidate_with_its_district_and_province(loaded_places):
    message = resolver().resolve_unit("xã Tân Phú", on=datetime.date(2024, 1, 1))
    assert isinstance(message, str)
    assert "trùng tên nhiều đơn vị" in message
    assert "Huyện" in message and "Tỉnh" in message and "bản đồ trước 1/7/2025" in message


def test_exact_key_ignores_case_spacing_and_old_tone_placement():
    assert exact_key("Xã  Thuận Hoà") == exact_key("xã thuận hòa")
    assert exact_key("Cẩm Giang") != exact_key("Cẩm Giàng")
    assert exact_key("Thuỷ") == exact_key("thủy")

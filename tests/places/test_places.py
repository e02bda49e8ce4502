"""Administrative units: loading both maps from the packages, rolling old units up, resolving free text."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from places.models import AdministrativeUnit
from places.resolve import resolve_place, resolve_place_candidates
from places.services import administrative_units_load

Unit = AdministrativeUnit


@pytest.fixture
def places(loaded_places, db):
    """The real map, loaded once per session by `loaded_places` (tests/conftest.py)."""


def _old(level, code):
    return Unit.objects.historic().get(level=level, code=code)


def _new_province(code):
    return Unit.objects.current().provinces().get(code=code)


def _old_district(name, province_code="92"):
    return Unit.objects.historic().districts().get(name=name, province__code=province_code)


# Loading


def test_new_map_has_34_provinces(places):
    assert Unit.objects.current().provinces().count() == 34


def test_new_map_has_about_3300_communes(places):
    assert 3200 <= Unit.objects.current().communes().count() <= 3400


def test_old_map_has_63_provinces_with_districts_and_communes(places):
    assert Unit.objects.historic().provinces().count() == 63
    assert 650 <= Unit.objects.historic().districts().count() <= 720
    assert 9900 <= Unit.objects.historic().communes().count() <= 10700


def test_every_unit_knows_its_province_and_todays_province(places):
    assert not Unit.objects.filter(province__isnull=True).exists()
    assert not Unit.objects.filter(current_province__isnull=True).exists()
    assert not Unit.objects.filter(current_province__era=Unit.Era.OLD).exists()


def test_validity_dates_split_at_the_reform(places):
    assert not Unit.objects.historic().exclude(valid_to=datetime.date(2025, 6, 30)).exists()
    assert not Unit.objects.current().exclude(valid_from=datetime.date(2025, 7, 1)).exists()
    assert Unit.objects.as_of(datetime.date(2018, 5, 1)).count() == Unit.objects.historic().count()
    assert Unit.objects.as_of(datetime.date(2025, 7, 1)).count() == Unit.objects.current().count()


def test_loading_twice_changes_nothing(places):
    before = (Unit.objects.count(), Unit.successors.through.objects.count())

    summary = administrative_units_load()

    assert (Unit.objects.count(), Unit.successors.through.objects.count()) == before
    assert summary.created == summary.updated == summary.links_created == summary.links_removed == 0


def test_loading_updates_changed_units_in_place(places):
    district = _old_district("Phong Điền")
    Unit.objects.filter(pk=district.pk).update(name="Sai tên", current_province=None)
    Unit.successors.through.objects.filter(from_administrativeunit=district).delete()

    summary = administrative_units_load()

    district.refresh_from_db()
    assert (district.name, district.current_province.code) == ("Phong Điền", "92")
    assert district.successors.count() > 0
    assert summary.created == 0 and summary.updated == 1


def test_command_prints_a_vietnamese_summary(places, capsys):
    call_command("load_places")

    out = capsys.readouterr().out
    assert "bản đồ mới 34 tỉnh/thành" in out
    assert "bản đồ cũ 63 tỉnh/thành" in out
    assert "Thêm mới 0" in out


# Rolling old units up into today's map


@pytest.mark.parametrize(
    ("old_code", "new_code"),
    [("92", "92"), ("93", "92"), ("94", "92"), ("30", "31"), ("31", "31"), ("34", "33"), ("01", "01")],
)
def test_old_province_rolls_up_into_todays_province(places, old_code, new_code):
    old = _old(Unit.Level.PROVINCE, old_code)

    assert old.today_province() == _new_province(new_code)
    assert list(old.successors.values_list("code", flat=True)) == [new_code]


def test_new_can_tho_absorbed_three_provinces(places):
    predecessors = _new_province("92").predecessors.values_list("full_name", flat=True)

    assert set(predecessors) == {"Thành phố Cần Thơ", "Tỉnh Sóc Trăng", "Tỉnh Hậu Giang"}


def test_ha_noi_keeps_its_code_and_name(places):
    assert _new_province("01").full_name == "Thành phố Hà Nội"
    assert _old(Unit.Level.PROVINCE, "01").today_province().code == "01"


@pytest.mark.parametrize("name", ["Phong Điền", "Cờ Đỏ", "Thới Lai", "Vĩnh Thạnh"])
def test_old_can_tho_districts_roll_up_into_new_can_tho(places, name):
    district = _old_district(name)

    assert district.kind == Unit.Kind.HUYEN
    assert district.valid_to == datetime.date(2025, 6, 30)
    assert district.today_province().code == "92"
    assert district.successors.exists()
    assert set(district.successors.values_list("province__code", flat=True)) == {"92"}


@pytest.mark.parametrize(
    ("full_name", "district"),
    [
        ("Xã Mỹ Khánh", "Phong Điền"),
        ("Xã Tân Thới", "Phong Điền"),
        ("Thị trấn Phong Điền", "Phong Điền"),
        ("Thị trấn Cờ Đỏ", "Cờ Đỏ"),
        ("Xã Trường Thắng", "Thới Lai"),
    ],
)
def test_seed_communes_exist_in_old_can_tho(places, full_name, district):
    commune = Unit.objects.historic().communes().get(full_name=full_name, parent=_old_district(district))

    assert commune.province.code == "92"
    assert commune.today_province().code == "92"
    assert commune.successors.filter(era=Unit.Era.NEW, level=Unit.Level.COMMUNE).exists()


def test_new_unit_rolls_up_into_its_own_province(places):
    hai_phong = _new_province("31")
    commune = hai_phong.province_units.communes().first()

    assert hai_phong.today_province() == hai_phong
    assert commune.today_province() == hai_phong


def test_str_marks_old_units(places):
    assert str(_old(Unit.Level.PROVINCE, "34")) == "Tỉnh Thái Bình (trước 7/2025)"
    assert str(_new_province("33")) == "Tỉnh Hưng Yên"


def test_search_ignores_accents(places):
    found = set(Unit.objects.historic().districts().search("phong dien").values_list("code", flat=True))

    assert _old_district("Phong Điền").code in found
    assert Unit.objects.search("PHONG ĐIỀN").count() == Unit.objects.search("phong dien").count()


# Resolving free text


def test_resolves_old_district_with_city_prefix(places):
    unit = resolve_place("huyện Phong Điền, TP Cần Thơ")

    assert unit == _old_district("Phong Điền")
    assert unit.today_province().code == "92"


def test_resolves_commune_narrowed_by_district_and_province(places):
    unit = resolve_place("xã Trường Thắng, huyện Thới Lai, Cần Thơ")

    assert (unit.full_name, unit.parent.name, unit.era) == ("Xã Trường Thắng", "Thới Lai", Unit.Era.OLD)


def test_commune_name_shared_by_two_provinces_is_ambiguous_without_a_hint(places):
    assert resolve_place("Xã Mỹ Khánh") is None
    provinces = {unit.province.code for unit in resolve_place_candidates("Xã Mỹ Khánh")}
    assert provinces == {"89", "92"}  # An Giang and Cần Thơ


@pytest.mark.parametrize("hint_era", [Unit.Era.OLD, Unit.Era.NEW])
def test_province_hint_settles_an_ambiguous_commune(places, hint_era):
    hint = Unit.objects.filter(era=hint_era).provinces().get(code="92")

    unit = resolve_place("Xã Mỹ Khánh", province_hint=hint)

    assert (unit.full_name, unit.parent.name) == ("Xã Mỹ Khánh", "Phong Điền")


def test_bare_name_prefers_the_district_over_its_seat_town(places):
    assert resolve_place("Thới Lai") == _old_district("Thới Lai")
    assert resolve_place("thị trấn Thới Lai").kind == Unit.Kind.THI_TRAN


def test_name_that_survived_the_reform_means_todays_unit(places):
    assert resolve_place("TP. Hải Phòng") == _new_province("31")
    assert resolve_place("Hà Nội") == _new_province("01")


def test_date_selects_the_map_in_force(places):
    assert resolve_place("TP. Hải Phòng", on=datetime.date(2020, 1, 1)) == _old(Unit.Level.PROVINCE, "31")
    assert resolve_place("huyện Phong Điền, Cần Thơ", on=datetime.date(2026, 1, 1)) is None


def test_resolves_merged_province(places):
    unit = resolve_place("tỉnh Thái Bình")

    assert unit == _old(Unit.Level.PROVINCE, "34")
    assert unit.today_province().code == "33"


@pytest.mark.parametrize(
    ("text", "full_name", "district"),
    [
        ("thị trấn Phong Điền (huyện Phong Điền)", "Thị trấn Phong Điền", "Phong Điền"),
        ("TT Cờ Đỏ, H. Cờ Đỏ, TP. Cần Thơ", "Thị trấn Cờ Đỏ", "Cờ Đỏ"),
        ("xa tan thoi, huyen phong dien, can tho", "Xã Tân Thới", "Phong Điền"),
        ("Xã Mỹ Khánh huyện Phong Điền", "Xã Mỹ Khánh", "Phong Điền"),
        ("Ấp Mỹ Ái, xã Mỹ Khánh, huyện Phong Điền, thành phố Cần Thơ", "Xã Mỹ Khánh", "Phong Điền"),
    ],
)
def test_tolerates_prefixes_accents_and_address_noise(places, text, full_name, district):
    unit = resolve_place(text)

    assert (unit.full_name, unit.parent.name) == (full_name, district)


def test_old_district_with_todays_province_name_is_still_the_old_district(places):
    hint = _new_province("92")

    assert resolve_place("Phong Điền", province_hint=hint) == _old_district("Phong Điền")
    assert resolve_place("xã Phong Điền", province_hint=hint).era == Unit.Era.NEW


def test_unknown_text_resolves_to_nothing(places):
    assert resolve_place("Không có nơi này") is None
    assert resolve_place_candidates("") == []


def test_resolving_is_a_fixed_number_of_queries(places, django_assert_max_num_queries):
    resolve_place("xã Trường Thắng, huyện Thới Lai, Cần Thơ")  # builds the index

    with django_assert_max_num_queries(2):
        resolve_place("xã Trường Thắng, huyện Thới Lai, Cần Thơ, Việt Nam")


# Admin


def test_admin_search_ignores_accents(places, admin_client):
    url = reverse("admin:places_administrativeunit_changelist")

    response = admin_client.get(url, {"q": "phong dien", "era__exact": "old", "level__exact": "2"})

    assert response.status_code == 200
    assert _old_district("Phong Điền") in response.context["cl"].result_list


def test_admin_change_page_lists_successors(places, admin_client):
    district = _old_district("Phong Điền")

    response = admin_client.get(reverse("admin:places_administrativeunit_change", args=[district.pk]))

    assert response.status_code == 200
    assert "Xã Phong Điền" in response.content.decode()


def test_admin_autocomplete_finds_units_without_accents(places, admin_client):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "can tho",
            "app_label": "places",
            "model_name": "administrativeunit",
            "field_name": "parent",
        },
    )

    assert response.status_code == 200
    assert "Thành phố Cần Thơ" in {item["text"] for item in response.json()["results"]}


def test_fixtures_can_name_a_unit_by_era_level_and_code(places):
    hai_phong = _new_province("31")

    assert hai_phong.natural_key() == ("new", 1, "31")
    assert Unit.objects.get_by_natural_key("new", 1, "31") == hai_phong

"""TCVN3 and VNI told apart by decoding whole values, and converted to Unicode."""

import pytest

from places.models import AdministrativeUnit
from spreadsheets.legacy_encodings import TCVN3, VNI, detect, legacy_text, to_unicode
from spreadsheets.widgets import clean_text

# (as stored by a spreadsheet typed in the legacy font, encoding, the Unicode text meant)
REAL = [
    ("Phè Nói T«", TCVN3, "Phố Núi Tô"),  # only letters that are also ordinary Vietnamese ones, and «
    ("NguyÔn ThÞ Lan", TCVN3, "Nguyễn Thị Lan"),  # once reported as VNI
    ("Hµ Néi", TCVN3, "Hà Nội"),
    ("Quèc lé 1A", TCVN3, "Quốc lộ 1A"),  # every word reads as Unicode too, but "quèc" is no syllable
    ("x· Tr\xadêng Th¾ng, huyÖn Thíi Lai", TCVN3, "xã Trường Thắng, huyện Thới Lai"),
    ("C¬ së mµnh tre", TCVN3, "Cơ sở mành tre"),
    ("NGUYÔN V¡N AN", TCVN3, "NGUYỄN VĂN AN"),  # typed in capitals (.VnTimeH)
    ("Nguyeãn Thò Lan", VNI, "Nguyễn Thị Lan"),
    ("Haø Noäi", VNI, "Hà Nội"),
    ("Cöûa haøng taïp hoùa", VNI, "Cửa hàng tạp hóa"),
    ("Xaõ Tröôøng Thaéng, huyeän Thôùi Lai", VNI, "Xã Trường Thắng, huyện Thới Lai"),
    ("ÑAØ NAÜNG", VNI, "ĐÀ NẴNG"),
    ("Cô sôû maây tre", VNI, "Cơ sở mây tre"),
]


@pytest.mark.parametrize(("typed", "encoding", "meant"), REAL)
def test_real_legacy_values_are_detected_by_their_encoding_and_converted(typed, encoding, meant):
    assert detect(typed) == encoding
    assert to_unicode(typed, encoding) == meant
    assert detect(meant) is None


@pytest.mark.parametrize(
    "text",
    ["Nguyễn Thị Lan", "Phố Núi Tô", "Müller GmbH", "Đắk Lắk", "M'Drắk", "Café Trung Nguyên", "Hoà Bình",
     "Ô Môn", "Bà Rịa", "Khuyến công", "Thuở", "Công ty TNHH Mây tre đan", "ĐÀ NẴNG", "Ea H'Leo"],
)  # fmt: skip
def test_unicode_and_foreign_text_is_left_alone(text):
    assert detect(text) is None
    assert clean_text(text) == text


def test_no_place_name_of_either_map_reads_as_a_legacy_encoding(loaded_places, db):
    names = set(AdministrativeUnit.objects.values_list("full_name", flat=True))
    assert len(names) > 3000
    assert [n for n in names if detect(n)] == []


def test_clean_text_refuses_naming_the_encoding_or_converts_when_asked():
    with pytest.raises(ValueError, match=r"bảng mã cũ TCVN3 .*chuyển sang Unicode là «Nguyễn Thị Lan»"):
        clean_text("NguyÔn ThÞ Lan")
    with pytest.raises(ValueError, match=r"bảng mã cũ VNI"):
        clean_text("Nguyeãn Thò Lan")
    with legacy_text(convert=True) as log:
        assert clean_text("NguyÔn ThÞ Lan") == "Nguyễn Thị Lan"
        assert clean_text("Haø Noäi") == "Hà Nội"
    assert log.found == {"NguyÔn ThÞ Lan": (TCVN3, "Nguyễn Thị Lan"), "Haø Noäi": (VNI, "Hà Nội")}
    with legacy_text(convert=False) as log, pytest.raises(ValueError):
        clean_text("Hµ Néi")
    assert log.encodings == [TCVN3]

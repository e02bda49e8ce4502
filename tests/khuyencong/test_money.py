import pytest

from khuyencong.money import amount_in_words, format_dong, format_ty, parse_dong
from khuyencong.vn_text import fold_accents, nfc


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (0, "0"),
        (999, "999"),
        (1_000, "1.000"),
        (1_791_000_000, "1.791.000.000"),
        (312_690_000, "312.690.000"),
    ],
)
def test_format_dong_groups_thousands_with_dots(amount, text):
    assert format_dong(amount) == text


def test_format_dong_with_unit_and_none():
    assert format_dong(15_940_000_000, unit=True) == "15.940.000.000 đồng"
    assert format_dong(None) == ""


def test_format_ty_uses_decimal_comma():
    assert format_ty(15_940_000_000) == "15,94 tỷ đồng"
    assert format_ty(10_000_000_000) == "10 tỷ đồng"


def test_amount_in_words_reads_the_seed_total():
    assert amount_in_words(15_940_000_000) == "Mười lăm tỷ chín trăm bốn mươi triệu đồng"


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1.791.000.000", 1_791_000_000),
        ("1791000000", 1_791_000_000),
        (" 312.690.000 đ ", 312_690_000),
        ("1,144,000,000", 1_144_000_000),
        (220000000.0, 220_000_000),
        (5, 5),
    ],
)
def test_parse_dong_accepts_vietnamese_separators(text, amount):
    assert parse_dong(text) == amount


@pytest.mark.parametrize("text", ["1,5", "12.5", "abc", "", "1.79.000", 3.5])
def test_parse_dong_rejects_non_integer_amounts_in_vietnamese(text):
    with pytest.raises(ValueError) as excinfo:
        parse_dong(text)
    assert any(word in str(excinfo.value) for word in ("Số tiền", "số tiền", "không"))


def test_fold_accents_folds_d_with_stroke():
    assert fold_accents("Đan dây nhựa") == "dan day nhua"
    assert fold_accents("Huyện Thới Lai") == "huyen thoi lai"
    assert fold_accents("ĐỒNG THÁP") == "dong thap"


def test_nfc_composes_decomposed_text():
    decomposed = "Tho\u031b\u0301i Lai"  # "Thới" typed as o + horn + acute
    assert nfc(decomposed) == "Thới Lai"

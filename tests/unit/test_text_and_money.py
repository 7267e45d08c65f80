from decimal import Decimal

import pytest
from django.utils import translation
from oscar.templatetags.currency_filters import currency

from shop.money import round_to_dong
from shop.text import fold_vietnamese, vi_slugify


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Đường thốt nốt", "duong-thot-not"),
        ("Mắm cá linh Châu Đốc", "mam-ca-linh-chau-doc"),
        ("Khô cá lóc đồng", "kho-ca-loc-dong"),
        ("Trà khổ qua rừng", "tra-kho-qua-rung"),
    ],
)
def test_slugs_are_plain_ascii_vietnamese(title, slug):
    assert vi_slugify(title) == slug


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Mắm cá linh Châu Đốc", "mam ca linh chau doc"),
        ("hòa", "hoa"),
        ("hoà", "hoa"),
        ("thủy", "thuy"),
        ("thuỷ", "thuy"),
        ("ĐƯỜNG", "duong"),
    ],
)
def test_fold_drops_tones_and_accents_whatever_the_placement(text, folded):
    assert fold_vietnamese(text) == folded


def test_money_shows_whole_dong_in_vietnamese_and_english():
    with translation.override("vi"):
        assert currency(Decimal("250000.00"), "VND") == "250.000\xa0₫"
    with translation.override("en"):
        assert currency(Decimal("250000"), "VND") == "₫250,000"


def test_discounts_round_down_to_whole_dong():
    assert round_to_dong(Decimal("12345.67")) == Decimal("12345")
    assert round_to_dong(Decimal("0.99")) == Decimal("0")


@pytest.mark.parametrize("total, amount", [(Decimal("250000"), 250000), (Decimal("250000.00"), 250000), (0, 0), (1, 1)])
def test_order_total_becomes_a_zero_decimal_gateway_amount(total, amount):
    from shop.money import to_gateway_amount

    assert to_gateway_amount(total) == amount  # ₫250,000 is 250000, never ×100


@pytest.mark.parametrize("total", [Decimal("250000.5"), Decimal("0.01"), Decimal("NaN")])
def test_a_fractional_dong_is_refused_not_rounded(total):
    from shop.money import FractionalDong, to_gateway_amount

    with pytest.raises(FractionalDong):
        to_gateway_amount(total)


@pytest.mark.parametrize("total", [250000.0, "250000", True])
def test_only_exact_amounts_are_accepted(total):
    from shop.money import to_gateway_amount

    with pytest.raises(TypeError):
        to_gateway_amount(total)

"""Money is whole dong: VND has no minor unit."""

import re
from decimal import ROUND_DOWN, Decimal

_GROUPED = re.compile(r"[0-9]{1,3}(?:([.,\s])[0-9]{3})(?:\1[0-9]{3})*")


def round_to_dong(amount: Decimal, currency: str | None = None) -> Decimal:
    """OSCAR_OFFER_ROUNDING_FUNCTION: discounts are rounded down to whole dong, so no total holds a fraction."""
    return Decimal(amount).quantize(Decimal("1"), rounding=ROUND_DOWN)


class FractionalDong(ValueError):
    """An amount with a fraction of a dong reached a payment gateway: refused, never rounded."""


def to_gateway_amount(total) -> int:
    """The one conversion from an order total to a gateway amount. VND is zero-decimal: 250.000 ₫ is 250000."""
    if isinstance(total, bool) or not isinstance(total, (int, Decimal)):
        raise TypeError(f"amount must be int or Decimal, not {type(total).__name__}")
    amount = Decimal(total)
    if not amount.is_finite() or amount != amount.to_integral_value():
        raise FractionalDong(f"{total} is not a whole number of dong")
    if amount < 0:
        raise ValueError(f"{total} is negative")
    return int(amount)


def dong_text(value) -> str:
    """Whole dong for messages, in the active language: 250.000 ₫ (vi), ₫250,000 (en)."""
    from oscar.templatetags.currency_filters import currency

    return currency(Decimal(value).quantize(Decimal(1)), "VND")


def number_text(value) -> str:
    """A whole number for people, in the active language: 1.234.567 (vi), 1,234,567 (en)."""
    from django.utils.translation import get_language

    text = f"{int(value):,}"
    return text.replace(",", ".") if (get_language() or "vi").startswith("vi") else text


def whole_number_parse(text: str) -> int:
    """A whole number as Vietnamese write it: "1.200.000", "1,200,000", "1 200 000" or "1200000" → 1200000.
    ValueError for anything else (a fraction, a sign, letters). Forms, imports and bank statements all use it."""
    text = text.strip().replace("\u00a0", " ").replace("\u202f", " ")
    if text.isascii() and text.isdigit():
        return int(text)
    if _GROUPED.fullmatch(text):
        return int(re.sub(r"[.,\s]", "", text))
    raise ValueError(text)

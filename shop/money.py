"""Money is whole dong: VND has no minor unit."""

from decimal import ROUND_DOWN, Decimal


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

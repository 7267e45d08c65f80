"""Money is whole dong: VND has no minor unit."""

from decimal import ROUND_DOWN, Decimal


def round_to_dong(amount: Decimal, currency: str | None = None) -> Decimal:
    """OSCAR_OFFER_ROUNDING_FUNCTION: discounts are rounded down to whole dong, so no total holds a fraction."""
    return Decimal(amount).quantize(Decimal("1"), rounding=ROUND_DOWN)

"""The payment methods, in the order the checkout offers them. Cash on delivery is the default."""

from .base import Gateway, RefundResult
from .cash import CashOnDelivery
from .stripe_card import StripeCard
from .vietqr_transfer import VietQRTransfer

_GATEWAYS: dict[str, Gateway] = {g.method: g for g in (CashOnDelivery(), VietQRTransfer(), StripeCard())}
DEFAULT_METHOD = CashOnDelivery.method


def gateways_available() -> list[Gateway]:
    return [g for g in _GATEWAYS.values() if g.is_available()]


def gateway_for(method: str) -> Gateway:
    return _GATEWAYS[method]


__all__ = ["Gateway", "RefundResult", "DEFAULT_METHOD", "gateways_available", "gateway_for"]

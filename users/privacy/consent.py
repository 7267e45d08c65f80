"""The checkout's consent, written in the order's own transaction.

The checkout view places the order inside ``order_consent_given()``; Oscar's ``order_placed`` signal, sent inside
``shop.checkout.services.order_place``'s transaction, then records the consent for that order. An order placed any
other way (a replay of the same checkout returning the first order, a service call in a script) records nothing.
Connected in UsersConfig.ready, so it is always in place."""

from contextlib import contextmanager
from contextvars import ContextVar

from oscar.apps.order.signals import order_placed

_order_consent: ContextVar[dict | None] = ContextVar("privacy_order_consent", default=None)


@contextmanager
def order_consent_given(*, email: str = ""):
    """The shopper ticked the notice's box: an order placed inside records their consent."""
    token = _order_consent.set({"email": email})
    try:
        yield
    finally:
        _order_consent.reset(token)


def _order_consent_record(sender, order, user=None, **kwargs):
    pending = _order_consent.get()
    if pending is None:
        return
    from .services import consent_record

    signed_in = bool(user is not None and getattr(user, "is_authenticated", False))
    consent_record(
        purpose="order",
        user=user if signed_in else None,
        order_number=order.number,
        email="" if signed_in else (order.guest_email or pending["email"]),
    )


order_placed.connect(_order_consent_record, dispatch_uid="privacy-order-consent")

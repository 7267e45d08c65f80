"""Who the shopper is, for live-price quotas, while offers are applied to their basket.

Oscar's benefits see the basket, not the request. A signed-in shopper is the basket's owner; a guest is known by
the email and phone of their last checkout in this browser (kept in the session by the checkout) or of the order
being placed. ``customer_context`` holds them for the current request or placement."""

from contextlib import contextmanager
from contextvars import ContextVar

SESSION_KEY = "live_customer"
_customer: ContextVar[dict | None] = ContextVar("live_customer", default=None)


def current_customer() -> dict | None:
    return _customer.get()


@contextmanager
def customer_context(*, email: str = "", phone: str = ""):
    token = _customer.set({"email": email, "phone": phone} if (email or phone) else None)
    try:
        yield
    finally:
        _customer.reset(token)


def customer_remember(request, *, email: str, phone: str) -> None:
    """The checkout keeps the guest's contact, so later baskets in this browser count their quota."""
    if hasattr(request, "session"):
        request.session[SESSION_KEY] = {"email": email, "phone": phone}
    _customer.set({"email": email, "phone": phone})

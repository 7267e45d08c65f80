"""The interface every payment method implements. Checkout, refunds and expiry talk only to this."""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class RefundResult:
    status: str  # a payments.Refund.Status value
    provider_id: str = ""


class Gateway:
    method: str = ""
    label = ""
    description = ""

    def is_available(self) -> bool:
        return True

    def expiry(self) -> dt.timedelta | None:
        """How long an unpaid order keeps its stock; None: it is never cancelled for non-payment."""
        return None

    def next_url(self, order) -> str | None:
        """Where the shopper goes after placing the order, when payment needs another step."""
        return None

    def cancel(self, payment) -> None:
        """Stop a pending payment at the provider (the order was cancelled or expired)."""

    def amount_changed(self, payment) -> None:
        """A part was cancelled before payment: the provider must ask for the new amount."""

    def refund(self, *, payment, refund) -> RefundResult:
        """Return money. By default staff pay it back by hand (cash or bank transfer) and the refund says so."""
        return RefundResult(status="manual")

"""Card payments by Stripe: PaymentIntents in VND (zero-decimal), an idempotency key derived from the order."""

import datetime as dt

import stripe
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from shop.money import to_gateway_amount

from .base import Gateway, RefundResult


def stripe_client() -> stripe.StripeClient:
    kwargs = {}
    if settings.STRIPE_API_BASE:  # a local Stripe (localstripe in tests): straight there, never via a proxy
        import requests

        session = requests.Session()
        session.trust_env = False
        kwargs["base_addresses"] = {"api": settings.STRIPE_API_BASE}
        kwargs["http_client"] = stripe.RequestsClient(session=session)
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, max_network_retries=2, **kwargs)


class StripeCard(Gateway):
    method = "stripe"
    label = _("Thẻ quốc tế (Visa, Mastercard) qua Stripe")
    description = _("Nhập thẻ ở bước sau, trên biểu mẫu bảo mật của Stripe.")

    def is_available(self) -> bool:
        return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_PUBLISHABLE_KEY)

    def expiry(self):
        return dt.timedelta(minutes=settings.PAYMENT_CARD_EXPIRY_MINUTES)

    def next_url(self, order) -> str:
        from django.urls import reverse

        return reverse("checkout:card")

    # -- PaymentIntent lifecycle; every call carries a key derived from the order, so a retry is the same call
    def intent_create(self, payment) -> stripe.PaymentIntent:
        number = payment.order.number
        return stripe_client().v1.payment_intents.create(
            params={
                "amount": to_gateway_amount(payment.amount),
                "currency": "vnd",
                "payment_method_types": ["card"],
                "metadata": {"order_number": number, "payment_id": str(payment.pk)},
            },
            options={"idempotency_key": f"ocop-order-{number}-intent"},
        )

    def cancel(self, payment) -> None:
        if not payment.provider_id:
            return
        stripe_client().v1.payment_intents.cancel(
            payment.provider_id, options={"idempotency_key": f"ocop-order-{payment.order.number}-cancel"}
        )

    def amount_changed(self, payment) -> None:
        if not payment.provider_id:
            return  # the intent will be created with the new amount
        amount = to_gateway_amount(payment.amount)
        stripe_client().v1.payment_intents.update(
            payment.provider_id,
            params={"amount": amount},
            options={"idempotency_key": f"ocop-order-{payment.order.number}-amount-{amount}"},
        )

    def refund_in_full(self, *, intent_id: str, key: str) -> None:
        """Give back everything an intent captured (money that did not match its order)."""
        stripe_client().v1.refunds.create(params={"payment_intent": intent_id}, options={"idempotency_key": key})

    def refund(self, *, payment, refund) -> RefundResult:
        result = stripe_client().v1.refunds.create(
            params={
                "payment_intent": payment.provider_id,
                "amount": to_gateway_amount(refund.amount),
                "metadata": {"order_number": payment.order.number, "refund_id": str(refund.pk)},
            },
            options={"idempotency_key": refund.idempotency_key},
        )
        status = "succeeded" if result.status in ("succeeded", "pending") else "failed"
        return RefundResult(status=status, provider_id=result.id)

"""The Stripe PaymentIntent for an order: created once (idempotency key from the order) and remembered."""

from django.db import transaction

from .gateways import gateway_for
from .models import Payment


def stripe_intent_ensure(*, payment: Payment) -> dict:
    gateway = gateway_for("stripe")
    if payment.provider_id and payment.client_secret:
        return {"id": payment.provider_id, "client_secret": payment.client_secret}
    intent = gateway.intent_create(payment)  # the same key every time: a retry gets the same intent
    with transaction.atomic():
        Payment.objects.filter(pk=payment.pk, provider_id="").update(
            provider_id=intent["id"], client_secret=intent["client_secret"]
        )
    payment.refresh_from_db()
    return {"id": payment.provider_id, "client_secret": payment.client_secret}

"""Stripe's webhook: verify the signature, then apply the event once (shop/payments/services.py)."""

import logging

import stripe
from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .services import stripe_event_apply

logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def stripe_webhook(request):
    if not settings.STRIPE_WEBHOOK_SECRET:
        return HttpResponseBadRequest("webhook not configured")
    try:
        event = stripe.Webhook.construct_event(
            request.body, request.headers.get("Stripe-Signature", ""), settings.STRIPE_WEBHOOK_SECRET
        )
    except (ValueError, stripe.SignatureVerificationError):
        logger.warning("stripe webhook refused: bad payload or signature")
        return HttpResponseBadRequest("invalid signature")
    outcome = stripe_event_apply(event)
    return HttpResponse(outcome, content_type="text/plain")

"""Emails to the shopper, sent after the transaction commits (console backend in development)."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from oscar.core.loading import get_model

logger = logging.getLogger(__name__)


def _send(*, template: str, order, context: dict) -> None:
    to = order.email
    if not to:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {"order": order, "public_base_url": settings.OCOP_PUBLIC_BASE_URL.rstrip("/"), **context}
        subject = render_to_string(f"shop/emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"shop/emails/{template}_body.txt", context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    except Exception:  # the order stands even if the mail server is down
        logger.exception("could not send %s email for order %s", template, order.number)


def _order(order_id):
    return get_model("order", "Order").objects.select_related("ocop_payment").get(pk=order_id)


def order_placed(order_id: int) -> None:
    from shop.payments.gateways import gateway_for

    order = _order(order_id)
    payment = order.ocop_payment
    gateway = gateway_for(payment.method)
    instructions = gateway.instructions(payment) if hasattr(gateway, "instructions") else None
    _send(template="order_placed", order=order, context={"payment": payment, "instructions": instructions})


def payment_received(order_id: int) -> None:
    order = _order(order_id)
    _send(template="payment_received", order=order, context={"payment": order.ocop_payment})


def payment_refunded(refund_id: int) -> None:
    refund = get_model("payments", "Refund").objects.select_related("payment__order").get(pk=refund_id)
    _send(template="payment_refunded", order=refund.payment.order, context={"refund": refund})


def part_shipped(part_id: int) -> None:
    part = get_model("fulfilment", "FulfilmentPart").objects.select_related("order", "producer").get(pk=part_id)
    _send(template="part_shipped", order=part.order, context={"part": part, "lines": list(part.lines)})


def after_sales_answered(kind: str, pk: int) -> None:
    model = get_model("fulfilment", kind)
    item = model.objects.get(pk=pk)
    order = item.order if hasattr(item, "order") else item.part.order
    _send(template="after_sales_answered", order=order, context={"item": item})

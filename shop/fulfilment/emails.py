"""Emails to the shopper, through the task queue (shop/tasks/queue.py).

Callers call the public functions (``order_placed(order_id)`` ...) after the transaction commits. Each one queues a
task that reads the rows as they are when it runs, renders and sends; the task is retried with backoff when the mail
server fails and is done once per event (its key: the email and the object), however often it is queued. Without a
worker (the ``immediate`` backend) the task runs in the caller's process; a failure there is logged, never raised
into the caller: the order stands even if the mail server is down.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from oscar.core.loading import get_model

from shop.tasks.queue import background, enqueue

logger = logging.getLogger(__name__)


def _send(*, template: str, order, context: dict) -> bool:
    """Render and send one email; raises when the mail server refuses (the task retries). False: no address."""
    to = order.email
    if not to:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        context = {"order": order, "public_base_url": settings.OCOP_PUBLIC_BASE_URL.rstrip("/"), **context}
        subject = render_to_string(f"shop/emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"shop/emails/{template}_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    return True


def _order(order_id):
    return get_model("order", "Order").objects.select_related("ocop_payment").get(pk=order_id)


# ---------------------------------------------------------------- the tasks (run by the worker)
@background(key=lambda order_id: f"email:order_placed:{order_id}")
def send_order_placed(order_id: int) -> bool:
    from shop.payments.gateways import gateway_for

    order = _order(order_id)
    payment = order.ocop_payment
    gateway = gateway_for(payment.method)
    instructions = gateway.instructions(payment) if hasattr(gateway, "instructions") else None
    return _send(template="order_placed", order=order, context={"payment": payment, "instructions": instructions})


@background(key=lambda order_id: f"email:payment_received:{order_id}")
def send_payment_received(order_id: int) -> bool:
    order = _order(order_id)
    return _send(template="payment_received", order=order, context={"payment": order.ocop_payment})


@background(key=lambda refund_id: f"email:payment_refunded:{refund_id}")
def send_payment_refunded(refund_id: int) -> bool:
    refund = get_model("payments", "Refund").objects.select_related("payment__order").get(pk=refund_id)
    return _send(template="payment_refunded", order=refund.payment.order, context={"refund": refund})


@background(key=lambda part_id: f"email:part_shipped:{part_id}")
def send_part_shipped(part_id: int) -> bool:
    part = get_model("fulfilment", "FulfilmentPart").objects.select_related("order", "producer").get(pk=part_id)
    return _send(template="part_shipped", order=part.order, context={"part": part, "lines": list(part.lines)})


@background(key=lambda kind, pk: f"email:after_sales_answered:{kind}:{pk}")
def send_after_sales_answered(kind: str, pk: int) -> bool:
    model = get_model("fulfilment", kind)
    item = model.objects.get(pk=pk)
    order = item.order if hasattr(item, "order") else item.part.order
    return _send(template="after_sales_answered", order=order, context={"item": item})


# ---------------------------------------------------------------- what callers call, after the commit
def order_placed(order_id: int) -> None:
    enqueue(send_order_placed, order_id)


def payment_received(order_id: int) -> None:
    enqueue(send_payment_received, order_id)


def payment_refunded(refund_id: int) -> None:
    enqueue(send_payment_refunded, refund_id)


def part_shipped(part_id: int) -> None:
    enqueue(send_part_shipped, part_id)


def after_sales_answered(kind: str, pk: int) -> None:
    enqueue(send_after_sales_answered, kind, pk)

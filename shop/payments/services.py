"""Writes on payments. A payment's status only moves forward; money is checked against the order first."""

import logging
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.services import sales_record_order_lines, sales_reverse_order_lines
from shop.errors import ActionRefused
from shop.fulfilment import emails
from shop.money import dong_text, to_gateway_amount

from .bank_statement import StatementRow, reference_for
from .gateways import RefundResult, gateway_for
from .models import Payment, Refund, WebhookEvent

logger = logging.getLogger(__name__)
Status = Payment.Status


class PaymentRefused(ActionRefused):
    """A payment action that cannot be done; the message is for the user."""


def payment_create(*, order, method: str) -> Payment:
    """Inside order placement: the payment the order waits for (cash on delivery waits for delivery)."""
    to_gateway_amount(order.total_incl_tax)  # a fractional dong is refused, not rounded
    gateway = gateway_for(method)
    expiry = gateway.expiry()
    return Payment.objects.create(
        order=order,
        method=method,
        amount=order.total_incl_tax,
        reference=reference_for(str(order.number)),
        expires_at=timezone.now() + expiry if expiry else None,
    )


def payment_mark_paid(*, payment: Payment, amount: Decimal, actor=None, note: str = "") -> str:
    """The money arrived (bank statement, staff, Stripe). Returns what happened: paid, already, mismatch, late."""
    from shop.fulfilment.services import order_status_refresh, parts_confirm_paid

    with transaction.atomic():
        payment = Payment.objects.select_for_update().select_related("order").get(pk=payment.pk)
        if Decimal(amount) != payment.amount:
            logger.warning("payment %s: %s received, %s expected", payment.reference, amount, payment.amount)
            return "mismatch"
        if payment.status == Status.PAID:
            return "already"
        if payment.status == Status.CANCELLED:
            # The order expired (its stock went back) before the money came: give the money back, once.
            if payment.amount_captured > 0:
                return "late"
            Payment.objects.filter(pk=payment.pk).update(amount_captured=F("amount_captured") + Decimal(amount))
            payment.refresh_from_db()
            refund_issue(payment=payment, amount=Decimal(amount), key=f"late-{payment.reference}",
                         reason=_("Tiền về sau khi đơn đã huỷ"), actor=actor)
            return "late"
        now = timezone.now()
        Payment.objects.filter(pk=payment.pk).update(
            status=Status.PAID, amount_captured=Decimal(amount), paid_at=now, marked_paid_by=actor, note=note[:255]
        )
        order = payment.order
        parts_confirm_paid(order=order)
        cancelled = order.parts.filter(status="cancelled").values_list("producer_id", flat=True)
        live_lines = order.lines.exclude(partner_id__in=list(cancelled)).select_related("product", "partner")
        sales_record_order_lines(lines=live_lines, occurred_at=now)
        payment.refresh_from_db()
        order_status_refresh(order=order)
        transaction.on_commit(partial(emails.payment_received, order.pk))
    return "paid"


def payment_cash_collected(*, payment: Payment, amount: Decimal, at) -> None:
    """Cash on delivery: each part's cash adds up; the payment is paid when every live part has paid."""
    with transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(amount_captured=F("amount_captured") + amount)
        _cash_settle(payment=payment, at=at)
        payment.refresh_from_db()


def _cash_settle(*, payment: Payment, at) -> None:
    """Cash on delivery is paid once every part still live has its cash recorded (and at least one has)."""
    live = payment.order.parts.exclude(status="cancelled")
    if live.exists() and not live.filter(cash_collected__isnull=True).exists():
        Payment.objects.filter(pk=payment.pk, status=Status.PENDING).update(status=Status.PAID, paid_at=at)


def payment_cancel(*, payment: Payment, reason: str = "") -> bool:
    """An unpaid order is given up (expired, or every part cancelled). Pending → cancelled, never paid → cancelled."""
    from shop.fulfilment.services import order_stock_lock, part_cancel

    with transaction.atomic():
        moved = Payment.objects.filter(pk=payment.pk, status=Status.PENDING).update(
            status=Status.CANCELLED, note=reason[:255]
        )
        if not moved:
            return False
        payment.refresh_from_db()
        order_stock_lock(payment.order)
        for part in payment.order.parts.exclude(status="cancelled"):
            part_cancel(part=part, reason=reason)
        if payment.method != "cod":
            transaction.on_commit(partial(_provider_cancel, payment.pk))
    return True


def _provider_cancel(payment_id: int) -> None:
    payment = Payment.objects.select_related("order").get(pk=payment_id)
    try:
        gateway_for(payment.method).cancel(payment)
    except Exception:  # the provider may already have cancelled it; expiry must go on
        logger.exception("could not cancel payment %s at the provider", payment.reference)


def _provider_amount_changed(payment_id: int) -> None:
    payment = Payment.objects.select_related("order").get(pk=payment_id)
    try:
        gateway_for(payment.method).amount_changed(payment)
    except Exception:  # the shopper may have paid meanwhile; the webhook's amount check will tell staff
        logger.exception("could not change the amount of payment %s at the provider", payment.reference)


def _provider_refund_in_full(payment_id: int, intent_id: str) -> None:
    payment = Payment.objects.select_related("order").get(pk=payment_id)
    try:
        gateway_for(payment.method).refund_in_full(intent_id=intent_id, key=f"ocop-mismatch-{intent_id}")
    except Exception:
        logger.exception("could not refund mismatching payment %s (%s)", payment.reference, intent_id)


def refund_send(refund_id: int) -> str:
    """Ask the provider to return a pending refund and record its answer. A failure gives the amount back to
    what can be refunded, so staff can try again."""
    refund = Refund.objects.select_related("payment__order").get(pk=refund_id)
    if refund.status != Refund.Status.PENDING:
        return refund.status
    try:
        result = gateway_for(refund.payment.method).refund(payment=refund.payment, refund=refund)
    except Exception:
        logger.exception("refund %s of payment %s failed at the provider", refund.pk, refund.payment.reference)
        result = RefundResult(status=Refund.Status.FAILED)
    with transaction.atomic():
        moved = Refund.objects.filter(pk=refund.pk, status=Refund.Status.PENDING).update(
            status=result.status, provider_id=result.provider_id
        )
        if moved and result.status == Refund.Status.FAILED:
            Payment.objects.filter(pk=refund.payment_id).update(amount_refunded=F("amount_refunded") - refund.amount)
    if moved and result.status != Refund.Status.FAILED:
        emails.payment_refunded(refund.pk)
    return result.status


def refund_mark_returned(*, refund: Refund, actor) -> Refund:
    """Staff paid a manual refund back (cash or bank transfer)."""
    Refund.objects.filter(pk=refund.pk, status=Refund.Status.MANUAL).update(status=Refund.Status.SUCCEEDED)
    refund.refresh_from_db()
    return refund


def refunds_send_pending(*, older_than=None) -> int:
    """Refunds whose provider call never happened (the process stopped after the commit): send them now."""
    import datetime as dt

    cutoff = timezone.now() - (older_than or dt.timedelta(minutes=2))
    pending = Refund.objects.filter(status=Refund.Status.PENDING, created_at__lt=cutoff).values_list("pk", flat=True)
    return sum(1 for pk in list(pending) if refund_send(pk) != Refund.Status.PENDING)


def payments_expire_unpaid(*, now=None) -> list[str]:
    """Unpaid transfer and card orders past their time: cancelled, stock released. Idempotent."""
    now = now or timezone.now()
    expired = []
    for payment in Payment.objects.filter(status=Status.PENDING, expires_at__lt=now).exclude(method="cod"):
        try:
            if payment_cancel(payment=payment, reason=_("Quá hạn thanh toán")):
                expired.append(payment.reference)
        except Exception:  # one bad order must not stop the others
            logger.exception("could not expire payment %s", payment.reference)
    return expired


def payment_after_part_cancelled(*, part, actor=None, reason: str = "") -> None:
    """A part was cancelled: if its money was taken, return that part's money; if nothing is left, end the payment."""
    payment = part.order.ocop_payment
    if payment.status == Status.PAID and payment.method != "cod":
        already = Refund.objects.filter(payment=payment).exclude(status=Refund.Status.FAILED)
        lines = [line for line in part.lines if not already.filter(lines=line).exists()]
        shipping = Decimal(0) if already.filter(part=part, includes_shipping=True).exists() else part.shipping_fee
        amount = min(sum((line.line_price_incl_tax for line in lines), Decimal(0)) + shipping, payment.refundable)
        if amount > 0:
            refund_issue(
                payment=payment, amount=amount, part=part, lines=lines, includes_shipping=bool(shipping),
                key=f"cancel-part-{part.pk}", reason=reason or _("Huỷ phần đơn"), actor=actor,
            )
    elif payment.status == Status.PENDING:
        if not part.order.parts.exclude(status="cancelled").exists():
            payment_cancel(payment=payment, reason=reason)
        else:
            from shop.fulfilment.services import part_due

            Payment.objects.filter(pk=payment.pk).update(amount=F("amount") - part_due(part))
            if payment.method == "cod":
                _cash_settle(payment=payment, at=timezone.now())
            else:
                transaction.on_commit(partial(_provider_amount_changed, payment.pk))


def refund_issue(
    *, payment: Payment, amount: Decimal, key: str, reason: str = "", part=None, lines=(), actor=None,
    includes_shipping: bool = False,
) -> Refund:
    """Return money, never more than was captured. The key makes a repeated request the same refund."""
    existing = Refund.objects.filter(idempotency_key=key).first()
    if existing:
        return existing
    amount = Decimal(amount)
    to_gateway_amount(amount)
    if amount <= 0:
        raise PaymentRefused(_("Số tiền hoàn phải lớn hơn 0."))
    with transaction.atomic():
        payment = Payment.objects.select_for_update().select_related("order").get(pk=payment.pk)
        lines = list(lines)
        refunded = Refund.objects.filter(payment=payment, lines__in=lines).exclude(status=Refund.Status.FAILED)
        if lines and refunded.exists():
            titles = sorted({line.title for line in lines if refunded.filter(lines=line).exists()})
            raise PaymentRefused(_("Đã hoàn tiền trước đó: %(titles)s.") % {"titles": ", ".join(titles)})
        if amount > payment.amount_captured - payment.amount_refunded:
            raise PaymentRefused(
                _("Chỉ còn có thể hoàn %(left)s.") % {"left": dong_text(payment.amount_captured - payment.amount_refunded)}
            )
        try:
            with transaction.atomic():
                refund = Refund.objects.create(
                    payment=payment, part=part, amount=amount, reason=reason[:255], idempotency_key=key,
                    created_by=actor, includes_shipping=includes_shipping,
                )
        except IntegrityError:
            return Refund.objects.get(idempotency_key=key)
        refund.lines.set(lines)
        Payment.objects.filter(pk=payment.pk).update(amount_refunded=F("amount_refunded") + amount)
        sales_reverse_order_lines(lines=lines, occurred_at=timezone.now(), note=reason[:255])
        # The provider is called after the commit, outside every lock; the key makes a retry the same refund.
        transaction.on_commit(partial(refund_send, refund.pk))
    refund.refresh_from_db()
    return refund


# ---------------------------------------------------------------- bank statement
@dataclass
class StatementOutcome:
    row: StatementRow
    result: str  # paid, already, mismatch, unknown, late, error
    message: str
    order_number: str = ""


def statement_import(*, rows: list[StatementRow], actor) -> list[StatementOutcome]:
    """Match transfers to orders by reference and amount. Matches are applied; mismatches are only listed."""
    outcomes = []
    for row in rows:
        if row.error:
            outcomes.append(StatementOutcome(row, "error", row.error))
            continue
        payment = Payment.objects.filter(reference=row.reference, method="vietqr").select_related("order").first()
        if row.reference is None or payment is None:
            outcomes.append(StatementOutcome(row, "unknown", _("Không tìm thấy đơn hàng theo nội dung chuyển khoản.")))
            continue
        if Decimal(row.amount) != payment.amount:
            outcomes.append(
                StatementOutcome(
                    row, "mismatch",
                    _("Số tiền %(got)s khác số phải trả %(due)s: chưa ghi nhận.")
                    % {"got": dong_text(row.amount), "due": dong_text(payment.amount)},
                    payment.order.number,
                )
            )
            continue
        result = payment_mark_paid(payment=payment, amount=Decimal(row.amount), actor=actor,
                                   note=_("Sao kê ngân hàng, dòng %(line)s") % {"line": row.line})
        messages = {
            "paid": _("Đã ghi nhận thanh toán."),
            "already": _("Đơn đã được ghi nhận thanh toán trước đó: không thay đổi."),
            "late": _("Đơn đã huỷ vì quá hạn: cần hoàn tiền cho khách."),
            "mismatch": _("Số tiền không khớp: chưa ghi nhận."),
        }
        outcomes.append(StatementOutcome(row, result, messages[result], payment.order.number))
    return outcomes


# ---------------------------------------------------------------- Stripe events
def stripe_event_apply(event) -> str:
    """Apply one verified Stripe event once. Returns the outcome recorded with the event id."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = WebhookEvent.objects.create(event_id=event["id"], type=event["type"])
        except IntegrityError:
            return "duplicate"
        outcome = _stripe_event_outcome(event)
        WebhookEvent.objects.filter(pk=record.pk).update(outcome=outcome)
    return outcome


def _stripe_event_outcome(event) -> str:
    intent = event["data"]["object"]
    if intent.get("object") != "payment_intent":
        return "ignored"
    number = (intent.get("metadata") or {}).get("order_number", "")
    payment = (
        Payment.objects.filter(provider_id=intent["id"]).first()
        or Payment.objects.filter(method="stripe", order__number=number).first()
    )
    if payment is None:
        logger.warning("stripe event %s for unknown order %r (%s)", event["id"], number, intent["id"])
        return "unknown order"
    if event["type"] == "payment_intent.succeeded":
        currency = str(intent.get("currency", "")).lower()
        received = intent.get("amount_received", intent.get("amount"))
        if currency != "vnd" or received != to_gateway_amount(payment.amount):
            # Not the order's money: never marked paid, and not kept either (given back in full, once).
            logger.warning("stripe event %s: %s %s for order %s", event["id"], received, currency, payment.reference)
            Payment.objects.filter(pk=payment.pk).update(
                note=_("Stripe nhận %(got)s %(cur)s, không khớp đơn: đã hoàn lại toàn bộ.")
                % {"got": received, "cur": currency.upper()}
            )
            transaction.on_commit(partial(_provider_refund_in_full, payment.pk, intent["id"]))
            return "mismatch"
        return payment_mark_paid(payment=payment, amount=Decimal(received), note=f"stripe {intent['id']}")
    if event["type"] == "payment_intent.payment_failed":
        # A failed attempt never undoes a payment; a pending order stays open for another card until it expires.
        return "failed attempt" if payment.status == Status.PENDING else "ignored"
    return "ignored"

"""Writes on fulfilment parts. Each status change is a conditional UPDATE, so it happens exactly once even when
two people press the button together; its side effects (stock, ledger, refund, email) follow only the winner."""

import datetime as dt
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.services import sales_record_order_lines, sales_reverse_order_lines
from shop.errors import ActionRefused
from shop.money import dong_text
from shop.partner.stock import stock_release

from . import emails
from .models import Complaint, FulfilmentPart, PartEvent, ReturnPhoto, ReturnRequest

Status = FulfilmentPart.Status
OPEN_STATUSES = (Status.AWAITING_PAYMENT, Status.CONFIRMED, Status.PACKED)
NEXT = {
    Status.PACKED: (Status.CONFIRMED,),
    Status.SHIPPED: (Status.CONFIRMED, Status.PACKED),
    Status.DELIVERED: (Status.SHIPPED,),
}
STAMP = {Status.SHIPPED: "shipped_at", Status.DELIVERED: "delivered_at", Status.CANCELLED: "cancelled_at"}


class PartActionRefused(ActionRefused):
    """The action does not fit the part's state; the message is for the person who tried."""


def _person(actor):
    """A signed-in user, or None (guests and jobs act anonymously)."""
    return actor if getattr(actor, "is_authenticated", False) else None


def _lock_payment(order):
    """Every writer that touches a part and the payment locks the payment first: one lock order, no deadlock."""
    from shop.payments.models import Payment

    return Payment.objects.select_for_update().filter(order_id=order.pk).first()


def _move(*, part: FulfilmentPart, to: str, allowed_from, actor=None, note: str = "", **fields) -> bool:
    actor = _person(actor)
    now = timezone.now()
    if to in STAMP:
        fields[STAMP[to]] = now
    moved = FulfilmentPart.objects.filter(pk=part.pk, status__in=allowed_from).update(status=to, **fields)
    if moved:
        PartEvent.objects.create(part=part, status=to, note=note, actor=actor)
        part.refresh_from_db()
    return bool(moved)


def part_due(part: FulfilmentPart, *, lines=None) -> Decimal:
    """What the shopper pays for this part, in whole dong: its lines and its shipping fee. ``lines``: the part's
    lines when a list page has loaded them already."""
    lines = part.lines if lines is None else lines
    total = sum((line.line_price_incl_tax for line in lines), Decimal(0)) + part.shipping_fee
    return total.quantize(Decimal(1))


def part_advance(*, part: FulfilmentPart, to: str, actor, carrier: str = "", tracking_number: str = "") -> FulfilmentPart:
    """confirmed → packed → shipped (carrier and tracking) → delivered. Stock leaves the shelf when shipped."""
    if to not in NEXT:
        raise PartActionRefused(_("Không thể chuyển sang trạng thái này."))
    if part.pickup_showroom_id and to in (Status.SHIPPED, Status.DELIVERED):
        raise PartActionRefused(_("Khách nhận tại điểm bán: điểm bán giao hàng cho khách."))
    fields = {}
    if to == Status.SHIPPED and part.needs_shipping:
        if not carrier.strip() or not tracking_number.strip():
            raise PartActionRefused(_("Cần nhập đơn vị vận chuyển và mã vận đơn."))
        fields = {"carrier": carrier.strip(), "tracking_number": tracking_number.strip()}
    with transaction.atomic():
        if not _move(part=part, to=to, allowed_from=NEXT[to], actor=actor, **fields):
            part.refresh_from_db()
            if part.status == to:
                return part  # the same request twice does the same thing once
            raise PartActionRefused(
                _("Phần đơn đang ở trạng thái “%(status)s”.") % {"status": part.get_status_display()}
            )
        if to == Status.SHIPPED:
            for line in part.lines.select_related("stockrecord"):
                if line.stockrecord_id:
                    line.stockrecord.consume_allocation(line.quantity)
            transaction.on_commit(partial(emails.part_shipped, part.pk))
        order_status_refresh(order=part.order)
    return part


def part_record_cash(*, part: FulfilmentPart, amount: Decimal, actor) -> FulfilmentPart:
    """Cash on delivery: the producer (or staff) records the cash; the sale enters the ledger now."""
    if part.pickup_showroom_id:
        raise PartActionRefused(_("Đơn nhận tại điểm bán: nhân viên điểm bán thu tiền khi giao hàng."))
    payment = part.order.ocop_payment
    if payment.method != "cod":
        raise PartActionRefused(_("Đơn này không thanh toán khi nhận hàng."))
    due = part_due(part)
    if Decimal(amount) != due:
        raise PartActionRefused(
            _("Số tiền phải đúng bằng số phải thu: %(due)s.") % {"due": dong_text(due)}
        )
    with transaction.atomic():
        _lock_payment(part.order)
        part.refresh_from_db()
        if part.cash_collected is not None:
            return part
        if part.status not in (Status.SHIPPED, Status.DELIVERED):
            raise PartActionRefused(_("Chỉ ghi nhận tiền mặt khi hàng đã giao đi."))
        _cash_record(part=part, due=due, actor=_person(actor), allowed_from=(Status.SHIPPED, Status.DELIVERED))
    return part


def _cash_record(*, part: FulfilmentPart, due: Decimal, actor, allowed_from) -> bool:
    """The cash is in (payment locked by the caller): stamp it, deliver the part, enter the sale, settle the payment."""
    now = timezone.now()
    recorded = FulfilmentPart.objects.filter(pk=part.pk, cash_collected__isnull=True, status__in=allowed_from).update(
        cash_collected=due, cash_collected_at=now, cash_collected_by=actor
    )
    if not recorded:
        return False
    part.refresh_from_db()
    PartEvent.objects.create(part=part, status=part.status, note=_("Đã thu tiền mặt"), actor=actor)
    _move(part=part, to=Status.DELIVERED, allowed_from=allowed_from, actor=actor)
    sales_record_order_lines(lines=part.lines.select_related("product", "partner"), occurred_at=now)
    from shop.payments.services import payment_cash_collected

    payment_cash_collected(payment=part.order.ocop_payment, amount=due, at=now)
    order_status_refresh(order=part.order)
    return True


def part_handed_over(*, part: FulfilmentPart, actor, cash: Decimal | None = None) -> FulfilmentPart:
    """A pickup part collected at the showroom (showrooms.services.pickup_hand_over moves the shelf stock first).
    Cash on pickup is recorded with it; a prepaid part was entered in the ledger when it was paid."""
    actor = _person(actor)
    with transaction.atomic():
        _lock_payment(part.order)
        ready = (Status.CONFIRMED, Status.PACKED)
        if cash is not None:
            if not _cash_record(part=part, due=Decimal(cash), actor=actor, allowed_from=ready):
                raise PartActionRefused(_("Phần đơn không còn chờ giao."))
        elif not _move(part=part, to=Status.DELIVERED, allowed_from=ready, actor=actor, note=_("Khách đã nhận tại điểm bán")):
            raise PartActionRefused(_("Phần đơn không còn chờ giao."))
        order_status_refresh(order=part.order)
    return part


def part_cancel(*, part: FulfilmentPart, actor=None, reason: str = "") -> FulfilmentPart:
    """Cancel one producer's part before it ships: stock back exactly once, ledger reversed, money returned."""
    actor = _person(actor)
    with transaction.atomic():
        _lock_payment(part.order)
        if not _move(
            part=part, to=Status.CANCELLED, allowed_from=OPEN_STATUSES, actor=actor, note=reason, cancel_reason=reason[:255]
        ):
            part.refresh_from_db()
            if part.status == Status.CANCELLED:
                return part
            raise PartActionRefused(_("Phần đơn đã gửi đi, không huỷ được nữa."))
        lines = list(part.lines.select_related("stockrecord"))
        if part.pickup_showroom_id:  # the showroom's shelf held the units, not the producer's online stock
            from showrooms.services import pickup_release

            pickup_release(showroom_id=part.pickup_showroom_id, lines=lines)
        else:
            stock_release(lines=lines)
        sales_reverse_order_lines(lines=lines, occurred_at=timezone.now(), note=reason[:255])
        from livestream.services import live_claims_release

        live_claims_release(lines=lines)
        from shop.payments.services import payment_after_part_cancelled

        payment_after_part_cancelled(part=part, actor=actor, reason=reason)
        order_status_refresh(order=part.order)
    return part


def parts_confirm_paid(*, order) -> None:
    """The order's money arrived: waiting parts are confirmed."""
    for part in order.parts.filter(status=Status.AWAITING_PAYMENT):
        _move(part=part, to=Status.CONFIRMED, allowed_from=(Status.AWAITING_PAYMENT,), confirmed_at=timezone.now())


def order_status_refresh(*, order) -> str:
    """The order's status follows its parts and payment (programme staff see it in Oscar's dashboard)."""
    statuses = set(order.parts.values_list("status", flat=True))
    payment = getattr(order, "ocop_payment", None)
    if statuses and statuses <= {Status.CANCELLED}:
        status = "cancelled"
    elif statuses and statuses <= {Status.DELIVERED, Status.CANCELLED}:
        status = "completed"
    elif payment is not None and payment.method != "cod" and payment.status == "pending":
        status = "awaiting_payment"
    else:
        status = "processing"
    if order.status != status:
        type(order).objects.filter(pk=order.pk).update(status=status)
        order.status = status
    return status


# ---------------------------------------------------------------- after-sales
def return_request_create(*, part: FulfilmentPart, reason: str, photos=()) -> ReturnRequest:
    if part.status != Status.DELIVERED or part.delivered_at is None:
        raise PartActionRefused(_("Chỉ yêu cầu trả hàng sau khi đã nhận hàng."))
    limit = part.delivered_at + dt.timedelta(days=settings.ORDER_RETURN_DAYS)
    if timezone.now() > limit:
        raise PartActionRefused(
            _("Đã quá %(days)s ngày kể từ khi nhận hàng.") % {"days": settings.ORDER_RETURN_DAYS}
        )
    if not reason.strip():
        raise PartActionRefused(_("Vui lòng cho biết lý do trả hàng."))
    with transaction.atomic():
        existing = ReturnRequest.objects.select_for_update().filter(part=part, status=ReturnRequest.Status.OPEN).first()
        if existing:
            return existing
        request = ReturnRequest.objects.create(part=part, reason=reason.strip())
        for photo in photos:
            ReturnPhoto.objects.create(request=request, image=photo)
    return request


def complaint_create(*, order, message: str, part: FulfilmentPart | None = None) -> Complaint:
    if not message.strip():
        raise PartActionRefused(_("Vui lòng nhập nội dung khiếu nại."))
    if part is not None and part.order_id != order.pk:
        raise PartActionRefused(_("Phần đơn không thuộc đơn hàng này."))
    return Complaint.objects.create(order=order, part=part, message=message.strip())


def after_sales_answer(*, item, answer: str, actor, accept: bool | None = None):
    """Staff answer a complaint or a return request (accept or reject)."""
    if not answer.strip():
        raise PartActionRefused(_("Vui lòng nhập câu trả lời."))
    with transaction.atomic():
        # Two staff answering at once: the second waits for the first and finds it answered (an accepted return
        # is never turned into a rejected one over its reversing rows).
        item = type(item).objects.select_for_update().get(pk=item.pk)
        if item.status != "open":
            raise PartActionRefused(_("Yêu cầu này đã được trả lời."))
        item.answer = answer.strip()
        item.answered_by = actor
        item.answered_at = timezone.now()
        if isinstance(item, ReturnRequest):
            item.status = ReturnRequest.Status.ACCEPTED if accept else ReturnRequest.Status.REJECTED
        else:
            item.status = Complaint.Status.ANSWERED
        item.save()
        if isinstance(item, ReturnRequest) and item.status == ReturnRequest.Status.ACCEPTED:
            # The goods come back, so their sale is undone now: one reversing row per line that was sold (the
            # refund staff issue next finds it and writes no second one).
            sales_reverse_order_lines(lines=item.part.lines, occurred_at=item.answered_at,
                                      note=(_("Trả hàng: %(reason)s") % {"reason": item.reason})[:255])
    transaction.on_commit(partial(emails.after_sales_answered, type(item).__name__, item.pk))
    return item


def order_stock_lock(order) -> None:
    """Before the parts of an order are cancelled one by one, lock every stock row the order holds at once, in
    primary-key order (as placement locks them), so a cancel never deadlocks with a checkout: the producers'
    stock records, or the showroom shelf of a pickup order."""
    pickup = FulfilmentPart.objects.filter(order=order, pickup_showroom__isnull=False).values_list(
        "pickup_showroom_id", flat=True).first()
    lines = order.lines.values_list("stockrecord_id", "product_id")
    if pickup:
        from showrooms.services import shelves_lock_existing

        shelves_lock_existing(showroom_id=pickup, product_ids=[product for _record, product in lines])
    else:
        from shop.partner.stock import stock_lock

        stock_lock(stockrecord_ids=[record for record, _product in lines if record])


def order_cancel(*, order, actor=None, reason: str = "") -> None:
    """Programme staff cancel a whole order: every part, or none if one has already left."""
    with transaction.atomic():
        _lock_payment(order)
        order_stock_lock(order)
        parts = list(order.parts.select_for_update().order_by("pk"))
        gone = [p for p in parts if p.status in (Status.SHIPPED, Status.DELIVERED)]
        if gone:
            raise PartActionRefused(
                _("Phần đơn của %(names)s đã gửi đi; chỉ huỷ được từng phần còn lại.")
                % {"names": ", ".join(p.producer.name for p in gone)}
            )
        for part in parts:
            part_cancel(part=part, actor=actor, reason=reason)

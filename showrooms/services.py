"""The only writers of shelf stock. Every change locks the shelf rows (primary-key order), checks, writes the
movement and the new level together, and nothing else ever saves a ShelfStock row.

Like saleor's warehouse/management.py: ordered select_for_update, check, F() write, typed refusals that carry a
message for the clerk. The same request key twice returns the first movement (a double tap on a phone).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from reports.models import Sale
from reports.services import sale_record, sale_reverse
from shop.errors import ActionRefused

from catalogue.search.indexing import product_changed, products_changed

from .models import ShelfStock, Showroom, StockMovement

Reason = StockMovement.Reason
StockRecord = get_model("partner", "StockRecord")
NOT_UNDOABLE = (Reason.TRANSFER_OUT, Reason.TRANSFER_IN, Reason.PICKUP, Reason.UNDO)
IMPORT_KEY_PREFIX = "count:"  # movements of one count file (showrooms/imports.py) stand or fall together


class ShelfRefused(ActionRefused):
    """Nothing was written; the message says why, in the clerk's language."""


@dataclass(frozen=True)
class ShelfShortage:
    title: str
    requested: int
    available: int


class ShelfShort(ShelfRefused):
    def __init__(self, shortages: list[ShelfShortage], showroom: Showroom):
        self.shortages = shortages
        super().__init__(
            "; ".join(
                _("“%(title)s” ở %(showroom)s chỉ còn %(available)s, cần %(requested)s.")
                % {"title": s.title, "showroom": showroom.name, "available": max(s.available, 0), "requested": s.requested}
                for s in shortages
            )
        )


# ---------------------------------------------------------------- locking and the one write
def shelves_lock(*, showroom: Showroom, product_ids) -> dict[int, ShelfStock]:
    """Lock (creating when missing) the showroom's rows for these products, in primary-key order."""
    product_ids = sorted(set(product_ids))
    ShelfStock.objects.bulk_create(
        [ShelfStock(showroom=showroom, product_id=pk) for pk in product_ids], ignore_conflicts=True
    )
    rows = ShelfStock.objects.select_for_update().filter(showroom=showroom, product_id__in=product_ids).order_by("pk")
    return {row.product_id: row for row in rows}


def shelves_lock_existing(*, showroom_id: int, product_ids) -> None:
    """Lock a showroom's existing rows for these products in primary-key order (creating none)."""
    list(
        ShelfStock.objects.select_for_update()
        .filter(showroom_id=showroom_id, product_id__in=sorted(set(product_ids)))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _write(*, shelf: ShelfStock, delta: int, reason: str, actor, note: str = "", **extra) -> StockMovement:
    """The shelf row is locked. Refuse going below zero or below what pickup orders hold."""
    level = shelf.quantity + delta
    if level < 0:
        raise ShelfRefused(
            _("Không đủ hàng: trên kệ còn %(quantity)s, không thể bớt %(count)s.")
            % {"quantity": shelf.quantity, "count": -delta}
        )
    if level < shelf.reserved:
        raise ShelfRefused(
            _("%(reserved)s sản phẩm đang giữ cho khách đặt trước; trên kệ phải còn ít nhất chừng đó.")
            % {"reserved": shelf.reserved}
        )
    ShelfStock.objects.filter(pk=shelf.pk).update(quantity=F("quantity") + delta, updated_at=timezone.now())
    product_changed(shelf.product_id)  # the search index's "at a showroom" flag
    shelf.quantity = level
    return StockMovement.objects.create(
        showroom_id=shelf.showroom_id,
        product_id=shelf.product_id,
        delta=delta,
        balance=level,
        reason=reason,
        note=note[:255],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        **extra,
    )


def _replayed(*, showroom, product, request_key: str | None) -> StockMovement | None:
    if not request_key:
        return None
    return StockMovement.objects.filter(showroom=showroom, product=product, request_key=request_key).first()


def _once(func):
    """Run a write in a transaction; a concurrent replay of the same request key returns the first movement."""

    def wrapper(*, showroom, product, request_key: str | None = None, **kwargs):
        if existing := _replayed(showroom=showroom, product=product, request_key=request_key):
            existing.replayed = True  # the view says "already recorded", not "done" a second time
            return existing
        try:
            with transaction.atomic():
                return func(showroom=showroom, product=product, request_key=request_key, **kwargs)
        except IntegrityError:
            if existing := _replayed(showroom=showroom, product=product, request_key=request_key):
                existing.replayed = True
                return existing
            raise

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


def _positive(quantity) -> int:
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity <= 0:
        raise ShelfRefused(_("Số lượng phải là số nguyên lớn hơn 0."))
    return quantity


def _require_certified(product, *, action: str) -> None:
    if not product.is_certified():
        raise ShelfRefused(
            _("“%(title)s” không còn giấy chứng nhận OCOP hiệu lực: không được %(action)s.")
            % {"title": product.get_title(), "action": action}
        )


# ---------------------------------------------------------------- what the clerk does
@_once
def shelf_receive(*, showroom, product, quantity: int, actor, note: str = "", request_key=None) -> StockMovement:
    """A delivery from the producer (consigned goods). Only certified products come onto the shelves."""
    quantity = _positive(quantity)
    _require_certified(product, action=_("nhận lên kệ"))
    shelf = shelves_lock(showroom=showroom, product_ids=[product.pk])[product.pk]
    return _write(shelf=shelf, delta=quantity, reason=Reason.DELIVERY, actor=actor, note=note, request_key=request_key)


def shelf_price(product) -> Decimal:
    """A showroom sells at the product's current price (the producer's online price): one price everywhere."""
    price = StockRecord.objects.filter(product=product).order_by("pk").values_list("price", flat=True).first()
    if price is None:
        raise ShelfRefused(_("“%(title)s” chưa có giá bán.") % {"title": product.get_title()})
    return Decimal(price)


@_once
def shelf_sell(*, showroom, product, quantity: int, actor, note: str = "", request_key=None) -> StockMovement:
    """A sale at the counter: the movement, and the sale in the ledger for the channel "showroom <name>"."""
    quantity = _positive(quantity)
    _require_certified(product, action=_("bán"))
    price = shelf_price(product)
    shelf = shelves_lock(showroom=showroom, product_ids=[product.pk])[product.pk]
    if shelf.available < quantity:
        raise ShelfRefused(
            _("Chỉ còn %(available)s “%(title)s” có thể bán (trên kệ %(quantity)s, đang giữ cho khách %(reserved)s).")
            % {"available": max(shelf.available, 0), "title": product.get_title(), "quantity": shelf.quantity,
               "reserved": shelf.reserved}
        )
    movement = _write(shelf=shelf, delta=-quantity, reason=Reason.SALE, actor=actor, note=note, request_key=request_key)
    sale = sale_record(
        channel=Sale.Channel.SHOWROOM,
        occurred_at=movement.created_at,
        title=product.get_title(),
        quantity=quantity,
        amount=price * quantity,
        product=product,
        producer=product.producer,
        showroom=showroom,
        note=showroom.channel_label,
        source_key=f"shelf-movement:{movement.pk}",
    )
    StockMovement.objects.filter(pk=movement.pk).update(sale=sale)
    movement.sale = sale
    return movement


@_once
def shelf_count(*, showroom, product, counted: int, actor, note: str = "", request_key=None) -> StockMovement | None:
    """A stock count: the difference becomes a correction. None when the count agrees with the books."""
    if not isinstance(counted, int) or isinstance(counted, bool) or counted < 0:
        raise ShelfRefused(_("Số đếm được phải là số nguyên từ 0 trở lên."))
    if counted == 0 and not ShelfStock.objects.filter(showroom=showroom, product=product).exists():
        return None  # nothing held, nothing counted: no empty shelf row
    shelf = shelves_lock(showroom=showroom, product_ids=[product.pk])[product.pk]
    delta = counted - shelf.quantity
    if delta == 0:
        return None
    if delta > 0:  # more than the books say: those units come onto the shelf, which only certified products may
        _require_certified(product, action=_("nhận lên kệ"))
    return _write(shelf=shelf, delta=delta, reason=Reason.COUNT, actor=actor, note=note, request_key=request_key)


@_once
def shelf_adjust(*, showroom, product, delta: int, reason: str, actor, note: str = "", request_key=None) -> StockMovement:
    """+1/−1 corrections, damaged goods, goods returned to the producer."""
    if reason not in (Reason.COUNT, Reason.DAMAGED, Reason.RETURNED):
        raise ShelfRefused(_("Lý do không hợp lệ."))
    if not isinstance(delta, int) or isinstance(delta, bool) or delta == 0:
        raise ShelfRefused(_("Số lượng thay đổi phải khác 0."))
    if reason != Reason.COUNT and delta > 0:
        raise ShelfRefused(_("Hàng hỏng hoặc trả lại chủ thể chỉ làm giảm số trên kệ."))
    if delta > 0:
        _require_certified(product, action=_("nhận lên kệ"))
    shelf = shelves_lock(showroom=showroom, product_ids=[product.pk])[product.pk]
    return _write(shelf=shelf, delta=delta, reason=reason, actor=actor, note=note, request_key=request_key)


def shelf_transfer(
    *, source: Showroom, destination: Showroom, product, quantity: int, actor, note: str = "", request_key=None
) -> tuple[StockMovement, StockMovement]:
    """Out of one showroom and into another, both or neither. Rows are locked in primary-key order across both."""
    quantity = _positive(quantity)
    if source.pk == destination.pk:
        raise ShelfRefused(_("Điểm nhận phải khác điểm chuyển."))
    def replay():
        if existing := _replayed(showroom=source, product=product, request_key=request_key):
            existing.replayed = True
            return existing, StockMovement.objects.get(transfer_key=existing.transfer_key, reason=Reason.TRANSFER_IN)
        return None

    if done := replay():
        return done
    _require_certified(product, action=_("chuyển sang điểm khác"))
    try:
        return _transfer(source=source, destination=destination, product=product, quantity=quantity, actor=actor,
                         note=note, request_key=request_key)
    except IntegrityError:  # the same request, sent twice at once: the other one did it
        if done := replay():
            return done
        raise


def _transfer(*, source, destination, product, quantity, actor, note, request_key):
    with transaction.atomic():
        ShelfStock.objects.bulk_create(
            [ShelfStock(showroom=s, product=product) for s in (source, destination)], ignore_conflicts=True
        )
        rows = {
            row.showroom_id: row
            for row in ShelfStock.objects.select_for_update()
            .filter(product=product, showroom__in=[source, destination])
            .order_by("pk")
        }
        shelf_out = rows[source.pk]
        if shelf_out.available < quantity:
            raise ShelfRefused(
                _("%(showroom)s chỉ còn %(available)s “%(title)s” có thể chuyển.")
                % {"showroom": source.name, "available": max(shelf_out.available, 0), "title": product.get_title()}
            )
        key = uuid.uuid4()
        out = _write(
            shelf=shelf_out, delta=-quantity, reason=Reason.TRANSFER_OUT, actor=actor,
            note=note or _("Chuyển đến %(name)s") % {"name": destination.name}, transfer_key=key, request_key=request_key,
        )
        into = _write(
            shelf=rows[destination.pk], delta=quantity, reason=Reason.TRANSFER_IN, actor=actor,
            note=note or _("Nhận từ %(name)s") % {"name": source.name}, transfer_key=key, request_key=request_key,
        )
    return out, into


def movement_undo(*, movement: StockMovement, actor) -> StockMovement:
    """The clerk's own last movement, within a few minutes: a reversing row (and a reversed sale), never a delete."""
    minutes = settings.SHOWROOM_UNDO_MINUTES
    with transaction.atomic():
        shelf = shelves_lock(showroom=movement.showroom, product_ids=[movement.product_id])[movement.product_id]
        movement = StockMovement.objects.select_related("sale").get(pk=movement.pk)
        if getattr(movement, "reversal", None) is not None:
            return movement.reversal
        if movement.actor_id != actor.pk:
            raise ShelfRefused(_("Chỉ người ghi mới hoàn tác được."))
        if movement.reason in NOT_UNDOABLE:
            raise ShelfRefused(_("Chuyển kho, giao đơn đặt trước và hoàn tác không hoàn tác được; hãy ghi một thay đổi mới."))
        if (movement.request_key or "").startswith(IMPORT_KEY_PREFIX):
            raise ShelfRefused(_("Kiểm kê từ tệp được ghi cả tệp một lần; hãy nhập lại tệp đúng thay vì hoàn tác từng dòng."))
        if movement.delta < 0:  # undoing a sale or write-off puts units back on the shelf: certified products only
            _require_certified(movement.product, action=_("nhận lên kệ"))
        last = StockMovement.objects.filter(actor=actor).exclude(reason=Reason.UNDO).order_by("-pk").first()
        if last is None or last.pk != movement.pk:
            raise ShelfRefused(_("Chỉ hoàn tác được thay đổi gần nhất của bạn."))
        if timezone.now() - movement.created_at > dt.timedelta(minutes=minutes):
            raise ShelfRefused(_("Đã quá %(minutes)s phút, không hoàn tác được nữa.") % {"minutes": minutes})
        undo = _write(
            shelf=shelf, delta=-movement.delta, reason=Reason.UNDO, actor=actor,
            note=_("Hoàn tác: %(reason)s") % {"reason": movement.get_reason_display()}, reverses=movement,
        )
        if movement.sale_id:
            sale_reverse(sale=movement.sale, occurred_at=undo.created_at, note=_("Hoàn tác bán tại điểm"))
    return undo


# ---------------------------------------------------------------- pickup orders
def pickup_reserve(*, showroom: Showroom, wanted: dict[int, int], titles: dict[int, str]) -> None:
    """Set aside units for a pickup order (inside the order's transaction). Short anywhere: nothing is held."""
    if not showroom.is_active or not showroom.offers_pickup:
        raise ShelfRefused(_("%(showroom)s hiện không nhận giữ hàng.") % {"showroom": showroom.name})
    rows = ShelfStock.objects.select_for_update().filter(showroom=showroom, product_id__in=list(wanted)).order_by("pk")
    rows = {row.product_id: row for row in rows}
    short = [
        ShelfShortage(title=titles[pk], requested=qty, available=rows[pk].available if pk in rows else 0)
        for pk, qty in sorted(wanted.items())
        if pk not in rows or rows[pk].available < qty
    ]
    if short:
        raise ShelfShort(short, showroom)
    for pk, qty in sorted(wanted.items()):
        ShelfStock.objects.filter(pk=rows[pk].pk).update(reserved=F("reserved") + qty)
    products_changed(wanted)


def pickup_release(*, showroom_id: int, lines) -> None:
    """Give back what a cancelled pickup part held. Callers guard with a status change, so it runs once."""
    quantities: dict[int, int] = {}
    for line in lines:
        quantities[line.product_id] = quantities.get(line.product_id, 0) + line.quantity
    with transaction.atomic():
        rows = ShelfStock.objects.select_for_update().filter(showroom_id=showroom_id, product_id__in=list(quantities))
        for row in rows.order_by("pk"):
            # no cap: a second release would take other orders' holds, so the constraint should fail loudly
            ShelfStock.objects.filter(pk=row.pk).update(reserved=F("reserved") - quantities[row.product_id])
        products_changed(quantities)


def pickup_hand_over(*, part, actor, cash: Decimal | None = None):
    """The shopper collects at the counter: the part is delivered, each line leaves the shelf (a PICKUP movement),
    and cash on pickup is recorded (which enters the sale, once, as an online sale)."""
    from shop.fulfilment.models import FulfilmentPart
    from shop.fulfilment.services import PartActionRefused, part_due, part_handed_over

    from shop.payments.models import Payment

    Status = FulfilmentPart.Status
    with transaction.atomic():
        # The lock order every part writer uses: payment, then part, then shelves (no deadlock with a cancel).
        Payment.objects.select_for_update().filter(order_id=part.order_id).first()
        part = FulfilmentPart.objects.select_for_update(of=("self",)).select_related("order__ocop_payment").get(pk=part.pk)
        if part.status == Status.DELIVERED:
            return part
        if part.status not in (Status.CONFIRMED, Status.PACKED):
            if part.status == Status.AWAITING_PAYMENT:
                raise ShelfRefused(_("Đơn chưa được thanh toán: chưa giao hàng."))
            raise ShelfRefused(_("Phần đơn đang ở trạng thái “%(status)s”.") % {"status": part.get_status_display()})
        is_cash = part.order.ocop_payment.method == "cod"
        due = part_due(part)
        if is_cash and (cash is None or Decimal(cash) != due):
            from shop.money import dong_text

            raise ShelfRefused(_("Thu đúng %(due)s trước khi giao hàng.") % {"due": dong_text(due)})
        lines = list(part.lines.select_related("product").order_by("pk"))
        shelves = shelves_lock(showroom=part.pickup_showroom, product_ids=[line.product_id for line in lines])
        for line in lines:
            shelf = shelves[line.product_id]
            ShelfStock.objects.filter(pk=shelf.pk).update(reserved=F("reserved") - line.quantity)
            shelf.reserved -= line.quantity
            _write(
                shelf=shelf, delta=-line.quantity, reason=Reason.PICKUP, actor=actor,
                note=_("Đơn %(number)s") % {"number": part.order.number}, order_line=line,
            )
        try:
            part_handed_over(part=part, actor=actor, cash=due if is_cash else None)
        except PartActionRefused as refused:
            raise ShelfRefused(str(refused))
    return part


def pickups_expire_uncollected(*, now=None) -> list[str]:
    """Pickup parts still waiting SHOWROOM_PICKUP_DAYS after they were confirmed are cancelled: the shelf gets its
    units back and a prepaid part its refund (through part_cancel, once per part). Returns the part references."""
    from shop.fulfilment.models import FulfilmentPart
    from shop.fulfilment.services import PartActionRefused, part_cancel

    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.SHOWROOM_PICKUP_DAYS)
    overdue = FulfilmentPart.objects.filter(
        pickup_showroom__isnull=False,
        status__in=(FulfilmentPart.Status.CONFIRMED, FulfilmentPart.Status.PACKED),
        confirmed_at__lt=cutoff,
    ).select_related("order")
    expired = []
    for part in overdue:
        try:
            part_cancel(part=part, reason=_("Quá %(days)s ngày khách không đến nhận hàng.")
                        % {"days": settings.SHOWROOM_PICKUP_DAYS})
        except PartActionRefused:  # handed over meanwhile
            continue
        expired.append(part.reference)
    return expired

"""The only writers of the sales ledger. Every channel calls these; nothing else creates Sale rows.

A row keeps what a report groups it by as it was when the money was taken (the producer's commune, the OCOP group,
the stars of the certificate valid that day), so a report for a past period gives the same figures whenever it is
generated. ``booked_on`` is the day a report counts the row on: the day the money was taken, or, when that day lies
in a period staff have closed, the day the row was recorded (late rows land in the open period).
"""

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ClosedPeriod, Platform, Sale


def booking_date(occurred_at: dt.datetime) -> dt.date:
    """The day a report counts a row taken at ``occurred_at`` on."""
    day = timezone.localdate(occurred_at)
    if ClosedPeriod.objects.filter(starts_on__lte=day, ends_on__gte=day).exists():
        return max(day, timezone.localdate())
    return day


def sale_facts(*, product, producer, occurred_at: dt.datetime) -> dict:
    """What a report groups a sale by, as it stands when the money is taken."""
    day = timezone.localdate(occurred_at)
    producer = producer or (product.producer if product is not None else None)
    certificate = product.current_certificate(day) if product is not None else None
    owner = product.parent if product is not None and product.parent_id and not product.ocop_product_set_id else product
    group = owner.ocop_group if owner is not None else None
    return {
        "area_id": producer.area_id if producer is not None else None,
        "ocop_group": group.number if group is not None else None,
        "stars": certificate.stars if certificate is not None else None,
    }


PLATFORM_WORDS = [  # folded words of a typed platform name -> Platform
    ("shopee", Platform.SHOPEE),
    ("tiktok", Platform.TIKTOK_SHOP),
    ("lazada", Platform.LAZADA),
    ("postmart", Platform.POSTMART),
    ("voso", Platform.VOSO),
    ("sieu thi", Platform.SUPERMARKET),
    ("supermarket", Platform.SUPERMARKET),
    ("co.opmart", Platform.SUPERMARKET),
    ("bach hoa xanh", Platform.SUPERMARKET),
]


def platform_of(text: str) -> str:
    """A Platform value, or a platform's name as typed ("Shopee", "siêu thị Co.opmart") -> its Platform; "other"
    when nothing matches."""
    from shop.text import fold_vietnamese

    if text in Platform.values:
        return text
    folded = fold_vietnamese(text or "")
    return next((platform for word, platform in PLATFORM_WORDS if word in folded), Platform.OTHER)


def sale_record(
    *,
    channel: str,
    occurred_at: dt.datetime,
    title: str,
    quantity: int,
    amount: Decimal,
    product=None,
    producer=None,
    order_line=None,
    showroom=None,
    live_session=None,
    note: str = "",
    source_key: str | None = None,
    platform: str = "",
    sale_import=None,
    import_row: int | None = None,
    entered_by=None,
) -> Sale:
    """Record one sale. Idempotent for an order line and for a source key: the existing row is returned.
    ``platform`` is required for channel "external" (reports.models.Platform) and refused for the others."""
    if order_line is not None:
        existing = Sale.objects.filter(order_line=order_line, kind=Sale.Kind.SALE).first()
        if existing:
            return existing
    if source_key and (existing := Sale.objects.filter(source_key=source_key).first()):
        return existing
    try:
        with transaction.atomic():
            return Sale.objects.create(
                channel=channel,
                kind=Sale.Kind.SALE,
                occurred_at=occurred_at,
                title=title,
                quantity=quantity,
                amount=amount,
                product=product,
                producer=producer,
                order_line=order_line,
                showroom=showroom,
                live_session=live_session,
                note=note,
                source_key=source_key or None,
                platform=platform,
                sale_import=sale_import,
                import_row=import_row,
                entered_by=entered_by,
                booked_on=booking_date(occurred_at),
                **sale_facts(product=product, producer=producer, occurred_at=occurred_at),
            )
    except IntegrityError:
        if source_key:
            return Sale.objects.get(source_key=source_key)
        if order_line is None:
            raise
        return Sale.objects.get(order_line=order_line, kind=Sale.Kind.SALE)


def sale_reverse(*, sale: Sale, occurred_at: dt.datetime, note: str = "") -> Sale:
    """Enter the reversing row for a sale (cancelled or refunded). Once per sale: a second call returns the first."""
    existing = Sale.objects.filter(reverses=sale).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Sale.objects.create(
                channel=sale.channel,
                kind=Sale.Kind.REVERSAL,
                occurred_at=occurred_at,
                title=sale.title,
                quantity=-sale.quantity,
                amount=-sale.amount,
                product_id=sale.product_id,
                producer_id=sale.producer_id,
                order_line_id=sale.order_line_id,
                showroom_id=sale.showroom_id,
                live_session_id=sale.live_session_id,
                reverses=sale,
                note=note,
                platform=sale.platform,
                area_id=sale.area_id,
                ocop_group=sale.ocop_group,
                stars=sale.stars,
                booked_on=booking_date(occurred_at),
            )
    except IntegrityError:
        return Sale.objects.get(reverses=sale)


def sales_record_order_lines(*, lines, occurred_at: dt.datetime) -> list[Sale]:
    """An online sale enters per line when its money is taken; an order a live session brought in is entered
    under that session's channel ("livestream <session>")."""
    lines = list(lines)
    session = _live_session_of(lines[0].order_id) if lines else None
    return [
        sale_record(
            channel=Sale.Channel.LIVESTREAM if session else Sale.Channel.ONLINE,
            live_session=session,
            note=session.channel_label if session else "",
            occurred_at=occurred_at,
            title=line.title,
            quantity=line.quantity,
            amount=line.line_price_incl_tax,
            product=line.product,
            producer=line.partner,
            order_line=line,
        )
        for line in lines
    ]


def _live_session_of(order_id: int):
    from livestream.models import LiveOrder

    live = LiveOrder.objects.filter(order_id=order_id).select_related("session").first()
    return live.session if live else None


def sales_reverse_order_lines(*, lines, occurred_at: dt.datetime, note: str = "") -> list[Sale]:
    """The reversing rows for lines that were recorded as sold (a line never sold has nothing to reverse)."""
    sales = Sale.objects.filter(order_line__in=list(lines), kind=Sale.Kind.SALE)
    return [sale_reverse(sale=sale, occurred_at=occurred_at, note=note) for sale in sales]


class PeriodRefused(ValueError):
    """A period that cannot be closed (it has not ended yet, or ends before it starts)."""


@transaction.atomic
def period_close(*, starts_on: dt.date, ends_on: dt.date, user, note: str = "") -> ClosedPeriod:
    """Close a reporting period: from now on a sale taken in it is booked on the day it is recorded. Only a period
    that has ended may be closed; closing the same period twice returns the first closure."""
    from django.utils.translation import gettext as _

    if ends_on < starts_on:
        raise PeriodRefused(_("Ngày kết thúc phải sau ngày bắt đầu."))
    if ends_on >= timezone.localdate():
        raise PeriodRefused(_("Chỉ khoá sổ được kỳ đã kết thúc (đến hết hôm qua)."))
    existing = ClosedPeriod.objects.filter(starts_on=starts_on, ends_on=ends_on).first()
    if existing:
        return existing
    return ClosedPeriod.objects.create(starts_on=starts_on, ends_on=ends_on, closed_by=user, note=note)

"""The only writers of the sales ledger. Every channel calls these; nothing else creates Sale rows."""

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction

from .models import Sale


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
) -> Sale:
    """Record one sale. Idempotent for an order line and for a source key: the existing row is returned."""
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

"""Reads for live sessions: who may see a session's report, and the report itself.

Every figure is one aggregate query, so the report costs the same number of queries for 1 order or 10 000.
"Ordered" counts the order lines of the orders attributed to the session (``LiveOrder``), without shipping and
without lines whose producer's part was cancelled; "sold" is what the sales ledger holds for the session (rows
enter when the money is taken, reversals subtract), so an unpaid cash-on-delivery order is ordered, not yet sold.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.shortcuts import get_object_or_404
from oscar.core.loading import get_model

from .models import FeaturedProduct, LiveOrder, LivePriceClaim, LiveReminder, LiveSession, QualityDocument

Order = get_model("order", "Order")
Line = get_model("order", "Line")
Partner = get_model("partner", "Partner")
ZERO = Decimal(0)


# ---------------------------------------------------------------- who may read a session's report
def sessions_reportable(*, user):
    """Programme staff (staff with ``livestream.view_livesession``) see every session; a producer's users see
    their producers' sessions, a host the sessions they host; anyone else none."""
    if not user.is_authenticated:
        return LiveSession.objects.none()
    if user.is_staff and user.has_perm("livestream.view_livesession"):
        return LiveSession.objects.all()
    return LiveSession.objects.filter(Q(host=user) | Q(producer__in=Partner.objects.filter(users=user)))


def session_for_report(*, user, slug: str) -> LiveSession:
    """Someone else's session is a 404."""
    return get_object_or_404(sessions_reportable(user=user).select_related("producer", "host"), slug=slug)


# ---------------------------------------------------------------- the report's pieces
def _attributed_orders(session: LiveSession):
    return Order.objects.filter(live_order__session=session)


def _customer_email():
    """An order's customer: the signed-in user's email, else the guest's, lower case (Oscar's ``Order.email``)."""
    return Lower(Coalesce(NullIf("user__email", Value("")), "guest_email"))


def _live_lines(session: LiveSession):
    """Lines of the attributed orders, less those whose producer's part was cancelled."""
    from shop.fulfilment.models import FulfilmentPart

    cancelled = FulfilmentPart.objects.filter(
        order_id=OuterRef("order_id"), producer_id=OuterRef("partner_id"), status=FulfilmentPart.Status.CANCELLED
    )
    return Line.objects.filter(order__live_order__session=session).exclude(Exists(cancelled))


def report_orders_by_via(*, session: LiveSession) -> dict[str, int]:
    """Attributed orders by how they came: live price, session page, session link (one query)."""
    counts = LiveOrder.objects.filter(session=session).aggregate(
        **{via: Count("pk", filter=Q(via=via)) for via in LiveOrder.Via.values}
    )
    return {via: counts[via] or 0 for via in LiveOrder.Via.values}


def report_lines_by_product(*, session: LiveSession) -> dict[int | None, dict]:
    """product id → orders, units and value ordered (one query)."""
    rows = (
        _live_lines(session).values("product_id")
        .annotate(orders=Count("order_id", distinct=True), units=Sum("quantity"), revenue=Sum("line_price_incl_tax"))
        .order_by()
    )
    return {row["product_id"]: row for row in rows}


def report_line_totals(*, session: LiveSession) -> dict:
    """Over every product: orders with at least one line still standing, units and value ordered; and the orders
    holding a product the session did not feature (one query)."""
    featured = FeaturedProduct.objects.filter(session=session).values("product_id")
    totals = _live_lines(session).aggregate(
        orders=Count("order_id", distinct=True), units=Sum("quantity"), revenue=Sum("line_price_incl_tax"),
        other_orders=Count("order_id", distinct=True, filter=~Q(product_id__in=featured) | Q(product_id__isnull=True)),
    )
    return {"orders": totals["orders"] or 0, "units": totals["units"] or 0, "revenue": totals["revenue"] or ZERO,
            "other_orders": totals["other_orders"] or 0}


def report_live_price_units(*, session: LiveSession) -> dict[int, int]:
    """product id → units bought at the live price and not given back (one query)."""
    rows = (
        LivePriceClaim.objects.filter(featured__session=session, released_at__isnull=True)
        .values("featured__product_id").annotate(units=Sum("quantity")).order_by()
    )
    return {row["featured__product_id"]: row["units"] or 0 for row in rows}


def report_ledger_by_product(*, session: LiveSession) -> dict[int | None, dict]:
    """product id → units and amount the sales ledger holds for the session, sales minus reversals (one query)."""
    from reports.models import Sale

    rows = (
        Sale.objects.filter(live_session=session).values("product_id")
        .annotate(units=Sum("quantity"), amount=Sum("amount")).order_by()
    )
    return {row["product_id"]: {"units": row["units"] or 0, "amount": row["amount"] or ZERO} for row in rows}


def report_new_customers(*, session: LiveSession) -> int:
    """Attributed orders whose customer (by email) had ordered nothing before: each new customer once, since only
    their first order has no earlier one (one query)."""
    earlier = (
        Order.objects.annotate(customer=_customer_email())
        .filter(customer=OuterRef("customer"))
        .filter(Q(date_placed__lt=OuterRef("date_placed"))
                | Q(date_placed=OuterRef("date_placed"), pk__lt=OuterRef("pk")))
    )
    return (
        _attributed_orders(session).annotate(customer=_customer_email())
        .exclude(customer="").exclude(Exists(earlier)).count()
    )


def report_reminders(*, session: LiveSession) -> dict:
    """Confirmed reminders, and how many of them (by email or account) placed an attributed order (one query)."""
    ordered = (
        _attributed_orders(session).annotate(customer=_customer_email())
        .filter(Q(customer=Lower(OuterRef("email"))) | Q(user_id__isnull=False, user_id=OuterRef("user_id")))
    )
    counts = LiveReminder.objects.filter(session=session, confirmed_at__isnull=False).aggregate(
        confirmed=Count("pk"), converted=Count("pk", filter=Exists(ordered))
    )
    confirmed, converted = counts["confirmed"] or 0, counts["converted"] or 0
    rate = (Decimal(converted) * 100 / confirmed).quantize(Decimal("0.1")) if confirmed else None
    return {"confirmed": confirmed, "converted": converted, "rate": rate}


# ---------------------------------------------------------------- the whole report
@dataclass
class ProductRow:
    title: str
    product_id: int | None = None
    featured: bool = True
    live_price: Decimal | None = None
    orders: int = 0
    units: int = 0
    revenue: Decimal = ZERO
    live_price_units: int = 0
    sold_units: int = 0
    sold_amount: Decimal = ZERO


@dataclass
class SessionReport:
    session: LiveSession
    by_via: dict[str, int]
    rows: list[ProductRow]
    total: ProductRow
    new_customers: int
    reminders: dict
    via_labels: dict = field(default_factory=lambda: dict(LiveOrder.Via.choices))

    @property
    def attributed_orders(self) -> int:
        return sum(self.by_via.values())

    @property
    def not_yet_sold(self) -> Decimal:
        """Ordered but not (yet) in the ledger: unpaid cash on delivery, transfers awaiting payment."""
        return max(self.total.revenue - self.total.sold_amount, ZERO)

    @property
    def via_rows(self) -> list[tuple[str, str, int]]:
        return [(via, str(self.via_labels[via]), self.by_via[via]) for via in LiveOrder.Via.values]


def session_report(*, session: LiveSession) -> SessionReport:
    """The featured products in their order, then one row for other products bought in the same orders; a totals
    row over all of them. Eight queries whatever the number of orders."""
    from django.utils.translation import gettext as _

    lines = report_lines_by_product(session=session)
    ledger = report_ledger_by_product(session=session)
    live_units = report_live_price_units(session=session)
    rows = []
    for feature in FeaturedProduct.objects.filter(session=session).select_related("product").order_by("position", "pk"):
        bought, sold = lines.pop(feature.product_id, {}), ledger.pop(feature.product_id, {})
        rows.append(ProductRow(
            title=feature.product.get_title(), product_id=feature.product_id, live_price=feature.live_price,
            orders=bought.get("orders", 0), units=bought.get("units", 0), revenue=bought.get("revenue") or ZERO,
            live_price_units=live_units.get(feature.product_id, 0),
            sold_units=sold.get("units", 0), sold_amount=sold.get("amount", ZERO),
        ))
    totals = report_line_totals(session=session)
    if lines or ledger:  # products bought in the same orders that the session did not feature
        rows.append(ProductRow(
            title=_("Sản phẩm khác trong các đơn này"), featured=False, orders=totals["other_orders"],
            units=sum(r["units"] or 0 for r in lines.values()),
            revenue=sum((r["revenue"] or ZERO for r in lines.values()), ZERO),
            sold_units=sum(r["units"] for r in ledger.values()),
            sold_amount=sum((r["amount"] for r in ledger.values()), ZERO),
        ))
    total = ProductRow(
        title=_("Tổng cộng"), featured=False, orders=totals["orders"], units=totals["units"], revenue=totals["revenue"],
        live_price_units=sum(row.live_price_units for row in rows),
        sold_units=sum(row.sold_units for row in rows), sold_amount=sum((row.sold_amount for row in rows), ZERO),
    )
    return SessionReport(
        session=session, by_via=report_orders_by_via(session=session), rows=rows, total=total,
        new_customers=report_new_customers(session=session), reminders=report_reminders(session=session),
    )


# ---------------------------------------------------------------- the schedule (/live/, the home page)
Status = LiveSession.Status


def _listed(queryset):
    """Sessions for a list: host and organiser joined, the number of featured products counted in the same query."""
    return queryset.select_related("host", "producer").annotate(featured_count=Count("featured", distinct=True))


def sessions_for_index(*, now: dt.datetime):
    """(live now, upcoming, past queryset). Upcoming includes cancelled sessions that were still to come, so those
    who planned for them see the cancellation; past is everything else, newest first."""
    live = list(_listed(LiveSession.objects.filter(status=Status.LIVE)).order_by("actual_start", "pk"))
    upcoming = list(
        _listed(
            LiveSession.objects.filter(
                Q(status=Status.SCHEDULED, scheduled_end__gt=now) | Q(status=Status.CANCELLED, scheduled_start__gt=now)
            )
        ).order_by("scheduled_start", "pk")
    )
    past = _listed(
        LiveSession.objects.filter(
            Q(status=Status.ENDED)
            | Q(status=Status.CANCELLED, scheduled_start__lte=now)
            | Q(status=Status.SCHEDULED, scheduled_end__lte=now)
        )
    ).order_by("-scheduled_start", "-pk")
    return live, upcoming, past


# ---------------------------------------------------------------- the control page (/live/<slug>/control/)
def session_control_features(*, session: LiveSession) -> list[FeaturedProduct]:
    """The session's featured products in their order, each with its product (and a variant's parent, for the
    title), the product's certificates and its quality documents, newest first: three queries, whatever the
    number of products. The gate (``Product.current_certificate``) reads a standalone product's prefetched
    certificates instead of querying; a variant, whose parent's certificates count too, still asks the database
    itself, so the answer never depends on what was prefetched."""
    documents = QualityDocument.objects.order_by("-issued_on", "-created_at")
    return list(
        session.featured.select_related("product__parent").prefetch_related(
            "product__certificates", Prefetch("product__quality_documents", queryset=documents)
        )
    )

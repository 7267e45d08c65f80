"""Reads for showroom pages, the staff stock screen and checkout, always scoped to who is asking."""

from __future__ import annotations

import enum

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from catalogue.models import Product
from catalogue.search.text import query_words

from .models import ShelfStock, Showroom, StockMovement

STOCK_PERMISSION = "showrooms.change_shelfstock"
DONE_PICKUPS_SHOWN = 30


class ShelfLevel(enum.StrEnum):
    IN_STOCK = "in_stock"
    FEW_LEFT = "few_left"
    OUT = "out"

    @property
    def label(self):
        return {
            ShelfLevel.IN_STOCK: _("còn hàng"),
            ShelfLevel.FEW_LEFT: _("sắp hết"),
            ShelfLevel.OUT: _("hết hàng"),
        }[self]


def shelf_level(*, available: int, threshold: int) -> ShelfLevel:
    """What a shopper is told: never the exact count."""
    if available <= 0:
        return ShelfLevel.OUT
    if available <= threshold:
        return ShelfLevel.FEW_LEFT
    return ShelfLevel.IN_STOCK


# ---------------------------------------------------------------- who may touch which showroom
def showrooms_of_user(user):
    """Showroom staff: the showrooms they are assigned to. Programme staff with the stock permission: all."""
    if not getattr(user, "is_authenticated", False):
        return Showroom.objects.none()
    if user.is_staff and user.has_perm(STOCK_PERMISSION):
        return Showroom.objects.filter(is_active=True)
    return Showroom.objects.filter(is_active=True, memberships__user=user).distinct()


def showroom_for_user(*, user, code: str) -> Showroom:
    """Someone else's showroom is a 404."""
    return get_object_or_404(showrooms_of_user(user), code=code)


# ---------------------------------------------------------------- the stock screen
def shelf_product_find(*, showroom: Showroom, query: str, limit: int = 20) -> list[Product]:
    """Products a clerk can act on: on this showroom's shelves, or certified (so a delivery can start a new line).
    Found by barcode or SKU exactly, or by every word of the name typed with or without accents."""
    query = query.strip()
    if not query:
        return []
    on_shelf = Q(shelf_stock__showroom=showroom)
    code = Q(upc__iexact=query) | Q(stockrecords__partner_sku__iexact=query)
    words = query_words(query)
    named = Q()
    for word in words:
        named &= Q(title_folded__contains=word)
    candidates = Product.objects.filter(code | named).filter(Q(pk__in=Product.objects.certified()) | on_shelf)
    products = list(
        Product.objects.filter(pk__in=candidates.values("pk"))
        .select_related("producer")
        .with_current_certificates()
        .order_by("title")[:limit]
    )
    shelves = {
        s.product_id: s for s in ShelfStock.objects.filter(showroom=showroom, product__in=products)
    }
    for product in products:
        product.shelf = shelves.get(product.pk)
    return products


def shelf_product_for_user(*, showroom: Showroom, product_id) -> Product:
    """A product the clerk may act on here (on this shelf, or certified); anything else is a 404."""
    allowed = Product.objects.filter(Q(pk__in=Product.objects.certified()) | Q(shelf_stock__showroom=showroom))
    return get_object_or_404(allowed.distinct(), pk=product_id)


def movements_recent(*, showroom: Showroom, product=None, limit: int = 15):
    movements = StockMovement.objects.filter(showroom=showroom).select_related("product", "actor", "reversal")
    if product is not None:
        movements = movements.filter(product=product)
    return list(movements.order_by("-created_at", "-pk")[:limit])


def shelf_rows(*, showroom: Showroom):
    """Everything the showroom holds or has held, for the stock screen and exports."""
    return ShelfStock.objects.filter(showroom=showroom).select_related("product", "product__producer").order_by(
        "product__title"
    )


# ---------------------------------------------------------------- public pages
def shelf_for_page(*, showroom: Showroom):
    """The certified products on a showroom's shelves with their public level, in a constant number of queries."""
    from catalogue.selectors import products_for_cards

    shelves = {
        s.product_id: s for s in ShelfStock.objects.filter(showroom=showroom, quantity__gt=0)
    }
    products = products_for_cards(Product.objects.filter(pk__in=list(shelves))).order_by("title")
    result = []
    for product in products:
        shelf = shelves[product.pk]
        product.shelf_level = shelf_level(available=shelf.available, threshold=showroom.few_left_threshold)
        result.append(product)
    return result


def showrooms_for_product(product) -> list[tuple[Showroom, ShelfLevel]]:
    """Where a product can be seen and bought in person: active showrooms that carry it, nearest-to-stock first."""
    shelves = (
        ShelfStock.objects.filter(product=product, showroom__is_active=True)
        .select_related("showroom", "showroom__area")
        .order_by("showroom__name")
    )
    result = [
        (s.showroom, shelf_level(available=s.available, threshold=s.showroom.few_left_threshold)) for s in shelves
    ]
    return sorted(result, key=lambda pair: pair[1] == ShelfLevel.OUT)


def showrooms_for_pickup(*, lines) -> list[Showroom]:
    """Showrooms that can hand over the whole basket: every line is a parcel product and every product has
    enough units on the shelf that are not held for someone else."""
    wanted: dict[int, int] = {}
    for line in lines:
        if not line.product.needs_shipping:
            return []
        wanted[line.product_id] = wanted.get(line.product_id, 0) + line.quantity
    if not wanted:
        return []
    stocked: dict[int, set[int]] = {}
    shelves = ShelfStock.objects.filter(
        product_id__in=list(wanted), showroom__is_active=True, showroom__offers_pickup=True
    ).values_list("showroom_id", "product_id", "quantity", "reserved")
    for showroom_id, product_id, quantity, reserved in shelves:
        if quantity - reserved >= wanted[product_id]:
            stocked.setdefault(showroom_id, set()).add(product_id)
    ids = [pk for pk, products in stocked.items() if products == set(wanted)]
    return list(Showroom.objects.filter(pk__in=ids).select_related("area", "area__parent").order_by("name"))


def pickup_parts(*, showroom: Showroom, include_done: bool = False):
    """Pickup orders for the counter: waiting ones first; each with its lines, in a constant number of queries."""
    from shop.fulfilment.models import FulfilmentPart
    from shop.fulfilment.selectors import lines_by_part

    Status = FulfilmentPart.Status
    related = ("order", "order__ocop_payment", "order__delivery", "producer")
    parts = list(
        FulfilmentPart.objects.filter(
            pickup_showroom=showroom, status__in=[Status.AWAITING_PAYMENT, Status.CONFIRMED, Status.PACKED]
        )
        .select_related(*related)
        .order_by("order__date_placed", "pk")
    )
    if include_done:  # the most recent hand-overs, for a shopper who comes back with a question
        parts += list(
            FulfilmentPart.objects.filter(pickup_showroom=showroom, status=Status.DELIVERED)
            .select_related(*related)
            .order_by("-delivered_at", "-pk")[:DONE_PICKUPS_SHOWN]
        )
    grouped = lines_by_part(parts)
    for part in parts:
        part.line_list = grouped[part.pk]
    return parts


def pickup_part_for_showroom(*, showroom: Showroom, pk):
    from shop.fulfilment.models import FulfilmentPart

    return get_object_or_404(FulfilmentPart.objects.filter(pickup_showroom=showroom), pk=pk)

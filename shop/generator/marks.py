"""Which rows the generator made, and how they are removed.

Every generated row carries a mark no demo or real row has: product UPCs start with ``BENCH-``, producer and
showroom codes with ``bench-``, order numbers with ``B`` (real ones are digits), shopper and guest emails end with
``@bench.invalid``, and the shared images live under ``bench/`` in the media storage. Removal starts from marked rows
only; rows elsewhere that point at them follow Django's ``on_delete`` rules (cascade, set null), and a protected
reference from a row the generator did not make stops the removal instead of deleting that row.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models.deletion import get_candidate_relations_to_delete
from oscar.core.loading import get_model

from catalogue.models import Certificate, Product
from reports.models import Sale
from showrooms.models import ShelfStock, Showroom, StockMovement

UPC_PREFIX = "BENCH-"
CODE_PREFIX = "bench-"
ORDER_PREFIX = "B"
EMAIL_DOMAIN = "@bench.invalid"
IMAGE_DIR = "bench"
FORMAT = "2"  # bumped whenever a seed would generate something different: older data is then regenerated
CHUNK = 5000


class GenerationRefused(RuntimeError):
    """The generator cannot do what was asked (missing reference data, an unsuitable database); says why."""


class GeneratedRowsInUse(GenerationRefused):
    """Rows the generator did not make point at generated rows through a protected reference."""


def product_marker(seed: int) -> str:
    """The UPC prefix of the products one seed generates (with the generator's format)."""
    return f"{UPC_PREFIX}{seed}-{FORMAT}-"


def generated_products():
    return Product.objects.filter(upc__startswith=UPC_PREFIX)


def generated_producers():
    return get_model("partner", "Partner").objects.filter(code__startswith=CODE_PREFIX)


def generated_showrooms():
    return Showroom.objects.filter(code__startswith=CODE_PREFIX)


def generated_orders():
    return get_model("order", "Order").objects.filter(number__startswith=ORDER_PREFIX)


def generated_shoppers():
    return get_user_model().objects.filter(email__endswith=EMAIL_DOMAIN)


def rows_delete(queryset) -> int:
    """Delete these rows without loading them or sending signals, one statement per table: what points at them
    is deleted first (CASCADE, and rows of the same model, such as a reversal of a generated sale) or emptied
    (SET_NULL), as ``Model.delete`` would. Raises GeneratedRowsInUse when another model's PROTECT or RESTRICT
    reference holds them. Returns how many of these rows were deleted."""
    model = queryset.model
    for relation in get_candidate_relations_to_delete(model._meta):
        field = relation.field
        on_delete = field.remote_field.on_delete
        if on_delete is models.DO_NOTHING:
            continue
        target = field.target_field.attname
        children = relation.related_model._base_manager.filter(**{f"{field.name}__in": queryset.values(target)})
        if not children.exists():
            continue
        if on_delete is models.SET_NULL:
            children.update(**{field.name: None})
        elif on_delete is models.CASCADE or relation.related_model is model:
            if relation.related_model._meta.parents and not field.remote_field.parent_link:
                raise GeneratedRowsInUse(f"{relation.related_model._meta.label} rows (a multi-table model) point "
                                         f"at generated {model._meta.label} rows")
            rows_delete(children)
        else:
            raise GeneratedRowsInUse(f"{children.count()} {relation.related_model._meta.label} rows protect "
                                     f"generated {model._meta.label} rows; remove them first")
    return queryset._raw_delete(queryset.db)


def orders_remove(*, log: Callable[[str], None] = print) -> int:
    """Remove the generated orders (lines, parts, payments, ledger rows, delivery and addresses) and shoppers.
    Returns how many orders and shoppers went."""
    ShippingAddress = get_model("order", "ShippingAddress")
    orders = generated_orders()
    with transaction.atomic():
        addresses = list(orders.exclude(shipping_address=None).values_list("shipping_address_id", flat=True))
        sold = rows_delete(Sale.objects.filter(order_line__order__in=orders.values("pk")))
        removed = rows_delete(orders)
        for start in range(0, len(addresses), CHUNK):
            rows_delete(ShippingAddress.objects.filter(pk__in=addresses[start:start + CHUNK]))
        shoppers = rows_delete(generated_shoppers())
    if removed or shoppers:
        log(f"removed {removed:,} generated orders ({sold:,} ledger rows) and {shoppers:,} shoppers")
    return removed + shoppers


def catalogue_remove(*, log: Callable[[str], None] = print) -> int:
    """Remove every generated row: orders first, then shelves, certificates, products, showrooms and producers.
    Returns how many orders, shoppers, products, showrooms and producers went."""
    gone = orders_remove(log=log)
    products, showrooms = generated_products(), generated_showrooms()
    with transaction.atomic():
        for model in (StockMovement, ShelfStock):
            rows_delete(model.objects.filter(showroom__in=showrooms.values("pk")))
            rows_delete(model.objects.filter(product__in=products.values("pk")))
        rows_delete(Certificate.objects.filter(product__in=products.values("pk")))
        removed = rows_delete(products)
        rooms = rows_delete(showrooms)
        producers = rows_delete(generated_producers())
    if removed or rooms or producers:
        log(f"removed the generated catalogue: {removed:,} products, {producers:,} producers, {rooms:,} showrooms")
    return gone + removed + rooms + producers

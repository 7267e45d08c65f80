"""The listing columns on Product: what a listing filters, sorts, counts and shows, kept in indexed columns.

``listings_refresh`` recomputes them from their sources (certificates, the first stock record, showroom shelves,
the producer's area, the OCOP set) and writes only the rows that changed. Every write to a source reaches it in
the same transaction: saves through the signals in ``catalogue.search.indexing`` and ``update()`` writes through
``product_changed``/``products_changed``, so a listing never shows what the database no longer says. When a
refreshed row changed something a shopper can see, the storefront's cached pages are invalidated after the
commit (``shop.caching.versions``).

The certificate is kept as the span of days it is valid in (``certified_from``..``certified_until``), never as a
flag: a certificate expiring tonight drops out of listings tomorrow without any job. Two rare cases change a row
on a later day without a write (a renewal issued with a future date that changes the stars, or a second span
after a gap); ``listing_recheck_on`` names that day and ``listings_refresh_due`` catches up (once a day, lazily,
and from the scheduler).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Iterable
from contextlib import contextmanager
from functools import partial

from django.db import connection, transaction

from .certification import certificate_is_valid, ocop_today

FEW_LEFT = 10  # "Chỉ còn N sản phẩm" up to this many; more is "Còn hàng" (the live page uses the same threshold)
PLENTY = FEW_LEFT + 1
BATCH = 1000
COLUMNS = (
    "certified_from", "certified_until", "listing_stars", "listing_recheck_on", "listing_price", "stock_band",
    "at_showroom", "shelf_signature", "listing_area", "listing_group",
)


def stock_band(
    *, num_in_stock: int | None, num_allocated: int | None, has_record: bool = True, tracked: bool = True
) -> int:
    """Units buyable online, capped at PLENTY: 0 cannot be bought, 1..FEW_LEFT "only N left", PLENTY "in stock".
    Untracked stock (no level kept, or a product class that keeps none, e.g. a tour) counts as plenty, as
    Oscar's strategy sells it."""
    if not has_record:
        return 0
    if num_in_stock is None or not tracked:
        return PLENTY
    return max(0, min(PLENTY, num_in_stock - (num_allocated or 0)))


def certified_columns(certificates: Iterable, *, today: dt.date) -> dict:
    """The listing's view of a product's certificates from ``today`` on: the first span of consecutive valid
    days (the one holding today, else the next one), the stars of the certificate current on its first listed
    day, and the next day on which that answer changes without a write (None: it never does)."""
    # valid on some day from today on: the gate's own rule on its first such day
    usable = sorted(
        (c for c in certificates if certificate_is_valid(c, on=max(c.issued_on, today))),
        key=lambda c: (c.issued_on, c.pk or 0),
    )
    if not usable:
        return {"certified_from": None, "certified_until": None, "listing_stars": None, "listing_recheck_on": None}
    spans: list[list[dt.date]] = []
    for certificate in usable:
        if spans and certificate.issued_on <= spans[-1][1] + dt.timedelta(days=1):
            spans[-1][1] = max(spans[-1][1], certificate.expires_on)
        else:
            spans.append([certificate.issued_on, certificate.expires_on])
    start, end = spans[0]
    first_day = max(start, today)
    current = max((c for c in usable if certificate_is_valid(c, on=first_day)), key=lambda c: (c.issued_on, c.pk or 0))
    # Later days on which "the current certificate" may change: a later issue date, or one ending before the span.
    changes = [c.issued_on for c in usable if c.issued_on > first_day]
    changes += [c.expires_on + dt.timedelta(days=1) for c in usable if first_day <= c.expires_on < end]
    return {
        "certified_from": start,
        "certified_until": end,
        "listing_stars": current.stars,
        "listing_recheck_on": min(changes) if changes else None,
    }


def shelf_signature(levels: Iterable[tuple[int, str]]) -> str:
    """A short digest of (showroom, shelf level) pairs: changes exactly when a shopper's "còn hàng / sắp hết /
    hết hàng" changes somewhere."""
    text = ";".join(f"{showroom}:{level}" for showroom, level in sorted(levels))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest() if text else ""


def _models(registry=None):
    """Product, Certificate, StockRecord and ShelfStock from the app registry (a migration passes its own)."""
    if registry is None:
        from django.apps import apps as registry
    return tuple(
        registry.get_model(app, name)._base_manager
        for app, name in (("catalogue", "Product"), ("catalogue", "Certificate"), ("partner", "StockRecord"),
                          ("showrooms", "ShelfStock"))
    )


def _sources(ids: list[int], today: dt.date, registry=None) -> dict[int, dict]:
    """Every listing column of these products, computed from their sources in four queries."""
    from showrooms.selectors import shelf_level

    Product, Certificate, StockRecord, ShelfStock = _models(registry)
    rows = {
        row["pk"]: row
        for row in Product.filter(pk__in=ids).values(
            "pk", "parent_id", "producer__area__former_district", "ocop_product_set__group__number",
            "parent__ocop_product_set__group__number", "product_class__track_stock",
            "parent__product_class__track_stock",
        )
    }
    owners = {pk: [pk] + ([row["parent_id"]] if row["parent_id"] else []) for pk, row in rows.items()}
    certificates: dict[int, list] = {}
    wanted = {owner for chain in owners.values() for owner in chain}
    for certificate in Certificate.filter(product_id__in=wanted).only(
        "pk", "product_id", "stars", "issued_on", "expires_on", "revoked_on"
    ):
        certificates.setdefault(certificate.product_id, []).append(certificate)
    first_stock: dict[int, dict] = {}
    for record in StockRecord.filter(product_id__in=ids).order_by("product_id", "pk").values(
        "product_id", "price", "num_in_stock", "num_allocated"
    ):
        first_stock.setdefault(record["product_id"], record)
    shelves: dict[int, list[tuple[int, str]]] = {}
    for shelf in ShelfStock.filter(product_id__in=ids, showroom__is_active=True).values(
        "product_id", "showroom_id", "quantity", "reserved", "showroom__few_left_threshold"
    ):
        level = shelf_level(available=shelf["quantity"] - shelf["reserved"], threshold=shelf["showroom__few_left_threshold"])
        shelves.setdefault(shelf["product_id"], []).append((shelf["showroom_id"], str(level)))

    computed = {}
    for pk, row in rows.items():
        stock = first_stock.get(pk)
        levels = shelves.get(pk, [])
        computed[pk] = {
            **certified_columns([c for owner in owners[pk] for c in certificates.get(owner, [])], today=today),
            "listing_price": stock["price"] if stock else None,
            "stock_band": stock_band(
                num_in_stock=stock["num_in_stock"] if stock else None,
                num_allocated=stock["num_allocated"] if stock else None,
                has_record=stock is not None,
                tracked=row["product_class__track_stock"] is not False
                and row["parent__product_class__track_stock"] is not False,
            ),
            "at_showroom": any(level != "out" for _showroom, level in levels),
            "shelf_signature": shelf_signature(levels),
            "listing_area": row["producer__area__former_district"] or "",
            "listing_group": row["ocop_product_set__group__number"] or row["parent__ocop_product_set__group__number"],
        }
    return computed


def listings_refresh(
    *, product_ids: Iterable[int] | None = None, today: dt.date | None = None, registry=None, wait: bool = False
) -> int:
    """Recompute the listing columns of these products (None: every product) and write the rows that changed.
    Returns how many changed; when any did, the storefront's cached pages are invalidated after the commit."""
    Product = _models(registry)[0]
    today = today or ocop_today()
    if product_ids is None:
        ids = list(Product.order_by("pk").values_list("pk", flat=True))
    else:
        ids = sorted({int(pk) for pk in product_ids if pk})
    changed = 0
    with transaction.atomic():
        for start in range(0, len(ids), BATCH):
            dirty_ids = _dirty(Product, ids[start : start + BATCH], today, registry)
            if not dirty_ids:
                continue
            # Write under the rows' locks, from sources read again after taking them: a concurrent refresh of
            # the same product (a revocation while an order for it commits) can then never write back values it
            # read before the other committed. A row locked by another transaction is not waited for (that could
            # deadlock with its stock or shelf locks): it is refreshed again right after this one commits.
            locked = _locked(Product, dirty_ids, wait=wait)
            if len(locked) < len(dirty_ids):  # after the commit nothing else is held: waiting is safe then
                skipped = sorted(set(dirty_ids) - set(locked))
                transaction.on_commit(partial(listings_refresh, product_ids=skipped, registry=registry, wait=True))
            rows = _dirty_rows(Product, locked, today, registry)
            if rows:
                _rows_write(Product.model, rows)
                changed += len(rows)
        if changed:
            from shop.caching.versions import storefront_changed

            storefront_changed()
    return changed


def _dirty_rows(Product, ids: list[int], today: dt.date, registry) -> list:
    """These products with their listing columns set from their sources, those that differ from what is stored."""
    if not ids:
        return []
    computed = _sources(ids, today, registry)
    rows = []
    for product in Product.filter(pk__in=ids).only("pk", *COLUMNS):
        new = computed.get(product.pk)
        if new is None or all(getattr(product, name) == value for name, value in new.items()):
            continue
        for name, value in new.items():
            setattr(product, name, value)
        rows.append(product)
    return rows


def _dirty(Product, ids: list[int], today: dt.date, registry) -> list[int]:
    return [product.pk for product in _dirty_rows(Product, ids, today, registry)]


def _locked(Product, ids: list[int], *, wait: bool) -> list[int]:
    """Lock these product rows in key order, skipping any another transaction holds (``wait``: waiting for them);
    all of them where the database has no row locks (SQLite lets one writer in at a time)."""
    if not connection.features.has_select_for_update_skip_locked:
        return ids
    rows = Product.filter(pk__in=ids).select_for_update(skip_locked=not wait).order_by("pk")
    return list(rows.values_list("pk", flat=True))


def _rows_write(model, products) -> None:
    """One UPDATE per changed row, sent together (executemany): much faster than bulk_update's CASE per column
    when thousands of rows change at once."""
    fields = [model._meta.get_field(name) for name in COLUMNS]
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(model._meta.db_table), ", ".join(f"{quote(f.column)} = %s" for f in fields), quote(model._meta.pk.column)
    )
    rows = [
        [f.get_db_prep_save(getattr(product, f.attname), connection) for f in fields] + [product.pk]
        for product in products
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


_deferred = threading.local()


@contextmanager
def listings_deferred():
    """Within this block ``products_changed`` only notes the products; they are refreshed once at its end, in the
    caller's transaction (an order of many lines, an import of many rows). Nothing is refreshed if the block
    fails: its transaction rolls back anyway. Nested blocks join the outermost."""
    if getattr(_deferred, "ids", None) is not None:
        yield
        return
    _deferred.ids = set()
    try:
        yield
        ids = _deferred.ids
    finally:
        _deferred.ids = None
    if ids and not (connection.in_atomic_block and transaction.get_rollback()):  # a dry run rolls back anyway
        listings_refresh(product_ids=ids)


def listings_defer(ids: set[int]) -> bool:
    """Note these products for the surrounding ``listings_deferred`` block; False when there is none."""
    pending = getattr(_deferred, "ids", None)
    if pending is None:
        return False
    pending |= ids
    return True


def listings_refresh_due(*, today: dt.date | None = None) -> int:
    """Refresh the rows whose recheck day has come (see the module docstring)."""
    from .models import Product

    today = today or ocop_today()
    due = Product.objects.filter(listing_recheck_on__lte=today).values_list("pk", flat=True)
    return listings_refresh(product_ids=list(due), today=today)


def listings_refresh_due_daily() -> None:
    """Once a day per cache (the first listing read of the day pays one query; the rest pay one cache read)."""
    from shop.caching import store

    today = ocop_today()
    if store.add(f"catalogue:listings-due:{today.isoformat()}", True, 60 * 60 * 26):
        listings_refresh_due(today=today)


def analyse() -> None:
    """Fresh planner statistics after a bulk refresh (PostgreSQL and SQLite both understand ANALYZE)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


__all__ = ["FEW_LEFT", "PLENTY", "certified_columns", "listings_refresh", "listings_refresh_due", "stock_band"]

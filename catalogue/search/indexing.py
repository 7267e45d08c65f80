"""Keeping what is read about products fresh: their listing columns at once (catalogue/listing.py, in the same
transaction) and, with Elasticsearch, their search documents after the transaction commits.

Saves of the models a product's listing columns and document are built from (Product, Certificate, StockRecord, Partner, ShelfStock,
Showroom, OcopProductSet, product categories) queue their product ids through signals. Writes that bypass
``save()`` (``queryset.update()``, F() stock moves: showrooms/services.py, shop/partner/stock.py) call
``product_changed(product_id)`` / ``products_changed(ids)`` themselves.

Ids are collected per transaction and sent once, after the commit (nothing is sent for a rolled-back change):
to the task queue when ``settings.OCOP_SEARCH_TASKS`` is on, inline otherwise. Queued, the reindex is a retried task
(shop/tasks/queue.py: backoff, then one ERROR line when it gives up); a queue that cannot take it means indexing
inline. Inline, any error talking to Elasticsearch is logged on the "catalogue.search" logger and never raised into
the save: a failing Elasticsearch never breaks saving a product, and ``manage.py search_index --rebuild`` catches up.

With the database engine (the default) nothing is queued: that engine reads the listing columns.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction

from shop.tasks.queue import background
from shop.transactions import pending_on_commit

logger = logging.getLogger("catalogue.search")


def search_uses_index() -> bool:
    return getattr(settings, "OCOP_SEARCH_ENGINE", "database") == "elasticsearch"


def product_changed(product_id: int | None) -> None:
    """Call after changing something a product's search document holds without ``save()`` (shelf stock, stock
    levels, prices written with ``update()``): the product is reindexed after the commit."""
    products_changed([product_id])


def products_changed(product_ids: Iterable[int | None], *, using: str | None = None) -> None:
    """The listing columns of these products are refreshed now, in the caller's transaction
    (catalogue/listing.py); the search index, when there is one, after the commit."""
    from ..listing import listings_defer, listings_refresh

    ids = {int(pk) for pk in product_ids if pk}
    if not ids:
        return
    if not listings_defer(ids):
        listings_refresh(product_ids=ids)
    if search_uses_index():
        _queue(ids, using=using)


class _AfterCommit:
    """One per transaction: the ids its saves touched, sent together when it commits."""

    def __init__(self, ids: set[int]):
        self.ids = set(ids)
        self.done = False

    def __call__(self):
        self.done = True
        reindex_after_commit(self.ids)


def _queue(ids: set[int], *, using: str | None) -> None:
    """Join this transaction's pending batch (an extra id only costs a needless reindex of current data)."""
    batch = pending_on_commit(_AfterCommit, using=using)
    if batch is not None:
        batch.ids |= ids
        return
    transaction.on_commit(_AfterCommit(ids), using=using, robust=True)


def reindex_after_commit(product_ids: Iterable[int]) -> None:
    ids = sorted(set(product_ids))
    if not ids:
        return
    if getattr(settings, "OCOP_SEARCH_TASKS", False):
        try:
            products_reindex_task.enqueue(ids)
            return
        except Exception:
            logger.exception("Could not queue search reindexing of products %s; indexing them now.", ids)
    products_reindex(ids)


def products_reindex(product_ids: list[int]) -> int:
    """Index these products now; errors are logged, never raised (the rebuild catches up)."""
    try:
        from .elastic import index_products

        return index_products(product_ids)
    except Exception:
        logger.exception(
            "Search index update failed for products %s; `manage.py search_index --rebuild` catches up.",
            list(product_ids),
        )
        return 0


@background(gave_up_hint="`manage.py search_index --rebuild` catches up.")
def products_reindex_task(product_ids: list[int]) -> int:
    """The queued reindex: an Elasticsearch error raises, so the task is retried (reindexing reads current data,
    so running it twice is harmless and it needs no once-only key)."""
    from .elastic import index_products

    return index_products(product_ids)


# ---------------------------------------------------------------- signals: which products a saved row touches
def _product_saved(sender, instance, **kwargs):
    products_changed([instance.pk], using=kwargs.get("using"))


def _row_of_product_saved(sender, instance, **kwargs):
    products_changed([instance.product_id], using=kwargs.get("using"))


def _producer_saved(sender, instance, **kwargs):
    """A producer's name and area are in its products' documents and listing columns."""
    products_changed(instance.products.values_list("pk", flat=True), using=kwargs.get("using"))


def _showroom_saved(sender, instance, **kwargs):
    """Opening or closing a showroom changes "at a showroom" for everything on its shelves."""
    products_changed(instance.shelf.values_list("product_id", flat=True), using=kwargs.get("using"))


def _product_set_saved(sender, instance, **kwargs):
    products_changed(instance.products.values_list("pk", flat=True), using=kwargs.get("using"))


def _categories_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if not reverse:
        products_changed([instance.pk], using=kwargs.get("using"))
    elif pk_set:
        products_changed(pk_set, using=kwargs.get("using"))
    elif search_uses_index():  # a category cleared of all its products
        products_changed(instance.product_set.values_list("pk", flat=True), using=kwargs.get("using"))


def connect_signals() -> None:
    """Called once from CatalogueConfig.ready()."""
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from oscar.core.loading import get_model

    from showrooms.models import ShelfStock, Showroom

    from ..models import Certificate, OcopProductSet, Product

    StockRecord = get_model("partner", "StockRecord")
    Partner = get_model("partner", "Partner")
    ProductCategory = get_model("catalogue", "ProductCategory")
    for signal in (post_save, post_delete):
        signal.connect(_product_saved, sender=Product, dispatch_uid=f"search-product-{signal is post_save}")
        for model in (Certificate, StockRecord, ShelfStock, ProductCategory):
            signal.connect(
                _row_of_product_saved, sender=model, dispatch_uid=f"search-{model._meta.label}-{signal is post_save}"
            )
    post_save.connect(_producer_saved, sender=Partner, dispatch_uid="search-partner")
    post_save.connect(_showroom_saved, sender=Showroom, dispatch_uid="search-showroom")
    post_save.connect(_product_set_saved, sender=OcopProductSet, dispatch_uid="search-product-set")
    m2m_changed.connect(_categories_changed, sender=Product.categories.through, dispatch_uid="search-categories")

"""Make the generated data match the sizes and seed asked for: reuse it when it already does, else remove what was
generated before and generate it again, then refresh the listing columns and the planner's statistics."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from catalogue.listing import analyse, listings_refresh

from . import catalogue, orders
from .marks import (
    catalogue_remove,
    generated_orders,
    generated_producers,
    generated_products,
    generated_shoppers,
    generated_showrooms,
    orders_remove,
    product_marker,
)

DEFAULT_PRODUCTS = 20_000
DEFAULT_SEED = 20250701
MAX_SHOPPERS = 5_000


@dataclass(frozen=True)
class Sizes:
    products: int
    producers: int
    showrooms: int
    orders: int
    shoppers: int

    @classmethod
    def of(cls, *, products: int = DEFAULT_PRODUCTS, producers: int | None = None, showrooms: int | None = None,
           orders: int | None = None, shoppers: int | None = None) -> Sizes:
        """The sizes asked for; those left out follow the products (a producer for three products, a showroom for
        about thirty, two and a half orders a product, a shopper for ten orders up to 5,000)."""
        if producers is None:
            producers = max(1, products // 3)
        if showrooms is None:
            showrooms = max(1, round(products * 0.035))
        if orders is None:
            orders = products * 5 // 2
        if shoppers is None:
            shoppers = min(MAX_SHOPPERS, max(1, orders // 10)) if orders else 0
        sizes = cls(products=products, producers=producers, showrooms=showrooms, orders=orders, shoppers=shoppers)
        if products and not producers:
            raise ValueError("products need at least one producer")
        if min(sizes.products, sizes.producers, sizes.showrooms, sizes.orders, sizes.shoppers) < 0:
            raise ValueError("sizes cannot be negative")
        return sizes


def history_end() -> dt.datetime:
    """Where generated history ends: the start of today in Vietnam, so a seed gives the same rows all day."""
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


def catalogue_matches(*, sizes: Sizes, seed: int) -> bool:
    """The generated catalogue there is the one these sizes and this seed make."""
    products = generated_products()
    return (products.count() == sizes.products
            and products.filter(upc__startswith=product_marker(seed)).count() == sizes.products
            and generated_producers().count() == sizes.producers
            and generated_showrooms().count() == sizes.showrooms)


def orders_match(*, sizes: Sizes) -> bool:
    return generated_orders().count() == sizes.orders and generated_shoppers().count() == sizes.shoppers


def dataset_ensure(*, sizes: Sizes, seed: int, rebuild: bool = False,
                   log: Callable[[str], None] = print) -> dict:
    """Generated data of these sizes for this seed, reused when it is there (and ``rebuild`` is false). Returns
    whether anything was generated, the seconds it all took and the seconds of each part."""
    started = time.perf_counter()
    parts: dict[str, float] = {}

    def timed(name: str, call, describe: Callable[[object], str]):
        began = time.perf_counter()
        result = call()
        parts[name] = round(time.perf_counter() - began, 2)
        log(f"{describe(result)} in {parts[name]:.1f} s")
        return result

    @contextmanager
    def committed(name: str):
        """One transaction; its commit (where PostgreSQL checks the deferred foreign keys) timed on its own."""
        with transaction.atomic():
            yield
            began = time.perf_counter()
        parts[f"commit {name}"] = round(time.perf_counter() - began, 2)
        log(f"{name} committed in {parts[f'commit {name}']:.1f} s")

    end = history_end()
    reuse_catalogue = not rebuild and catalogue_matches(sizes=sizes, seed=seed)
    reuse_orders = reuse_catalogue and orders_match(sizes=sizes)
    if reuse_catalogue:
        log(f"reusing the generated catalogue: {sizes.products:,} products, {sizes.producers:,} producers, "
            f"{sizes.showrooms:,} showrooms (seed {seed})")
        catalogue.search_columns_refresh(log=log)
    else:
        timed("remove", lambda: catalogue_remove(log=log), _removal)
        with committed("catalogue"):
            producers = timed("producers",
                              lambda: catalogue.producers_generate(count=sizes.producers, seed=seed, end=end),
                              lambda made: f"producers: {len(made):,}")
            timed("products", lambda: catalogue.products_generate(count=sizes.products, seed=seed, producers=producers,
                                                                  end=end), _counted)
            timed("showrooms", lambda: catalogue.showrooms_generate(count=sizes.showrooms, seed=seed, end=end),
                  _counted)
    if reuse_orders:
        log(f"reusing {sizes.orders:,} generated orders and {sizes.shoppers:,} shoppers")
    else:
        if reuse_catalogue:
            timed("remove orders", lambda: orders_remove(log=log), _removal)
        with committed("orders"):
            shoppers = timed("shoppers", lambda: orders.shoppers_generate(count=sizes.shoppers, seed=seed, end=end),
                             lambda made: f"shoppers: {len(made):,}")
            timed("orders", lambda: orders.orders_generate(count=sizes.orders, seed=seed, shoppers=shoppers, end=end),
                  _counted)
    timed("listings", _listings_refresh, lambda changed: f"listing columns refreshed ({changed:,} rows changed)")
    generated = not reuse_orders
    if generated:
        timed("analyze", analyse, lambda _r: "statistics updated (ANALYZE)")
    seconds = round(time.perf_counter() - started, 2)
    log(f"{'generated' if generated else 'reused'} in {seconds:.1f} s")
    return {"generated": generated, "seconds": seconds, "parts": parts}


def _removal(gone: int) -> str:
    return "removal done" if gone else "nothing generated before"


def _counted(counts: dict) -> str:
    return ", ".join(f"{name}: {made:,}" for name, made in counts.items())


def _listings_refresh() -> int:
    return listings_refresh() or 0



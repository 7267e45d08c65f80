"""``manage.py search_index --rebuild``: bring product search up to date with the database. Idempotent.

Always: recompute the stored folded columns (products' title_folded, title_lower, search_folded; producers'
name_folded) in batches, writing only the rows that changed. They hold a producer's and an OCOP product set's
name, so renaming either leaves them stale until this runs; the database engine searches them.
With OCOP_SEARCH_ENGINE=elasticsearch, also rebuild the index behind its alias (no downtime: a new index is
filled, then the alias is swapped atomically and the old index deleted).
Without --rebuild: show what would be searched and change nothing.
"""

from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from oscar.core.loading import get_model

from catalogue.models import Product
from catalogue.search.text import search_fields_fill
from shop.text import fold_vietnamese

PRODUCT_COLUMNS = ("title_folded", "title_lower", "search_folded")


def _batches(queryset, size: int):
    """Rows in primary-key order, ``size`` at a time, without holding them all."""
    last_pk = 0
    while True:
        batch = list(queryset.filter(pk__gt=last_pk).order_by("pk")[:size])
        if not batch:
            return
        last_pk = batch[-1].pk
        yield batch


def product_columns_refresh(*, batch_size: int = 500) -> tuple[int, int]:
    """(checked, refreshed) products."""
    checked = refreshed = 0
    for batch in _batches(Product.objects.select_related("producer", "ocop_product_set"), batch_size):
        stale = []
        for product in batch:
            before = tuple(getattr(product, column) for column in PRODUCT_COLUMNS)
            search_fields_fill(product)
            if tuple(getattr(product, column) for column in PRODUCT_COLUMNS) != before:
                stale.append(product)
        if stale:
            Product.objects.bulk_update(stale, PRODUCT_COLUMNS)
        checked += len(batch)
        refreshed += len(stale)
    return checked, refreshed


def producer_columns_refresh(*, batch_size: int = 500) -> tuple[int, int]:
    Partner = get_model("partner", "Partner")
    checked = refreshed = 0
    for batch in _batches(Partner.objects.only("pk", "name", "name_folded"), batch_size):
        stale = []
        for partner in batch:
            folded = fold_vietnamese(partner.name or "")[:255]
            if partner.name_folded != folded:
                partner.name_folded = folded
                stale.append(partner)
        if stale:
            Partner.objects.bulk_update(stale, ["name_folded"])
        checked += len(batch)
        refreshed += len(stale)
    return checked, refreshed


@contextmanager
def _elasticsearch_errors():
    """A server that is down or refuses a request is a one-line error, not a traceback."""
    from elastic_transport import TransportError
    from elasticsearch import ApiError

    try:
        yield
    except (ApiError, TransportError) as error:
        raise CommandError(f"Elasticsearch at {settings.ELASTICSEARCH_URL}: {error}") from error


class Command(BaseCommand):
    help = "Rebuild product search: the stored folded columns, and the Elasticsearch index when that engine is on."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="Recompute and rebuild (otherwise: show status).")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, rebuild=False, batch_size=500, **options):
        engine = getattr(settings, "OCOP_SEARCH_ENGINE", "database")
        if not rebuild:
            self.stdout.write(f"Search engine: {engine}. {Product.objects.count()} products.")
            if engine == "elasticsearch":
                from catalogue.search.elastic import _indices_behind, alias_name, client

                with _elasticsearch_errors():
                    behind = _indices_behind(client(), alias_name())
                self.stdout.write(f"Alias {alias_name()} → {', '.join(behind) or 'nothing (run --rebuild)'}.")
            self.stdout.write("Run with --rebuild to recompute the search columns and rebuild the index.")
            return
        checked, refreshed = product_columns_refresh(batch_size=batch_size)
        self.stdout.write(f"Products: {checked} checked, {refreshed} search columns refreshed.")
        checked, refreshed = producer_columns_refresh(batch_size=batch_size)
        self.stdout.write(f"Producers: {checked} checked, {refreshed} folded names refreshed.")
        if engine == "elasticsearch":
            from catalogue.search.elastic import rebuild as index_rebuild

            with _elasticsearch_errors():
                report = index_rebuild(batch_size=batch_size)
            removed = ", ".join(report.removed) or "none"
            self.stdout.write(
                f"Elasticsearch: {report.indexed} products indexed into {report.index}; "
                f"alias {report.alias} → {report.index}; old indices deleted: {removed}."
            )
        self.stdout.write(self.style.SUCCESS("Search is up to date."))

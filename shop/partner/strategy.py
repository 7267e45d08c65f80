"""Oscar's pricing/availability strategy with the OCOP gate in front of the stock check."""

from django.db.models import QuerySet, prefetch_related_objects
from oscar.apps.partner import strategy
from oscar.apps.partner.availability import StockRequired

from .availability import NotOcopCertified, StockBand


class OcopCertifiedRequired(strategy.StockRequired):
    """Only a product holding a valid OCOP certificate today may be bought (catalogue/certification.py)."""

    def availability_policy(self, product, stockrecord):
        if not product.is_certified():
            return NotOcopCertified()
        policy = super().availability_policy(product, stockrecord)
        if type(policy) is StockRequired:  # the count told in bands (shop/partner/availability.py)
            return StockBand(policy.num_available)
        return policy

    def parent_availability_policy(self, product, children_stock):
        if not product.is_certified():
            return NotOcopCertified()
        return super().parent_availability_policy(product, children_stock)


class BasketLinesReadTogether:
    """A basket's lines priced from what is read once for all of them: the first line asked about reads every
    loaded line's product class, stock records and valid certificates in one query each (3 queries, instead of 3 a
    line, and the stock record read again each time a page asks). The rules are Oscar's and the gate's, unchanged:
    ``UseFirstStockRecord`` takes ``product.stockrecords.all()[0]`` and ``Product.current_certificate`` reads
    ``prefetched_valid_certificates``, the prefetch the catalogue defines (``with_current_certificates``)."""

    def fetch_for_line(self, line, stockrecord=None):
        _line_products_prepare(line)
        return super().fetch_for_line(line, stockrecord)


class OcopStrategy(
    BasketLinesReadTogether, strategy.UseFirstStockRecord, OcopCertifiedRequired, strategy.NoTax, strategy.Structured
):
    pass


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        return OcopStrategy(request)


def request_strategy(request):
    """The request's pricing and availability strategy: the one Oscar's basket middleware set, else a new one
    (a request that did not pass the middleware, such as a page rendered in a test or a preview)."""
    strategy = getattr(request, "strategy", None)
    return strategy if strategy is not None else Selector().strategy(request=request)


# ---------------------------------------------------------------- reading a basket's lines together
def _line_products_prepare(line) -> None:
    """Read what pricing needs for the products of ``line`` and of the lines its basket has loaded, unless read."""
    product = line.product
    if product is None or _prepared(product):
        return
    products = {id(p): p for p in [*(other.product for other in _loaded_lines(line)), product]
                if p is not None and not _prepared(p)}
    products = list(products.values())
    prefetch_related_objects(products, "product_class", "stockrecords")
    # A variant's own certificates are not the whole story (it counts its parent's): it keeps the model's own read.
    standalone = [p for p in products if p.parent_id is None]
    if standalone:
        prefetch_related_objects(standalone, *_valid_certificates_lookups())


def _prepared(product) -> bool:
    read = getattr(product, "_prefetched_objects_cache", {})
    certificates_read = product.parent_id is not None or hasattr(product, "prefetched_valid_certificates")
    return "stockrecords" in read and certificates_read


def _loaded_lines(line) -> list:
    """The lines already read with ``line``'s basket (Oscar's ``Basket.all_lines()`` cache); none are read here."""
    if not type(line).basket.is_cached(line):
        return []
    lines = getattr(line.basket, "_lines", None)
    if isinstance(lines, QuerySet):
        lines = lines._result_cache
    return list(lines or [])


def _valid_certificates_lookups():
    """The catalogue's own prefetch of each product's valid certificates
    (``ProductQuerySet.with_current_certificates``), to apply to products already read."""
    from catalogue.models import Product

    return Product.objects.with_current_certificates()._prefetch_related_lookups

"""Oscar's pricing/availability strategy with the OCOP gate in front of the stock check."""

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


class OcopStrategy(strategy.UseFirstStockRecord, OcopCertifiedRequired, strategy.NoTax, strategy.Structured):
    pass


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        return OcopStrategy(request)


def request_strategy(request):
    """The request's pricing and availability strategy: the one Oscar's basket middleware set, else a new one
    (a request that did not pass the middleware, such as a page rendered in a test or a preview)."""
    strategy = getattr(request, "strategy", None)
    return strategy if strategy is not None else Selector().strategy(request=request)

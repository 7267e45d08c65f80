"""Oscar's pricing/availability strategy with the OCOP gate in front of the stock check."""

from oscar.apps.partner import strategy

from .availability import NotOcopCertified


class OcopCertifiedRequired(strategy.StockRequired):
    """Only a product holding a valid OCOP certificate today may be bought (catalogue/certification.py)."""

    def availability_policy(self, product, stockrecord):
        if not product.is_certified():
            return NotOcopCertified()
        return super().availability_policy(product, stockrecord)

    def parent_availability_policy(self, product, children_stock):
        if not product.is_certified():
            return NotOcopCertified()
        return super().parent_availability_policy(product, children_stock)


class OcopStrategy(strategy.UseFirstStockRecord, OcopCertifiedRequired, strategy.NoTax, strategy.Structured):
    pass


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        return OcopStrategy(request)

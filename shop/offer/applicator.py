"""Oscar's offer applicator, forked to skip live-price offers the basket cannot use.

Every active site offer is tried against every basket on every page a shopper with a basket opens (Oscar's
basket middleware); trying one costs several queries (its condition's range, the range's classes and categories,
then one query per basket line). A live session puts one offer per featured product on the site (livestream/
services.offers_sync), so a busy session made every basket page pay for all of them. A live-price offer applies
to its one featured product only, so it is tried only when that product is in the basket."""

from django.db.models import Q
from oscar.apps.offer.applicator import Applicator as OscarApplicator


class Applicator(OscarApplicator):
    def get_offers(self, basket, user=None, request=None):
        """The offers to try on this basket (applying them, or the basket page's upsell messages)."""
        self._basket_product_ids = {line.product_id for line in basket.all_lines()}
        return super().get_offers(basket, user, request)

    def get_site_offers(self):
        offers = super().get_site_offers()
        product_ids = getattr(self, "_basket_product_ids", None)
        if product_ids is None:  # asked without a basket: every offer, as Oscar does
            return offers
        return offers.filter(Q(live_feature__isnull=True) | Q(live_feature__product_id__in=product_ids))

"""Oscar's catalogue views, forked for the product page: what it reads comes in a few queries, and the page may be
cached whole for anonymous visitors (shop/caching/pages.py; it shows their recently viewed products, so it is
keyed by that cookie too)."""

from oscar.apps.catalogue.views import *  # noqa: F401,F403
from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView

from shop.caching.pages import page_cacheable


class ProductDetailView(OscarProductDetailView):
    def get_queryset(self):
        """What the page reads about the product, in a few queries instead of one per use."""
        return (
            super().get_queryset()
            .select_related("producer__area", "product_class", "ocop_product_set__group", "parent")
            .prefetch_related("images", "stockrecords", "certificates", "attribute_values__attribute")
        )

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if response.status_code == 200:
            page_cacheable(response, history_product_id=self.object.pk)
        return response

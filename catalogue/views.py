"""Oscar's catalogue views, forked only to let the product page be cached whole for anonymous visitors
(shop/caching/pages.py): it shows their recently viewed products, so it is keyed by that cookie too."""

from oscar.apps.catalogue.views import *  # noqa: F401,F403
from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView

from shop.caching.pages import page_cacheable


class ProductDetailView(OscarProductDetailView):
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if response.status_code == 200:
            page_cacheable(response, history_product_id=self.object.pk)
        return response

from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "shop"

    def ready(self):
        from oscar.apps.analytics.receivers import receive_product_view
        from oscar.apps.catalogue.signals import product_viewed

        from .caching.signals import connect_signals

        connect_signals()
        # Oscar counts every product view with writes to one row per product (and two more for a signed-in
        # shopper): a livestream sending thousands of viewers to one product would queue on that row's lock. The
        # programme's reports do not use these counters; pages served from the cache would not count anyway.
        product_viewed.disconnect(receive_product_view)

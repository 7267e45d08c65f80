from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "shop"

    def ready(self):
        from .caching.signals import connect_signals

        connect_signals()

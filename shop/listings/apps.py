from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListingsConfig(AppConfig):
    """The producer area: producers' own products, their changes, online stock and external sales."""

    name = "shop.listings"
    label = "listings"
    verbose_name = _("Sản phẩm của chủ thể")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    """Our gateways. The label is `payments`: `payment` belongs to Oscar."""

    name = "shop.payments"
    label = "payments"
    verbose_name = _("Thanh toán")

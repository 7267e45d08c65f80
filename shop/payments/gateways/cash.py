from django.utils.translation import gettext_lazy as _

from .base import Gateway


class CashOnDelivery(Gateway):
    """The default: the order is placed unpaid; each producer (or staff) records the cash when delivered."""

    method = "cod"
    label = _("Thanh toán khi nhận hàng (COD)")
    description = _("Trả tiền mặt cho người giao hàng khi nhận hàng.")

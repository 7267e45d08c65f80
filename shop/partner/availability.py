from django.utils.translation import gettext_lazy as _
from oscar.apps.partner.availability import Unavailable


class NotOcopCertified(Unavailable):
    """The gate's answer in Oscar's terms: basket add, quantity change, checkout and re-order all ask it."""

    code = "not-ocop-certified"
    message = _("Không bán: sản phẩm chưa có giấy chứng nhận OCOP còn hiệu lực (3 sao trở lên)")

    def is_purchase_permitted(self, quantity):
        return False, self.message

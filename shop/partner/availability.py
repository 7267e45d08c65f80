from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from oscar.apps.partner.availability import StockRequired, Unavailable

from catalogue.listing import FEW_LEFT


class NotOcopCertified(Unavailable):
    """The gate's answer in Oscar's terms: basket add, quantity change, checkout and re-order all ask it."""

    code = "not-ocop-certified"
    message = _("Không bán: sản phẩm chưa có giấy chứng nhận OCOP còn hiệu lực (3 sao trở lên)")

    def is_purchase_permitted(self, quantity):
        return False, self.message


class StockBand(StockRequired):
    """Oscar's stock rule with the count told the way a Vietnamese shop tells it, and the way listings and cached
    pages know it (catalogue.listing.stock_band): "Còn hàng" while there are plenty, "Chỉ còn N sản phẩm" when
    FEW_LEFT or fewer are left. A page then changes only when what it says changes."""

    @property
    def message(self) -> str:
        if self.num_available <= 0:
            return str(_("Hết hàng"))
        if self.num_available <= FEW_LEFT:
            return ngettext("Chỉ còn %(n)s sản phẩm", "Chỉ còn %(n)s sản phẩm", self.num_available) % {
                "n": self.num_available
            }
        return str(_("Còn hàng"))

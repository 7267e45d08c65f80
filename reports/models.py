"""The sales ledger: every sale, from every channel, lands here once (reports/services.py writes it)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Sale(models.Model):
    class Channel(models.TextChoices):
        ONLINE = "online", _("Đơn hàng trực tuyến")
        SHOWROOM = "showroom", _("Điểm giới thiệu và bán sản phẩm")
        LIVESTREAM = "livestream", _("Phiên livestream")
        EXTERNAL = "external", _("Sàn thương mại điện tử khác")

    class Kind(models.TextChoices):
        SALE = "sale", _("Bán")
        REVERSAL = "reversal", _("Huỷ/hoàn")

    channel = models.CharField(_("kênh"), max_length=16, choices=Channel.choices)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.SALE)
    occurred_at = models.DateTimeField(_("thời điểm nhận tiền"), db_index=True)
    product = models.ForeignKey("catalogue.Product", on_delete=models.PROTECT, null=True, related_name="+")
    producer = models.ForeignKey("partner.Partner", on_delete=models.PROTECT, null=True, related_name="+")
    title = models.CharField(max_length=255)
    quantity = models.IntegerField(_("số lượng"))
    amount = models.DecimalField(_("thành tiền"), max_digits=14, decimal_places=0)
    live_session = models.ForeignKey(
        "livestream.LiveSession", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    showroom = models.ForeignKey("showrooms.Showroom", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    order_line = models.ForeignKey("order.Line", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversal"
    )
    note = models.CharField(max_length=255, blank=True)
    source_key = models.CharField(
        max_length=80, null=True, blank=True, unique=True, help_text="Entered sales: the form's key, so a resend is one row."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "pk"]
        verbose_name = _("dòng sổ bán hàng")
        verbose_name_plural = _("sổ bán hàng")
        constraints = [
            models.UniqueConstraint(
                fields=["order_line"], condition=Q(kind="sale"), name="one_sale_row_per_order_line"
            ),
            models.CheckConstraint(
                condition=Q(kind="sale", reverses__isnull=True) | Q(kind="reversal", reverses__isnull=False),
                name="reversal_points_at_sale",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.title} × {self.quantity}"

"""What a marketplace order adds to Oscar's: one fulfilment part per producer, delivery details, returns, complaints.

A part's lines are the order's lines whose partner is the part's producer (Oscar sets Line.partner from the
stock record), so no line is copied.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


class OrderDelivery(models.Model):
    """The checkout's answers that Oscar's order has no field for."""

    order = models.OneToOneField("order.Order", on_delete=models.CASCADE, related_name="delivery")
    checkout_token = models.CharField(max_length=64, unique=True, help_text="The same checkout submitted twice.")
    full_name = models.CharField(_("người nhận"), max_length=120, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    province = models.ForeignKey(
        "catalogue.AdministrativeUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    commune = models.ForeignKey(
        "catalogue.AdministrativeUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    visit_date = models.DateField(_("ngày tham quan"), null=True, blank=True)
    pickup_showroom = models.ForeignKey(
        "showrooms.Showroom", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("nhận tại điểm bán"),
    )
    age_confirmed_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("ghi chú cho người bán"), blank=True)

    class Meta:
        verbose_name = _("thông tin giao nhận")


class FulfilmentPart(models.Model):
    """One producer's share of an order: its own status, carrier, tracking, shipping fee and cash collected."""

    class Status(models.TextChoices):
        AWAITING_PAYMENT = "awaiting_payment", _("Chờ thanh toán")
        CONFIRMED = "confirmed", _("Đã xác nhận")
        PACKED = "packed", _("Đã đóng gói")
        SHIPPED = "shipped", _("Đang giao")
        DELIVERED = "delivered", _("Đã giao")
        CANCELLED = "cancelled", _("Đã huỷ")

    order = models.ForeignKey("order.Order", on_delete=models.CASCADE, related_name="parts")
    producer = models.ForeignKey("partner.Partner", on_delete=models.PROTECT, related_name="fulfilment_parts")
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, db_index=True)
    needs_shipping = models.BooleanField(default=True)
    pickup_showroom = models.ForeignKey(
        "showrooms.Showroom", on_delete=models.PROTECT, null=True, blank=True, related_name="pickup_parts",
        verbose_name=_("nhận tại điểm bán"), help_text="The shelf that holds this part's units until hand-over.",
    )
    shipping_fee = models.DecimalField(_("phí giao hàng"), max_digits=12, decimal_places=0, default=0)
    carrier = models.CharField(_("đơn vị vận chuyển"), max_length=64, blank=True)
    tracking_number = models.CharField(_("mã vận đơn"), max_length=64, blank=True)
    cash_collected = models.DecimalField(
        _("tiền mặt đã thu"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    cash_collected_at = models.DateTimeField(null=True, blank=True)
    cash_collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.CharField(_("lý do huỷ"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["order_id", "pk"]
        verbose_name = _("phần đơn của chủ thể")
        verbose_name_plural = _("phần đơn của chủ thể")
        constraints = [
            models.UniqueConstraint(fields=["order", "producer"], name="one_part_per_producer_per_order"),
            models.CheckConstraint(condition=Q(shipping_fee__gte=0), name="part_shipping_fee_not_negative"),
        ]

    def __str__(self):
        return f"{self.order.number}/{self.producer.code}"

    @property
    def lines(self):
        return self.order.lines.filter(partner_id=self.producer_id)

    @property
    def reference(self) -> str:
        return f"{self.order.number}-{self.pk}"


class PartEvent(models.Model):
    """The part's history as its people see it: who moved it, when, and to what."""

    part = models.ForeignKey(FulfilmentPart, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=FulfilmentPart.Status.choices)
    note = models.CharField(max_length=255, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]


class AfterSalesItem(models.Model):
    """What returns and complaints share: an open item that programme staff answer once."""

    answer = models.TextField(_("trả lời"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]


class ReturnRequest(AfterSalesItem):
    class Status(models.TextChoices):
        OPEN = "open", _("Đang chờ xử lý")
        ACCEPTED = "accepted", _("Đồng ý trả hàng")
        REJECTED = "rejected", _("Từ chối")

    part = models.ForeignKey(FulfilmentPart, on_delete=models.CASCADE, related_name="returns")
    reason = models.TextField(_("lý do"))
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.OPEN)

    class Meta(AfterSalesItem.Meta):
        verbose_name = _("yêu cầu trả hàng")
        constraints = [
            models.UniqueConstraint(
                fields=["part"], condition=Q(status="open"), name="one_open_return_per_part"
            )
        ]


class ReturnPhoto(models.Model):
    request = models.ForeignKey(ReturnRequest, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="returns/%Y/%m/")


class Complaint(AfterSalesItem):
    class Status(models.TextChoices):
        OPEN = "open", _("Đang chờ xử lý")
        ANSWERED = "answered", _("Đã trả lời")

    order = models.ForeignKey("order.Order", on_delete=models.CASCADE, related_name="complaints")
    part = models.ForeignKey(FulfilmentPart, on_delete=models.CASCADE, null=True, blank=True, related_name="complaints")
    message = models.TextField(_("nội dung khiếu nại"))
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.OPEN)

    class Meta(AfterSalesItem.Meta):
        verbose_name = _("khiếu nại")


@register_setting(icon="site")
class ShippingSettings(BaseSiteSetting):
    """Set by programme staff in the CMS admin (Settings → Giao hàng)."""

    fee_in_province = models.DecimalField(_("phí giao trong tỉnh"), max_digits=10, decimal_places=0, default=20000)
    fee_other_province = models.DecimalField(
        _("phí giao ngoài tỉnh"), max_digits=10, decimal_places=0, default=35000
    )
    included_grams = models.PositiveIntegerField(_("khối lượng đã gồm trong phí (gam)"), default=1000)
    fee_per_extra_kg = models.DecimalField(
        _("phí mỗi kg thêm"), max_digits=10, decimal_places=0, default=5000
    )
    free_shipping_threshold = models.DecimalField(
        _("miễn phí giao hàng cho đơn từ"),
        max_digits=12,
        decimal_places=0,
        default=500000,
        help_text=_("Tổng tiền hàng của đơn từ mức này trở lên được miễn phí giao hàng. 0: không miễn phí."),
    )

    class Meta:
        verbose_name = _("Giao hàng")

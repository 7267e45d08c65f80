"""One payment per order, its refunds, and the Stripe events already seen."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Payment(models.Model):
    class Method(models.TextChoices):
        CASH_ON_DELIVERY = "cod", _("Thanh toán khi nhận hàng")
        VIETQR = "vietqr", _("Chuyển khoản VietQR")
        STRIPE = "stripe", _("Thẻ quốc tế (Stripe)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ thanh toán")
        PAID = "paid", _("Đã thanh toán")
        CANCELLED = "cancelled", _("Đã huỷ")

    # Forward-only: pending → paid or pending → cancelled, by conditional updates in services.py; never back.

    order = models.OneToOneField("order.Order", on_delete=models.CASCADE, related_name="ocop_payment")
    method = models.CharField(_("phương thức"), max_length=16, choices=Method.choices)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.PENDING)
    amount = models.DecimalField(_("số tiền"), max_digits=14, decimal_places=0)
    amount_captured = models.DecimalField(_("đã thu"), max_digits=14, decimal_places=0, default=0)
    amount_refunded = models.DecimalField(_("đã hoàn"), max_digits=14, decimal_places=0, default=0)
    reference = models.CharField(_("nội dung chuyển khoản"), max_length=32, unique=True)
    provider_id = models.CharField(max_length=128, blank=True, db_index=True)  # Stripe PaymentIntent id
    client_secret = models.CharField(max_length=255, blank=True, editable=False)
    expires_at = models.DateTimeField(_("hết hạn lúc"), null=True, blank=True)
    paid_at = models.DateTimeField(_("thanh toán lúc"), null=True, blank=True)
    marked_paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thanh toán")
        verbose_name_plural = _("thanh toán")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="payment_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(amount_refunded__lte=F("amount_captured")), name="payment_refund_within_captured"
            ),
        ]

    def __str__(self):
        return f"{self.reference} · {self.get_method_display()} · {self.get_status_display()}"

    @property
    def refundable(self):
        return self.amount_captured - self.amount_refunded


class Refund(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Đang hoàn")
        SUCCEEDED = "succeeded", _("Đã hoàn")
        MANUAL = "manual", _("Cần chuyển khoản hoàn lại")
        FAILED = "failed", _("Không hoàn được")

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="refunds")
    part = models.ForeignKey(
        "fulfilment.FulfilmentPart", on_delete=models.SET_NULL, null=True, blank=True, related_name="refunds"
    )
    lines = models.ManyToManyField("order.Line", blank=True, related_name="+")
    amount = models.DecimalField(_("số tiền hoàn"), max_digits=14, decimal_places=0)
    includes_shipping = models.BooleanField(_("gồm phí giao"), default=False)
    reason = models.CharField(_("lý do"), max_length=255, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    idempotency_key = models.CharField(max_length=80, unique=True)
    provider_id = models.CharField(max_length=128, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("hoàn tiền")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive")]


class WebhookEvent(models.Model):
    """Each provider event is applied once: the id is inserted before anything is changed."""

    provider = models.CharField(max_length=16, default="stripe")
    event_id = models.CharField(max_length=128)
    type = models.CharField(max_length=64)
    outcome = models.CharField(max_length=255, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "event_id"], name="webhook_event_once")]

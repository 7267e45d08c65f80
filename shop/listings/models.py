"""What the producer area keeps beside Oscar's catalogue: edit history, changes waiting for approval, stock
movements, and notices already sent."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ProductEdit(models.Model):
    """Every edit of a product, as its people see it: who, when, what changed (old → new)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Tạo sản phẩm")
        EDITED = "edited", _("Sửa")
        PROPOSED = "proposed", _("Gửi thay đổi chờ duyệt")
        APPROVED = "approved", _("Ban điều phối duyệt thay đổi")
        REJECTED = "rejected", _("Ban điều phối từ chối thay đổi")

    product = models.ForeignKey("catalogue.Product", on_delete=models.CASCADE, related_name="edits")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    changes = models.JSONField(default=dict)  # {field: [old, new]}
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]


class ProductChange(models.Model):
    """A change to what a certificate vouches for (title, OCOP set, weight, volume, main image). The approved
    version stays on sale until programme staff approve it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ duyệt")
        APPROVED = "approved", _("Đã duyệt")
        REJECTED = "rejected", _("Từ chối")

    product = models.ForeignKey("catalogue.Product", on_delete=models.CASCADE, related_name="pending_changes")
    proposed = models.JSONField(default=dict)  # {field: new value} for plain fields
    image = models.ImageField(upload_to="changes/%Y/%m/", blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["product"], condition=Q(status="pending"), name="one_pending_change_per_product")
        ]

    @property
    def version(self) -> str:
        """A fingerprint of what is proposed: the approval form carries it."""
        import hashlib
        import json

        text = json.dumps(self.proposed, sort_keys=True, default=str) + (self.image.name if self.image else "")
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def comparison(self) -> list[tuple[str, object, object]]:
        """(field, current value, proposed value) for staff to compare."""
        product = self.product
        return [
            (field, getattr(product, f"{field}_id" if field == "ocop_product_set" else field), new)
            for field, new in self.proposed.items()
        ]


class StockMovement(models.Model):
    """The online stock's history: every change is a delta, with who, when and why."""

    class Reason(models.TextChoices):
        DELIVERY = "delivery", _("Nhập thêm hàng")
        COUNT = "count", _("Kiểm kê, đặt lại số lượng")
        DAMAGE = "damage", _("Hư hỏng, hết hạn")
        OTHER = "other", _("Khác")

    stockrecord = models.ForeignKey("partner.StockRecord", on_delete=models.CASCADE, related_name="movements")
    delta = models.IntegerField(_("thay đổi"))
    level_after = models.IntegerField(_("tồn kho sau"))
    reason = models.CharField(_("lý do"), max_length=16, choices=Reason.choices)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]


class ProducerNotice(models.Model):
    """A notice emailed once: a certificate reaching 90 or 30 days before expiry, stock running low."""

    producer = models.ForeignKey("partner.Partner", on_delete=models.CASCADE, related_name="notices")
    key = models.CharField(max_length=120)  # e.g. "cert-12-expires-30", "low-stock-7-2026-11-28"
    message = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["producer", "key"], name="notice_once")]


class ProducerPhoto(models.Model):
    """Photos on a producer's public profile (checked and re-encoded like product photos)."""

    producer = models.ForeignKey("partner.Partner", on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="producers/%Y/")
    caption = models.CharField(_("chú thích"), max_length=160, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

"""Live sessions: scheduled streams that sell featured catalogue products, some at a live-only price.

A session's live prices are Oscar offers (one per featured product, benefit ``LivePriceBenefit``), opened when the
session goes live and closed at the earlier of its actual and scheduled end, so basket, checkout and order history
understand them. Quantity limits are claims (``LivePriceClaim``) counted under a row lock of the featured product
at order placement. The law's checks (host identity, quality documents) gate going live. Writes live in
livestream/services.py.
"""

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from oscar.core.loading import get_model

RESERVED_SLUGS = ("schedule", "rules", "reminders")  # words /live/ uses for its own pages
RETENTION_YEARS = 3


def slug_not_reserved(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(_("“%(slug)s” là từ dành riêng, hãy chọn đường dẫn khác.") % {"slug": value})


def _token() -> str:
    return secrets.token_urlsafe(24)


class LiveSession(ClusterableModel):
    class Platform(models.TextChoices):
        OWN = "own", _("Trang của chợ (nhúng luồng phát)")
        TIKTOK = "tiktok", "TikTok"
        FACEBOOK = "facebook", "Facebook"
        YOUTUBE = "youtube", "YouTube"
        SHOPEE = "shopee", "Shopee"
        ZALO = "zalo", "Zalo"
        OTHER = "other", _("Khác")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Đã lên lịch")
        LIVE = "live", _("Đang phát")
        ENDED = "ended", _("Đã kết thúc")
        CANCELLED = "cancelled", _("Đã huỷ")

    title = models.CharField(_("tiêu đề"), max_length=200)
    slug = models.SlugField(_("đường dẫn"), max_length=80, unique=True, validators=[slug_not_reserved])
    description = models.TextField(_("mô tả"), blank=True)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hosted_live_sessions", verbose_name=_("người dẫn")
    )
    producer = models.ForeignKey(
        "partner.Partner", on_delete=models.PROTECT, null=True, blank=True, related_name="live_sessions",
        verbose_name=_("chủ thể tổ chức"), help_text=_("Để trống nếu Ban điều phối tổ chức."),
    )
    platform = models.CharField(_("nền tảng"), max_length=16, choices=Platform.choices, default=Platform.OWN)
    stream_url = models.URLField(_("đường dẫn luồng phát"), blank=True)
    scheduled_start = models.DateTimeField(_("bắt đầu (dự kiến)"), db_index=True)
    scheduled_end = models.DateTimeField(_("kết thúc (dự kiến)"))
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.SCHEDULED,
                              db_index=True)
    actual_start = models.DateTimeField(_("bắt đầu thực tế"), null=True, blank=True)
    actual_end = models.DateTimeField(_("kết thúc thực tế"), null=True, blank=True)
    replay_url = models.URLField(_("đường dẫn xem lại"), blank=True)
    replay_retained_until = models.DateField(
        _("lưu bản ghi đến"), null=True, blank=True, help_text=_("3 năm sau khi kết thúc (Luật Thương mại điện tử 2025).")
    )
    notes = models.TextField(_("ghi chú"), blank=True)
    sequence = models.PositiveIntegerField(
        default=0, editable=False, help_text="iCalendar SEQUENCE: raised by each change a calendar must learn."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["scheduled_start", "pk"]
        verbose_name = _("phiên livestream")
        verbose_name_plural = _("phiên livestream")
        constraints = [
            models.CheckConstraint(condition=Q(scheduled_end__gt=models.F("scheduled_start")),
                                   name="live_session_ends_after_start"),
            models.CheckConstraint(condition=~Q(slug__in=RESERVED_SLUGS), name="live_session_slug_not_reserved"),
        ]

    def __str__(self):
        return self.title

    # what a calendar holding the event must learn about (iCalendar SEQUENCE)
    CALENDAR_FIELDS = ("title", "scheduled_start", "scheduled_end", "status", "description")
    # what may still change once a session has ended
    AFTER_END_FIELDS = ("replay_url", "replay_retained_until", "notes")

    def _stored(self):
        return type(self).objects.filter(pk=self.pk).values(*{f.attname for f in self._meta.concrete_fields}).first() \
            if self.pk else None

    def clean(self):
        super().clean()
        if self.scheduled_start and self.scheduled_end and self.scheduled_end <= self.scheduled_start:
            raise ValidationError({"scheduled_end": _("Giờ kết thúc phải sau giờ bắt đầu.")})
        stored = self._stored()
        if stored and stored["status"] == self.Status.LIVE and self.host_id != stored["host_id"]:
            raise ValidationError({"host": _("Phiên đang phát: không đổi người dẫn được (danh tính người dẫn đã được "
                                            "xác minh khi bắt đầu phát).")})
        if stored and stored["status"] == self.Status.ENDED:
            changed = [
                f.verbose_name for f in self._meta.concrete_fields
                if f.attname not in (*self.AFTER_END_FIELDS, "updated_at", "sequence")
                and getattr(self, f.attname) != stored[f.attname]
            ]
            if changed:
                raise ValidationError(
                    _("Phiên đã kết thúc: chỉ sửa được đường dẫn xem lại và ghi chú (đã đổi: %(fields)s).")
                    % {"fields": ", ".join(str(name) for name in changed)}
                )

    def save(self, *args, **kwargs):
        stored = self._stored()
        if stored and any(getattr(self, name) != stored[name] for name in self.CALENDAR_FIELDS):
            self.sequence = stored["sequence"] + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "sequence"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("livestream:detail", kwargs={"slug": self.slug})

    @property
    def channel_label(self) -> str:
        return f"livestream {self.title}"

    @property
    def price_window(self) -> tuple[dt.datetime, dt.datetime] | None:
        """When live prices apply: from the actual start to the earlier of the actual and the scheduled end."""
        if self.actual_start is None:
            return None
        end = min(self.actual_end, self.scheduled_end) if self.actual_end else self.scheduled_end
        return self.actual_start, end

    def prices_active(self, at: dt.datetime) -> bool:
        window = self.price_window
        return window is not None and window[0] <= at < window[1] and self.status == self.Status.LIVE


class FeaturedProduct(models.Model):
    session = ParentalKey(LiveSession, on_delete=models.CASCADE, related_name="featured")
    product = models.ForeignKey("catalogue.Product", on_delete=models.PROTECT, related_name="live_features",
                                verbose_name=_("sản phẩm"))
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_pinned = models.BooleanField(_("ghim"), default=False)
    live_price = models.DecimalField(
        _("giá live"), max_digits=12, decimal_places=0, null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("Chỉ áp dụng trong lúc phiên đang phát. Để trống: giá thường."),
    )
    quantity_limit = models.PositiveIntegerField(_("tổng số suất giá live"), null=True, blank=True)
    per_customer_limit = models.PositiveIntegerField(_("tối đa mỗi khách"), null=True, blank=True)
    offer = models.OneToOneField("offer.ConditionalOffer", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="live_feature", editable=False)

    class Meta:
        ordering = ["session", "position", "pk"]
        verbose_name = _("sản phẩm giới thiệu")
        verbose_name_plural = _("sản phẩm giới thiệu")
        constraints = [
            models.UniqueConstraint(fields=["session", "product"], name="one_feature_per_session_product"),
            models.UniqueConstraint(fields=["session"], condition=Q(is_pinned=True), name="one_pinned_per_session"),
            models.CheckConstraint(condition=Q(live_price__isnull=True) | Q(live_price__gt=0),
                                   name="live_price_positive"),
        ]

    def __str__(self):
        return f"{self.session} · {self.product}"


class LivePriceClaim(models.Model):
    """Units bought at a live price: the quantity limits count these (under a lock of the featured product)."""

    featured = models.ForeignKey(FeaturedProduct, on_delete=models.PROTECT, related_name="claims")
    order_line = models.OneToOneField("order.Line", on_delete=models.CASCADE, related_name="live_claim")
    quantity = models.PositiveIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    email = models.EmailField(blank=True, db_index=True)
    phone = models.CharField(max_length=20, blank=True, db_index=True)
    released_at = models.DateTimeField(null=True, blank=True, help_text="The line was cancelled: the units count no more.")
    created_at = models.DateTimeField(auto_now_add=True)


class HostIdentityCheck(models.Model):
    """The platform verified who a host is before they sell live (Law on E-commerce 122/2025/QH15)."""

    class Method(models.TextChoices):
        CHIP_ID = "chip_id", _("Đọc chip CCCD")
        VNEID = "vneid", _("Tài khoản định danh VNeID mức 2")
        IN_PERSON = "in_person", _("Đối chiếu trực tiếp giấy tờ tuỳ thân")
        PASSPORT = "passport", _("Hộ chiếu")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="identity_checks",
                             verbose_name=_("người dẫn"))
    method = models.CharField(_("cách xác minh"), max_length=16, choices=Method.choices)
    checked_on = models.DateField(_("ngày xác minh"))
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("người xác minh"))
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-checked_on", "-pk"]
        verbose_name = _("xác minh danh tính người dẫn")
        verbose_name_plural = _("xác minh danh tính người dẫn")


class QualityDocument(models.Model):
    """A product's quality paper besides its OCOP certificate (which counts on its own): a test report, etc."""

    class Kind(models.TextChoices):
        TEST_REPORT = "test_report", _("Phiếu kiểm nghiệm")
        STANDARD = "standard", _("Công bố tiêu chuẩn chất lượng")
        OTHER = "other", _("Giấy tờ khác")

    product = models.ForeignKey("catalogue.Product", on_delete=models.CASCADE, related_name="quality_documents",
                                verbose_name=_("sản phẩm"))
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices, default=Kind.TEST_REPORT)
    title = models.CharField(_("tên giấy tờ"), max_length=200)
    file = models.FileField(_("tệp"), upload_to="quality/%Y/")
    issued_on = models.DateField(_("ngày cấp"), null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["product", "-created_at"]
        verbose_name = _("giấy tờ chất lượng")
        verbose_name_plural = _("giấy tờ chất lượng")


class LiveComplaint(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Đang chờ xử lý")
        ANSWERED = "answered", _("Đã trả lời")

    session = models.ForeignKey(LiveSession, on_delete=models.PROTECT, related_name="complaints",
                                verbose_name=_("phiên livestream"))
    name = models.CharField(_("họ tên"), max_length=120)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    message = models.TextField(_("nội dung"))
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("trả lời"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("người trả lời"))
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("khiếu nại về phiên livestream")
        verbose_name_plural = _("khiếu nại về phiên livestream")

    def __str__(self):
        return f"{self.session} · {self.name}"


class LiveReminder(models.Model):
    """A shopper asked to be told before a session starts (and of changes). Guests confirm by email first."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="reminders")
    email = models.EmailField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")
    token = models.CharField(max_length=48, unique=True, default=_token, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, help_text="The start reminder went out (once).")
    notified_sequence = models.PositiveIntegerField(default=0, help_text="The session change last told about.")
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nhắc lịch livestream")
        constraints = [models.UniqueConstraint(fields=["session", "email"], name="one_reminder_per_session_email")]


class LiveOrder(models.Model):
    """The session an order came from, decided once at placement."""

    class Via(models.TextChoices):
        LIVE_PRICE = "live_price", _("Mua với giá live")
        SESSION_PAGE = "session_page", _("Thêm vào giỏ từ trang phiên live")
        LINK = "link", _("Liên kết phiên live trong 24 giờ")

    order = models.OneToOneField("order.Order", on_delete=models.CASCADE, related_name="live_order")
    session = models.ForeignKey(LiveSession, on_delete=models.PROTECT, related_name="orders")
    via = models.CharField(max_length=16, choices=Via.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đơn từ phiên livestream")


Benefit = get_model("offer", "Benefit")


class LivePriceBenefit(Benefit):
    """Each unit of the range's one product at the live price (``value``), up to ``max_affected_items`` units.
    Unlike Oscar's fixed-unit discount, the live price holds even if the producer changes the normal price."""

    class Meta:
        proxy = True
        verbose_name = _("giá live")

    @property
    def name(self):
        from shop.money import dong_text

        return _("Giá live %(price)s") % {"price": dong_text(self.value)}

    @property
    def description(self):
        return self.name

    def apply(self, basket, condition, offer, discount_amount=None, max_total_discount=None, **kwargs):
        from decimal import Decimal

        from oscar.apps.offer.benefits import apply_discount
        from oscar.apps.offer.results import ZERO_DISCOUNT, BasketDiscount

        budget = self._effective_max_affected_items()
        feature = FeaturedProduct.objects.filter(offer_id=offer.pk).first()
        if feature is not None and feature.quantity_limit is not None:  # what the total limit leaves (display;
            from .services import remaining  # placement re-checks under lock)

            budget = min(budget, remaining(feature))
        if feature is not None and feature.per_customer_limit is not None:
            from .customer import current_customer
            from .services import customer_claimed

            owner, guest = getattr(basket, "owner", None), current_customer() or {}
            if owner is not None or guest:  # the shopper's own quota: the rest at the normal price
                used = customer_claimed(feature, user=owner, email=getattr(owner, "email", "") or guest.get("email", ""),
                                        phone=guest.get("phone", ""))
                budget = min(budget, feature.per_customer_limit - used)
        applied = Decimal(0)
        for price, line in self.get_applicable_lines(offer, basket):
            if budget <= 0:
                break
            quantity = min(line.quantity_without_offer_discount(offer), budget)
            per_unit = max(price - self.value, Decimal(0))
            if quantity <= 0 or per_unit <= 0:
                continue
            apply_discount(line, per_unit * quantity, quantity, offer)
            applied += per_unit * quantity
            budget -= quantity
        return BasketDiscount(applied) if applied else ZERO_DISCOUNT

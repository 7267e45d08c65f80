"""Showrooms ("điểm giới thiệu và bán sản phẩm OCOP") and their shelf stock.

A Showroom is the record that stock, staff and movements point at; its Wagtail page (showrooms/pages.py) shows
it, and translations of the page share it. Shelf stock is a ledger: StockMovement rows are append-only and
ShelfStock.quantity is their running sum, written in the same transaction by showrooms/services.py (never
anywhere else). ``reserved`` holds units set aside for pickup orders: not a movement, since nothing has left the
shelf yet (like Oscar's num_allocated).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable


class Showroom(ClusterableModel):
    code = models.SlugField(
        _("mã"), max_length=40, unique=True, help_text=_("Dùng trong đường dẫn và tệp kiểm kê, ví dụ: chau-doc.")
    )
    name = models.CharField(_("tên"), max_length=128, help_text=_("Ví dụ: Điểm OCOP Châu Đốc."))
    area = models.ForeignKey(
        "catalogue.AdministrativeUnit",
        on_delete=models.PROTECT,
        limit_choices_to={"level": "commune"},
        related_name="showrooms",
        verbose_name=_("xã/phường"),
    )
    street_address = models.CharField(_("địa chỉ"), max_length=255)
    latitude = models.DecimalField(
        _("vĩ độ"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("kinh độ"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    few_left_threshold = models.PositiveIntegerField(
        _("báo “sắp hết” khi còn"), default=3, help_text=_("Trang công khai ghi “sắp hết” khi số trên kệ từ mức này trở xuống.")
    )
    offers_pickup = models.BooleanField(_("nhận giữ hàng cho khách đến lấy"), default=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("code"),
        MultiFieldPanel(
            [FieldPanel("area"), FieldPanel("street_address"), FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")])],
            heading=_("Địa chỉ"),
        ),
        FieldPanel("phone"),
        FieldRowPanel([FieldPanel("few_left_threshold"), FieldPanel("offers_pickup"), FieldPanel("is_active")]),
        InlinePanel("hours", heading=_("Giờ mở cửa"), label=_("khung giờ")),
        InlinePanel("exceptions", heading=_("Ngày nghỉ, giờ đặc biệt"), label=_("ngày")),
        InlinePanel("memberships", heading=_("Nhân viên điểm bán"), label=_("nhân viên")),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("điểm bán OCOP")
        verbose_name_plural = _("điểm bán OCOP")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="showroom_coordinates_both_or_neither",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        """A showroom holding pickup orders keeps taking them to the counter until they are collected or cancelled."""
        from django.core.exceptions import ValidationError

        if self.pk and not (self.is_active and self.offers_pickup):
            waiting = self.pickup_parts.filter(status__in=("awaiting_payment", "confirmed", "packed")).count()
            if waiting:
                raise ValidationError(
                    _("Điểm bán đang giữ %(count)s đơn khách đặt trước: hãy giao hoặc huỷ các đơn đó trước khi "
                      "ngừng hoạt động hoặc ngừng nhận giữ hàng.") % {"count": waiting}
                )

    @property
    def channel_label(self) -> str:
        return f"showroom {self.name}"

    @property
    def full_address(self) -> str:
        return f"{self.street_address}, {self.area}"


class OpeningHours(Orderable):
    """One opening span on a weekday; a day may have two (closed at noon)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Thứ Hai")
        TUESDAY = 1, _("Thứ Ba")
        WEDNESDAY = 2, _("Thứ Tư")
        THURSDAY = 3, _("Thứ Năm")
        FRIDAY = 4, _("Thứ Sáu")
        SATURDAY = 5, _("Thứ Bảy")
        SUNDAY = 6, _("Chủ Nhật")

    showroom = ParentalKey(Showroom, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("thứ"), choices=Weekday.choices)
    opens = models.TimeField(_("mở cửa"))
    closes = models.TimeField(_("đóng cửa"))

    panels = [FieldRowPanel([FieldPanel("weekday"), FieldPanel("opens"), FieldPanel("closes")])]

    class Meta(Orderable.Meta):
        verbose_name = _("giờ mở cửa")
        constraints = [models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="opening_hours_close_after_open")]


class OpeningException(Orderable):
    """A day that differs from the week (Tết, a holiday, a fair): closed, or open at other hours."""

    showroom = ParentalKey(Showroom, on_delete=models.CASCADE, related_name="exceptions")
    date = models.DateField(_("ngày"))
    closed = models.BooleanField(_("nghỉ cả ngày"), default=True)
    opens = models.TimeField(_("mở cửa"), null=True, blank=True)
    closes = models.TimeField(_("đóng cửa"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=128, blank=True, help_text=_("Ví dụ: Nghỉ Tết Nguyên đán."))

    panels = [
        FieldRowPanel([FieldPanel("date"), FieldPanel("closed"), FieldPanel("opens"), FieldPanel("closes")]),
        FieldPanel("note"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("ngày đặc biệt")
        constraints = [
            models.CheckConstraint(
                condition=Q(closed=True) | Q(opens__isnull=False, closes__isnull=False, closes__gt=F("opens")),
                name="opening_exception_hours_when_open",
            ),
            models.UniqueConstraint(fields=["showroom", "date"], name="one_exception_per_showroom_day"),
        ]


class ShowroomMembership(Orderable):
    """Who works at a showroom. A user may work at several (and belong to a producer too)."""

    showroom = ParentalKey(Showroom, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="showroom_memberships",
        limit_choices_to={"is_staff": False, "is_active": True},
        verbose_name=_("người dùng"),
    )

    panels = [FieldPanel("user")]

    class Meta(Orderable.Meta):
        verbose_name = _("nhân viên điểm bán")
        constraints = [models.UniqueConstraint(fields=["showroom", "user"], name="one_membership_per_showroom_user")]


class ShelfStock(models.Model):
    """The current level of one product on one showroom's shelves: the sum of its movements."""

    showroom = models.ForeignKey(Showroom, on_delete=models.PROTECT, related_name="shelf")
    product = models.ForeignKey("catalogue.Product", on_delete=models.PROTECT, related_name="shelf_stock")
    quantity = models.IntegerField(_("trên kệ"), default=0)
    reserved = models.IntegerField(_("đang giữ cho khách"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["showroom", "product"]
        verbose_name = _("hàng trên kệ")
        verbose_name_plural = _("hàng trên kệ")
        constraints = [
            models.UniqueConstraint(fields=["showroom", "product"], name="one_shelf_row_per_showroom_product"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="shelf_quantity_not_negative"),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="shelf_reserved_not_negative"),
            models.CheckConstraint(condition=Q(reserved__lte=F("quantity")), name="shelf_reserved_within_quantity"),
        ]

    def __str__(self):
        return f"{self.showroom} · {self.product} · {self.quantity}"

    @property
    def available(self) -> int:
        return self.quantity - self.reserved


class StockMovement(models.Model):
    """One change to a shelf, never edited or deleted: a mistake is undone by a reversing row."""

    class Reason(models.TextChoices):
        DELIVERY = "delivery", _("Nhận hàng từ chủ thể")
        SALE = "sale", _("Bán tại điểm")
        COUNT = "count", _("Điều chỉnh kiểm kê")
        TRANSFER_OUT = "transfer_out", _("Chuyển đi điểm khác")
        TRANSFER_IN = "transfer_in", _("Nhận từ điểm khác")
        DAMAGED = "damaged", _("Hư hỏng")
        RETURNED = "returned", _("Trả lại chủ thể")
        PICKUP = "pickup", _("Giao đơn khách đặt trước")
        UNDO = "undo", _("Hoàn tác")

    showroom = models.ForeignKey(Showroom, on_delete=models.PROTECT, related_name="movements")
    product = models.ForeignKey("catalogue.Product", on_delete=models.PROTECT, related_name="shelf_movements")
    delta = models.IntegerField(_("thay đổi"))
    balance = models.IntegerField(_("còn lại sau thay đổi"))
    reason = models.CharField(_("lý do"), max_length=16, choices=Reason.choices)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("người ghi")
    )
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True, db_index=True)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversal", verbose_name=_("hoàn tác của")
    )
    transfer_key = models.UUIDField(null=True, blank=True, db_index=True, help_text="Both legs of one transfer.")
    sale = models.OneToOneField(
        "reports.Sale", on_delete=models.PROTECT, null=True, blank=True, related_name="shelf_movement"
    )
    order_line = models.ForeignKey("order.Line", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    request_key = models.CharField(
        max_length=64, null=True, blank=True, help_text="The form's one-time key: the same request twice is one row."
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("biến động kho điểm bán")
        verbose_name_plural = _("sổ kho điểm bán")
        indexes = [models.Index(fields=["showroom", "product", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=~Q(delta=0), name="movement_delta_not_zero"),
            models.CheckConstraint(condition=Q(balance__gte=0), name="movement_balance_not_negative"),
            models.UniqueConstraint(
                fields=["request_key", "showroom", "product"],
                condition=Q(request_key__isnull=False),
                name="one_movement_per_request",
            ),
            models.UniqueConstraint(
                fields=["order_line"], condition=Q(reason="pickup"), name="one_pickup_movement_per_line"
            ),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} {self.delta:+d}"


from .pages import *  # noqa: E402,F401,F403  (Wagtail page models live in pages.py)

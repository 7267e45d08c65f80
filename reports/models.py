"""The sales ledger: every sale, from every channel, lands here once (reports/services.py writes it)."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Platform(models.TextChoices):
    """Where an external sale was made (channel "external")."""

    SHOPEE = "shopee", "Shopee"
    TIKTOK_SHOP = "tiktok_shop", "TikTok Shop"
    LAZADA = "lazada", "Lazada"
    POSTMART = "postmart", "Postmart"
    VOSO = "voso", "Voso"
    SUPERMARKET = "supermarket", _("Siêu thị")
    OTHER = "other", _("Kênh khác")


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
    platform = models.CharField(
        _("sàn, kênh bán ngoài"), max_length=16, choices=Platform.choices, blank=True,
        help_text="Channel external only: where the sale was made.",
    )
    # What reports group a row by, as it was when the money was taken (reports/services.sale_facts).
    area = models.ForeignKey(
        "catalogue.AdministrativeUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("xã/phường của chủ thể"),
    )
    ocop_group = models.PositiveSmallIntegerField(_("nhóm OCOP"), null=True, blank=True)
    stars = models.PositiveSmallIntegerField(_("hạng sao"), null=True, blank=True)
    booked_on = models.DateField(
        _("ngày ghi sổ"), db_index=True,
        help_text="The day reports count the row on: when the money was taken, or the recording day if that day's "
        "period was closed (reports/services.booking_date).",
    )
    sale_import = models.ForeignKey(
        "SaleImport", on_delete=models.PROTECT, null=True, blank=True, related_name="sales", verbose_name=_("tệp nhập")
    )
    import_row = models.PositiveIntegerField(_("dòng trong tệp"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("người nhập"), help_text="Sales entered by hand (external platforms): who entered the row.",
    )
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
            models.CheckConstraint(
                condition=(Q(channel="external") & ~Q(platform="")) | (~Q(channel="external") & Q(platform="")),
                name="platform_only_and_always_for_external_sales",
            ),
        ]
        indexes = [models.Index(fields=["booked_on", "channel"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.title} × {self.quantity}"
class SaleImport(models.Model):
    """One imported file of external sales: its rows point here; the same file (by content) is imported once."""

    file_sha256 = models.CharField(max_length=64, unique=True)
    filename = models.CharField(_("tên tệp"), max_length=255)
    rows = models.PositiveIntegerField(_("số dòng"))
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp bán hàng đã nhập")
        verbose_name_plural = _("tệp bán hàng đã nhập")

    def __str__(self):
        return self.filename


class ClosedPeriod(models.Model):
    """A reporting period staff have closed: a sale taken in it but recorded later is booked in the open period
    (its ``booked_on`` is the day it was recorded), so a closed period's report never changes."""

    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        ordering = ["-ends_on"]
        verbose_name = _("kỳ báo cáo đã khoá sổ")
        verbose_name_plural = _("kỳ báo cáo đã khoá sổ")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="closed_period_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y}"


class PlanTarget(models.Model):
    """The province's targets for one year (the OCOP plan): new 3★+ products, products at 4★+, producers on
    modern channels. A year without a row uses the plan's figures (settings.OCOP_PLAN_DEFAULTS)."""

    year = models.PositiveSmallIntegerField(_("năm"), unique=True)
    new_products_min = models.PositiveIntegerField(_("sản phẩm mới 3★ trở lên: tối thiểu"), default=50)
    new_products_max = models.PositiveIntegerField(_("sản phẩm mới 3★ trở lên: tối đa"), default=60)
    four_star_products = models.PositiveIntegerField(_("sản phẩm đạt 4★ trở lên"), default=5)
    modern_channel_share = models.PositiveSmallIntegerField(
        _("tỉ lệ chủ thể bán qua kênh hiện đại (%)"), default=100, validators=[MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("chỉ tiêu kế hoạch OCOP")
        verbose_name_plural = _("chỉ tiêu kế hoạch OCOP")
        constraints = [
            models.CheckConstraint(condition=Q(new_products_max__gte=models.F("new_products_min")),
                                   name="plan_target_max_at_least_min"),
        ]

    def __str__(self):
        return str(self.year)

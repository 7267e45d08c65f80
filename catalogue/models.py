"""Oscar's catalogue, forked: the product gains its OCOP product set, producer and certificates.

Our models are defined before Oscar's star import so that Oscar uses them (Oscar's models.py only defines a
model that is not registered yet).
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.abstract_models import AbstractProduct, AbstractProductImage

from .certification import Status, certificate_is_valid, default_expiry, ocop_today
from .managers import CertificateQuerySet, ProductQuerySet


class AdministrativeUnit(models.Model):
    """A province or a commune/ward, with its official code. Districts were abolished in July 2025; the
    former district is kept on communes as a label for grouping."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Tỉnh/thành phố")
        COMMUNE = "commune", _("Xã/phường/đặc khu")

    code = models.CharField(_("mã"), max_length=10)
    name = models.CharField(_("tên"), max_length=128)
    level = models.CharField(_("cấp"), max_length=16, choices=Level.choices)
    division_type = models.CharField(_("loại đơn vị"), max_length=32)
    codename = models.CharField(max_length=128, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("tỉnh")
    )
    former_district = models.CharField(_("huyện cũ (trước 7/2025)"), max_length=128, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        indexes = [models.Index(fields=["parent", "name"])]
        constraints = [models.UniqueConstraint(fields=["level", "code"], name="unique_unit_code_per_level")]

    def __str__(self):
        if self.parent_id and self.former_district:
            return f"{self.name} ({self.former_district}), {self.parent.name}"
        if self.parent_id:
            return f"{self.name}, {self.parent.name}"
        return self.name


class OcopTaxonomy(models.Model):
    """The set of OCOP groups and product sets defined by one decision (e.g. 148/QĐ-TTg)."""

    decision_number = models.CharField(_("số quyết định"), max_length=64, unique=True)
    decision_date = models.DateField(_("ngày quyết định"))
    title = models.CharField(_("tiêu đề"), max_length=255)
    is_current = models.BooleanField(_("đang áp dụng"), default=False)

    class Meta:
        verbose_name = _("bộ tiêu chí phân nhóm OCOP")
        verbose_name_plural = _("bộ tiêu chí phân nhóm OCOP")
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name="one_current_taxonomy")
        ]

    def __str__(self):
        return self.decision_number


class OcopGroup(models.Model):
    taxonomy = models.ForeignKey(OcopTaxonomy, on_delete=models.CASCADE, related_name="groups")
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    name = models.CharField(_("tên nhóm"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    is_shippable = models.BooleanField(
        _("giao hàng được"), default=True, help_text=_("Nhóm VI (du lịch) là dịch vụ: đặt chỗ hoặc tham quan, không giao hàng.")
    )
    category = models.OneToOneField(
        "catalogue.Category", on_delete=models.SET_NULL, null=True, blank=True, related_name="ocop_group"
    )
    product_class = models.ForeignKey(
        "catalogue.ProductClass", on_delete=models.SET_NULL, null=True, blank=True, related_name="ocop_groups"
    )

    class Meta:
        ordering = ["taxonomy", "number"]
        verbose_name = _("nhóm sản phẩm OCOP")
        verbose_name_plural = _("nhóm sản phẩm OCOP")
        constraints = [models.UniqueConstraint(fields=["taxonomy", "number"], name="unique_group_number")]

    def __str__(self):
        return f"{self.roman} · {self.name}"

    @property
    def roman(self):
        return ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"][self.number - 1]


class OcopProductSet(models.Model):
    group = models.ForeignKey(OcopGroup, on_delete=models.CASCADE, related_name="product_sets")
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    name = models.CharField(_("tên bộ sản phẩm"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    category = models.OneToOneField(
        "catalogue.Category", on_delete=models.SET_NULL, null=True, blank=True, related_name="ocop_product_set"
    )

    class Meta:
        ordering = ["group", "number"]
        verbose_name = _("bộ sản phẩm OCOP")
        verbose_name_plural = _("bộ sản phẩm OCOP")
        constraints = [models.UniqueConstraint(fields=["group", "number"], name="unique_product_set_number")]

    def __str__(self):
        return f"{self.group.roman}.{self.number} {self.name}"


class Product(AbstractProduct):
    ocop_product_set = models.ForeignKey(
        OcopProductSet,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="products",
        verbose_name=_("bộ sản phẩm OCOP"),
    )
    producer = models.ForeignKey(
        "partner.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="products",
        verbose_name=_("chủ thể OCOP"),
    )
    weight_grams = models.PositiveIntegerField(
        _("khối lượng khi giao (gam)"),
        null=True,
        blank=True,
        help_text=_("Gồm cả bao bì; dùng để tính phí giao hàng. Để trống: tính 500 g."),
    )
    volume_ml = models.PositiveIntegerField(_("thể tích (ml)"), null=True, blank=True)
    shelf_life_days = models.PositiveIntegerField(_("hạn sử dụng (ngày)"), null=True, blank=True)
    ingredients = models.TextField(_("thành phần"), blank=True)
    raw_material_origin = models.CharField(_("vùng nguyên liệu"), max_length=255, blank=True)
    is_age_restricted = models.BooleanField(
        _("chỉ bán cho người từ 18 tuổi"),
        default=False,
        help_text=_("Đồ uống có cồn (nhóm II): người mua phải xác nhận đủ 18 tuổi khi đặt hàng."),
    )

    title_folded = models.CharField(
        max_length=255, blank=True, db_index=True, editable=False,
        help_text="The title through shop.text.fold_vietnamese, for searches typed without accents. Set on save.",
    )
    title_lower = models.CharField(
        max_length=255, blank=True, editable=False,
        help_text="The title in NFC lower case: an accented query matching it exactly ranks first. Set on save.",
    )
    search_folded = models.TextField(
        blank=True, editable=False,
        help_text="Folded words a search matches: title, producer, OCOP set, raw-material area. catalogue/search.",
    )

    # What a listing filters, sorts and counts by, denormalised and indexed (catalogue/listing.py keeps them right:
    # every write that changes a source calls it in the same transaction). The certificate is kept as the dates it
    # is valid between, never as a flag, so an expiry needs no job (certification.listing_certified_q).
    certified_from = models.DateField(null=True, editable=False)
    certified_until = models.DateField(null=True, editable=False)
    listing_stars = models.PositiveSmallIntegerField(null=True, editable=False)
    listing_recheck_on = models.DateField(
        null=True, editable=False, db_index=True,
        help_text="A later certificate changes the stars or starts a new span that day: listings refresh it then.",
    )
    listing_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, editable=False)
    stock_band = models.PositiveSmallIntegerField(
        default=0, editable=False, help_text="Units buyable online, capped at FEW_LEFT + 1 (0: cannot be bought).",
    )
    at_showroom = models.BooleanField(default=False, editable=False)
    shelf_signature = models.CharField(max_length=16, blank=True, editable=False)
    listing_area = models.CharField(max_length=128, blank=True, editable=False)
    listing_group = models.PositiveSmallIntegerField(null=True, editable=False)

    objects = ProductQuerySet.as_manager()

    class Meta(AbstractProduct.Meta):
        indexes = [
            models.Index(fields=["certified_until", "certified_from"], name="product_listing_certified"),
            models.Index(fields=["listing_group", "certified_until"], name="product_listing_group"),
            models.Index(fields=["listing_area"], name="product_listing_area"),
            models.Index(fields=["listing_price"], name="product_listing_price"),
            models.Index(fields=["-date_created", "-id"], name="product_newest"),
        ]

    def save(self, *args, **kwargs):
        from .search.text import search_fields_fill

        search_fields_fill(self)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "title_folded", "title_lower", "search_folded"}
        super().save(*args, **kwargs)

    # ---- the gate, model side (agrees with ProductQuerySet.certified; tested against it)
    def current_certificate(self, day=None):
        """The valid certificate issued last, or None. Uses the listing prefetch when present."""
        day = day or ocop_today()
        cache = self.__dict__.setdefault("_current_certificate_cache", {})
        if day not in cache:
            cache[day] = self._find_current_certificate(day)
        return cache[day]

    def _find_current_certificate(self, day):
        if hasattr(self, "prefetched_valid_certificates") and day == ocop_today():
            return self.prefetched_valid_certificates[0] if self.prefetched_valid_certificates else None
        return next((c for c in self._certificates_newest_first() if certificate_is_valid(c, on=day)), None)

    def _certificates_newest_first(self):
        """All certificates that speak for this product (a variant's include its parent's), newest first: the
        prefetched `certificates` of a standalone product when a list page loaded them, else one query."""
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("certificates")
        if prefetched is not None and not self.parent_id:
            return sorted(prefetched, key=lambda c: (c.issued_on, c.pk), reverse=True)
        owners = [self.pk] + ([self.parent_id] if self.parent_id else [])
        return Certificate.objects.filter(product_id__in=owners).current_first()

    def is_certified(self, day=None) -> bool:
        return self.current_certificate(day) is not None

    def certification_status(self, day=None):
        """(Status, certificate) for the product page: why it is or is not for sale."""
        day = day or ocop_today()
        current = self.current_certificate(day)
        if current:
            return Status.CERTIFIED, current
        latest = next(iter(self._certificates_newest_first()), None)
        if latest is None:
            return Status.NONE, None
        return latest.status(day), latest

    @property
    def needs_shipping(self) -> bool:
        """Group VI (visits, tours) is a service: no parcel, a visit date instead."""
        group = self.ocop_group
        return group.is_shippable if group else True

    @cached_property
    def ocop_group(self):
        return self.ocop_product_set.group if self.ocop_product_set_id else None


def _new_verification_code() -> str:
    return secrets.token_urlsafe(9)  # 12 URL-safe characters


class Certificate(models.Model):
    """An OCOP recognition decision for one product. Renewals are new rows; revocation is recorded, never deleted."""

    class Level(models.TextChoices):
        DISTRICT = "district", _("Cấp huyện (trước 7/2025)")
        PROVINCE = "province", _("Cấp tỉnh")
        NATIONAL = "national", _("Cấp trung ương")

    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("sản phẩm")
    )
    decision_number = models.CharField(_("số quyết định"), max_length=64, help_text=_("Ví dụ: 86/QĐ-UBND"))
    issued_on = models.DateField(_("ngày quyết định (ngày cấp)"))
    issuing_level = models.CharField(_("cấp công nhận"), max_length=16, choices=Level.choices, default=Level.PROVINCE)
    issuing_authority = models.CharField(_("cơ quan công nhận"), max_length=255, blank=True)
    stars = models.PositiveSmallIntegerField(
        _("hạng sao"), validators=[MinValueValidator(3), MaxValueValidator(5)]
    )
    score = models.PositiveSmallIntegerField(
        _("điểm"), null=True, blank=True, validators=[MinValueValidator(50), MaxValueValidator(100)]
    )
    is_potential_five_star = models.BooleanField(
        _("tiềm năng 5 sao"), default=False, help_text=_("Đạt 90 điểm trở lên cấp tỉnh, chờ trung ương công nhận 5 sao.")
    )
    expires_on = models.DateField(
        _("ngày hết hạn"), blank=True, help_text=_("Ngày cuối còn hiệu lực. Để trống: 36 tháng kể từ ngày quyết định.")
    )
    revoked_on = models.DateField(_("ngày thu hồi"), null=True, blank=True)
    revocation_reason = models.TextField(_("lý do thu hồi"), blank=True)
    scan = models.FileField(_("bản quét"), upload_to="certificates/%Y/", blank=True)
    verification_code = models.CharField(
        _("mã xác minh"), max_length=32, unique=True, default=_new_verification_code, editable=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("giấy chứng nhận OCOP")
        verbose_name_plural = _("giấy chứng nhận OCOP")
        constraints = [
            models.CheckConstraint(condition=Q(stars__gte=3, stars__lte=5), name="certificate_stars_3_to_5"),
            models.CheckConstraint(condition=Q(expires_on__gt=models.F("issued_on")), name="certificate_expires_after_issue"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=50, score__lte=100), name="certificate_score_50_to_100"
            ),
            models.CheckConstraint(
                condition=Q(is_potential_five_star=False) | Q(score__gte=90), name="certificate_potential_five_needs_90"
            ),
            models.CheckConstraint(
                condition=Q(revoked_on__isnull=True) | ~Q(revocation_reason=""), name="certificate_revocation_has_reason"
            ),
            models.UniqueConstraint(fields=["product", "decision_number"], name="unique_certificate_decision_product"),
        ]
        indexes = [models.Index(fields=["product", "issued_on", "expires_on"]), models.Index(fields=["expires_on"])]

    def __str__(self):
        return f"{self.decision_number} · {self.stars}★"

    def save(self, *args, **kwargs):
        if self.expires_on is None and self.issued_on:
            self.expires_on = default_expiry(self.issued_on)
        super().save(*args, **kwargs)

    def is_valid(self, day=None) -> bool:
        return certificate_is_valid(self, on=day or ocop_today())

    def status(self, day=None) -> Status:
        day = day or ocop_today()
        if self.revoked_on:
            return Status.REVOKED
        if self.issued_on > day:
            return Status.NOT_YET_VALID
        if self.expires_on < day:
            return Status.EXPIRED
        return Status.CERTIFIED

    def get_absolute_url(self):
        return reverse("certification:verify", kwargs={"code": self.verification_code})

    def public_url(self) -> str:
        """Absolute and unprefixed (no language): printed on labels as a QR code."""
        return settings.OCOP_PUBLIC_BASE_URL.rstrip("/") + f"/ocop/verify/{self.verification_code}/"


class ProductImage(AbstractProductImage):
    """Oscar's product image plus a listing thumbnail made when the photo is stored (catalogue/images.py)."""

    thumbnail = models.ImageField(_("ảnh thu nhỏ"), upload_to="thumbnails/%Y/%m/", blank=True, editable=False)

    class Meta(AbstractProductImage.Meta):
        pass

    def save(self, *args, **kwargs):
        if self.pk and self.thumbnail:  # a replaced photo needs a new thumbnail
            stored = type(self).objects.filter(pk=self.pk).values_list("original", flat=True).first()
            if stored != self.original.name:
                self.thumbnail = ""
        if self.original and not self.thumbnail:
            from .images import image_thumbnail

            try:
                self.thumbnail = image_thumbnail(self.original.file)
            except Exception:  # a listing falls back to the original
                pass
        super().save(*args, **kwargs)

    @property
    def listing_url(self) -> str:
        return (self.thumbnail or self.original).url


from oscar.apps.catalogue.models import *  # noqa: E402,F401,F403

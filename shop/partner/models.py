"""Oscar's partner, forked: a partner is an OCOP producer ("chủ thể OCOP") with a public profile."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.db.models import F, Q
from oscar.apps.partner.abstract_models import AbstractPartner, AbstractStockRecord


class Partner(AbstractPartner):
    class Kind(models.TextChoices):
        COOPERATIVE = "cooperative", _("Hợp tác xã")
        COOPERATIVE_GROUP = "cooperative_group", _("Tổ hợp tác")
        ENTERPRISE = "enterprise", _("Doanh nghiệp")
        HOUSEHOLD = "household", _("Hộ kinh doanh")

    kind = models.CharField(_("loại hình"), max_length=32, choices=Kind.choices, default=Kind.HOUSEHOLD)
    area = models.ForeignKey(
        "catalogue.AdministrativeUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="producers",
        verbose_name=_("xã/phường"),
    )
    street_address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    representative = models.CharField(_("người đại diện"), max_length=128, blank=True)
    story = models.TextField(_("giới thiệu"), blank=True)
    is_public = models.BooleanField(_("hiện hồ sơ công khai"), default=True)
    approved_at = models.DateTimeField(
        _("được duyệt lúc"), null=True, blank=True, help_text=_("Trống: chủ thể tự đăng ký, chờ Ban điều phối duyệt.")
    )
    low_stock_threshold_default = models.PositiveIntegerField(_("báo sắp hết hàng khi còn"), default=5)
    name_folded = models.CharField(
        max_length=255, blank=True, db_index=True, editable=False,
        help_text="The name through shop.text.fold_vietnamese (search suggestions). Set on save.",
    )
    may_host_livestreams = models.BooleanField(
        _("được tự tổ chức livestream"), default=False,
        help_text=_("Ban điều phối cho phép chủ thể tự lên lịch phiên livestream cho sản phẩm OCOP của mình."),
    )

    class Meta(AbstractPartner.Meta):
        pass

    def get_absolute_url(self):
        return reverse("producers:detail", kwargs={"code": self.code})

    def save(self, *args, **kwargs):
        from shop.text import fold_vietnamese

        self.name_folded = fold_vietnamese(self.name or "")[:255]
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_folded"}
        super().save(*args, **kwargs)


class StockRecord(AbstractStockRecord):
    """Oscar's stock record with the database as the last word: allocations never exceed stock.

    Rows are never saved whole over a concurrent allocation: stock changes go through shop/partner/stock.py
    (deltas and locked updates).
    """

    # Written only by F() updates (Oscar's allocate/consume/cancel, shop/partner/stock.py), never by a save.
    ALLOCATION_FIELDS = ("num_allocated",)

    def save(self, *args, **kwargs):
        """A form or import saving this row must not write back an allocation it read earlier: on an existing
        row, save everything except the allocation, under a row lock."""
        if self.pk and not kwargs.get("force_insert") and kwargs.get("update_fields") is None:
            kwargs.pop("update_fields", None)
            from django.db import transaction

            fields = [
                f.attname for f in self._meta.concrete_fields
                if not f.primary_key and f.attname not in self.ALLOCATION_FIELDS
            ]
            with transaction.atomic():
                type(self).objects.select_for_update().filter(pk=self.pk).values_list("pk", flat=True).first()
                super().save(*args, update_fields=fields, **kwargs)
                self.refresh_from_db(fields=list(self.ALLOCATION_FIELDS))
            return
        super().save(*args, **kwargs)

    def clean(self):
        """Forms (Oscar's dashboard, later the producer area) get a message instead of the constraint's error."""
        from django.core.exceptions import ValidationError

        super().clean()
        allocated = type(self).objects.filter(pk=self.pk).values_list("num_allocated", flat=True).first() if self.pk else 0
        if self.num_in_stock is not None and self.num_in_stock < (allocated or 0):
            raise ValidationError(
                {"num_in_stock": _("Đang có %(n)s sản phẩm trong các đơn chưa giao: tồn kho không thể thấp hơn.")
                 % {"n": allocated}}
            )

    class Meta(AbstractStockRecord.Meta):
        constraints = [
            models.CheckConstraint(condition=Q(num_in_stock__gte=0), name="stock_in_stock_not_negative"),
            models.CheckConstraint(condition=Q(num_allocated__gte=0), name="stock_allocated_not_negative"),
            models.CheckConstraint(
                condition=Q(num_allocated__lte=F("num_in_stock")), name="stock_allocated_within_stock"
            ),
        ]


from oscar.apps.partner.models import *  # noqa: E402,F401,F403

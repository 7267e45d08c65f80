"""Shipping fees: one fee per producer's parcel, by destination province and weight; free above a threshold.

Rates are set by programme staff (fulfilment.ShippingSettings, in the CMS admin). Group VI products (visits,
tours) need no parcel.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext
from oscar.apps.shipping import methods

from shop.fulfilment.models import ShippingSettings

DEFAULT_WEIGHT_GRAMS = 500


@dataclass
class PartQuote:
    producer_id: int
    needs_shipping: bool
    grams: int
    goods_total: Decimal
    fee: Decimal = Decimal(0)


@dataclass
class ShippingQuote:
    parts: dict[int, PartQuote] = field(default_factory=dict)
    free_threshold: Decimal = Decimal(0)
    has_services: bool = False  # a Group VI line: the shopper picks a visit date
    pickup: bool = False  # collected at a showroom

    @property
    def total(self) -> Decimal:
        return sum((p.fee for p in self.parts.values()), Decimal(0))

    @property
    def needs_shipping(self) -> bool:
        return any(p.needs_shipping for p in self.parts.values())

    def method(self):
        """The Oscar shipping method that carries the charge onto the order."""
        if self.pickup:
            method = methods.Free()
            method.code = "pickup"
            method.name = gettext("Nhận tại điểm bán OCOP")
            return method
        if not self.needs_shipping:
            return methods.NoShippingRequired()
        method = methods.FixedPrice(charge_excl_tax=self.total, charge_incl_tax=self.total)
        method.code = "standard"
        method.name = gettext("Giao hàng tiêu chuẩn")
        return method


def _settings(site=None) -> ShippingSettings:
    if site is None:
        from wagtail.models import Site

        site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return ShippingSettings()
    return ShippingSettings.for_site(site)


def shipping_quote(*, lines, province_id: int | None, site=None, pickup: bool = False) -> ShippingQuote:
    """lines: Oscar basket lines (with product and stockrecord). province_id: the destination province.
    pickup: the shopper collects at a showroom: no parcel, no fee."""
    if isinstance(province_id, str):  # a raw form value
        province_id = int(province_id) if province_id.isdigit() else None
    rates = _settings(site)
    quote = ShippingQuote(free_threshold=rates.free_shipping_threshold, pickup=pickup)
    goods_total = Decimal(0)
    for line in lines:
        product = line.product
        producer_id = line.stockrecord.partner_id
        part = quote.parts.setdefault(
            producer_id, PartQuote(producer_id=producer_id, needs_shipping=False, grams=0, goods_total=Decimal(0))
        )
        if product.needs_shipping and not pickup:
            part.needs_shipping = True
            part.grams += (product.weight_grams or DEFAULT_WEIGHT_GRAMS) * line.quantity
        elif not product.needs_shipping:
            quote.has_services = True
        line_total = line.line_price_incl_tax_incl_discounts
        part.goods_total += line_total
        goods_total += line_total
    free = rates.free_shipping_threshold > 0 and goods_total >= rates.free_shipping_threshold
    if free:
        return quote
    producers = _producer_provinces(quote.parts.keys())
    for part in quote.parts.values():
        if not part.needs_shipping:
            continue
        same_province = province_id is not None and producers.get(part.producer_id) == province_id
        base = rates.fee_in_province if same_province else rates.fee_other_province
        extra_kg = math.ceil(max(0, part.grams - rates.included_grams) / 1000)
        part.fee = Decimal(base) + extra_kg * Decimal(rates.fee_per_extra_kg)
    return quote


def _producer_provinces(producer_ids) -> dict[int, int | None]:
    from oscar.core.loading import get_model

    Partner = get_model("partner", "Partner")
    return {
        pk: province
        for pk, province in Partner.objects.filter(pk__in=list(producer_ids)).values_list("pk", "area__parent_id")
    }

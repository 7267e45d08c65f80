"""Generated order history: shoppers, and a year of Oscar orders shaped as checkout and fulfilment write them.

An order holds 1–4 lines of generated products that were certified and public on the day it was placed, at their
current price; a delivery record, a shipping address when something ships, one fulfilment part per producer (with
the fee ``shop.checkout.delivery.shipping_quote`` would charge), one payment, and, once its money was taken, one
ledger row per line with the facts ``reports.services.sale_record`` gives it. Most orders are completed; some are
processing, waiting for a transfer or cancelled. Stock levels are left alone: these orders are history.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.sites.models import Site
from django.utils import timezone, translation
from oscar.core.loading import get_model
from wagtail.models import Site as WagtailSite

from catalogue.certification import MIN_CERTIFIED_STARS
from catalogue.models import Certificate
from reports.models import Sale
from shop.checkout.delivery import DEFAULT_WEIGHT_GRAMS, PartQuote, ShippingQuote
from shop.fulfilment.models import FulfilmentPart, OrderDelivery, ShippingSettings
from shop.payments.gateways import gateway_for
from shop.payments.models import Payment

from . import words
from .bulk import BATCH, Table
from .catalogue import communes_an_giang, communes_elsewhere
from .marks import EMAIL_DOMAIN, ORDER_PREFIX, GenerationRefused, generated_products

STATUSES = {"completed": 76, "processing": 10, "awaiting_payment": 4, "cancelled": 10}
METHODS = {"cod": 60, "vietqr": 30, "stripe": 10}
LINE_COUNTS = {1: 45, 2: 30, 3: 17, 4: 8}
QUANTITIES = {1: 60, 2: 22, 3: 10, 4: 5, 5: 3}
GUEST_SHARE = 0.2
SAME_PRODUCER = 0.35  # a further line comes from a producer already in the order
EXPIRED_REASON = "Quá hạn thanh toán"  # what payments_expire_unpaid writes
DAY = 86400
Order, Line, LinePrice = get_model("order", "Order"), get_model("order", "Line"), get_model("order", "LinePrice")
ShippingAddress, Country = get_model("order", "ShippingAddress"), get_model("address", "Country")
StockRecord = get_model("partner", "StockRecord")


class Sellable:
    """A generated product as an order line needs it."""

    __slots__ = (
        "age_restricted",
        "area_id",
        "certificates",
        "grams",
        "group",
        "needs_shipping",
        "partner_sku",
        "pk",
        "price",
        "producer_id",
        "producer_name",
        "province_id",
        "stockrecord_id",
        "title",
        "upc",
    )

    def __init__(self, **values):
        for name, value in values.items():
            setattr(self, name, value)

    def stars_on(self, day: dt.date) -> int | None:
        """The stars of the valid certificate issued last on that day (reports.services.sale_facts), or None."""
        valid = [c for c in self.certificates if c[0] <= day <= c[1]]
        return max(valid)[2] if valid else None


@dataclass
class Part:
    """One producer's share of a planned order: what its fulfilment part will say, and when its sale was taken."""

    producer_id: int
    needs_shipping: bool = False
    goods: Decimal = Decimal(0)
    grams: int = 0
    fee: Decimal = Decimal(0)
    status: str = ""
    confirmed_at: dt.datetime | None = None
    shipped_at: dt.datetime | None = None
    delivered_at: dt.datetime | None = None
    cancelled_at: dt.datetime | None = None
    carrier: str = ""
    tracking_number: str = ""
    cash_collected: Decimal | None = None
    cancel_reason: str = ""
    sold_at: dt.datetime | None = None  # when its lines entered the ledger

    @property
    def due(self) -> Decimal:
        return self.goods + self.fee


@dataclass
class Plan:
    """An order before it is written: who placed it and when, what it holds, and how far it has gone."""

    placed: dt.datetime
    status: str
    method: str
    customer: Customer
    note: str
    lines: list = field(default_factory=list)  # (Sellable, quantity)
    parts: dict = field(default_factory=dict)  # producer id -> Part
    payment_status: str = "pending"
    payment_amount: Decimal = Decimal(0)
    payment_note: str = ""
    paid_at: dt.datetime | None = None
    expires_at: dt.datetime | None = None
    visit_date: dt.date | None = None

    @property
    def needs_shipping(self) -> bool:
        return any(part.needs_shipping for part in self.parts.values())

    @property
    def goods(self) -> Decimal:
        return sum((part.goods for part in self.parts.values()), Decimal(0))

    @property
    def shipping(self) -> Decimal:
        return sum((part.fee for part in self.parts.values()), Decimal(0))


def shoppers_generate(*, count: int, seed: int, end: dt.datetime) -> list:
    """Shopper accounts with unusable passwords, emails ``shopper00001@bench.invalid`` and so on. Returns them
    (unsaved instances with their keys)."""
    User = get_user_model()
    rng = random.Random(f"{seed}/shoppers")
    made, rows = [], []
    for i in range(count):
        family, middle, given = _name(rng)
        made.append(User(email=f"shopper{i + 1:05d}{EMAIL_DOMAIN}", first_name=given,
                         last_name=f"{family} {middle}".strip()))
        rows.append((made[-1].email, made[-1].first_name, made[-1].last_name,
                     f"{UNUSABLE_PASSWORD_PREFIX}bench-{rng.getrandbits(128):032x}", True,
                     end - dt.timedelta(days=rng.randint(365, 1500), seconds=rng.randrange(DAY))))
    table = Table(User, ["email", "first_name", "last_name", "password", "is_active", "date_joined"])
    keys = table.insert_returning(rows)
    for user, key in zip(made, keys):
        user.pk = key
    return made


def orders_generate(*, count: int, seed: int, shoppers: list, end: dt.datetime) -> dict:
    """``count`` orders placed over the year before ``end``, numbered by date. Returns counts by kind of row."""
    if not count:
        return {"orders": 0}
    products = sellable_load()
    if not products:
        raise GenerationRefused("no generated products to order: generate a catalogue first")
    market = Market.of(products=products, seed=seed, end=end)
    rng = random.Random(f"{seed}/orders")
    plans = [_order_plan(rng=rng, customer=customer, market=market)
             for customer in customers_draw(count=count, seed=seed, shoppers=shoppers)]
    plans.sort(key=lambda plan: plan.placed)
    with translation.override(settings.LANGUAGE_CODE):
        methods = _shipping_methods()
    counts: dict[str, int] = {}
    for chunk_start in range(0, len(plans), BATCH):
        chunk = plans[chunk_start:chunk_start + BATCH]
        for name, made in _orders_insert(chunk, first_number=chunk_start + 1, methods=methods).items():
            counts[name] = counts.get(name, 0) + made
    return counts


@dataclass
class Market:
    """What every order draws from: the products (some far more popular than others), by producer too, the
    shipping rates and how long each payment method waits."""

    products: list[Sellable]
    popularity: list[float]
    by_producer: dict[int, list[int]]
    rates: ShippingSettings
    expiry: dict
    end: dt.datetime

    @classmethod
    def of(cls, *, products: list[Sellable], seed: int, end: dt.datetime) -> Market:
        by_producer: dict[int, list[int]] = {}
        for index, product in enumerate(products):
            by_producer.setdefault(product.producer_id, []).append(index)
        return cls(products=products, popularity=_cumulative(random.Random(f"{seed}/popularity"), len(products)),
                   by_producer=by_producer, rates=_shipping_rates(),
                   expiry={method: gateway_for(method).expiry() for method in METHODS}, end=end)


@dataclass
class Customer:
    """Who places an order and where it goes."""

    user: object  # a shopper, or None for a guest
    full_name: str
    phone: str
    commune: object
    street: str
    guest_email: str = ""


def customers_draw(*, count: int, seed: int, shoppers: list) -> list[Customer]:
    """Who places each order: a shopper most of the time (some far more often than others), always from the same
    address, else a guest from anywhere."""
    rng = random.Random(f"{seed}/customers")
    home, elsewhere = communes_an_giang(), communes_elsewhere()
    regulars = [Customer(user=user, full_name=f"{user.last_name} {user.first_name}", phone=_phone(rng),
                         commune=rng.choice(home) if rng.random() < 0.7 else rng.choice(elsewhere), street=_street(rng))
                for user in shoppers]
    frequency = _cumulative(rng, len(regulars)) if regulars else []
    drawn = []
    for n in range(count):
        if regulars and rng.random() >= GUEST_SHARE:
            drawn.append(regulars[_pick(rng, frequency)])
        else:
            drawn.append(Customer(user=None, full_name=" ".join(w for w in _name(rng) if w), phone=_phone(rng),
                                  commune=rng.choice(home) if rng.random() < 0.6 else rng.choice(elsewhere),
                                  street=_street(rng), guest_email=f"khach{n + 1:06d}{EMAIL_DOMAIN}"))
    return drawn


# ---------------------------------------------------------------------------------------------------- reading
def sellable_load() -> list[Sellable]:
    """Public generated products with their stock record and the certificates that can make them valid."""
    products = generated_products().filter(is_public=True)
    stock = {row[0]: row[1:] for row in StockRecord.objects.filter(product__in=products.values("pk"))
             .order_by("pk").values_list("product_id", "pk", "price", "partner_sku")}
    certificates: dict[int, list] = {}
    usable = Certificate.objects.filter(product__in=products.values("pk"), stars__gte=MIN_CERTIFIED_STARS,
                                        revoked_on__isnull=True)
    for product_id, *dates in usable.order_by("pk").values_list("product_id", "issued_on", "expires_on", "stars"):
        certificates.setdefault(product_id, []).append(tuple(dates))
    made = []
    for row in products.order_by("upc").values(
        "pk", "title", "upc", "producer_id", "producer__name", "producer__area_id", "producer__area__parent_id",
        "ocop_product_set__group__number", "ocop_product_set__group__is_shippable", "weight_grams", "is_age_restricted",
    ):
        if row["pk"] not in stock or row["pk"] not in certificates:
            continue
        record_id, price, sku = stock[row["pk"]]
        shippable = row["ocop_product_set__group__is_shippable"]
        made.append(Sellable(
            pk=row["pk"], title=row["title"], upc=row["upc"], price=price, producer_id=row["producer_id"],
            producer_name=row["producer__name"], province_id=row["producer__area__parent_id"],
            area_id=row["producer__area_id"], stockrecord_id=record_id, partner_sku=sku,
            group=row["ocop_product_set__group__number"], needs_shipping=True if shippable is None else shippable,
            grams=row["weight_grams"], age_restricted=row["is_age_restricted"], certificates=certificates[row["pk"]],
        ))
    return made


def _shipping_rates() -> ShippingSettings:
    """The default site's rates as staff set them (read, never created), else the defaults."""
    site = WagtailSite.objects.filter(is_default_site=True).first()
    return (ShippingSettings.objects.filter(site=site).first() if site else None) or ShippingSettings()


def _shipping_methods() -> dict[str, tuple[str, str]]:
    """(name, code) of the shipping method an order carries, by whether something ships."""
    methods = {}
    for ships in (True, False):
        method = ShippingQuote(parts={0: PartQuote(producer_id=0, needs_shipping=ships, grams=0,
                                                   goods_total=Decimal(0))}).method()
        methods[ships] = (str(method.name), method.code)
    return methods


# ---------------------------------------------------------------------------------------------------- planning
def _name(rng: random.Random) -> tuple[str, str, str]:
    return rng.choice(words.FAMILY_NAMES), rng.choice(words.MIDDLE_NAMES), rng.choice(words.GIVEN_NAMES)


def _cumulative(rng: random.Random, n: int) -> list[float]:
    """Cumulative popularity weights (a long tail: a few items are picked far more often)."""
    return list(itertools.accumulate(rng.lognormvariate(0, 1.1) for _ in range(n)))


def _pick(rng: random.Random, cumulative: list[float]) -> int:
    return min(bisect.bisect_left(cumulative, rng.random() * cumulative[-1]), len(cumulative) - 1)


def _phone(rng: random.Random) -> str:
    return f"+849{rng.randrange(10**8):08d}"


def _street(rng: random.Random) -> str:
    hamlet = rng.choice(words.HAMLETS)
    return f"{rng.randint(1, 500)} {rng.choice(words.STREETS)}" + (f", {hamlet}" if hamlet else "")


def _weighted(rng: random.Random, table: dict):
    return rng.choices(list(table), list(table.values()))[0]


def _order_plan(*, rng: random.Random, customer: Customer, market: Market) -> Plan:
    status = _weighted(rng, STATUSES)
    method = "vietqr" if status == "awaiting_payment" else _weighted(rng, METHODS)
    if status == "processing":
        age = rng.uniform(0.1, 10) * DAY
    elif status == "awaiting_payment":
        age = rng.uniform(0.05, 0.95) * DAY
    else:  # more orders lately: the marketplace grows over the year
        age = (8 + 357 * (1 - math.sqrt(rng.random()))) * DAY
    placed = market.end - dt.timedelta(seconds=round(age))
    plan = Plan(placed=placed, status=status, method=method, customer=customer, note=rng.choice(words.DELIVERY_NOTES))
    _lines_pick(plan, rng=rng, market=market)
    _parts_quote(plan, rates=market.rates)
    _timeline(plan, rng=rng, expiry=market.expiry.get(method), end=market.end)
    if any(not product.needs_shipping for product, _quantity in plan.lines):
        plan.visit_date = timezone.localdate(placed) + dt.timedelta(days=rng.randint(2, 30))
    return plan


def _lines_pick(plan: Plan, *, rng: random.Random, market: Market) -> None:
    """1–4 distinct products, each certified and public on the day (a basket merges repeats into one line)."""
    products, day = market.products, timezone.localdate(plan.placed)
    wanted, chosen = _weighted(rng, LINE_COUNTS), {}
    for _attempt in range(60):
        if len(chosen) == wanted:
            break
        if chosen and rng.random() < SAME_PRODUCER:
            producer = products[rng.choice(list(chosen))].producer_id
            index = rng.choice(market.by_producer[producer])
        else:
            index = _pick(rng, market.popularity)
        product = products[index]
        if index not in chosen and any(c[0] <= day <= c[1] for c in product.certificates):
            chosen[index] = _weighted(rng, QUANTITIES)
    if not chosen:  # nothing certified that day among the tries: the first product that was
        index = next((i for i, p in enumerate(products) if any(c[0] <= day <= c[1] for c in p.certificates)), None)
        if index is None:
            raise GenerationRefused(f"no generated product was certified on {day}")
        chosen[index] = 1
    plan.lines = [(products[index], quantity) for index, quantity in chosen.items()]


def _parts_quote(plan: Plan, *, rates) -> None:
    """One part per producer, with the fee shop.checkout.delivery.shipping_quote charges for it."""
    for product, quantity in plan.lines:
        part = plan.parts.setdefault(product.producer_id, Part(producer_id=product.producer_id))
        if product.needs_shipping:
            part.needs_shipping = True
            part.grams += (product.grams or DEFAULT_WEIGHT_GRAMS) * quantity
        part.goods += product.price * quantity
    threshold = rates.free_shipping_threshold
    if threshold > 0 and plan.goods >= threshold:
        return
    province = plan.customer.commune.parent_id
    for part, producer_province in ((p, _province_of(plan, p.producer_id)) for p in plan.parts.values()):
        if part.needs_shipping:
            base = rates.fee_in_province if producer_province == province else rates.fee_other_province
            extra_kg = math.ceil(max(0, part.grams - rates.included_grams) / 1000)
            part.fee = Decimal(base) + extra_kg * Decimal(rates.fee_per_extra_kg)


def _province_of(plan: Plan, producer_id: int):
    return next(product.province_id for product, _q in plan.lines if product.producer_id == producer_id)


def _timeline(plan: Plan, *, rng: random.Random, expiry: dt.timedelta | None, end: dt.datetime) -> None:
    """Statuses and dates of the parts and the payment, as the real flow leaves them for the order's status."""
    placed, cod, total = plan.placed, plan.method == "cod", plan.goods + plan.shipping
    plan.payment_amount = total
    plan.expires_at = placed + expiry if expiry else None
    if plan.status == "awaiting_payment":
        for part in plan.parts.values():
            part.status = "awaiting_payment"
        return
    if plan.status == "cancelled":
        if cod:  # staff cancelled it before it shipped: each part in turn, the payment with the last one
            when = min(placed + dt.timedelta(seconds=rng.uniform(3600, 2 * DAY)), end - dt.timedelta(minutes=1))
            reason = rng.choice(words.CANCEL_REASONS)
            plan.payment_amount = list(plan.parts.values())[-1].due
        else:  # the transfer or card payment never came
            when, reason = plan.expires_at, EXPIRED_REASON
        plan.payment_status, plan.payment_note = "cancelled", reason
        for part in plan.parts.values():
            part.status, part.cancelled_at, part.cancel_reason = "cancelled", when, reason
            part.confirmed_at = placed if cod else None
        return
    if not cod:
        latest = min(6 * 3600 if plan.method == "vietqr" else 600, (end - placed).total_seconds() - 60)
        plan.paid_at = placed + dt.timedelta(seconds=rng.uniform(min(60, latest), latest))
        plan.payment_status = "paid"
    confirmed = placed if cod else plan.paid_at
    for part in plan.parts.values():
        part.confirmed_at = confirmed
        part.shipped_at = confirmed + dt.timedelta(seconds=rng.uniform(0.3, 2) * DAY)
        part.delivered_at = part.shipped_at + dt.timedelta(seconds=rng.uniform(0.5, 5) * DAY)
        carrier, tracking = rng.choice(words.CARRIERS), f"{rng.randrange(10**11):011d}"
        if plan.status == "completed":
            part.status = "delivered"
        elif part.shipped_at < end and rng.random() < 0.6:
            part.status, part.delivered_at = "shipped", None
        else:
            part.status = rng.choice(("confirmed", "packed"))
            part.shipped_at = part.delivered_at = None
        if part.shipped_at and part.needs_shipping:
            part.carrier, part.tracking_number = carrier, tracking
        if cod and part.status == "delivered":
            part.cash_collected, part.sold_at = part.due, part.delivered_at
        elif not cod:
            part.sold_at = plan.paid_at
    if cod and plan.status == "completed":
        plan.payment_status = "paid"
        plan.paid_at = max(part.delivered_at for part in plan.parts.values())


# ---------------------------------------------------------------------------------------------------- writing
def _orders_insert(plans: list[Plan], *, first_number: int, methods: dict) -> dict:
    """Write a batch of planned orders, numbered from ``first_number``. Returns counts by kind of row."""
    country = Country.objects.get(iso_3166_1_a2="VN")
    site_id = Site.objects.get_current().pk

    shipped = [plan for plan in plans if plan.needs_shipping]
    rows = []
    for plan in shipped:
        customer = plan.customer
        address = ShippingAddress(first_name=customer.full_name, line1=customer.street, line2=customer.commune.name,
                                  line4=customer.commune.parent.name, country=country, notes=plan.note)
        address._update_search_text()  # what save() stores for Oscar's address search
        rows.append((address.first_name, address.line1, address.line2, address.line4, country.pk, customer.phone,
                     address.notes, address.search_text))
    address_of = dict(zip(map(id, shipped), Table(ShippingAddress, [
        "first_name", "line1", "line2", "line4", "country", "phone_number", "notes", "search_text",
    ]).insert_returning(rows)))

    numbers = [f"{ORDER_PREFIX}{first_number + n:07d}" for n in range(len(plans))]
    orders = Table(Order, [
        "number", "site", "user", "currency", "total_incl_tax", "total_excl_tax", "shipping_incl_tax",
        "shipping_excl_tax", "shipping_tax_code", "shipping_address", "shipping_method", "shipping_code", "status",
        "guest_email", "date_placed",
    ]).insert_returning(
        (number, site_id, plan.customer.user.pk if plan.customer.user else None, settings.OSCAR_DEFAULT_CURRENCY,
         plan.goods + plan.shipping, plan.goods + plan.shipping, plan.shipping, plan.shipping, None,
         address_of.get(id(plan)), *methods[plan.needs_shipping], plan.status, plan.customer.guest_email, plan.placed)
        for number, plan in zip(numbers, plans)
    )

    planned = [(order, plan, product, quantity)
               for order, plan in zip(orders, plans) for product, quantity in plan.lines]
    line_status = getattr(settings, "OSCAR_INITIAL_LINE_STATUS", "")
    lines = Table(Line, [
        "order", "partner", "partner_name", "partner_sku", "stockrecord", "product", "title", "upc", "quantity",
        "line_price_incl_tax", "line_price_excl_tax", "line_price_before_discounts_incl_tax",
        "line_price_before_discounts_excl_tax", "unit_price_incl_tax", "unit_price_excl_tax", "tax_code", "status",
        "num_allocated",
    ]).insert_returning(
        (order, p.producer_id, p.producer_name, p.partner_sku, p.stockrecord_id, p.pk, p.title, p.upc, quantity,
         p.price * quantity, p.price * quantity, p.price * quantity, p.price * quantity, p.price, p.price, None,
         line_status, quantity)
        for order, _plan, p, quantity in planned
    )
    Table(LinePrice, ["order", "line", "quantity", "price_incl_tax", "price_excl_tax", "shipping_incl_tax",
                      "shipping_excl_tax", "tax_code"]).insert(
        (order, line, quantity, p.price, p.price, 0, 0, None)
        for line, (order, _plan, p, quantity) in zip(lines, planned)
    )
    Table(OrderDelivery, ["order", "checkout_token", "full_name", "phone", "province", "commune", "visit_date",
                          "age_confirmed_at", "note"]).insert(
        (order, f"bench-{number}", plan.customer.full_name, plan.customer.phone, plan.customer.commune.parent_id,
         plan.customer.commune.pk,
         plan.visit_date, plan.placed if any(p.age_restricted for p, _q in plan.lines) else None, plan.note)
        for order, number, plan in zip(orders, numbers, plans)
    )
    parts = Table(FulfilmentPart, [
        "order", "producer", "status", "needs_shipping", "shipping_fee", "carrier", "tracking_number",
        "cash_collected", "cash_collected_at", "cancel_reason", "created_at", "confirmed_at", "shipped_at",
        "delivered_at", "cancelled_at",
    ]).insert(
        (order, part.producer_id, part.status, part.needs_shipping, part.fee, part.carrier, part.tracking_number,
         part.cash_collected, part.delivered_at if part.cash_collected is not None else None, part.cancel_reason,
         plan.placed, part.confirmed_at, part.shipped_at, part.delivered_at, part.cancelled_at)
        for order, plan in zip(orders, plans) for part in plan.parts.values()
    )
    payments = Table(Payment, [
        "order", "method", "status", "amount", "amount_captured", "reference", "provider_id", "expires_at", "paid_at",
        "note", "created_at",
    ]).insert(
        (order, plan.method, plan.payment_status, plan.payment_amount,
         plan.payment_amount if plan.payment_status == "paid" else 0, f"OCOP{number}",
         f"pi_bench_{number}" if plan.method == "stripe" else "", plan.expires_at, plan.paid_at,
         plan.payment_note[:255], plan.placed)
        for order, number, plan in zip(orders, numbers, plans)
    )
    sales = []
    for line, (_order, plan, p, quantity) in zip(lines, planned):
        sold_at = plan.parts[p.producer_id].sold_at
        if sold_at is not None:  # the row reports.services.sale_record writes for an online order line
            day = timezone.localdate(sold_at)
            sales.append((Sale.Channel.ONLINE.value, Sale.Kind.SALE.value, sold_at, p.pk, p.producer_id, p.title,
                          quantity, p.price * quantity, line, "", "", p.area_id, p.group, p.stars_on(day), day,
                          sold_at))
    sold = Table(Sale, [
        "channel", "kind", "occurred_at", "product", "producer", "title", "quantity", "amount", "order_line", "note",
        "platform", "area", "ocop_group", "stars", "booked_on", "created_at",
    ]).insert(sales)
    return {"orders": len(orders), "lines": len(lines), "addresses": len(address_of), "parts": parts,
            "payments": payments, "ledger rows": sold}

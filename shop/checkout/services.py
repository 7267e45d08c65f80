"""Placing an order: everything under one transaction, with the basket and its stock rows locked.

Oscar's OrderCreator writes the order and allocates with F() updates; before it runs we lock the basket (so the
same checkout submitted twice places one order), lock the stock records in primary-key order, and re-check
stock, certification and the prices the shopper saw. Anything wrong rolls the whole order back.
"""

import logging
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core import prices
from oscar.core.loading import get_class, get_model

from catalogue.listing import listings_deferred
from shop.fulfilment import emails
from shop.money import FractionalDong, to_gateway_amount
from shop.fulfilment.models import FulfilmentPart, OrderDelivery
from shop.listings.notices import new_order_notify
from shop.partner.stock import InsufficientStock, stock_check, stock_lock
from shop.payments.gateways import gateway_for
from shop.payments.services import payment_create
from livestream.customer import customer_context
from livestream.services import SESSION_HINT as LIVE_HINT
from livestream.services import live_claims_record, live_limits_check, live_lines, live_order_attribute
from showrooms.services import ShelfRefused, pickup_reserve

from .delivery import shipping_quote

logger = logging.getLogger(__name__)
Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
ShippingAddress = get_model("order", "ShippingAddress")
Country = get_model("address", "Country")
OscarOrderCreator = get_class("order.utils", "OrderCreator")
Applicator = get_class("offer.applicator", "Applicator")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
Selector = get_class("partner.strategy", "Selector")


class OrderCreator(OscarOrderCreator):
    """Oscar's order writer. A pickup order's units come off a showroom's shelf (reserved by pickup_reserve), so
    it must not also allocate the producer's online stock."""

    def __init__(self, *args, allocate_online: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.allocate_online = allocate_online

    def update_stock_records(self, line):
        if self.allocate_online:
            super().update_stock_records(line)

    def record_discount(self, discount):
        """Oscar's record_usage saves the whole offer row it read earlier, which would write back a live offer's
        old window over a session that ended meanwhile: count with F() instead."""
        type(discount["offer"]).objects.filter(pk=discount["offer"].pk).update(
            num_applications=F("num_applications") + discount["freq"],
            total_discount=F("total_discount") + discount["discount"],
            num_orders=F("num_orders") + 1,
        )


class CheckoutRefused(Exception):
    """Nothing was written; each message tells the shopper what to change."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("; ".join(messages))


@dataclass
class DeliveryDetails:
    full_name: str
    phone: str
    email: str = ""
    province: object = None
    commune: object = None
    street: str = ""
    visit_date: object = None
    age_confirmed: bool = False
    note: str = ""
    pickup_showroom: object = None  # collected at this showroom: no address, no fee


@dataclass
class BasketSummary:
    lines: list = field(default_factory=list)
    quote: object = None
    goods_total: Decimal = Decimal(0)
    total: Decimal = Decimal(0)
    needs_age_check: bool = False

    @property
    def fingerprint(self) -> str:
        """What the shopper saw: each line's quantity and unit price, and the shipping. Placement compares it."""
        parts = [f"{line.pk}:{line.quantity}:{line.line_price_incl_tax_incl_discounts}" for line in self.lines]
        return "|".join(parts + [f"ship:{int(self.quote.total)}"])


def basket_summary(*, basket, province_id=None, pickup: bool = False) -> BasketSummary:
    lines = list(basket.all_lines())
    quote = shipping_quote(lines=lines, province_id=province_id, pickup=pickup)
    goods = basket.total_incl_tax if lines else Decimal(0)
    return BasketSummary(
        lines=lines,
        quote=quote,
        goods_total=goods,
        total=goods + quote.total,
        needs_age_check=any(line.product.is_age_restricted for line in lines),
    )


def order_for_token(token: str):
    return Order.objects.filter(delivery__checkout_token=token).first()


def _order_for_checkout(token: str, basket):
    """The order this checkout already placed; a token that placed another basket's order is refused."""
    existing = order_for_token(token)
    if existing is not None and existing.basket_id != basket.pk:
        raise CheckoutRefused([_("Phiên đặt hàng đã hết hạn. Vui lòng tải lại trang.")])
    return existing


def order_place(*, basket, user, details: DeliveryDetails, method: str, checkout_token: str, fingerprint: str,
                request=None):
    """Place the order once. A repeated or concurrent submit of the same checkout returns the first order."""
    existing = _order_for_checkout(checkout_token, basket)
    if existing:
        return existing
    try:
        # live-price quota; the lines' listing columns refreshed once at the end, not once per allocation
        with transaction.atomic(), customer_context(email=details.email, phone=details.phone), listings_deferred():
            return _order_place_locked(
                basket_id=basket.pk, user=user, details=details, method=method, checkout_token=checkout_token,
                fingerprint=fingerprint, request=request,
            )
    except IntegrityError:
        existing = _order_for_checkout(checkout_token, basket)
        if existing:
            return existing
        raise


def _order_place_locked(*, basket_id, user, details, method, checkout_token, fingerprint, request):
    basket = Basket.objects.select_for_update().get(pk=basket_id)
    if basket.status != Basket.OPEN:
        existing = _order_for_checkout(checkout_token, basket) or Order.objects.filter(basket_id=basket.pk).first()
        if existing:
            return existing
        raise CheckoutRefused([_("Giỏ hàng này không còn dùng được. Vui lòng tải lại trang.")])
    basket.strategy = Selector().strategy(request=request, user=user)
    Applicator().apply(basket, user if getattr(user, "is_authenticated", False) else None, request)  # live prices
    lines = list(basket.all_lines())
    if not lines:
        raise CheckoutRefused([_("Giỏ hàng đang trống.")])

    pickup = details.pickup_showroom
    wanted: dict[int, int] = {}
    titles: dict[int, str] = {}
    for line in lines:
        key = line.product_id if pickup else line.stockrecord_id  # a showroom's shelf, or the producer's stock
        wanted[key] = wanted.get(key, 0) + line.quantity
        titles[key] = line.product.get_title()
    records = {} if pickup else stock_lock(stockrecord_ids=wanted)

    problems = []
    for line in lines:
        product = line.product
        if not product.is_certified():
            problems.append(
                _("“%(title)s” không còn được bán: giấy chứng nhận OCOP đã hết hiệu lực. Vui lòng bỏ khỏi giỏ hàng.")
                % {"title": product.get_title()}
            )
        if product.is_age_restricted and not details.age_confirmed:
            problems.append(_("Đơn có đồ uống có cồn: bạn cần xác nhận đã đủ 18 tuổi."))
        if not product.needs_shipping and not details.visit_date:
            problems.append(_("Vui lòng chọn ngày tham quan cho “%(title)s”.") % {"title": product.get_title()})
    if pickup:
        if any(not line.product.needs_shipping for line in lines):
            problems.append(_("Đơn có dịch vụ tham quan, không nhận tại điểm bán được."))
        else:
            try:
                pickup_reserve(showroom=pickup, wanted=wanted, titles=titles)
            except ShelfRefused as short:
                problems.append(str(short))
    else:
        try:
            stock_check(records=records, wanted=wanted, titles=titles)
        except InsufficientStock as short:
            problems.extend(s.message() for s in short.shortages)

    live = live_lines(basket)  # units at a live price: the session's limits, checked under lock
    problems.extend(live_limits_check(lines=live, user=user, email=details.email, phone=details.phone))

    province_id = details.province.pk if details.province and not pickup else None
    quote = shipping_quote(lines=lines, province_id=province_id, pickup=bool(pickup))
    if quote.needs_shipping and not (details.province and details.commune and details.street):
        problems.append(_("Vui lòng nhập địa chỉ giao hàng."))
    summary = BasketSummary(lines=lines, quote=quote)
    if not problems and summary.fingerprint != fingerprint:
        problems.append(_("Giá hoặc giỏ hàng vừa thay đổi. Vui lòng xem lại tổng tiền mới rồi đặt hàng."))
    if problems:
        raise CheckoutRefused(list(dict.fromkeys(problems)))

    for line in lines:
        try:
            to_gateway_amount(line.line_price_incl_tax_incl_discounts)
        except FractionalDong:
            problems.append(
                _("Giá của “%(title)s” không hợp lệ (lẻ đồng). Ban điều phối đã được báo; vui lòng thử lại sau.")
                % {"title": line.product.get_title()}
            )
            logger.error("product %s has a price with a fraction of a dong", line.product_id)
    if problems:
        raise CheckoutRefused(list(dict.fromkeys(problems)))

    gateway = gateway_for(method)
    if not gateway.is_available():
        raise CheckoutRefused([_("Phương thức thanh toán này hiện không dùng được.")])

    shipping_method = quote.method()
    shipping_charge = prices.Price(currency=basket.currency, excl_tax=quote.total, incl_tax=quote.total)
    total = OrderTotalCalculator(request).calculate(basket, shipping_charge)
    address = _shipping_address(details) if quote.needs_shipping else None
    order = OrderCreator(allocate_online=not pickup).place_order(
        basket=basket,
        total=total,
        shipping_method=shipping_method,
        shipping_charge=shipping_charge,
        user=user if user and user.is_authenticated else None,
        shipping_address=address,
        status="processing" if method == "cod" else "awaiting_payment",
        request=request,
        guest_email="" if user and user.is_authenticated else details.email,
    )
    basket.submit()
    OrderDelivery.objects.create(
        order=order,
        checkout_token=checkout_token,
        full_name=details.full_name,
        phone=details.phone,
        pickup_showroom=pickup,
        province=None if pickup else details.province,
        commune=None if pickup else details.commune,
        visit_date=details.visit_date,
        age_confirmed_at=timezone.now() if details.age_confirmed else None,
        note=details.note,
    )
    part_status = FulfilmentPart.Status.CONFIRMED if method == "cod" else FulfilmentPart.Status.AWAITING_PAYMENT
    now = timezone.now()
    for producer_id, part_quote in quote.parts.items():
        FulfilmentPart.objects.create(
            order=order,
            producer_id=producer_id,
            status=part_status,
            needs_shipping=part_quote.needs_shipping,
            shipping_fee=part_quote.fee,
            pickup_showroom=pickup,
            confirmed_at=now if part_status == FulfilmentPart.Status.CONFIRMED else None,
        )
    live_claims_record(order=order, lines=live, user=user, email=details.email, phone=details.phone)
    hint = request.session.get(LIVE_HINT) if request is not None and hasattr(request, "session") else None
    if live_order_attribute(order=order, lines=live, hint=hint) and hint:
        request.session.pop(LIVE_HINT, None)  # one visit from a session brings one order, not every later one
    payment_create(order=order, method=method)
    transaction.on_commit(partial(emails.order_placed, order.pk))
    transaction.on_commit(partial(new_order_notify, order.pk))
    return order


def _shipping_address(details: DeliveryDetails):
    address = ShippingAddress(
        first_name=details.full_name,
        line1=details.street,
        line2=details.commune.name if details.commune else "",
        line4=details.province.name if details.province else "",
        country=Country.objects.get(iso_3166_1_a2="VN"),
        phone_number=details.phone,
        notes=details.note,
    )
    address.save()
    return address

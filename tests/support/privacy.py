"""Builders for personal data tests: a shopper with a realistic history (two orders, addresses, a wish list, a
review, a live reminder, a stock alert, notifications, an open basket, consents)."""

import datetime as dt
import itertools
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from oscar.core.loading import get_class, get_model

from shop.fulfilment.models import FulfilmentPart
from tests.support.catalogue import make_certified_product, make_producer
from tests.support.checkout import service_basket, service_place
from users.privacy.services import consent_record

Order = get_model("order", "Order")
Country = get_model("address", "Country")
UserAddress = get_model("address", "UserAddress")
WishList = get_model("wishlists", "WishList")
ProductReview = get_model("reviews", "ProductReview")
ProductAlert = get_model("customer", "ProductAlert")
Notification = get_model("communication", "Notification")
Email = get_model("communication", "Email")
Basket = get_model("basket", "Basket")

PASSWORD = "Mat-khau-9xq2!"
_seq = itertools.count(1)


@dataclass
class History:
    user: object
    orders: list = field(default_factory=list)
    products: list = field(default_factory=list)
    session: object = None


def shopper_order(user, products, *, finished=True, full_name=None, phone="+84987654321",
                  street="45 Nguyễn Văn Cừ, khóm Đông Thịnh"):
    """An order the shopper placed signed in (the checkout's service, then owned by the account as the view does);
    ``finished``: every part delivered and the order completed."""
    order = service_place(
        service_basket([(product, 1) for product in products]),
        full_name=full_name or user.get_full_name() or "Nguyễn Thị Lan",
        phone=phone,
        email=user.email,
        street=street,
    )
    Order.objects.filter(pk=order.pk).update(user=user, guest_email="")
    consent_record(purpose="order", user=user, order_number=order.number)
    if finished:
        FulfilmentPart.objects.filter(order=order).update(
            status=FulfilmentPart.Status.DELIVERED, delivered_at=timezone.now() - dt.timedelta(days=30)
        )
        Order.objects.filter(pk=order.pk).update(status="completed")
    return Order.objects.get(pk=order.pk)


def shopper_with_history(django_user_model, *, email=None, host=None, finished=True) -> History:
    n = next(_seq)
    user = django_user_model.objects.create_user(
        email=email or f"lan{n}@example.vn", password=PASSWORD, first_name="Lan", last_name="Nguyễn Thị"
    )
    consent_record(purpose="account", user=user)
    producers = make_producer(name=f"HTX Gạo Bảy Núi {n}"), make_producer(name=f"HTX Mắm Châu Đốc {n}")
    rice = make_certified_product(title=f"Gạo Nàng Nhen {n}", price=Decimal("200000"), producer=producers[0], stock=50)
    fish = make_certified_product(title=f"Mắm cá linh {n}", price=Decimal("120000"), producer=producers[1], stock=50)
    history = History(user=user, products=[rice, fish])
    history.orders.append(shopper_order(user, [rice, fish], finished=finished))
    history.orders.append(shopper_order(user, [fish], finished=True, street="12 Trần Hưng Đạo, khóm 3"))

    UserAddress.objects.create(
        user=user, first_name="Nguyễn Thị Lan", line1="45 Nguyễn Văn Cừ", line4="Long Xuyên",
        phone_number="+84987654321", country=Country.objects.get(iso_3166_1_a2="VN"),
    )
    wish_list = WishList.objects.create(owner=user, name="Quà Tết cho mẹ")
    wish_list.add(rice)
    ProductReview.objects.create(product=rice, user=user, title="Gạo dẻo thơm", body="Nấu cơm rất ngon.", score=5,
                                 status=ProductReview.APPROVED)
    ProductAlert.objects.create(product=fish, user=user)
    Notification.objects.create(recipient=user, subject="Đơn hàng đã giao", body="Đơn của bạn đã giao xong.")
    Email.objects.create(user=user, email=user.email, subject="Xác nhận đơn hàng", body_text="Cảm ơn Lan đã đặt hàng.")
    basket = Basket.objects.create(owner=user)
    basket.strategy = get_class("partner.strategy", "Selector")().strategy()
    basket.add_product(rice, 2)

    if host is not None:
        from livestream.models import LiveReminder
        from tests.support.livestream import make_session

        history.session = make_session(host=host, products=[rice], start=timezone.now() + dt.timedelta(days=3))
        LiveReminder.objects.create(session=history.session, email=user.email, user=user, confirmed_at=timezone.now())
    return history

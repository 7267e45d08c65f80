"""Edges of live prices found in review: an order racing the end of a session, one live price per product at a
time, a signed-in shopper's used quota, the host that was verified staying the host."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from livestream.models import LiveSession
from livestream.services import LiveLine, live_limits_check, session_end, session_problems
from shop.checkout.services import OrderCreator
from tests.support.catalogue import make_certified_product
from tests.support.checkout import service_basket, service_place
from tests.support.livestream import make_host, make_session, take_live

pytestmark = pytest.mark.django_db
ConditionalOffer = get_model("offer", "ConditionalOffer")
Applicator = get_class("offer.applicator", "Applicator")
START = timezone.make_aware(dt.datetime(2026, 12, 5, 20, 0))


@pytest.fixture
def rice():
    return make_certified_product(title="Gạo Nàng Nhen", price=Decimal("200000"), stock=50)


def test_an_order_racing_the_end_never_reopens_the_live_price(django_user_model, rice):
    session = make_session(host=make_host(django_user_model), products=[(rice, Decimal("159000"))], start=START)
    take_live(session)
    feature = session.featured.get()
    stale_offer = ConditionalOffer.objects.get(pk=feature.offer_id)  # what a checkout loaded before the end
    session_end(session=session, actor=None, now=START + dt.timedelta(minutes=20))

    # the checkout that loaded the offer while live is refused under the session's lock...
    problems = live_limits_check(lines=[LiveLine(basket_line=None, feature=feature, quantity=1)], user=None,
                                 email="lan@example.vn", phone="")
    assert problems == [f"Phiên live “{session.title}” vừa kết thúc: giá live không còn. Vui lòng tải lại giỏ hàng."]
    # ...and counting a discount never writes the stale window back over the closed one
    OrderCreator().record_discount({"offer": stale_offer, "freq": 1, "discount": Decimal("41000")})
    offer = ConditionalOffer.objects.get(pk=feature.offer_id)
    assert offer.end_datetime < START + dt.timedelta(minutes=20) and offer.num_orders == 1
    with time_machine.travel(START + dt.timedelta(minutes=30), tick=False):
        basket = service_basket([(rice, 1)])
        Applicator().apply(basket)
        assert basket.total_incl_tax == Decimal("200000")


def test_a_product_has_one_live_price_at_a_time(django_user_model, rice):
    make_session(host=make_host(django_user_model), products=[(rice, Decimal("159000"))], start=START,
                 title="Phiên HTX")
    other = LiveSession(title="Phiên Ban điều phối", slug="phien-bdp", host=make_host(django_user_model),
                        scheduled_start=START + dt.timedelta(minutes=30), scheduled_end=START + dt.timedelta(hours=2))
    assert session_problems(session=other, products=[rice], live_priced=[rice]) == [
        "“Gạo Nàng Nhen” đã có giá live trong phiên “Phiên HTX” cùng giờ: mỗi lúc chỉ một giá live cho một sản phẩm."]
    assert session_problems(session=other, products=[rice]) == []  # featured at the normal price: fine


def test_a_signed_in_shopper_past_the_quota_buys_more_at_the_normal_price(django_user_model, rice):
    shopper = django_user_model.objects.create_user(email="lan@example.vn", password="pw-1234567")
    session = make_session(host=make_host(django_user_model), products=[(rice, Decimal("159000"), None, 2)],
                           start=START)
    take_live(session)
    with time_machine.travel(START + dt.timedelta(minutes=5), tick=False):
        service_place(service_basket([(rice, 2)], owner=shopper), email=shopper.email)
        basket = service_basket([(rice, 1)], owner=shopper)
        Applicator().apply(basket, shopper)
        assert basket.total_incl_tax == Decimal("200000")  # quota used: the normal price, not a refusal
        order = service_place(basket, email=shopper.email)
    assert order.total_incl_tax - order.shipping_incl_tax == Decimal("200000")


def test_the_host_verified_at_go_live_stays_the_host(django_user_model, rice):
    session = make_session(host=make_host(django_user_model), products=[rice], start=START)
    take_live(session)
    session.host = make_host(django_user_model, verified=False)
    with pytest.raises(ValidationError, match="không đổi người dẫn"):
        session.full_clean()


def test_a_guest_past_the_quota_is_shown_the_normal_price_and_can_buy(client, django_user_model, rice):
    """Placement knows the guest by email or phone; the refused checkout re-renders with the normal price for the
    units past the quota, and the second press places the order."""
    from tests.support.checkout import basket_add, checkout_form, committed, last_order

    session = make_session(host=make_host(django_user_model), products=[(rice, Decimal("159000"), None, 2)],
                           start=START)
    take_live(session)
    with time_machine.travel(START + dt.timedelta(minutes=5), tick=False):
        service_place(service_basket([(rice, 2)]), email="lan@example.vn", phone="+84912345678")
        basket_add(client, rice, 1)
        data = checkout_form(client, email="khac@example.vn")  # another email, the same phone
        assert client.get("/shop/checkout/").context["summary"].goods_total == Decimal("159000")
        refused = client.post("/shop/checkout/", data)
        assert refused.status_code == 409, refused.status_code
        assert refused.context["summary"].goods_total == Decimal("200000")
        data["fingerprint"] = refused.context["form"]["fingerprint"].value()
        data["checkout_token"] = refused.context["form"]["checkout_token"].value()
        assert committed(client.post, "/shop/checkout/", data).status_code == 302
    order = last_order()
    assert order.total_incl_tax - order.shipping_incl_tax == Decimal("200000")

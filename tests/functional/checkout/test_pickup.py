"""Pickup at a showroom: offered only where every item is on the shelf, reserved at placement, handed over once."""

from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from reports.models import Sale
from shop.fulfilment.models import FulfilmentPart
from shop.fulfilment.services import PartActionRefused, order_cancel, part_advance, part_record_cash
from shop.payments.services import payment_mark_paid
from showrooms.models import ShelfStock, StockMovement
from showrooms.services import ShelfRefused, pickup_hand_over, shelf_sell
from tests.support.catalogue import make_certified_product, make_producer
from tests.support.checkout import a_commune, basket_add, committed, last_order, service_basket, service_place
from tests.support.showrooms import make_clerk, make_showroom, stock_shelf

pytestmark = pytest.mark.django_db
StockRecord = get_model("partner", "StockRecord")


@pytest.fixture
def goods():
    producer = make_producer(name="HTX Mắm Châu Đốc", area=a_commune())
    return (
        make_certified_product(title="Mắm cá linh", price=Decimal("120000"), producer=producer, stock=5),
        make_certified_product(title="Khô cá lóc", price=Decimal("180000"), producer=make_producer(), stock=5),
    )


def shelf(showroom, product):
    return ShelfStock.objects.get(showroom=showroom, product=product)


def pickup_form(client, showroom, **overrides):
    page = client.get("/shop/checkout/")
    form = page.context["form"]
    fingerprint = client.get("/shop/checkout/quote/?delivery_method=pickup").json()["fingerprint"]
    data = {
        "email": "khach@example.vn",
        "full_name": "Nguyễn Thị Lan",
        "phone": "0912 345 678",
        "delivery_method": "pickup",
        "pickup_showroom": showroom.pk,
        "payment_method": "cod",
        "privacy_consent": "on",
        "checkout_token": form["checkout_token"].value(),
        "fingerprint": fingerprint,
        **overrides,
    }
    return data


def test_checkout_offers_only_showrooms_that_hold_the_whole_basket(client, goods):
    fish_sauce, dried_fish = goods
    both = make_showroom(name="Điểm OCOP Châu Đốc")
    one = make_showroom(name="Điểm OCOP Long Xuyên")
    closed = make_showroom(name="Điểm OCOP tạm nghỉ", offers_pickup=False)
    for showroom in (both, closed):
        stock_shelf(showroom, fish_sauce, 3)
        stock_shelf(showroom, dried_fish, 3)
    stock_shelf(one, fish_sauce, 3)
    basket_add(client, fish_sauce, 2)
    basket_add(client, dried_fish, 1)

    page = client.get("/shop/checkout/")
    html = page.content.decode()
    assert "Nhận tại điểm bán OCOP" in html and "Điểm OCOP Châu Đốc" in html
    assert "Điểm OCOP Long Xuyên" not in html and "Điểm OCOP tạm nghỉ" not in html
    assert client.get("/shop/checkout/quote/?delivery_method=pickup").json()["shipping"] == "Miễn phí"

    basket_add(client, fish_sauce, 2)  # 4 wanted, 3 on the shelf: nowhere can hand it over
    assert "Nhận tại điểm bán OCOP" not in client.get("/shop/checkout/").content.decode()


def test_pickup_order_needs_no_address_pays_no_shipping_and_reserves_the_shelf(client, goods):
    fish_sauce, dried_fish = goods
    showroom = make_showroom(name="Điểm OCOP Châu Đốc")
    stock_shelf(showroom, fish_sauce, 3)
    stock_shelf(showroom, dried_fish, 1)
    basket_add(client, fish_sauce, 2)
    basket_add(client, dried_fish, 1)

    response = committed(client.post, "/shop/checkout/", pickup_form(client, showroom))
    assert response.status_code == 302, response.content.decode()[:2000]

    order = last_order()
    assert order.shipping_address is None and order.shipping_code == "pickup"
    assert order.total_incl_tax == Decimal(2 * 120000 + 180000)  # no shipping fee
    assert order.delivery.pickup_showroom == showroom
    assert (order.delivery.full_name, order.delivery.phone) == ("Nguyễn Thị Lan", "+84912345678")
    parts = list(order.parts.all())
    assert {p.pickup_showroom for p in parts} == {showroom} and not any(p.needs_shipping for p in parts)
    assert (shelf(showroom, fish_sauce).reserved, shelf(showroom, dried_fish).reserved) == (2, 1)
    assert shelf(showroom, fish_sauce).quantity == 3  # nothing left the shelf yet: no movement
    assert StockMovement.objects.filter(reason="pickup").count() == 0
    # the producers' online stock is not touched: the units come from the showroom
    assert StockRecord.objects.get(product=fish_sauce).num_allocated == 0
    thank_you = client.get("/shop/checkout/thank-you/").content.decode()
    assert "Điểm OCOP Châu Đốc" in thank_you

    # reserved units are not for sale at the counter
    with pytest.raises(ShelfRefused, match="đang giữ cho khách 2"):
        shelf_sell(showroom=showroom, product=fish_sauce, quantity=2, actor=None)


def test_a_showroom_that_ran_out_meanwhile_refuses_and_nothing_is_held(client, goods):
    fish_sauce, _ = goods
    showroom = make_showroom()
    stock_shelf(showroom, fish_sauce, 2)
    basket_add(client, fish_sauce, 2)
    data = pickup_form(client, showroom)
    shelf_sell(showroom=showroom, product=fish_sauce, quantity=1, actor=None)  # sold at the counter meanwhile

    response = client.post("/shop/checkout/", data)
    assert response.status_code in (400, 409)
    assert "không còn đủ hàng" in response.content.decode() or "chỉ còn 1" in response.content.decode()
    assert last_order() is None and shelf(showroom, fish_sauce).reserved == 0


def test_cash_pickup_hand_over_moves_the_shelf_and_records_one_online_sale(django_user_model, goods):
    fish_sauce, _ = goods
    showroom = make_showroom()
    clerk = make_clerk(django_user_model, showroom)
    stock_shelf(showroom, fish_sauce, 3)
    order = service_place(service_basket([(fish_sauce, 2)]), pickup_showroom=showroom)
    part = order.parts.get()

    with pytest.raises(PartActionRefused, match="điểm bán"):
        part_advance(part=part, to=FulfilmentPart.Status.SHIPPED, actor=None, carrier="VNPost", tracking_number="1")
    with pytest.raises(PartActionRefused, match="điểm bán"):
        part_record_cash(part=part, amount=Decimal(240000), actor=None)
    with pytest.raises(ShelfRefused, match="240.000"):
        pickup_hand_over(part=part, actor=clerk)  # the cash was not confirmed
    assert shelf(showroom, fish_sauce).reserved == 2 and not Sale.objects.exists()

    pickup_hand_over(part=part, actor=clerk, cash=Decimal(240000))
    pickup_hand_over(part=part, actor=clerk, cash=Decimal(240000))  # twice: once
    part.refresh_from_db()
    assert part.status == FulfilmentPart.Status.DELIVERED and part.cash_collected == Decimal(240000)
    assert (shelf(showroom, fish_sauce).quantity, shelf(showroom, fish_sauce).reserved) == (1, 0)
    movement = StockMovement.objects.get(reason="pickup")
    assert (movement.delta, movement.actor, movement.balance) == (-2, clerk, 1)
    sale = Sale.objects.get()
    assert (sale.channel, sale.quantity, sale.amount) == (Sale.Channel.ONLINE, 2, Decimal(240000))
    order.refresh_from_db()
    assert order.ocop_payment.status == "paid" and order.status == "completed"


def test_prepaid_pickup_waits_for_payment_then_hands_over_without_a_second_sale(django_user_model, goods):
    fish_sauce, _ = goods
    showroom = make_showroom()
    clerk = make_clerk(django_user_model, showroom)
    stock_shelf(showroom, fish_sauce, 3)
    order = service_place(service_basket([(fish_sauce, 1)]), method="vietqr", pickup_showroom=showroom)
    part = order.parts.get()
    with pytest.raises(ShelfRefused, match="chưa được thanh toán"):
        pickup_hand_over(part=part, actor=clerk)

    payment_mark_paid(payment=order.ocop_payment, amount=order.total_incl_tax)
    assert Sale.objects.count() == 1
    pickup_hand_over(part=part, actor=clerk)
    part.refresh_from_db()
    assert part.status == FulfilmentPart.Status.DELIVERED
    assert Sale.objects.count() == 1 and shelf(showroom, fish_sauce).quantity == 2


def test_cancelling_a_pickup_order_gives_the_shelf_back_and_leaves_online_stock_alone(goods):
    fish_sauce, _ = goods
    showroom = make_showroom()
    stock_shelf(showroom, fish_sauce, 3)
    order = service_place(service_basket([(fish_sauce, 2)]), pickup_showroom=showroom)
    assert shelf(showroom, fish_sauce).reserved == 2

    order_cancel(order=order, reason="Khách đổi ý")
    order_cancel(order=order, reason="Khách đổi ý")  # twice: released once
    assert (shelf(showroom, fish_sauce).quantity, shelf(showroom, fish_sauce).reserved) == (3, 0)
    record = StockRecord.objects.get(product=fish_sauce)
    assert (record.num_in_stock, record.num_allocated) == (5, 0)
    assert StockMovement.objects.filter(reason="pickup").count() == 0


def test_the_producer_sees_a_pickup_part_but_cannot_ship_it(client, django_user_model, goods):
    fish_sauce, _ = goods
    showroom = make_showroom(name="Điểm OCOP Châu Đốc")
    stock_shelf(showroom, fish_sauce, 3)
    order = service_place(service_basket([(fish_sauce, 1)]), pickup_showroom=showroom)
    part = order.parts.get()
    producer_user = django_user_model.objects.create_user(email="htx@example.vn", password="pw-1234567")
    fish_sauce.producer.users.add(producer_user)
    client.force_login(producer_user)

    page = client.get(f"/shop/seller/orders/{part.pk}/").content.decode()
    assert "Khách nhận tại điểm bán" in page and "Điểm OCOP Châu Đốc" in page
    assert 'value="shipped"' not in page
    client.post(f"/shop/seller/orders/{part.pk}/", {"action": "shipped", "carrier": "VNPost", "tracking_number": "X1"})
    part.refresh_from_db()
    assert part.status == FulfilmentPart.Status.CONFIRMED and part.tracking_number == ""
    assert shelf(showroom, fish_sauce).reserved == 1


def test_staff_see_a_pickup_order_in_the_dashboard(client, django_user_model, goods):
    fish_sauce, _ = goods
    showroom = make_showroom(name="Điểm OCOP Châu Đốc")
    stock_shelf(showroom, fish_sauce, 3)
    order = service_place(service_basket([(fish_sauce, 1)]), pickup_showroom=showroom)
    staff = django_user_model.objects.create_superuser(email="canbo@example.vn", password="pw-1234567")
    client.force_login(staff)
    page = client.get(f"/shop/dashboard/orders/{order.number}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Nhận tại điểm bán OCOP" in html and "Điểm OCOP Châu Đốc" in html and "+84912345678" in html


def test_a_showroom_stocked_after_the_page_loaded_does_not_block_a_delivery_order(client, goods):
    from tests.support.checkout import checkout_form

    fish_sauce, _ = goods
    showroom = make_showroom()
    basket_add(client, fish_sauce, 1)
    data = checkout_form(client)  # no showroom holds it: no delivery choice on the page
    assert "delivery_method" not in data
    stock_shelf(showroom, fish_sauce, 5)  # a clerk receives it before the shopper presses "Đặt hàng"

    response = committed(client.post, "/shop/checkout/", data)
    assert response.status_code == 302
    order = last_order()
    assert order.shipping_address is not None and order.delivery.pickup_showroom is None


@pytest.mark.usefixtures("uncached")
def test_the_checkout_page_costs_the_same_queries_for_one_or_four_showrooms(client, goods):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fish_sauce, _ = goods
    stock_shelf(make_showroom(), fish_sauce, 5)
    basket_add(client, fish_sauce, 1)
    client.get("/shop/checkout/")
    with CaptureQueriesContext(connection) as one:
        client.get("/shop/checkout/")
    for _ in range(3):
        stock_shelf(make_showroom(), fish_sauce, 5)
    with CaptureQueriesContext(connection) as four:
        page = client.get("/shop/checkout/")
    assert page.content.decode().count('name="pickup_showroom"') == 4
    assert len(four) == len(one)

"""The checkout a Vietnamese shopper uses, through real HTTP requests."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from oscar.core.loading import get_model

from catalogue.certification import ocop_today
from catalogue.models import Certificate
from shop.fulfilment.models import FulfilmentPart
from shop.payments.models import Payment
from shop.payments.vietqr import vietqr_parse
from tests.support.catalogue import make_certified_product, make_producer
from tests.support.checkout import a_commune, an_giang, basket_add, last_order, other_province, place

pytestmark = pytest.mark.django_db
StockRecord = get_model("partner", "StockRecord")


@pytest.fixture
def two_producers():
    area = a_commune()
    first = make_producer(name="HTX Mắm Châu Đốc", area=area)
    second = make_producer(name="Cơ sở Khô Cá Lóc Tri Tôn", area=area)
    return (
        make_certified_product(title="Mắm cá linh", price=Decimal("120000"), producer=first, stock=5),
        make_certified_product(title="Khô cá lóc", price=Decimal("180000"), producer=second, stock=5),
    )


def test_guest_cash_on_delivery_order_is_split_by_producer(client, two_producers):
    fish_sauce, dried_fish = two_producers
    basket_add(client, fish_sauce, 2)
    basket_add(client, dried_fish, 1)
    response, _ = place(client)
    assert response.status_code == 302 and response["Location"].endswith("/shop/checkout/thank-you/")

    order = last_order()
    assert order.guest_email == "khach@example.vn"
    assert order.basket.status == "Submitted"
    parts = {p.producer.name: p for p in order.parts.all()}
    assert set(parts) == {"HTX Mắm Châu Đốc", "Cơ sở Khô Cá Lóc Tri Tôn"}
    assert {p.status for p in parts.values()} == {FulfilmentPart.Status.CONFIRMED}
    # 420.000 ₫ of goods is under the 500.000 ₫ threshold: each producer's parcel pays the in-province fee
    assert [p.shipping_fee for p in parts.values()] == [Decimal(20000), Decimal(20000)]
    assert order.total_incl_tax == Decimal(420000 + 40000)
    assert order.ocop_payment.method == "cod" and order.ocop_payment.status == "pending"
    assert order.status == "processing"
    assert order.shipping_address.phone_number.as_e164 == "+84912345678"
    assert StockRecord.objects.get(product=fish_sauce).num_allocated == 2

    page = client.get(response["Location"]).content.decode()
    assert order.number in page and "HTX Mắm Châu Đốc" in page and "460.000\xa0₫" in page
    assert len(mail.outbox) == 1 and order.number in mail.outbox[0].subject
    assert "tiền mặt khi nhận hàng" in mail.outbox[0].body


def test_free_shipping_above_the_threshold_and_fee_by_destination(client, two_producers):
    fish_sauce, dried_fish = two_producers
    basket_add(client, dried_fish, 1)
    response, _ = place(client, province=other_province())
    assert response.status_code == 302
    assert last_order().parts.get().shipping_fee == Decimal(35000)

    basket_add(client, dried_fish, 3)  # 540.000 ₫ ≥ 500.000 ₫
    response, _ = place(client)
    assert response.status_code == 302
    assert last_order().shipping_incl_tax == 0


def test_bad_phone_and_missing_address_get_clear_vietnamese_messages(client, two_producers):
    basket_add(client, two_producers[0])
    response, _ = place(client, phone="12345", street="")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Số điện thoại không hợp lệ" in html
    assert "Trường này là bắt buộc" in html or "This field is required" not in html
    assert last_order() is None


def test_commune_must_belong_to_the_province(client, two_producers):
    basket_add(client, two_producers[0])
    response, _ = place(client, commune=a_commune(other_province()))
    assert response.status_code == 400
    assert "không thuộc tỉnh đã chọn" in response.content.decode()


def test_double_submit_places_one_order_and_a_retry_returns_it(client, two_producers):
    basket_add(client, two_producers[0])
    response, data = place(client)
    second = client.post("/shop/checkout/", data)
    assert response.status_code == second.status_code == 302
    assert second["Location"] == response["Location"]
    assert Payment.objects.count() == 1
    assert StockRecord.objects.get(product=two_producers[0]).num_allocated == 1


def test_certificate_expiring_between_basket_and_payment_places_nothing(client, two_producers):
    product = two_producers[0]
    basket_add(client, product)
    from tests.support.checkout import checkout_form

    data = checkout_form(client)
    Certificate.objects.filter(product=product).update(expires_on=ocop_today() - dt.timedelta(days=1))
    response = client.post("/shop/checkout/", data)
    assert response.status_code == 409
    assert "không còn được bán" in response.content.decode()
    assert last_order() is None
    assert StockRecord.objects.get(product=product).num_allocated == 0


def test_price_change_between_basket_and_payment_asks_the_shopper_to_look_again(client, two_producers):
    product = two_producers[0]
    basket_add(client, product)
    from tests.support.checkout import checkout_form

    data = checkout_form(client)
    StockRecord.objects.filter(product=product).update(price=Decimal("150000"))
    response = client.post("/shop/checkout/", data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Giá hoặc giỏ hàng vừa thay đổi" in html and "150.000\xa0₫" in html
    assert last_order() is None
    # the shopper looks again and confirms the new price
    response, _ = place(client)
    assert response.status_code == 302
    assert last_order().lines.get().line_price_incl_tax == Decimal(150000)


def test_sold_out_is_named_with_what_is_left(client, two_producers):
    product = two_producers[0]
    basket_add(client, product, 3)
    from tests.support.checkout import checkout_form

    data = checkout_form(client)
    StockRecord.objects.filter(product=product).update(num_in_stock=2)
    response = client.post("/shop/checkout/", data)
    assert response.status_code == 409
    assert "“Mắm cá linh” chỉ còn 2, bạn đặt 3." in response.content.decode()
    assert last_order() is None


def test_age_restricted_product_needs_the_confirmation(client):
    wine = make_certified_product(title="Rượu nếp Bảy Núi", group=2, price=Decimal("200000"))
    wine.is_age_restricted = True
    wine.save()
    basket_add(client, wine)
    response, data = place(client)
    assert response.status_code == 400
    assert "đủ 18 tuổi" in response.content.decode()
    assert last_order() is None
    response, _ = place(client, age_confirmed="on")
    assert response.status_code == 302
    assert last_order().delivery.age_confirmed_at is not None


def test_a_visit_needs_a_date_and_no_shipping(client):
    tour = make_certified_product(title="Tham quan làng dệt thổ cẩm", group=6, price=Decimal("150000"))
    basket_add(client, tour, 2)
    response, _ = place(client, province="", commune="", street="")
    assert response.status_code == 400
    assert "Ngày tham quan" in response.content.decode()
    visit = ocop_today() + dt.timedelta(days=5)
    response, _ = place(client, province="", commune="", street="", visit_date=visit.isoformat())
    assert response.status_code == 302
    order = last_order()
    assert order.shipping_incl_tax == 0 and order.shipping_address is None
    assert order.delivery.visit_date == visit
    assert order.parts.get().needs_shipping is False


def test_vietqr_order_shows_a_checked_qr_with_amount_and_reference(client, two_producers):
    basket_add(client, two_producers[1])
    response, _ = place(client, payment_method="vietqr")
    order = last_order()
    assert order.status == "awaiting_payment"
    assert order.parts.get().status == FulfilmentPart.Status.AWAITING_PAYMENT
    page = client.get(response["Location"])
    instructions = page.context["instructions"]
    parsed = vietqr_parse(instructions["payload"])  # raises on a bad CRC
    assert parsed["amount"] == 200000 and parsed["reference"] == f"OCOP{order.number}"
    assert parsed["bank_bin"] == "970436" and parsed["account_number"] == "0011001234567"
    html = page.content.decode()
    assert "<svg" in html and f"OCOP{order.number}" in html and "200.000\xa0₫" in html
    assert f"OCOP{order.number}" in mail.outbox[-1].body


def test_signed_in_shopper_gets_the_last_address_back(client, django_user_model, two_producers):
    user = django_user_model.objects.create_user(email="lan@example.vn", password="pw-123456789")
    client.force_login(user)
    basket_add(client, two_producers[0])
    response, _ = place(client, street="99 Nguyễn Huệ")
    assert response.status_code == 302
    assert last_order().user == user
    basket_add(client, two_producers[0])
    form = client.get("/shop/checkout/").context["form"]
    assert form["street"].value() == "99 Nguyễn Huệ"
    assert str(form["province"].value()) == str(an_giang().pk)


def test_commune_options_follow_the_province(client, two_producers):
    basket_add(client, two_producers[0])
    html = client.get(f"/shop/checkout/communes/?province={an_giang().pk}").content.decode()
    assert a_commune().name in html
    assert a_commune(other_province()).name not in html


def test_product_page_says_an_alcoholic_drink_is_for_adults_only(client):
    wine = make_certified_product(title="Rượu sim Phú Quốc", group=2)
    wine.is_age_restricted = True
    wine.save()
    assert "Chỉ bán cho người từ 18 tuổi" in client.get(wine.get_absolute_url()).content.decode()


def test_after_a_refusal_the_page_shows_the_new_total_and_the_next_submit_goes_through(client, two_producers):
    product = two_producers[0]
    basket_add(client, product)
    from tests.support.checkout import checkout_form

    data = checkout_form(client)
    StockRecord.objects.filter(product=product).update(price=Decimal("150000"))
    refused = client.post("/shop/checkout/", data)
    assert refused.status_code == 409
    assert refused.context["summary"].quote.total == Decimal(20000)  # still the in-province fee
    again = {**data, "fingerprint": refused.context["form"]["fingerprint"].value()}
    assert client.post("/shop/checkout/", again).status_code == 302


def test_without_javascript_choosing_the_province_then_ordering_works(client, two_producers):
    basket_add(client, two_producers[0])
    from tests.support.checkout import checkout_form

    data = checkout_form(client)
    chosen = client.post("/shop/checkout/", {**data, "commune": "", "choose_province": "1"})
    assert chosen.status_code == 200 and a_commune().name in chosen.content.decode()
    form = chosen.context["form"]
    data.update(checkout_token=form["checkout_token"].value(), fingerprint=form["fingerprint"].value())
    assert client.post("/shop/checkout/", data).status_code == 302


def test_a_price_with_a_fraction_of_a_dong_is_refused_with_a_message(client, two_producers):
    product = two_producers[0]
    StockRecord.objects.filter(product=product).update(price=Decimal("45000.50"))
    basket_add(client, product)
    response, _ = place(client)
    assert response.status_code == 409
    assert "lẻ đồng" in response.content.decode()
    assert last_order() is None


def test_a_checkout_token_from_another_browser_never_opens_that_order(client, two_producers):
    from django.test import Client

    basket_add(client, two_producers[0])
    response, data = place(client)
    order = last_order()
    stranger = Client()
    basket_add(stranger, two_producers[1])
    from tests.support.checkout import checkout_form

    theirs = checkout_form(stranger)
    attempt = stranger.post("/shop/checkout/", {**theirs, "checkout_token": data["checkout_token"]})
    assert attempt.status_code == 409
    assert "Phiên đặt hàng đã hết hạn" in attempt.content.decode()
    assert order.number not in attempt.content.decode()
    assert stranger.get("/shop/checkout/thank-you/").status_code == 404

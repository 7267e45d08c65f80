"""Checkout in Chromium: a guest's mixed cash-on-delivery order split by producer; a phone shopper paying by
VietQR that programme staff confirm in the dashboard; a producer shipping and collecting the cash for their own part
of a mixed order. Screenshots go to tests/browser/screenshots/ (look at them).

Every request that leaves the live server is aborted and recorded: nothing may be fetched from the network."""

import re

import pytest
from django.db.models import F
from django.utils import translation
from oscar.core.loading import get_model
from playwright.sync_api import expect

from catalogue.demo import PRODUCER, PRODUCERS, PROGRAMME
from catalogue.models import AdministrativeUnit, Product
from reports.models import Sale
from shop.fulfilment.models import FulfilmentPart
from shop.fulfilment.services import part_due
from shop.templatetags.shop_tags import dong
from tests.support.checkout import service_basket, service_place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
from tests.support.browser import DESKTOP, PHONE, assert_clean, log_in, shot

Order = get_model("order", "Order")
Partner = get_model("partner", "Partner")


def vnd(value) -> str:
    with translation.override("vi"):
        return dong(value)


def text(value: str) -> str:
    """A page's text with its no-break spaces as plain spaces (dong amounts use them before ₫)."""
    return value.replace("\xa0", " ")


def buyable(*, exclude_producers=(), producer=None):
    """Demo products a guest can buy and have shipped: certified, in stock, a shippable group, no age check."""
    products = (
        Product.objects.certified()
        .filter(upc__startswith="DEMO-", ocop_product_set__group__is_shippable=True, is_age_restricted=False)
        .filter(stockrecords__num_in_stock__gte=F("stockrecords__num_allocated") + 5)
        .exclude(producer_id__in=list(exclude_producers))
        .select_related("producer")
        .order_by("stockrecords__price", "pk")
    )
    if producer is not None:
        products = products.filter(producer=producer)
    return products


def two_producers_products():
    first = buyable().first()
    second = buyable(exclude_producers=[first.producer_id]).first()
    assert first.producer_id != second.producer_id
    return first, second


def an_giang():
    return AdministrativeUnit.objects.get(level="province", name__contains="An Giang")


def add_to_basket(page, live_server, product, expected_count):
    page.goto(live_server.url + product.get_absolute_url())
    assert page.get_by_test_id("ocop-status").get_attribute("data-status") == "certified"
    page.locator("#add_to_basket_form").get_by_role("button", name=re.compile("Thêm vào giỏ|Add to basket")).click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("basket-count")).to_have_text(str(expected_count))


def fill_address(page, *, email, name, phone, street="12 Trần Hưng Đạo, khóm 3"):
    """Who and where (and the privacy consent); the province change makes checkout.js fetch the communes and the new
    quote."""
    province = an_giang()
    communes = AdministrativeUnit.objects.filter(level="commune", parent=province).order_by("name")
    commune = communes.first()
    page.locator("#id_email").fill(email)
    page.locator("#id_full_name").fill(name)
    page.locator("#id_phone").fill(phone)
    page.locator("#id_province").select_option(label=province.name)
    expect(page.locator("#id_commune option")).to_have_count(communes.count() + 1)
    expect(page.locator("#id_commune")).to_be_enabled()
    page.locator("#id_commune").select_option(label=commune.name)
    page.locator("#id_street").fill(street)
    page.locator("#id_privacy_consent").check()  # the personal data notice's box
    return province, commune




def order_page_url(live_server, order):
    return f"{live_server.url}/shop/orders/{order.number}/{order.verification_hash()}/"


def part_card(page, producer_name):
    return page.locator(".order-part").filter(has=page.get_by_role("heading", name=producer_name, exact=True))


# ---------------------------------------------------------------- 1. guest, desktop, cash on delivery, two producers
def test_guest_cash_on_delivery_order_split_between_two_producers(page, live_server, demo, offline):
    offline(page)
    page.set_viewport_size(DESKTOP)
    first, second = two_producers_products()
    add_to_basket(page, live_server, first, 1)
    add_to_basket(page, live_server, second, 2)

    page.goto(live_server.url + "/shop/checkout/")
    expect(page.locator("h1")).to_have_text("Đặt hàng")
    summary = page.locator("aside")
    expect(summary).to_contain_text(f"Giao bởi {first.producer.name}")
    expect(summary).to_contain_text(f"Giao bởi {second.producer.name}")
    goods = sum(p.stockrecords.get().price for p in (first, second))
    assert goods < 500000, "under the free-shipping threshold, so the fee shows"
    # Before a province is chosen each parcel is quoted as out of province (35.000 ₫); An Giang producers
    # shipping inside An Giang pay 20.000 ₫ each.
    expect(page.locator("#shipping-total")).to_have_text(vnd(70000))
    shot(page, "10-checkout-empty-desktop")

    fill_address(page, email="lan.nguyen@example.vn", name="Nguyễn Thị Lan", phone="0912 345 678")
    expect(page.locator("#shipping-total")).to_have_text(vnd(40000))
    expect(page.locator("#order-total")).to_have_text(vnd(goods + 40000))
    expect(page.get_by_role("radio", name=re.compile(r"Thanh toán khi nhận hàng"))).to_be_checked()
    shot(page, "11-checkout-filled-desktop")

    page.locator("#place-order").click()
    page.wait_for_url(re.compile(r"/shop/checkout/thank-you/$"))
    order = Order.objects.latest("pk")
    expect(page.locator("h1")).to_have_text("Cảm ơn bạn đã đặt hàng")
    expect(page.locator(".lead strong")).to_have_text(order.number)
    parts_list = page.locator(".list-group")
    expect(parts_list).to_contain_text(first.producer.name)
    expect(parts_list).to_contain_text(second.producer.name)
    expect(page.locator("#payment-status")).to_have_text("Chờ thanh toán")
    shot(page, "12-thank-you-cod-desktop")

    page.get_by_role("link", name="Theo dõi đơn hàng").click()
    page.wait_for_url(re.compile(rf"/shop/orders/{order.number}/"))
    expect(page.locator("h1")).to_have_text(f"Đơn hàng {order.number}")
    expect(page.locator(".order-part")).to_have_count(2)
    for product in (first, second):
        card = part_card(page, product.producer.name)
        expect(card).to_contain_text(product.get_title())
        expect(card.locator(".part-status")).to_have_text("Đã xác nhận")
        expect(card).to_contain_text(vnd(20000))  # each parcel's own fee
    shot(page, "13-order-page-cod-desktop")

    assert Order.objects.exclude(delivery__checkout_token__startswith="demo-").count() == 1  # the demo has two
    parts = FulfilmentPart.objects.filter(order=order)
    assert parts.count() == 2
    assert set(parts.values_list("producer_id", flat=True)) == {first.producer_id, second.producer_id}
    assert set(parts.values_list("status", flat=True)) == {FulfilmentPart.Status.CONFIRMED}
    assert order.ocop_payment.method == "cod"
    assert order.total_incl_tax == goods + 40000
    assert order.shipping_address.phone_number.as_e164 == "+84912345678"
    assert order.delivery.province == an_giang()
    assert_clean(offline)


# ---------------------------------------------------------------- 2. guest on a phone, VietQR, staff confirm
def test_phone_guest_pays_by_vietqr_and_staff_mark_it_paid(page, browser, live_server, demo, offline):
    offline(page)
    page.set_viewport_size(PHONE)
    product = buyable().first()
    add_to_basket(page, live_server, product, 1)

    page.goto(live_server.url + "/shop/checkout/")
    fill_address(page, email="binh.tran@example.vn", name="Trần Văn Bình", phone="+84 903 123 456")
    page.get_by_role("radio", name=re.compile(r"Chuyển khoản ngân hàng \(VietQR\)")).check()
    shot(page, "20-checkout-vietqr-phone")
    page.locator("#place-order").click()
    page.wait_for_url(re.compile(r"/shop/checkout/thank-you/$"))

    order = Order.objects.latest("pk")
    payment = order.ocop_payment
    assert payment.method == "vietqr" and payment.status == "pending"
    expect(page.locator(".lead strong")).to_have_text(order.number)
    qr = page.locator("figure.vietqr-code svg")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert 180 <= box["width"] <= 300 and abs(box["width"] - box["height"]) < 2, box  # scannable, not a poster
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box  # on screen
    details = page.locator(".transfer-details")
    expect(details).to_contain_text("0011001234567")
    expect(details).to_contain_text("Vietcombank")
    expect(details).to_contain_text(vnd(order.total_incl_tax))
    assert re.search(r"\d{1,3}(\.\d{3})+ ₫", text(details.inner_text()))
    expect(page.locator(".transfer-reference")).to_have_text(f"OCOP{order.number}")
    expect(page.locator("#payment-status")).to_have_text("Chờ thanh toán")
    expect(page.locator(".list-group")).to_contain_text("Chờ thanh toán")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
    shot(page, "21-thank-you-vietqr-phone")

    # Programme staff confirm the transfer in Oscar's dashboard, in their own browser.
    staff_context = offline(browser.new_context(viewport=DESKTOP))
    staff = staff_context.new_page()
    log_in(staff, live_server, PROGRAMME.email)
    staff.goto(f"{live_server.url}/shop/dashboard/orders/{order.number}/payment/")
    expect(staff.locator("#payment-status")).to_have_text("Chờ thanh toán")
    expect(staff.locator("#mark-paid")).to_contain_text(vnd(order.total_incl_tax))
    shot(staff, "22-dashboard-payment-pending")
    staff.locator("#mark-paid").click()
    staff.wait_for_load_state()
    expect(staff.locator("#payment-status")).to_have_text("Đã thanh toán")
    expect(staff.locator("#mark-paid")).to_have_count(0)
    shot(staff, "23-dashboard-payment-paid")
    staff_context.close()

    page.goto(order_page_url(live_server, order))
    expect(page.locator("#payment-status")).to_have_text("Đã thanh toán")
    expect(page.locator("figure.vietqr-code")).to_have_count(0)  # nothing left to transfer
    card = part_card(page, product.producer.name)
    expect(card.locator(".part-status")).to_have_text("Đã xác nhận")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
    shot(page, "24-order-page-paid-phone")

    payment.refresh_from_db()
    assert payment.status == "paid" and payment.amount_captured == order.total_incl_tax
    lines = order.lines.all()
    sales = Sale.objects.filter(order_line__order=order, kind=Sale.Kind.SALE)
    assert sales.count() == lines.count() == 1
    assert {s.order_line_id for s in sales} == {line.pk for line in lines}
    assert_clean(offline)


# ---------------------------------------------------------------- 3. a producer ships and collects their own part
def test_producer_ships_and_records_cash_for_their_own_part_only(page, browser, live_server, demo, offline):
    own_producer = Partner.objects.get(code=PRODUCERS[0].code)
    assert own_producer.users.filter(email=PRODUCER.email).exists()
    own = buyable(producer=own_producer).first()
    other = buyable(exclude_producers=[own_producer.pk]).first()
    placed = service_place(service_basket([(own, 1), (other, 1)]), method="cod")
    order = Order.objects.get(pk=placed.pk)  # number as stored (a str)
    own_part = order.parts.get(producer=own_producer)
    other_part = order.parts.get(producer=other.producer)
    due = part_due(own_part)

    offline(page)
    page.set_viewport_size(PHONE)  # producers mostly work from their phones
    log_in(page, live_server, PRODUCER.email)
    page.goto(live_server.url + "/shop/seller/orders/")
    expect(page.locator("h1")).to_have_text("Đơn hàng cần giao")
    expect(page.locator(".seller-part")).to_have_count(own_producer.fulfilment_parts.count())  # the demo's too
    cards = page.locator(".seller-part", has_text=order.number)
    expect(cards).to_have_count(1)
    expect(cards).to_contain_text(order.number)
    expect(cards).to_contain_text(own.get_title())
    listing = page.locator("#content_inner").inner_text()
    assert other.get_title() not in listing and other.producer.name not in listing
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
    shot(page, "30-seller-orders-phone")

    cards.first.click()
    page.wait_for_url(re.compile(rf"/shop/seller/orders/{own_part.pk}/$"))
    expect(page.locator(".part-status")).to_have_text("Đã xác nhận")
    content = page.locator("#content_inner")
    expect(content).to_contain_text(own.get_title())
    expect(content).to_contain_text(vnd(due))  # what to collect on delivery
    assert other.get_title() not in content.inner_text()
    shot(page, "31-seller-part-phone")

    page.locator("#id_carrier").fill("Viettel Post")
    page.locator("#id_tracking_number").fill("VTP123456789")
    page.get_by_role("button", name="Đã gửi hàng").click()
    page.wait_for_load_state()
    expect(page.locator(".part-status")).to_have_text("Đang giao")
    expect(content).to_contain_text("VTP123456789")
    expect(page.locator("#id_amount")).to_have_value(re.compile(rf"^{int(due)}(\.0+)?$"))
    shot(page, "32-seller-part-shipped-phone")

    # The shopper (no account: the order link from the email) sees the carrier and tracking number of that part.
    shopper_context = offline(browser.new_context(viewport=DESKTOP))
    shopper = shopper_context.new_page()
    shopper.goto(order_page_url(live_server, order))
    own_card, other_card = part_card(shopper, own_producer.name), part_card(shopper, other.producer.name)
    expect(own_card).to_contain_text("Viettel Post")
    expect(own_card).to_contain_text("VTP123456789")
    expect(own_card.locator(".part-status")).to_have_text("Đang giao")
    expect(other_card.locator(".part-status")).to_have_text("Đã xác nhận")
    expect(other_card).not_to_contain_text("VTP123456789")
    shot(shopper, "33-order-page-tracking-desktop")

    # Delivered: the producer records the cash (the form is prefilled with what is due).
    page.get_by_role("button", name="Đã giao và thu tiền").click()
    page.wait_for_load_state()
    shot(page, "34-seller-part-cash-phone")
    refusals = page.locator(".alert-danger").all_inner_texts()
    assert not refusals, f"recording the prefilled cash amount was refused: {refusals}"
    expect(page.locator(".alert-success")).to_contain_text("Đã cập nhật phần đơn")
    expect(page.locator(".part-status")).to_have_text("Đã giao")
    expect(content).to_contain_text(f"Đã thu {vnd(due)}")

    shopper.reload()
    expect(own_card.locator(".part-status")).to_have_text("Đã giao")
    expect(own_card).to_contain_text("VTP123456789")
    shot(shopper, "35-order-page-delivered-desktop")
    shopper_context.close()

    own_part.refresh_from_db()
    other_part.refresh_from_db()
    assert own_part.status == FulfilmentPart.Status.DELIVERED
    assert (own_part.carrier, own_part.tracking_number) == ("Viettel Post", "VTP123456789")
    assert own_part.cash_collected == due
    assert other_part.status == FulfilmentPart.Status.CONFIRMED and other_part.cash_collected is None
    assert Sale.objects.filter(order_line__order=order).count() == own_part.lines.count() == 1
    assert order.ocop_payment.status == "pending"  # the other producer's cash is still to come
    assert_clean(offline)

"""A shopper in Chromium: home → browse a group → product page → add to basket; and the refusal for an
expired product. Screenshots go to tests/browser/screenshots/ (look at them)."""

import re

import pytest

from catalogue.models import Product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
from tests.support.browser import shot


def test_home_browse_group_product_add_to_basket(page, live_server, demo):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    assert page.locator("h1").first.inner_text() == "Chợ OCOP An Giang"
    shot(page, "01-home")

    page.get_by_role("link", name="Thực phẩm").first.click()
    page.wait_for_url(re.compile(r"/shop/catalogue/category/"))
    cards = page.get_by_test_id("product-card")
    assert cards.count() > 0
    shot(page, "02-group-food")

    page.get_by_role("link", name="5 sao").click()
    assert page.get_by_test_id("result-count").inner_text().endswith("sản phẩm")
    first_title = cards.first.locator(".product-card__title a")
    name = first_title.inner_text()
    first_title.click()
    assert page.get_by_test_id("ocop-status").get_attribute("data-status") == "certified"
    shot(page, "03-product")

    page.get_by_role("button", name=re.compile("Thêm vào giỏ|Add to basket")).click()
    page.wait_for_load_state()
    assert page.get_by_test_id("basket-count").inner_text() == "1"
    assert "đã được thêm vào giỏ hàng" in page.content()
    page.get_by_role("link", name=re.compile("Giỏ hàng")).first.click()
    page.wait_for_url(re.compile(r"/shop/basket/$"))
    assert name in page.content()
    assert re.search(r"\d{1,3}(\.\d{3})+\xa0₫", page.locator("body").inner_text())
    shot(page, "04-basket")


def test_expired_product_is_shown_as_not_for_sale(page, live_server, demo):
    expired = next(p for p in Product.objects.filter(upc__startswith="DEMO-") if p.certification_status()[0] == "expired")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.goto(live_server.url + expired.get_absolute_url())
    status = page.get_by_test_id("ocop-status")
    assert status.get_attribute("data-status") == "expired"
    assert "Không bán" in status.inner_text() and "hết hạn" in status.inner_text()
    assert page.get_by_role("button", name=re.compile("Thêm vào giỏ|Add to basket")).count() == 0
    shot(page, "05-expired-product-phone")

    page.goto(live_server.url + "/shop/catalogue/")
    assert expired.title not in page.content()
    shot(page, "06-catalogue-phone")

"""The certification gate through real HTTP requests, at every way in."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from catalogue.certification import ocop_today
from catalogue.models import Certificate
from tests.support.catalogue import certify, make_certified_product, make_product

pytestmark = pytest.mark.django_db
Basket = get_model("basket", "Basket")


@pytest.fixture
def catalogue_states():
    today = ocop_today()
    certified = make_certified_product(title="Mắm cá linh Châu Đốc", stars=5, price=Decimal("250000"))
    expired = make_product(title="Khô cá lóc hết hạn")
    certify(expired, issued_on=today - dt.timedelta(days=1200), expires_on=today - dt.timedelta(days=1))
    revoked = make_product(title="Rượu nếp bị thu hồi")
    certify(revoked, revoked=True)
    uncertified = make_product(title="Bánh bò chưa chứng nhận")
    return {"certified": certified, "expired": expired, "revoked": revoked, "none": uncertified}


def titles_in(response):
    return response.content.decode()


@pytest.mark.parametrize("url", ["/shop/catalogue/", "/shop/search/?q=", "/en/shop/catalogue/"])
def test_listings_show_only_certified_products(client, catalogue_states, url):
    html = client.get(url).content.decode()
    assert "Mắm cá linh Châu Đốc" in html
    assert "250.000\xa0₫" in html or "₫250,000" in html
    for name in ("Khô cá lóc hết hạn", "Rượu nếp bị thu hồi", "Bánh bò chưa chứng nhận"):
        assert name not in html


def test_category_listing_shows_only_certified_products(client, catalogue_states):
    category = catalogue_states["certified"].ocop_product_set.group.category
    response = client.get(category.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mắm cá linh Châu Đốc" in html
    assert "Khô cá lóc hết hạn" not in html and "Bánh bò chưa chứng nhận" not in html


def test_home_page_lists_only_certified_products(client, catalogue_states):
    html = client.get("/").content.decode()
    assert "Mắm cá linh Châu Đốc" in html
    assert "Khô cá lóc hết hạn" not in html and "Rượu nếp bị thu hồi" not in html


def test_certified_product_page_shows_stars_decision_expiry_and_button(client, catalogue_states):
    product = catalogue_states["certified"]
    certificate = product.current_certificate()
    html = client.get(product.get_absolute_url()).content.decode()
    assert 'data-status="certified"' in html
    assert "OCOP 5 sao" in html
    assert certificate.decision_number in html
    assert certificate.expires_on.strftime("%d/%m/%Y") in html
    assert f'action="/shop/basket/add/{product.pk}/"' in html


@pytest.mark.parametrize(
    ("state", "reason"),
    [("expired", "đã hết hạn ngày"), ("revoked", "đã bị thu hồi"), ("none", "chưa có giấy chứng nhận OCOP")],
)
def test_uncertified_product_page_says_not_for_sale_and_why(client, catalogue_states, state, reason):
    product = catalogue_states[state]
    html = client.get(product.get_absolute_url()).content.decode()
    assert f'data-status="{state}"' in html
    assert "Không bán" in html
    assert reason in html
    assert f"/shop/basket/add/{product.pk}/" not in html
    assert "₫" not in html.split('id="content_inner"')[1].split("</main>")[0], "no price for what is not for sale"


def test_certified_product_page_shows_its_price(client, catalogue_states):
    html = client.get(catalogue_states["certified"].get_absolute_url()).content.decode()
    assert "250.000\xa0₫" in html.split('id="content_inner"')[1]


@pytest.mark.parametrize("state", ["expired", "revoked", "none"])
def test_basket_add_refuses_uncertified_products(client, catalogue_states, state):
    product = catalogue_states[state]
    response = client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1}, follow=True)
    assert "Không bán: sản phẩm chưa có giấy chứng nhận OCOP" in response.content.decode()
    assert response.context["request"].basket.num_lines == 0


def test_basket_add_accepts_certified_products(client, catalogue_states):
    product = catalogue_states["certified"]
    response = client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 2}, follow=True)
    basket = response.context["request"].basket
    assert basket.num_items == 2
    assert basket.total_incl_tax == Decimal("500000")


def test_quantity_change_is_refused_once_the_certificate_is_revoked(client, catalogue_states):
    product = catalogue_states["certified"]
    client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})
    basket = Basket.objects.get()
    line = basket.lines.get()
    Certificate.objects.filter(product=product).update(revoked_on=ocop_today(), revocation_reason="Không đạt hậu kiểm")
    client.post(
        "/shop/basket/",
        {"form-TOTAL_FORMS": 1, "form-INITIAL_FORMS": 1, "form-MIN_NUM_FORMS": 0, "form-MAX_NUM_FORMS": 1000,
         "form-0-id": line.pk, "form-0-quantity": 3},
    )
    assert basket.lines.get().quantity == 1


def test_checkout_is_blocked_when_a_certificate_expires_while_in_the_basket(client, catalogue_states):
    product = catalogue_states["certified"]
    client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})
    assert client.get("/shop/checkout/").status_code == 200
    Certificate.objects.filter(product=product).update(expires_on=ocop_today() - dt.timedelta(days=1))
    response = client.get("/shop/checkout/", follow=True)
    assert response.redirect_chain[-1][0] == "/shop/basket/"
    assert "Không bán: sản phẩm chưa có giấy chứng nhận OCOP" in response.content.decode()


@pytest.mark.usefixtures("uncached")
def test_a_certificate_expiring_today_stops_the_sale_tomorrow_without_any_job(client, catalogue_states, monkeypatch):
    product = catalogue_states["certified"]
    certificate = Certificate.objects.get(product=product)
    certificate.expires_on = ocop_today()
    certificate.save()  # as the staff form does
    assert "Mắm cá linh Châu Đốc" in client.get("/shop/catalogue/").content.decode()
    tomorrow = ocop_today() + dt.timedelta(days=1)
    monkeypatch.setattr("catalogue.certification.ocop_today", lambda: tomorrow)
    monkeypatch.setattr("catalogue.managers.ocop_today", lambda: tomorrow)
    monkeypatch.setattr("catalogue.models.ocop_today", lambda: tomorrow)
    monkeypatch.setattr("catalogue.search.database.ocop_today", lambda: tomorrow)
    assert "Mắm cá linh Châu Đốc" not in client.get("/shop/catalogue/").content.decode()
    response = client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1}, follow=True)
    assert response.context["request"].basket.num_lines == 0


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/shop/catalogue/", "/shop/search/?q=S%E1%BA%A3n", "/"])
@pytest.mark.usefixtures("uncached")
def test_listing_query_count_does_not_grow_with_page_size(client, url):
    for _ in range(3):
        make_certified_product()
    client.get(url)  # warm caches (group links, site root)
    small = _count_queries(client, url)
    for _ in range(21):
        make_certified_product()
    large = _count_queries(client, url)
    assert large == small


@pytest.mark.usefixtures("uncached")
def test_category_listing_query_count_does_not_grow(client):
    first = make_certified_product()
    url = first.ocop_product_set.group.category.get_absolute_url()
    client.get(url)
    small = _count_queries(client, url)
    for _ in range(20):
        make_certified_product()
    assert _count_queries(client, url) == small

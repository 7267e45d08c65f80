"""schema.org Product/Offer JSON-LD on product pages: what search engines may show as a shopping result. Only a
certified product has an Offer."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from oscar.core.loading import get_class

from catalogue.certification import ocop_today
from catalogue.models import Certificate, Product
from catalogue.structured_data import gtin_property, json_ld_script, product_json_ld
from tests.support.catalogue import certify, make_certified_product, make_producer, make_product

from .conftest import add_product_photo, raw_json_ld, read_head

pytestmark = pytest.mark.django_db

BASE = "http://testserver/"
IN_STOCK = "https://schema.org/InStock"


def product_ld(client, product) -> dict:
    blocks = [d for d in read_head(client.get(product.get_absolute_url())).structured_data() if d["@type"] == "Product"]
    assert len(blocks) == 1
    return blocks[0]


def test_certified_product_is_a_product_with_an_in_stock_offer_brand_and_ocop_rating(client):
    producer = make_producer(name="HTX Mắm Châu Đốc", code="htx-mam-chau-doc")
    product = make_certified_product(title="Mắm cá linh Châu Đốc", price=Decimal("85000"), stars=4, producer=producer)
    Product.objects.filter(pk=product.pk).update(description="<p>Mắm cá linh ủ <strong>90 ngày</strong>.</p>")
    add_product_photo(product)
    certificate = product.certificates.get()

    data = product_ld(client, product)

    assert data["@context"] == "https://schema.org"
    assert data["name"] == "Mắm cá linh Châu Đốc"
    assert data["description"] == "Mắm cá linh ủ 90 ngày."
    assert data["url"] == BASE + product.get_absolute_url().lstrip("/")
    assert data["image"] and all(url.startswith(BASE + "media/") for url in data["image"])
    assert data["brand"] == {"@type": "Organization", "name": "HTX Mắm Châu Đốc",
                             "url": BASE + "shop/producers/htx-mam-chau-doc/"}
    offer = data["offers"]
    assert offer["@type"] == "Offer"
    assert offer["price"] == "85000" and offer["price"].isdigit()
    assert offer["priceCurrency"] == "VND"
    assert offer["availability"] == IN_STOCK
    assert offer["url"] == data["url"]
    assert offer["priceValidUntil"] == certificate.expires_on.isoformat()
    rating = next(p for p in data["additionalProperty"] if p["name"] == "Hạng OCOP")
    assert rating == {"@type": "PropertyValue", "name": "Hạng OCOP", "value": 4, "minValue": 3, "maxValue": 5,
                      "unitText": "sao"}
    expiry = next(p for p in data["additionalProperty"] if p["value"] == certificate.expires_on.isoformat())
    assert expiry["@type"] == "PropertyValue"
    assert data["hasCertification"]["certificationRating"]["ratingValue"] == 4
    assert data["hasCertification"]["expires"] == certificate.expires_on.isoformat()


def test_english_page_names_the_rating_in_english(client):
    product = make_certified_product(stars=5)
    path = product.get_absolute_url()

    response = client.get("/en" + path)
    data = next(d for d in read_head(response).structured_data() if d["@type"] == "Product")

    assert data["url"] == BASE + "en" + path
    names = [p["name"] for p in data["additionalProperty"]]
    assert names[0] == "OCOP rating"
    assert data["additionalProperty"][0]["value"] == 5


def test_sold_out_certified_product_is_out_of_stock(client):
    product = make_certified_product(stock=0)

    offer = product_ld(client, product)["offers"]

    assert offer["availability"] == "https://schema.org/OutOfStock"


@pytest.mark.parametrize("state", ["never certified", "expired", "revoked", "not yet valid"])
def test_uncertified_product_has_no_offer_and_no_rating(client, state):
    product = make_product(title="Mắm chưa được bán")
    today = ocop_today()
    if state == "expired":
        certify(product, issued_on=today - dt.timedelta(days=1200), expires_on=today - dt.timedelta(days=1))
    elif state == "revoked":
        certify(product, revoked=True)
    elif state == "not yet valid":
        certify(product, issued_on=today + dt.timedelta(days=3))

    response = client.get(product.get_absolute_url())
    data = product_ld(client, product)

    assert "offers" not in data, "a product that is not for sale is offered to nobody"
    assert "additionalProperty" not in data and "hasCertification" not in data
    assert IN_STOCK not in response.content.decode()
    assert data["name"] == "Mắm chưa được bán"


def test_certificate_revoked_after_listing_removes_the_offer(client):
    product = make_certified_product()
    assert "offers" in product_ld(client, product)

    Certificate.objects.filter(product=product).update(revoked_on=ocop_today(), revocation_reason="Không đạt")

    assert "offers" not in product_ld(client, product)


def test_gtin_only_for_8_12_13_14_digit_codes(client):
    assert gtin_property("8938505974123") == ("gtin13", "8938505974123")
    assert gtin_property("12345670") == ("gtin8", "12345670")
    assert gtin_property("012345678905") == ("gtin12", "012345678905")
    assert gtin_property("18938505974120") == ("gtin14", "18938505974120")
    assert gtin_property("TEST-00001") is None and gtin_property("123456789") is None and gtin_property("") is None
    assert gtin_property("８９３８５０５９７４１２３") is None  # full-width digits are not a barcode

    product = make_certified_product()
    Product.objects.filter(pk=product.pk).update(upc="8938505974123")
    data = product_ld(client, product)
    assert data["gtin13"] == "8938505974123" and data["sku"]

    other = make_certified_product()
    assert not any(key.startswith("gtin") for key in product_ld(client, other))


def test_private_producer_is_named_without_a_profile_link(client):
    product = make_certified_product(producer=make_producer(name="Hộ bà Sáu", is_public=False))

    assert product_ld(client, product)["brand"] == {"@type": "Organization", "name": "Hộ bà Sáu"}


def test_json_ld_cannot_close_its_script_element(client):
    product = make_certified_product(title="</script><script>alert(1)</script> & <!--")

    response = client.get(product.get_absolute_url())
    (raw,) = raw_json_ld(response)

    assert "<" not in raw and ">" not in raw and "&" not in raw
    assert "</script><script>alert(1)" not in response.content.decode()
    assert product_ld(client, product)["name"] == "</script><script>alert(1)</script> & <!--"


def test_builder_uses_the_strategy_it_is_given(rf: RequestFactory):
    product = make_certified_product(price=Decimal("250000"))
    request = rf.get(product.get_absolute_url())
    request.user = AnonymousUser()
    strategy = get_class("partner.strategy", "Selector")().strategy(request=request)

    data = product_json_ld(product=product, info=strategy.fetch_for_product(product), request=request)

    assert data["offers"]["price"] == "250000"
    assert json_ld_script(data).startswith('<script type="application/ld+json">{')

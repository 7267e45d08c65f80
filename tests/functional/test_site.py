"""Site-wide wiring a newcomer relies on: URLs, languages, the producer profile."""

import pytest

from tests.support.catalogue import certify, make_certified_product, make_producer, make_product

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "status"),
    [("/", 200), ("/en/", 200), ("/shop/catalogue/", 200), ("/shop/basket/", 200), ("/cms-admin/login/", 200),
     ("/shop/dashboard/", 302), ("/django-admin/login/", 200)],
)
def test_main_urls_answer(client, url, status):
    assert client.get(url).status_code == status


def test_vietnamese_is_default_and_english_is_under_en(client):
    assert '<html lang="vi">' in client.get("/shop/catalogue/").content.decode()
    assert '<html lang="en">' in client.get("/en/shop/catalogue/").content.decode()


def test_language_switch_keeps_the_page(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/shop/catalogue/"})
    assert response.status_code == 302 and response["Location"] == "/en/shop/catalogue/"


def test_storefront_pages_load_no_asset_from_another_host(client):
    make_certified_product()
    for url in ("/", "/shop/catalogue/", "/shop/basket/"):
        html = client.get(url).content.decode()
        assert "googleapis" not in html and "cdn." not in html and 'src="//' not in html and 'src="http' not in html


def test_producer_profile_lists_only_its_certified_products(client):
    producer = make_producer(name="HTX Mắm Châu Đốc", kind="cooperative")
    make_certified_product(title="Mắm thái", producer=producer)
    make_product(title="Mắm chưa chứng nhận", producer=producer)
    make_certified_product(title="Sản phẩm của người khác")
    html = client.get(producer.get_absolute_url()).content.decode()
    assert "HTX Mắm Châu Đốc" in html and "Hợp tác xã" in html
    assert "Mắm thái" in html
    assert "Mắm chưa chứng nhận" not in html and "Sản phẩm của người khác" not in html


def test_product_description_is_sanitised_at_render(client):
    product = make_certified_product()
    type(product).objects.filter(pk=product.pk).update(
        description='<p onclick="alert(1)">Ngon</p><script>alert(2)</script><a href="javascript:alert(3)">x</a>'
    )
    html = client.get(product.get_absolute_url()).content.decode()
    assert "Ngon" in html
    assert "alert(1)" not in html and "<script>alert(2)" not in html and "javascript:alert(3)" not in html

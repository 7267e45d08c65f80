"""robots.txt keeps crawlers out of back offices and per-visitor pages and points at the sitemap; the footer says
who runs the site (operator, registration) from Wagtail's site settings, in the reader's language."""

import datetime as dt
import re

import pytest
from wagtail.models import Site

from cms.models import SiteSettings
from tests.support.cms import make_standard_page, translate

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- robots.txt
def test_robots_txt_allows_the_storefront_and_keeps_out_of_private_areas(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200 and response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[:2] == ["User-agent: *", "Allow: /"]
    disallowed = {line.split(": ", 1)[1] for line in lines if line.startswith("Disallow: ")}
    for area in ("/cms-admin/", "/django-admin/"):
        assert area in disallowed
    for area in ("dashboard", "basket", "checkout", "accounts", "seller", "showroom-stock", "orders", "programme"):
        assert f"/shop/{area}/" in disallowed and f"/en/shop/{area}/" in disallowed, area
    for public in ("/shop/catalogue/", "/shop/producers/", "/live/", "/ocop/", "/"):
        assert public not in disallowed
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_robots_txt_lives_outside_the_language_prefix(client):
    assert client.get("/en/robots.txt").status_code == 404
    assert client.get("/robots.txt").status_code == 200


# ---------------------------------------------------------------- footer
@pytest.fixture
def site_settings(home):
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.operator_name = "Văn phòng Điều phối Chương trình OCOP tỉnh An Giang"
    settings.operator_name_en = "An Giang OCOP Programme Coordination Office"
    settings.registration_number = "1234/QĐ-UBND"
    settings.registration_issuer = "UBND tỉnh An Giang"
    settings.registration_date = dt.date(2021, 3, 15)
    settings.address = "18 Tôn Đức Thắng, phường Long Xuyên, An Giang"
    settings.phone = "0296 3852 000"
    settings.hotline = "1900 1234"
    settings.email = "ocop@angiang.gov.vn"
    settings.ecommerce_notice_url = "http://online.gov.vn/Home/WebDetails/12345"
    settings.footer_text = "Sàn thương mại điện tử sản phẩm OCOP An Giang."
    settings.footer_text_en = "The An Giang OCOP products marketplace."
    settings.facebook_url = "https://www.facebook.com/ocopangiang"
    settings.zalo_url = "https://zalo.me/ocopangiang"
    settings.save()
    return settings


def footer(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<footer"):html.index("</footer>")]


def test_footer_shows_operator_registration_and_contacts(client, site_settings):
    html = footer(client.get("/shop/catalogue/"))

    assert "Văn phòng Điều phối Chương trình OCOP tỉnh An Giang" in html
    assert "1234/QĐ-UBND" in html and "UBND tỉnh An Giang" in html and "15/03/2021" in html
    assert "18 Tôn Đức Thắng, phường Long Xuyên, An Giang" in html
    assert 'href="tel:02963852000"' in html and 'href="tel:19001234"' in html
    assert 'href="mailto:ocop@angiang.gov.vn"' in html
    assert 'href="http://online.gov.vn/Home/WebDetails/12345"' in html
    assert "Sàn thương mại điện tử sản phẩm OCOP An Giang." in html
    assert re.search(r'<nav class="site-footer__social" aria-label="[^"]+">', html)
    assert 'href="https://zalo.me/ocopangiang"' in html
    assert "<address" in html


def test_footer_speaks_english_under_en(client, site_settings):
    html = footer(client.get("/en/shop/catalogue/"))

    assert "An Giang OCOP Programme Coordination Office" in html
    assert "The An Giang OCOP products marketplace." in html
    assert "1234/QĐ-UBND" in html


def test_footer_links_the_chosen_pages_in_the_readers_language(client, home, site_settings):
    page = make_standard_page(home=home, title="Chính sách đổi trả", slug="doi-tra")
    english = translate(page, title="Returns policy", slug="returns")
    hidden = make_standard_page(home=home, title="Trang đã gỡ", slug="da-go")
    hidden.unpublish()
    site_settings.footer_links = [("page", page), ("page", hidden)]
    site_settings.save()

    vietnamese = footer(client.get("/"))
    assert re.search(r'<nav class="site-footer__nav" aria-label="[^"]+">', vietnamese)
    assert f'href="{page.url}">Chính sách đổi trả</a>' in vietnamese
    assert "Trang đã gỡ" not in vietnamese

    in_english = footer(client.get("/en/"))
    assert f'href="{english.url}">Returns policy</a>' in in_english


def test_footer_without_settings_still_renders(client, home):
    html = footer(client.get("/"))

    assert "site-footer" in html and "Chợ OCOP An Giang" in html
    assert "site-footer__legal" not in html and "site-footer__nav" not in html

"""sitemap.xml: certified products and the site's pages, in both languages with hreflang alternates; never a
product that is not for sale; a constant number of queries whatever the number of URLs."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.certification import ocop_today
from catalogue.models import Product
from cms.sitemaps import ProductSitemap
from showrooms.models import Showroom
from tests.support.catalogue import certify, make_certified_product, make_product
from tests.support.cms import make_standard_page, make_story, story_index, translate
from tests.support.showrooms import make_showroom

from .conftest import add_area, add_showroom_page

pytestmark = pytest.mark.django_db

BASE = "http://testserver/"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


def xml(response) -> ET.Element:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def section_urls(client) -> list[str]:
    index = xml(client.get("/sitemap.xml"))
    assert index.tag == "{%s}sitemapindex" % NS["sm"]
    return [loc.text for loc in index.findall("sm:sitemap/sm:loc", NS)]


def sitemap_entries(client) -> dict[str, dict[str, str]]:
    """Every URL of every section → its alternates (hreflang → href)."""
    entries = {}
    for url in section_urls(client):
        assert url.startswith(BASE)
        for node in xml(client.get(url.removeprefix("http://testserver"))).findall("sm:url", NS):
            loc = node.find("sm:loc", NS).text
            assert loc not in entries, f"{loc} listed twice"
            entries[loc] = {link.get("hreflang"): link.get("href") for link in node.findall("xhtml:link", NS)}
    return entries


def absolute(path: str) -> str:
    return BASE + path.lstrip("/")


# ---------------------------------------------------------------- products
def test_certified_product_is_listed_in_both_languages_with_alternates(client):
    product = make_certified_product(title="Mắm cá linh Châu Đốc")
    vi, en = absolute(product.get_absolute_url()), absolute("/en" + product.get_absolute_url())

    entries = sitemap_entries(client)

    assert vi in entries and en in entries
    expected = {"vi": vi, "en": en, "x-default": vi}
    assert entries[vi] == expected and entries[en] == expected


def test_product_not_for_sale_is_never_listed(client):
    listed = make_certified_product(title="Được bán")
    never = make_product(title="Chưa chứng nhận")
    expired = make_product(title="Hết hạn")
    today = ocop_today()
    certify(expired, issued_on=today - dt.timedelta(days=1200), expires_on=today - dt.timedelta(days=1))
    revoked = make_product(title="Bị thu hồi")
    certify(revoked, revoked=True)
    future = make_product(title="Chưa hiệu lực")
    certify(future, issued_on=today + dt.timedelta(days=2))
    hidden = make_certified_product(title="Ẩn", is_public=False)

    text = "".join(client.get(url.removeprefix("http://testserver")).content.decode() for url in section_urls(client))

    assert listed.get_absolute_url() in text
    for product in (never, expired, revoked, future, hidden):
        assert f"_{product.pk}/" not in text, product.title


# ---------------------------------------------------------------- Wagtail pages
@pytest.mark.usefixtures("uncached")
def test_site_pages_are_listed_with_their_existing_live_translations(client, home, showroom_index):
    standard = make_standard_page(home=home, title="Giao hàng", slug="giao-hang")
    story = make_story(title="Mắm cá linh", slug="mam-ca-linh")
    story_en = translate(story, title="Linh fish sauce", slug="linh-fish-sauce")
    lonely = make_story(title="Chỉ tiếng Việt", slug="chi-tieng-viet")
    draft = make_story(title="Bản nháp", slug="ban-nhap", live=False)
    draft_translation = make_story(title="Bản dịch nháp", slug="ban-dich-nhap")
    english_draft = translate(draft_translation, title="Draft translation", slug="draft-translation")
    english_draft.unpublish()
    area = add_area(showroom_index)
    showroom_page = add_showroom_page(area, make_showroom(name="Điểm OCOP Châu Đốc", code="diem-chau-doc"))
    showroom_en = translate(showroom_page, title="Chau Doc OCOP shop", slug="chau-doc-ocop-shop")
    area_en = type(area).objects.get(translation_key=area.translation_key, locale__language_code="en")
    closed = Showroom.objects.create(name="Đã đóng", code="da-dong", area=showroom_page.showroom.area,
                                     street_address="1 Lê Lợi", is_active=False)
    closed_page = add_showroom_page(area, closed)

    entries = sitemap_entries(client)

    for page in (home, story_index(home), standard, showroom_index, area, showroom_page, story, lonely):
        assert absolute(page.url) in entries, page.title
    assert entries[absolute(story.url)] == {"vi": absolute(story.url), "en": absolute(story_en.url),
                                            "x-default": absolute(story.url)}
    assert entries[absolute(story_en.url)] == entries[absolute(story.url)]
    assert story_en.url == "/en/cau-chuyen/linh-fish-sauce/"
    assert entries[absolute(lonely.url)] == {"vi": absolute(lonely.url), "x-default": absolute(lonely.url)}
    assert entries[absolute(showroom_page.url)]["en"] == absolute(showroom_en.url)
    assert entries[absolute(area.url)]["en"] == absolute(area_en.url)
    assert absolute(home.url) in entries and entries[absolute(home.url)]["en"] == BASE + "en/"
    assert absolute(draft.get_url_parts()[2]) not in entries
    assert "en" not in entries[absolute(draft_translation.url)], "an unpublished translation is no alternate"
    assert absolute(closed_page.url) not in entries, "a closed showroom has no public page"
    assert all(not loc.startswith(BASE + "cms-admin") for loc in entries)


# ---------------------------------------------------------------- scale
def _build(home, index, n):
    area = add_area(index, title=f"Khu vực {n}", slug=f"khu-vuc-{n}")
    for i in range(n):
        product = make_certified_product()
        story = make_story(title=f"Câu chuyện {n}-{i}", slug=f"cau-chuyen-{n}-{i}", products=[product])
        page = add_showroom_page(area, make_showroom())
        if i % 2 == 0:
            translate(story, title=f"Story {n}-{i}", slug=f"story-{n}-{i}")
            translate(page, title=f"Shop {n}-{i}", slug=f"shop-{n}-{i}")
        make_standard_page(home=home, title=f"Trang {n}-{i}", slug=f"trang-{n}-{i}")


def _queries(client) -> dict[str, int]:
    counts = {}
    for url in ["/sitemap.xml"] + [u.removeprefix("http://testserver") for u in section_urls(client)]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[url] = len(queries)
    return counts


@pytest.mark.usefixtures("uncached")
def test_query_count_does_not_grow_with_the_number_of_urls(client, home, showroom_index):
    _build(home, showroom_index, 2)
    client.get("/sitemap.xml")  # warm the site-root cache
    small = _queries(client)

    _build(home, showroom_index, 7)
    large = _queries(client)

    assert small == large
    assert max(large.values()) <= 20
    assert len(sitemap_entries(client)) > 40


def test_large_sections_are_paged_through_the_index(client, monkeypatch):
    monkeypatch.setattr(ProductSitemap, "limit", 4)
    products = [make_certified_product() for _ in range(5)]  # 10 URLs: 3 pages of 4

    sections = section_urls(client)

    assert [u for u in sections if "products" in u] == [
        BASE + "sitemap-products.xml", BASE + "sitemap-products.xml?p=2", BASE + "sitemap-products.xml?p=3"]
    listed = set()
    for page in ("", "?p=2", "?p=3"):
        listed |= {loc.text for loc in xml(client.get("/sitemap-products.xml" + page)).findall("sm:url/sm:loc", NS)}
    assert len(listed) == 10 and absolute(products[-1].get_absolute_url()) in listed
    assert client.get("/sitemap-products.xml?p=4").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_sitemap_uses_the_request_host_never_example_com(client):
    make_certified_product()
    response = client.get("/sitemap-products.xml", HTTP_HOST="localhost")
    assert b"example.com" not in response.content and b"http://localhost/shop/catalogue/" in response.content
    assert Product.objects.count() == 1

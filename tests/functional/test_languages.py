"""Two languages over HTTP: Vietnamese unprefixed, English under /en/. The language switcher on every page links to
the same page in the other language (a Wagtail page's translation, with its own slug; the same URL for a Django
view), and every kind of page renders in both languages with its interface in that language."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import RequestFactory
from django.utils import translation

from cms.services import site_structure_ensure
from shop.languages import language_alternates, request_path
from showrooms.pages import AreaIndexPage, ShowroomIndexPage, ShowroomPage
from tests.support.catalogue import make_certified_product, make_producer
from tests.support.checkout import basket_add
from tests.support.cms import make_standard_page, make_story, story_index, translate
from tests.support.showrooms import make_showroom

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _vietnamese_first():
    """A request leaves its language active in the thread: build every URL of a test in Vietnamese."""
    with translation.override("vi"):
        yield


# ---------------------------------------------------------------- reading a page
class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.html_lang = None
        self.switch = {}  # hreflang → {"href", "lang", "current"}
        self._in_switch = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if "lang-switch" in (attrs.get("class") or "").split():
            self._in_switch += 1
        elif self._in_switch and tag == "a" and "hreflang" in attrs:
            self.switch[attrs["hreflang"]] = {
                "href": attrs.get("href"), "lang": attrs.get("lang"), "current": attrs.get("aria-current") == "true",
            }

    def handle_endtag(self, tag):
        if self._in_switch and tag in ("span", "ul", "nav", "div"):
            self._in_switch -= 1


def read(response) -> _Page:
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    page = _Page()
    page.feed(response.content.decode())
    return page


def links(response) -> dict[str, str]:
    return {code: link["href"] for code, link in read(response).switch.items()}


def current(response) -> list[str]:
    return [code for code, link in read(response).switch.items() if link["current"]]


def alternates_of(page, path: str, language: str):
    request = RequestFactory().get(path)
    with translation.override(language):
        return {alt.code: alt for alt in language_alternates(request, page=page)}


# ---------------------------------------------------------------- Django views
def test_switcher_on_a_django_view_keeps_the_path_and_the_query_string(client):
    response = client.get("/shop/catalogue/?sort=newest&utm_source=zalo")

    assert links(response) == {
        "vi": "/shop/catalogue/?sort=newest&utm_source=zalo",
        "en": "/en/shop/catalogue/?sort=newest&utm_source=zalo",
    }
    assert current(response) == ["vi"]
    page = read(response)
    assert page.switch["en"]["lang"] == "en" and page.switch["vi"]["lang"] == "vi"


def test_switcher_on_an_english_django_view_links_back_without_the_prefix(client):
    response = client.get("/en/shop/catalogue/?sort=newest")

    assert links(response) == {"vi": "/shop/catalogue/?sort=newest", "en": "/en/shop/catalogue/?sort=newest"}
    assert current(response) == ["en"]


def test_switcher_is_plain_links_not_a_form(client):
    html = client.get("/shop/catalogue/").content.decode()
    start = html.index('class="lang-switch"')
    switch = html[start:html.index("</span>", start)]
    assert "<form" not in switch and "set_language" not in switch and "csrfmiddlewaretoken" not in switch


def test_django_view_alternates_all_exist():
    alternates = alternates_of(None, "/shop/basket/?x=1", "vi")
    assert alternates["en"].url == "/en/shop/basket/?x=1" and alternates["en"].exists
    assert alternates["vi"].url == "/shop/basket/?x=1" and alternates["vi"].exists
    assert alternates["vi"].name == "Tiếng Việt" and alternates["en"].name == "English"


# ---------------------------------------------------------------- Wagtail pages
def test_switcher_on_a_translated_story_points_at_the_english_page(client):
    story = make_story(title="Mắm cá linh mùa nước nổi", slug="mam-ca-linh")
    english = translate(story, title="Linh fish sauce in the flood season", slug="linh-fish-sauce")
    assert english.url != "/en" + story.url  # its own slug

    from_vietnamese = client.get(story.url)
    from_english = client.get(english.url)

    assert links(from_vietnamese) == {"vi": story.url, "en": english.url}
    assert current(from_vietnamese) == ["vi"]
    assert links(from_english) == {"vi": story.url, "en": english.url}
    assert current(from_english) == ["en"]
    assert read(from_english).html_lang == "en"
    alternates = alternates_of(story, story.url, "vi")
    assert alternates["en"].exists and alternates["vi"].exists


def test_switcher_on_an_untranslated_story_points_at_the_nearest_translated_ancestor(client):
    index = story_index()
    english_index = translate(index, title="Product stories", slug="product-stories")
    story = make_story(title="Chỉ có tiếng Việt", slug="chi-tieng-viet", index=index)

    response = client.get(story.url)

    assert links(response) == {"vi": story.url, "en": english_index.url}
    alternates = alternates_of(story, story.url, "vi")
    assert not alternates["en"].exists
    assert alternates["vi"].exists


def test_with_nothing_translated_the_fallback_is_the_english_home(client):
    story = make_story(title="Chưa dịch gì", slug="chua-dich-gi")

    assert links(client.get(story.url))["en"] == "/en/"
    assert not alternates_of(story, story.url, "vi")["en"].exists


def test_a_draft_translation_is_not_a_target(client):
    index = story_index()
    english_index = translate(index, title="Product stories", slug="product-stories")
    story = make_story(title="Bản dịch chưa đăng", slug="ban-dich-chua-dang", index=index)
    draft = translate(story, title="Unpublished translation", slug="unpublished")
    draft.unpublish()

    assert links(client.get(story.url))["en"] == english_index.url


def test_a_translation_behind_a_login_is_neither_a_target_nor_announced(client):
    from wagtail.models import PageViewRestriction

    index = story_index()
    english_index = translate(index, title="Product stories", slug="product-stories")
    story = make_story(title="Bản dịch riêng tư", slug="ban-dich-rieng-tu", index=index)
    private = translate(story, title="Private translation", slug="private")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    response = client.get(story.url)
    assert links(response)["en"] == english_index.url
    assert "/private/" not in response.content.decode()


# ---------------------------------------------------------------- every page type in both languages
def _home(client):
    home = site_structure_ensure()
    english = translate(home, title="An Giang OCOP Market")
    return home.url, english.url


def _story_index(client):
    index = story_index()
    make_story(index=index)
    return index.url, translate(index, title="Product stories", slug="product-stories").url


def _story(client):
    story = make_story(products=[make_certified_product(title="Mắm cá linh Châu Đốc")])
    return story.url, translate(story, title="Linh fish sauce", slug="linh-fish-sauce").url


def _standard_page(client):
    page = make_standard_page()
    return page.url, translate(page, title="Delivery and returns", slug="delivery-and-returns").url


def _showrooms():
    home = site_structure_ensure()
    index = home.add_child(instance=ShowroomIndexPage(title="Điểm bán OCOP", slug="diem-ban-ocop"))
    area = index.add_child(
        instance=AreaIndexPage(title="Châu Đốc", slug="chau-doc", former_district="Thành phố Châu Đốc")
    )
    showroom = make_showroom(name="Điểm OCOP Châu Đốc")
    page = area.add_child(instance=ShowroomPage(showroom=showroom, title=showroom.name, slug=showroom.code))
    english_index = translate(index, title="OCOP showrooms", slug="ocop-showrooms")
    english_area = translate(area, title="Chau Doc", slug="chau-doc")
    english_page = translate(page, title="Chau Doc OCOP showroom", slug=showroom.code)
    return (index, english_index), (area, english_area), (page, english_page)


def _showroom_index(client):
    (index, english), _area, _page = _showrooms()
    return index.url, english.url


def _showroom_area(client):
    _index, (area, english), _page = _showrooms()
    return area.url, english.url


def _showroom_page(client):
    _index, _area, (page, english) = _showrooms()
    return page.url, english.url


def _product(client):
    url = make_certified_product(title="Mắm cá linh Châu Đốc").get_absolute_url()
    return url, "/en" + url


def _listing(client):
    make_certified_product()
    return "/shop/catalogue/", "/en/shop/catalogue/"


def _basket(client):
    basket_add(client, make_certified_product())
    return "/shop/basket/", "/en/shop/basket/"


def _checkout(client):
    basket_add(client, make_certified_product())
    return "/shop/checkout/", "/en/shop/checkout/"


def _live_schedule(client):
    return "/live/", "/en/live/"


def _producer(client):
    producer = make_producer(name="HTX Mắm Châu Đốc", kind="cooperative")
    make_certified_product(producer=producer)
    url = producer.get_absolute_url()
    return url, "/en" + url


PAGE_TYPES = {
    "home": _home, "story index": _story_index, "story": _story, "standard page": _standard_page,
    "showroom index": _showroom_index, "showroom area": _showroom_area, "showroom page": _showroom_page,
    "product page": _product, "catalogue listing": _listing, "basket": _basket, "checkout": _checkout,
    "live schedule": _live_schedule, "producer profile": _producer,
}


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_each_page_type_renders_in_both_languages(client, kind):
    with translation.override("vi"):
        vietnamese_url, english_url = PAGE_TYPES[kind](client)
    assert english_url.startswith("/en/") and not vietnamese_url.startswith("/en/")

    vietnamese = client.get(vietnamese_url)
    english = client.get(english_url)

    page = read(vietnamese)
    assert page.html_lang == "vi"
    assert "Giỏ hàng" in vietnamese.content.decode()
    assert page.switch["en"]["href"].split("?")[0] == english_url and current(vietnamese) == ["vi"]

    page = read(english)
    assert page.html_lang == "en"
    html = english.content.decode()
    assert "Basket" in html and "Giỏ hàng" not in html
    assert page.switch["vi"]["href"].split("?")[0] == vietnamese_url and current(english) == ["en"]


def test_a_path_that_names_another_host_never_becomes_a_link_to_it():
    """A request for "//evil.example/shop/catalogue/" (a path here, which no view answers) must never print
    "//evil.example/…", which a browser reads as another site's address: the switcher offers the homes."""
    request = RequestFactory().get("/")
    request.path = request.path_info = "//evil.example/shop/catalogue/"
    request.META["QUERY_STRING"] = "x=1"
    alternates = language_alternates(request)
    assert [(a.url, a.exists) for a in alternates] == [("/", False), ("/en/", False)]
    assert request_path(request).startswith("/%2F")

"""Every page says what it is: a title, a meta description, a canonical URL, and OpenGraph tags (with absolute
image URLs) for the pages people share: products and stories."""

import pytest
from django.conf import settings

from catalogue.models import Product
from cms.models import StoryPage
from tests.support.catalogue import make_certified_product, make_producer, make_product
from tests.support.cms import make_image, make_standard_page, make_story, story_index, translate
from tests.support.showrooms import make_showroom

from .conftest import add_area, add_product_photo, add_showroom_page, read_head

pytestmark = pytest.mark.django_db

BASE = "http://testserver/"
TAGLINE = str(settings.OSCAR_SHOP_TAGLINE)


def _story_index_url(home):
    return story_index(home).url


PAGE_BUILDERS = {
    "home": lambda home, index: "/",
    "story index": lambda home, index: _story_index_url(home),
    "story": lambda home, index: make_story(title="Đường thốt nốt Tri Tôn").url,
    "standard page": lambda home, index: make_standard_page(home=home, intro="Giao hàng toàn quốc.").url,
    "showroom index": lambda home, index: index.url,
    "area": lambda home, index: add_area(index).url,
    "showroom": lambda home, index: add_showroom_page(add_area(index), make_showroom(name="Điểm OCOP Núi Sam")).url,
    "product": lambda home, index: make_certified_product(title="Mắm cá linh Châu Đốc").get_absolute_url(),
    "uncertified product": lambda home, index: make_product(title="Mắm chưa chứng nhận").get_absolute_url(),
    "catalogue": lambda home, index: "/shop/catalogue/",
    "search": lambda home, index: "/shop/search/?q=mam",
    "basket": lambda home, index: "/shop/basket/",
    "producer": lambda home, index: make_producer(name="HTX Mắm Châu Đốc").get_absolute_url(),
    "livestream": lambda home, index: "/live/",
}


@pytest.mark.parametrize("kind", list(PAGE_BUILDERS))
def test_every_page_type_has_a_title_description_canonical_and_open_graph(client, home, showroom_index, kind):
    url = PAGE_BUILDERS[kind](home, showroom_index)

    head = read_head(client.get(url))

    assert head.title.strip(), kind
    assert head.first("description").strip(), kind
    assert len(head.first("description")) <= 160
    assert head.canonical().startswith(BASE), "the canonical URL is absolute"
    assert head.first("og:title") and head.first("og:description") and head.first("og:site_name")
    assert head.first("og:url") == head.canonical()
    assert head.first("og:locale") == "vi_VN"
    assert head.first("twitter:card") in {"summary", "summary_large_image"}


def test_wagtail_description_falls_back_from_meta_description_to_search_description_to_tagline(client, home):
    with_intro = make_standard_page(home=home, slug="gioi-thieu", intro="Chương trình OCOP An Giang.")
    with_search = make_standard_page(home=home, slug="dieu-khoan", intro="Điều khoản mua bán.",
                                     search_description="Điều khoản mua bán hàng OCOP trên sàn.")
    bare = make_standard_page(home=home, slug="trang-trong")

    assert read_head(client.get(with_intro.url)).first("description") == "Chương trình OCOP An Giang."
    assert read_head(client.get(with_search.url)).first("description") == "Điều khoản mua bán hàng OCOP trên sàn."
    assert read_head(client.get(bare.url)).first("description") == TAGLINE
    story = make_story(summary="Cá linh về theo con nước.")
    assert read_head(client.get(story.url)).first("og:description") == "Cá linh về theo con nước."


def test_product_description_is_plain_short_text(client):
    product = make_certified_product(title="Khô cá lóc")
    Product.objects.filter(pk=product.pk).update(
        description="<p>Cá lóc đồng &amp; muối hột,</p><script>alert(1)</script><p>"
        + "phơi nắng ba ngày. " * 20 + "</p>"
    )

    head = read_head(client.get(product.get_absolute_url()))

    description = head.first("description")
    assert description.startswith("Cá lóc đồng & muối hột, ")
    assert "<" not in description and "&amp;" not in description and "alert" not in description
    assert len(description) <= 160 and description.endswith("…")


def test_product_without_description_is_described_by_its_rating_and_producer(client):
    product = make_certified_product(title="Trà khổ qua rừng", stars=5,
                                     producer=make_producer(name="HTX Trà Thất Sơn"))

    head = read_head(client.get(product.get_absolute_url()))

    assert head.first("description") == "Trà khổ qua rừng: sản phẩm OCOP 5 sao của HTX Trà Thất Sơn."
    assert head.title.startswith("Trà khổ qua rừng")


def test_product_page_open_graph_is_a_product_with_its_photo(client):
    product = make_certified_product(title="Mắm cá linh Châu Đốc")
    add_product_photo(product, caption="Hũ mắm cá linh 500 g")

    head = read_head(client.get(product.get_absolute_url()))

    assert head.first("og:type") == "product"
    assert head.first("og:title") == "Mắm cá linh Châu Đốc"
    assert head.first("og:url") == BASE + product.get_absolute_url().lstrip("/")
    image = head.first("og:image")
    assert image.startswith(BASE) and image.endswith(".jpg"), image
    assert head.first("og:image:width") == "1200" and head.first("og:image:height") == "900"
    assert head.first("og:image:alt") == "Hũ mắm cá linh 500 g"
    assert head.first("twitter:card") == "summary_large_image"


def test_product_without_photo_has_no_image_and_a_small_card(client):
    head = read_head(client.get(make_certified_product().get_absolute_url()))

    assert head.first("og:type") == "product"
    assert not head.all("og:image")
    assert head.first("twitter:card") == "summary"


def test_story_page_open_graph_is_an_article_with_a_social_size_hero(client):
    story = make_story(title="Mắm cá linh mùa nước nổi", hero_image=make_image(size=(2000, 1400)))

    head = read_head(client.get(story.url))

    assert head.first("og:type") == "article"
    assert head.first("og:title") == "Mắm cá linh mùa nước nổi"
    image = head.first("og:image")
    assert image.startswith(BASE + "media/") and "fill-1200x630" in image and image.endswith(".jpg"), image
    assert head.first("og:image:width") == "1200" and head.first("og:image:height") == "630"
    assert head.first("og:image:type") == "image/jpeg"
    assert head.first("og:image:alt") == "Cá linh phơi trên nong tre"
    assert head.first("article:published_time")
    assert head.first("twitter:card") == "summary_large_image"


def test_story_seo_title_is_the_og_title(client):
    story = make_story(title="Mắm cá linh")
    StoryPage.objects.filter(pk=story.pk).update(seo_title="Mắm cá linh Châu Đốc: cách ủ mùa nước nổi")

    head = read_head(client.get(story.url))

    assert head.first("og:title") == "Mắm cá linh Châu Đốc: cách ủ mùa nước nổi"
    assert head.title.startswith("Mắm cá linh Châu Đốc: cách ủ mùa nước nổi")


def test_english_page_is_en_us_with_alternates_in_both_languages(client, home):
    story = make_story(title="Mắm cá linh", slug="mam-ca-linh")
    english = translate(story, title="Linh fish sauce", slug="linh-fish-sauce", summary="Fish from the flood season.")

    head = read_head(client.get(english.url))

    assert english.url.startswith("/en/")
    assert head.first("og:locale") == "en_US"
    assert head.all("og:locale:alternate") == ["vi_VN"]
    assert head.first("description") == "Fish from the flood season."
    assert head.canonical() == BASE + english.url.lstrip("/")
    alternates = head.hreflangs()
    assert alternates["en"] == BASE + english.url.lstrip("/")
    assert alternates["vi"] == BASE + story.url.lstrip("/")
    assert alternates["x-default"] == alternates["vi"]


def test_untranslated_page_has_no_english_alternate(client):
    story = make_story(title="Chỉ có tiếng Việt", slug="chi-tieng-viet")

    head = read_head(client.get(story.url))

    assert "en" not in head.hreflangs()
    assert head.hreflangs().get("vi") == BASE + story.url.lstrip("/")
    assert not head.all("og:locale:alternate")


def test_product_page_has_alternates_in_both_languages(client):
    product = make_certified_product()

    head = read_head(client.get(product.get_absolute_url()))

    path = product.get_absolute_url().lstrip("/")
    assert head.hreflangs() == {"vi": BASE + path, "en": BASE + "en/" + path, "x-default": BASE + path}


def test_listing_canonical_keeps_the_page_number_and_drops_other_parameters(client):
    head = read_head(client.get("/shop/catalogue/?page=1&utm_source=zalo"))
    assert head.canonical() == BASE + "shop/catalogue/"


def test_head_meta_renders_without_a_request():
    from django.template.loader import render_to_string

    html = render_to_string("shop/partials/head_meta.html", {})

    assert 'property="og:title"' in html and "canonical" not in html

"""Product story pages over HTTP: the products a story names are read from the catalogue at render time (current
price, stars, availability, a basket form only while certified); a story lists under its producer and on its
products' pages, in the reader's language; drafts and private stories stay out of sight; lists cost a constant
number of queries."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model
from wagtail.models import PageViewRestriction

from catalogue.models import Product, ProductCategory
from tests.support.catalogue import certify, make_certified_product, make_producer
from tests.support.cms import make_image, make_story, story_index, translate

from tests.functional.cms.helpers import main_html, product_card_list, product_cards, section, story_links, story_titles

pytestmark = pytest.mark.django_db
Basket = get_model("basket", "Basket")
StockRecord = get_model("partner", "StockRecord")


def add_url(product) -> str:
    return f"/shop/basket/add/{product.pk}/"


# ---------------------------------------------------------------- the story's product cards
def test_a_story_card_reads_the_current_price_stars_and_availability_at_render_time(client):
    product = make_certified_product(title="Mắm cá linh Châu Đốc", price=Decimal("120000"), stars=5)
    story = make_story(products=[product])

    card = product_cards(main_html(client.get(story.url)))["Mắm cá linh Châu Đốc"]
    assert "120.000\xa0₫" in card
    assert "OCOP 5★" in card
    assert f'<form method="post" action="{add_url(product)}">' in card and "Thêm vào giỏ" in card

    StockRecord.objects.filter(product=product).update(price=Decimal("250000"))

    card = product_cards(main_html(client.get(story.url)))["Mắm cá linh Châu Đốc"]
    assert "250.000\xa0₫" in card, "the page stores no copy of the price"
    assert "120.000" not in card


def test_a_certified_product_out_of_stock_says_so_and_has_no_button(client):
    product = make_certified_product(title="Đường thốt nốt Tri Tôn", stock=0)
    story = make_story(products=[product])

    card = product_cards(main_html(client.get(story.url)))["Đường thốt nốt Tri Tôn"]
    assert 'data-testid="unavailable"' in card
    assert add_url(product) not in card and 'data-testid="not-for-sale"' not in card


@pytest.mark.parametrize("state", ["never", "expired", "revoked"])
def test_an_uncertified_product_keeps_its_card_says_not_for_sale_and_has_no_button(client, uncertified_products,
                                                                                    state):
    product = uncertified_products[state]
    certified = make_certified_product(title="Mắm cá linh Châu Đốc")
    story = make_story(products=[product, certified],
                       body=[("paragraph", "<p>Chuyện làng nghề.</p>"),
                             ("products", {"heading": "Trong câu chuyện", "products": [product]})])

    html = main_html(client.get(story.url))
    cards = product_cards(html)

    assert [title for title, _card in product_card_list(html)] == [product.title, "Mắm cá linh Châu Đốc"], (
        "the block's card, then the story's other product (a product the body already shows is not repeated)"
    )
    card = cards[product.title]
    assert 'data-testid="not-for-sale"' in card and "Không bán" in card
    assert "<form" not in card and "Thêm vào giỏ" not in card
    assert "₫" not in card, "no price for what is not for sale"
    assert html.count(add_url(product)) == 0
    assert add_url(certified) in cards["Mắm cá linh Châu Đốc"]


@pytest.mark.parametrize("state", ["never", "expired", "revoked"])
def test_a_crafted_basket_add_of_an_uncertified_story_product_is_refused(client, uncertified_products, state):
    product = uncertified_products[state]
    make_story(products=[product])

    response = client.post(add_url(product), {"quantity": 1}, follow=True)

    assert response.context["request"].basket.num_lines == 0
    assert not Basket.objects.filter(lines__product=product).exists()


# ---------------------------------------------------------------- where stories are listed
def test_a_story_lists_under_its_producer_and_on_its_products_pages(client):
    producer = make_producer(name="HTX Mắm Châu Đốc", code="htx-mam-chau-doc")
    jar = make_certified_product(title="Mắm cá linh hũ 500g", producer=producer)
    other = make_certified_product(title="Khô cá sặc", producer=producer)
    story = make_story(title="Mắm cá linh mùa nước nổi", producer=producer, products=[jar])

    profile = main_html(client.get(producer.get_absolute_url()))
    assert story_titles(section(profile, "producer-stories")) == ["Mắm cá linh mùa nước nổi"]
    assert story_links(profile) == [story.url]
    assert "Mắm cá linh hũ 500g" in product_cards(profile), "beside its certified products"

    assert story_titles(section(main_html(client.get(jar.get_absolute_url())), "product-stories")) == [
        "Mắm cá linh mùa nước nổi"
    ]
    assert 'data-testid="product-stories"' not in main_html(client.get(other.get_absolute_url()))


def test_a_variant_lists_the_stories_of_its_parent(client):
    producer = make_producer()
    product_set = make_certified_product().ocop_product_set
    parent = Product.objects.create(
        title="Mắm cá linh (các cỡ hũ)", upc="TEST-PARENT-1", structure=Product.PARENT,
        product_class=product_set.group.product_class, ocop_product_set=product_set, producer=producer,
    )
    ProductCategory.objects.create(product=parent, category=product_set.category)
    certify(parent)
    variant = Product.objects.create(title="Mắm cá linh hũ 1kg", upc="TEST-CHILD-1", structure=Product.CHILD,
                                     parent=parent, producer=producer)
    StockRecord.objects.create(product=variant, partner=producer, partner_sku="TEST-CHILD-1", price_currency="VND",
                               price=Decimal("300000"), num_in_stock=5, num_allocated=0)
    make_story(title="Câu chuyện hũ mắm", products=[parent])
    make_story(title="Câu chuyện hũ 1kg", products=[variant])

    html = main_html(client.get(variant.get_absolute_url()))

    assert sorted(story_titles(section(html, "product-stories"))) == ["Câu chuyện hũ 1kg", "Câu chuyện hũ mắm"]


def test_a_draft_an_unpublished_and_a_private_story_are_never_listed_nor_readable(client):
    producer = make_producer()
    product = make_certified_product(producer=producer)
    live = make_story(title="Câu chuyện đã đăng", producer=producer, products=[product], slug="da-dang")
    draft = make_story(title="Câu chuyện bản nháp", producer=producer, products=[product], slug="ban-nhap",
                       live=False)
    withdrawn = make_story(title="Câu chuyện đã gỡ", producer=producer, products=[product], slug="da-go")
    withdrawn.unpublish()
    private = make_story(title="Câu chuyện riêng tư", producer=producer, products=[product], slug="rieng-tu")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    index = story_index()

    for url in (index.url, producer.get_absolute_url(), product.get_absolute_url(), "/"):
        assert story_titles(main_html(client.get(url))) == ["Câu chuyện đã đăng"], url

    assert client.get(live.url).status_code == 200
    assert client.get("/cau-chuyen/ban-nhap/").status_code == 404
    assert client.get("/cau-chuyen/da-go/").status_code == 404
    response = client.get("/cau-chuyen/rieng-tu/")
    assert response.status_code == 302 and "/login" in response["Location"], "the public is sent to sign in"
    assert "Câu chuyện riêng tư" not in response.content.decode()
    assert draft.pk and withdrawn.pk


# ---------------------------------------------------------------- the reader's language
def test_stories_show_in_the_readers_language_never_both(client):
    producer = make_producer()
    product = make_certified_product(producer=producer)
    translated = make_story(title="Mắm cá linh mùa nước nổi", producer=producer, products=[product], slug="mam-ca-linh")
    untranslated = make_story(title="Đường thốt nốt Tri Tôn", producer=producer, products=[product], slug="duong")
    english = translate(translated, title="Linh fish sauce in the flood season",
                        summary="Linh fish come with the flood and are fermented the old way.")
    index_en = english.get_parent()
    vietnamese_urls = (producer.get_absolute_url(), product.get_absolute_url(), story_index().url)

    for url in (f"/en{producer.get_absolute_url()}", f"/en{product.get_absolute_url()}", index_en.url):
        html = main_html(client.get(url))
        assert sorted(story_titles(html)) == ["Linh fish sauce in the flood season", "Đường thốt nốt Tri Tôn"], url
        assert english.url in story_links(html) and untranslated.url in story_links(html), url
        assert translated.url not in story_links(html), url

    for url in vietnamese_urls:
        assert not url.startswith("/en/")
        html = main_html(client.get(url))
        assert sorted(story_titles(html)) == ["Mắm cá linh mùa nước nổi", "Đường thốt nốt Tri Tôn"], url
        assert "Linh fish sauce" not in html, url

    assert english.url.startswith("/en/")
    assert "Linh fish sauce in the flood season" in main_html(client.get(english.url))


# ---------------------------------------------------------------- the video block
@pytest.mark.usefixtures("uncached")
def test_the_video_block_renders_a_link_and_no_frame_until_pressed(client):
    story = make_story(body=[("video", {"url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                                        "title": "Làm mắm cá linh", "caption": "Mùa nước nổi"})])

    html = client.get(story.url).content.decode()

    assert "<iframe" not in html
    link = re.search(r'<a class="story-video__play"[^>]*>', html).group(0)
    assert 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in link
    assert 'data-embed-url="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in link
    assert "Xem video: Làm mắm cá linh" in html
    assert '<script src="/static/cms/video.js" defer></script>' in html


# ---------------------------------------------------------------- query counts
def _queries(client, url) -> int:
    client.get(url)  # warm: renditions are made on the first view, caches filled
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.usefixtures("uncached")
def test_the_story_index_costs_the_same_queries_for_2_or_12_stories(client):
    index = story_index()
    counts = []
    for total in (2, 12):
        while len(story_titles(main_html(client.get(index.url)))) < total:
            n = len(story_titles(main_html(client.get(index.url))))
            make_story(title=f"Câu chuyện {n}", slug=f"cau-chuyen-{n}", producer=make_producer(),
                       hero_image=make_image(f"Ảnh {n}"), products=[make_certified_product()])
        assert len(story_titles(main_html(client.get(index.url)))) == total
        counts.append(_queries(client, index.url))
    assert counts[0] == counts[1], counts


@pytest.mark.usefixtures("uncached")
def test_a_story_costs_the_same_queries_for_2_or_8_product_cards(client):
    producer = make_producer()
    counts = []
    for size in (2, 8):
        products = [make_certified_product(producer=producer) for _n in range(size)]
        in_body = products[: size // 2]  # the body's block shows half; the story's own section the rest
        story = make_story(title=f"Câu chuyện {size} sản phẩm", slug=f"cau-chuyen-{size}", producer=producer,
                           products=products, hero_image=make_image(),
                           body=[("paragraph", "<p>Chuyện.</p>"), ("products", {"heading": "", "products": in_body})])
        assert len(product_card_list(main_html(client.get(story.url)))) == size
        counts.append(_queries(client, story.url))
    assert counts[0] == counts[1], counts

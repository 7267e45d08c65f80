"""The home page's sections and the area pages over HTTP: blocks that pick products automatically list only
certified ones; live sessions, areas with their showroom counts and the latest stories render; an area page lists
the certified products and the stories of producers based in its communes; producer profiles and area pages cost a
constant number of queries."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.services import site_structure_ensure
from showrooms.pages import AreaIndexPage, ShowroomIndexPage, ShowroomPage
from tests.functional.cms.helpers import main_html, product_card_list, product_cards, section, story_titles
from tests.support.catalogue import make_certified_product, make_producer, make_product
from tests.support.cms import make_image, make_story, translate
from tests.support.livestream import make_host, make_session, take_live
from tests.support.showrooms import an_giang_commune, make_showroom

pytestmark = pytest.mark.django_db


def set_home(*sections):
    home = site_structure_ensure()
    home.body = list(sections)
    home.save_revision().publish()
    return home


def blocks_by_heading(html: str) -> dict[str, list[str]]:
    """Each product block on the page: its heading → the titles of its cards."""
    found = {}
    for body in re.findall(r'data-testid="product-cards-block">(.*?)</section>', html, re.S):
        heading = unescape(re.search(r"<h2>([^<]*)</h2>", body).group(1))
        found[heading] = [title for title, _card in product_card_list(body)]
    return found


# ---------------------------------------------------------------- automatic product blocks
def test_automatic_blocks_on_the_home_page_never_show_an_uncertified_product(client, uncertified_products):
    certified = make_certified_product(title="Mắm cá linh Châu Đốc", group=1)
    drink = make_certified_product(title="Rượu nếp Núi Sam", group=2)
    hidden = make_certified_product(title="Sản phẩm đã ẩn", is_public=False)
    uncertified = list(uncertified_products.values())
    set_home(
        ("staff_picks", {"heading": "Chọn lọc", "products": [*uncertified, certified, hidden, drink]}),
        ("newest_certified", {"heading": "Mới chứng nhận", "count": 24}),
        ("group_products", {"heading": "Nhóm thực phẩm", "group": "1", "count": 24}),
    )

    html = main_html(client.get("/"))
    found = blocks_by_heading(html)

    assert found["Chọn lọc"] == ["Mắm cá linh Châu Đốc", "Rượu nếp Núi Sam"], "certified picks, in the editor's order"
    assert sorted(found["Mới chứng nhận"]) == ["Mắm cá linh Châu Đốc", "Rượu nếp Núi Sam"]
    assert found["Nhóm thực phẩm"] == ["Mắm cá linh Châu Đốc"]
    for product in [*uncertified, hidden]:
        assert product.title not in html
    assert 'data-testid="not-for-sale"' not in html
    for title, card in product_cards(html).items():
        assert 'action="/shop/basket/add/' in card, title


def test_a_product_losing_its_certificate_leaves_the_home_page_blocks(client):
    from catalogue.certification import ocop_today
    from catalogue.models import Certificate

    product = make_certified_product(title="Khô cá sặc Tri Tôn")
    set_home(("staff_picks", {"heading": "Chọn lọc", "products": [product]}),
             ("newest_certified", {"heading": "Mới chứng nhận", "count": 8}),
             ("group_products", {"heading": "Nhóm thực phẩm", "group": "1", "count": 8}))
    assert "Khô cá sặc Tri Tôn" in main_html(client.get("/"))

    Certificate.objects.filter(product=product).update(revoked_on=ocop_today(), revocation_reason="Không đạt")

    assert "Khô cá sặc Tri Tôn" not in main_html(client.get("/"))


# ---------------------------------------------------------------- the home page's other sections
@pytest.fixture
def areas():
    """Châu Đốc (two open showrooms and a closed one) and Long Xuyên (one), with their pages."""
    home = site_structure_ensure()
    index = home.add_child(instance=ShowroomIndexPage(title="Điểm bán OCOP", slug="diem-ban-ocop"))
    chau_doc = index.add_child(instance=AreaIndexPage(title="Châu Đốc", slug="chau-doc",
                                                      former_district="Thành phố Châu Đốc"))
    long_xuyen = index.add_child(instance=AreaIndexPage(title="Long Xuyên", slug="long-xuyen",
                                                        former_district="Thành phố Long Xuyên"))
    for area, showroom in [
        (chau_doc, make_showroom(name="Điểm OCOP Châu Đốc")),
        (chau_doc, make_showroom(name="Điểm OCOP Núi Sam")),
        (chau_doc, make_showroom(name="Điểm OCOP đã đóng", is_active=False)),
        (long_xuyen, make_showroom(name="Điểm OCOP Long Xuyên", area=an_giang_commune("Long Xuyên"))),
    ]:
        area.add_child(instance=ShowroomPage(title=showroom.name, slug=showroom.code, showroom=showroom))
    return {"index": index, "chau_doc": chau_doc, "long_xuyen": long_xuyen}


def area_counts(html: str) -> dict[str, int]:
    block = section(html, "home-areas")
    return {unescape(name): int(count) for name, count in re.findall(
        r'class="area-tile__name">([^<]+)</span>\s*<span class="area-tile__count">(\d+)', block)}


def test_home_sections_live_sessions_areas_with_showroom_counts_and_latest_stories(client, django_user_model, areas):
    host = make_host(django_user_model)
    product = make_certified_product(title="Gạo Nàng Nhen")
    on_air = make_session(host=host, products=[product], title="Chợ phiên đang phát")
    take_live(on_air)
    make_session(host=host, products=[product], title="Chợ phiên tuần sau")
    for n in range(4):
        make_story(title=f"Câu chuyện số {n}", slug=f"cau-chuyen-{n}", products=[product])
    set_home(("live_sessions", {"heading": "Livestream bán hàng", "count": 3}),
             ("showroom_areas", {"heading": "Điểm bán theo khu vực"}),
             ("latest_stories", {"heading": "Câu chuyện sản phẩm", "count": 3}))

    html = main_html(client.get("/"))

    live = section(html, "home-live")
    assert "Chợ phiên đang phát" in live and "Chợ phiên tuần sau" in live
    assert area_counts(html) == {"Châu Đốc": 2, "Long Xuyên": 1}, "open showrooms only"
    stories = section(html, "home-stories")
    assert story_titles(stories) == ["Câu chuyện số 3", "Câu chuyện số 2", "Câu chuyện số 1"], "newest three"
    assert 'href="/cau-chuyen/"' in stories, "a link to every story"


def test_an_english_area_counts_showrooms_whose_pages_are_not_translated_yet(client, areas):
    set_home(("showroom_areas", {"heading": "Điểm bán theo khu vực"}))
    translate(areas["chau_doc"], title="Chau Doc")  # its parents too; the showroom pages stay Vietnamese

    assert area_counts(main_html(client.get("/en/"))) == {"Chau Doc": 2, "Long Xuyên": 1}
    assert area_counts(main_html(client.get("/"))) == {"Châu Đốc": 2, "Long Xuyên": 1}


# ---------------------------------------------------------------- area pages
@pytest.mark.usefixtures("uncached")
def test_an_area_page_lists_the_certified_products_and_stories_of_its_producers(client, areas, uncertified_products):
    chau_doc_producer = make_producer(name="HTX Mắm Châu Đốc", area=an_giang_commune("Châu Đốc"))
    vinh_te_producer = make_producer(name="Hộ Vĩnh Tế", area=an_giang_commune("Vĩnh Tế"))
    long_xuyen_producer = make_producer(name="HTX Long Xuyên", area=an_giang_commune("Long Xuyên"))
    make_certified_product(title="Mắm cá linh Châu Đốc", producer=chau_doc_producer)
    make_certified_product(title="Khô cá Vĩnh Tế", producer=vinh_te_producer)
    make_certified_product(title="Bánh phồng Long Xuyên", producer=long_xuyen_producer)
    make_product(title="Mắm chưa chứng nhận", producer=chau_doc_producer)
    make_story(title="Mùa cá linh", slug="mua-ca-linh", producer=chau_doc_producer)
    make_story(title="Bánh phồng Long Xuyên", slug="banh-phong", producer=long_xuyen_producer)
    make_story(title="Bản nháp Châu Đốc", slug="ban-nhap", producer=chau_doc_producer, live=False)

    html = main_html(client.get(areas["chau_doc"].url))

    products = section(html, "area-products")
    assert sorted(product_cards(products)) == ["Khô cá Vĩnh Tế", "Mắm cá linh Châu Đốc"]
    assert "Mắm chưa chứng nhận" not in html and "Bánh phồng Long Xuyên" not in html
    assert story_titles(section(html, "area-stories")) == ["Mùa cá linh"]
    assert "Điểm OCOP Châu Đốc" in html, "its showrooms still listed"

    html = main_html(client.get(areas["long_xuyen"].url))
    assert list(product_cards(section(html, "area-products"))) == ["Bánh phồng Long Xuyên"]
    assert story_titles(section(html, "area-stories")) == ["Bánh phồng Long Xuyên"]


# ---------------------------------------------------------------- query counts
def _queries(client, url) -> int:
    client.get(url)  # warm: renditions made, caches filled
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _grow(producer, *, products: int, stories: int):
    for _n in range(products):
        make_certified_product(producer=producer)
    for n in range(stories):
        make_story(title=f"Câu chuyện {producer.pk}-{n}", slug=f"cau-chuyen-{producer.pk}-{n}", producer=producer,
                   hero_image=make_image(f"Ảnh {n}"))


@pytest.mark.usefixtures("uncached")
def test_a_producer_profile_costs_the_same_queries_at_two_sizes(client):
    counts = []
    for products, stories in ((2, 1), (8, 6)):
        producer = make_producer()
        _grow(producer, products=products, stories=stories)
        html = main_html(client.get(producer.get_absolute_url()))
        assert len(product_cards(html)) == products and len(story_titles(html)) == stories
        counts.append(_queries(client, producer.get_absolute_url()))
    assert counts[0] == counts[1], counts


@pytest.mark.usefixtures("uncached")
def test_an_area_page_costs_the_same_queries_at_two_sizes(client, areas):
    counts = []
    for area, commune, (products, stories) in (
        (areas["chau_doc"], "Châu Đốc", (2, 1)),
        (areas["long_xuyen"], "Long Xuyên", (8, 5)),
    ):
        producers = [make_producer(area=an_giang_commune(commune)) for _n in range(2)]
        _grow(producers[0], products=products // 2, stories=stories // 2 or 1)
        _grow(producers[1], products=products - products // 2, stories=stories - (stories // 2 or 1))
        html = main_html(client.get(area.url))
        assert len(product_cards(section(html, "area-products"))) == products
        assert len(story_titles(section(html, "area-stories"))) == stories
        counts.append(_queries(client, area.url))
    assert counts[0] == counts[1], counts


@pytest.mark.usefixtures("uncached")
def test_the_home_page_costs_the_same_queries_at_two_sizes(client, django_user_model, areas):
    host = make_host(django_user_model)
    picks = []
    set_home(("staff_picks", {"heading": "Chọn lọc", "products": []}),
             ("newest_certified", {"heading": "Mới chứng nhận", "count": 24}),
             ("group_products", {"heading": "Nhóm thực phẩm", "group": "1", "count": 24}),
             ("live_sessions", {"heading": "Livestream bán hàng", "count": 12}),
             ("showroom_areas", {"heading": "Điểm bán theo khu vực"}),
             ("latest_stories", {"heading": "Câu chuyện sản phẩm", "count": 12}))
    counts = []
    for size in (1, 5):
        while len(picks) < size:
            n = len(picks)
            product = make_certified_product(title=f"Sản phẩm {n}", producer=make_producer())
            picks.append(product)
            make_session(host=host, products=[product], title=f"Phiên sắp tới {n}")
            make_story(title=f"Câu chuyện {n}", slug=f"cau-chuyen-{n}", producer=product.producer, products=[product],
                       hero_image=make_image(f"Ảnh {n}"))
        home = site_structure_ensure()
        home.body[0].value["products"] = list(picks)
        home.save_revision().publish()
        html = main_html(client.get("/"))
        assert blocks_by_heading(html)["Chọn lọc"] == [p.title for p in picks]
        assert len(story_titles(section(html, "home-stories"))) == size
        assert section(html, "home-live").count('data-testid="live-session"') == size
        counts.append(_queries(client, "/"))
    assert counts[0] == counts[1], counts


@pytest.mark.usefixtures("uncached")
def test_a_product_page_costs_the_same_queries_for_1_or_4_stories(client):
    product = make_certified_product()
    counts = []
    for total in (1, 4):
        while len(story_titles(main_html(client.get(product.get_absolute_url())))) < total:
            n = len(story_titles(main_html(client.get(product.get_absolute_url()))))
            make_story(title=f"Câu chuyện {n}", slug=f"cau-chuyen-{n}", producer=make_producer(), products=[product],
                       hero_image=make_image(f"Ảnh {n}"))
        counts.append(_queries(client, product.get_absolute_url()))
    assert counts[0] == counts[1], counts

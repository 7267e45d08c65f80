"""The Wagtail storefront pages stay within a query budget: the showroom index, an area page (with and without its
products and stories), a showroom page, a story page and the home page each cost the same number of queries at two
sizes, never more than ``BUDGET``, rendered with the page and fragment caches off, and still show their content.

A page is measured on its second request, as in tests/functional/test_list_query_counts.py: the first settles the
session, the basket and the caches (menus, site root paths). The cheaper reads behind the budget (one read for all of
a page's product blocks, routing in two queries, view restrictions and ancestors read once) are checked for what
they must still get right: each block's pick and order, private pages, 404s, breadcrumbs."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.services import site_structure_ensure
from tests.functional.cms.helpers import main_html, product_cards, story_titles
from tests.support.catalogue import make_certified_product, make_producer
from tests.support.cms import home_with_every_section, make_image, make_story
from tests.support.livestream import make_host, make_session
from tests.support.showrooms import an_giang_commune, make_showroom, stock_shelf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached")]
BUDGET = 20


def measure(client, url: str):
    """The second request's queries and its response."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return [q["sql"] for q in captured.captured_queries], response


def listed(queries) -> str:
    return "\n".join(re.sub(r"^SELECT .*? FROM ", "SELECT … FROM ", q)[:300] for q in queries)


def assert_budget(counts: dict[int, list[str]], url) -> None:
    """Every size costs the same number of queries, at most BUDGET."""
    sizes = sorted(counts)
    numbers = [len(counts[size]) for size in sizes]
    print(f"\nBUDGET {url} " + " ".join(f"{s}:{n}" for s, n in zip(sizes, numbers)))  # noqa: T201
    assert len(set(numbers)) == 1, f"{url}: {dict(zip(sizes, numbers))}:\n" + listed(counts[sizes[-1]])
    assert numbers[-1] <= BUDGET, f"{url}: {numbers[-1]} queries:\n" + listed(counts[sizes[-1]])


# ---------------------------------------------------------------- the pages
@pytest.fixture
def showroom_index():
    from showrooms.pages import ShowroomIndexPage

    return site_structure_ensure().add_child(instance=ShowroomIndexPage(title="Điểm bán OCOP", slug="diem-ban"))


@pytest.fixture
def area(showroom_index):
    from showrooms.pages import AreaIndexPage

    return showroom_index.add_child(instance=AreaIndexPage(title="Châu Đốc", slug="khu-vuc",
                                                           former_district="Thành phố Châu Đốc"))


def showroom_page(area, i):
    from showrooms.pages import ShowroomPage

    showroom = make_showroom(name=f"Điểm OCOP số {i:02d}", area=an_giang_commune("Châu Đốc"))
    area.add_child(instance=ShowroomPage(title=showroom.name, slug=showroom.code, showroom=showroom))
    return showroom


def with_photo(product):
    import io

    from django.core.files.base import ContentFile
    from oscar.core.loading import get_model
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 90), (200, 120, 40)).save(buffer, "JPEG")
    get_model("catalogue", "ProductImage").objects.create(
        product=product, original=ContentFile(buffer.getvalue(), name="anh.jpg"), display_order=0)
    return product


def test_the_showroom_index(client, showroom_index, area):
    made, counts = [], {}
    for size in (2, 12):
        made += [showroom_page(area, i) for i in range(len(made), size)]
        counts[size], response = measure(client, showroom_index.url)
        html = main_html(response)
        assert all(showroom.name in html for showroom in made)
        assert "Châu Đốc" in html  # the area's link
    assert_budget(counts, showroom_index.url)


def test_an_area_page_with_its_showrooms(client, area):
    made, counts = [], {}
    for size in (2, 12):
        made += [showroom_page(area, i) for i in range(len(made), size)]
        counts[size], response = measure(client, area.url)
        html = main_html(response)
        assert all(showroom.name in html for showroom in made)
        assert 'class="breadcrumb"' in html and "Điểm bán OCOP</a>" in html
    assert_budget(counts, area.url)


def test_an_area_page_with_its_products_and_stories(client, area):
    showroom_page(area, 0)
    products, counts = [], {}
    for size in (2, 12):
        for i in range(len(products), size):
            producer = make_producer(name=f"HTX Châu Đốc {i:02d}", area=an_giang_commune("Châu Đốc"))
            products.append(with_photo(make_certified_product(title=f"Mắm Châu Đốc {i:02d}", producer=producer)))
            make_story(title=f"Chuyện làng nghề {i:02d}", slug=f"chuyen-{i:02d}", producer=producer,
                       hero_image=make_image(f"Ảnh {i:02d}"))
        counts[size], response = measure(client, area.url)
        html = main_html(response)
        assert set(product_cards(html)) == {product.title for product in products}
        assert len(story_titles(html)) == min(size, 6)  # six stories at most
    assert_budget(counts, area.url)


def test_a_showroom_page_with_its_shelf(client, area):
    showroom = showroom_page(area, 0)
    page = showroom.pages.get()
    products, counts = [], {}
    for size in (2, 12):
        for i in range(len(products), size):
            product = with_photo(make_certified_product(title=f"Khô cá số {i:02d}"))
            stock_shelf(showroom, product, 5)
            products.append(product)
        counts[size], response = measure(client, page.url)
        html = main_html(response)
        assert all(product.title in html for product in products)
        assert showroom.name in html and 'class="breadcrumb"' in html and "Châu Đốc</a>" in html
    assert_budget(counts, page.url)


def test_a_story_page_with_its_product_cards(client):
    producer = make_producer()
    products = [with_photo(make_certified_product(title=f"Đường thốt nốt {i:02d}", producer=producer))
                for i in range(12)]
    counts = {}
    for size in (2, 12):
        story = make_story(title=f"Câu chuyện {size}", slug=f"cau-chuyen-{size}", producer=producer,
                           products=products[:size], hero_image=make_image())
        counts[size], response = measure(client, story.url)
        html = main_html(response)
        assert f"Câu chuyện {size}" in html
        assert set(product_cards(html)) == {product.title for product in products[:size]}
    assert_budget(counts, "story page")


def test_the_home_page_with_every_section(client, django_user_model, area):
    host = make_host(django_user_model)
    home_with_every_section()
    products, counts = [], {}
    for size in (2, 12):
        for i in range(len(products), size):
            product = with_photo(make_certified_product(title=f"Đặc sản số {i:02d}", group=1))
            make_session(host=host, products=[product], title=f"Phiên sắp tới {i:02d}")
            make_story(title=f"Chuyện làng nghề {i:02d}", slug=f"chuyen-{i:02d}", producer=product.producer,
                       products=[product], hero_image=make_image(f"Ảnh {i:02d}"))
            showroom_page(area, i)
            products.append(product)
        counts[size], response = measure(client, "/")
        html = main_html(response)
        assert set(product_cards(html)) == {product.title for product in products}
        assert sorted(story_titles(html)) == sorted(f"Chuyện làng nghề {i:02d}" for i in range(size))
        assert all(f"Phiên sắp tới {i:02d}" in html for i in range(size))
        assert "Châu Đốc" in html
    assert_budget(counts, "/")


# ---------------------------------------------------------------- what the cheaper reads still get right
def test_product_blocks_read_together_keep_each_blocks_pick_gate_and_order(client, uncertified_products):
    """The home page's product blocks are read in one go: each still shows its own pick, certified only, newest
    certified first (or in the editor's order for picks)."""
    import datetime as dt

    from catalogue.certification import ocop_today
    from tests.functional.cms.test_home_and_areas import blocks_by_heading
    from tests.support.catalogue import certify, make_product

    def certified(title, group, days_ago):
        product = make_product(title=title, group=group)
        certify(product, issued_on=ocop_today() - dt.timedelta(days=days_ago))
        return product

    certified("Gạo mới nhất", 1, 1)
    tea = certified("Trà nhóm 2", 2, 2)
    certified("Khô cá nhóm 1", 1, 3)
    certified("Mật ong nhóm 3", 3, 4)
    cake = certified("Bánh cũ nhóm 1", 1, 50)
    site = site_structure_ensure()
    site.body = [("staff_picks", {"heading": "Chọn lọc", "products": [cake, uncertified_products["never"], tea]}),
                 ("newest_certified", {"heading": "Mới chứng nhận", "count": 3}),
                 ("group_products", {"heading": "Nhóm thực phẩm", "group": "1", "count": 2}),
                 ("group_products", {"heading": "Nhóm quà", "group": "3", "count": 2})]
    site.save_revision().publish()

    found = blocks_by_heading(main_html(client.get("/")))

    assert found["Chọn lọc"] == ["Bánh cũ nhóm 1", "Trà nhóm 2"], "certified picks, in the editor's order"
    assert found["Mới chứng nhận"] == ["Gạo mới nhất", "Trà nhóm 2", "Khô cá nhóm 1"]
    assert found["Nhóm thực phẩm"] == ["Gạo mới nhất", "Khô cá nhóm 1"], "the group's newest two, not Bánh cũ"
    assert found["Nhóm quà"] == ["Mật ong nhóm 3"]


def test_a_showroom_page_under_an_area_behind_a_login_is_neither_served_nor_linked(client, showroom_index, area,
                                                                                   django_user_model):
    from wagtail.models import PageViewRestriction

    showroom = showroom_page(area, 0)
    page = showroom.pages.get()
    PageViewRestriction.objects.create(page=area, restriction_type=PageViewRestriction.LOGIN)

    for url in (page.url, area.url):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url
    index = main_html(client.get(showroom_index.url))
    assert showroom.name in index, "the showroom itself is listed"
    assert f'href="{page.url}"' not in index and f'href="{area.url}"' not in index, "its private pages are not"

    client.force_login(django_user_model.objects.create_user(email="khach@example.vn", password="pw-1234567"))
    assert showroom.name in main_html(client.get(page.url))


def test_routing_answers_404_for_a_missing_page_at_any_depth_and_for_a_draft(client, showroom_index, area):
    from showrooms.pages import ShowroomPage

    showroom = showroom_page(area, 0)
    page = showroom.pages.get()
    assert client.get(page.url).status_code == 200
    assert client.get(f"{area.url}khong-co/").status_code == 404
    assert client.get(f"{showroom_index.url}khong-co/{showroom.code}/").status_code == 404
    assert client.get(f"{page.url}thua/").status_code == 404

    ShowroomPage.objects.filter(pk=page.pk).update(live=False)
    assert client.get(page.url).status_code == 404


def test_the_breadcrumbs_name_and_link_every_ancestor(client, showroom_index, area):
    page = showroom_page(area, 0).pages.get()

    html = main_html(client.get(page.url))
    crumbs = html[html.index('class="breadcrumb"'):html.index("</ol>")]

    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', crumbs) == [
        ("/", "Trang chủ"), (showroom_index.url, "Điểm bán OCOP"), (area.url, "Châu Đốc")]
    assert "Điểm OCOP số 00" in crumbs

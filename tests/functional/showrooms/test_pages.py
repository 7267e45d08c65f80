"""The public showroom pages over HTTP: all showrooms (map or plain list), an area, one showroom with its shelf,
the product page's "see and buy in person" section, and editing showrooms in the Wagtail admin."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from catalogue.certification import ocop_today
from catalogue.models import Certificate
from cms.services import site_structure_ensure
from showrooms.models import OpeningException, OpeningHours, Showroom
from showrooms.pages import AreaIndexPage, ShowroomIndexPage, ShowroomPage, ShowroomPageNearby
from showrooms.services import pickup_reserve, shelf_sell
from tests.support.catalogue import make_certified_product, make_product
from tests.support.showrooms import an_giang_commune, make_showroom, stock_shelf

pytestmark = pytest.mark.django_db

TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"


# ---------------------------------------------------------------- builders
@pytest.fixture
def index():
    home = site_structure_ensure()
    return home.add_child(instance=ShowroomIndexPage(title="Điểm bán OCOP", slug="diem-ban-ocop"))


def add_area(index, title="Châu Đốc", slug="chau-doc", former_district="Thành phố Châu Đốc"):
    return index.add_child(instance=AreaIndexPage(title=title, slug=slug, former_district=former_district))


def add_page(area, showroom, **fields):
    fields.setdefault("title", showroom.name)
    fields.setdefault("slug", showroom.code)
    return area.add_child(instance=ShowroomPage(showroom=showroom, **fields))


def main_html(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<main"):html.index("</main>")]


def cards(html) -> dict[str, str]:
    """Shelf cards by product title → their level (data-level)."""
    found = {}
    for level, body in re.findall(r'data-testid="shelf-product" data-level="(\w+)">(.*?)</article>', html, re.S):
        title = re.search(r'class="product-card__title"><a [^>]*>([^<]+)</a>', body).group(1)
        found[title] = level
    return found


def script_sources(html) -> list[str]:
    return re.findall(r"<script[^>]*\bsrc=\"([^\"]+)\"", html)


# ---------------------------------------------------------------- one showroom
def test_showroom_page_shows_certified_shelf_products_with_a_level_never_a_count(client, index):
    showroom = make_showroom(name="Điểm OCOP Châu Đốc", phone="0296 3866 012", few_left_threshold=3)
    page = add_page(add_area(index), showroom, description="<p>Cạnh chợ Châu Đốc.</p>")
    plenty = make_certified_product(title="Mắm cá linh Châu Đốc")
    few = make_certified_product(title="Đường thốt nốt Tri Tôn")
    held = make_certified_product(title="Khô cá sặc bổi")
    sold_out = make_certified_product(title="Tung lò mò Ba Ly")
    lapsed = make_certified_product(title="Rượu nếp cẩm hết hạn")
    stock_shelf(showroom, plenty, 47)
    stock_shelf(showroom, few, 3)
    stock_shelf(showroom, held, 2)
    pickup_reserve(showroom=showroom, wanted={held.pk: 2}, titles={held.pk: held.title})  # every unit held
    stock_shelf(showroom, sold_out, 1)
    shelf_sell(showroom=showroom, product=sold_out, quantity=1, actor=None)
    stock_shelf(showroom, lapsed, 9)
    Certificate.objects.filter(product=lapsed).update(revoked_on=ocop_today(), revocation_reason="Không đạt")
    make_certified_product(title="Sản phẩm ở điểm khác")

    html = main_html(client.get(page.url))

    assert cards(html) == {"Mắm cá linh Châu Đốc": "in_stock", "Đường thốt nốt Tri Tôn": "few_left",
                           "Khô cá sặc bổi": "out"}
    assert "còn hàng" in html and "sắp hết" in html and "hết hàng" in html
    assert list(cards(html))[-1] == "Khô cá sặc bổi", "what cannot be taken home today comes last"
    assert "Rượu nếp cẩm hết hạn" not in html and "Tung lò mò Ba Ly" not in html
    assert not re.search(r"\b47\b", html), "the public never sees an exact count"
    assert "Cạnh chợ Châu Đốc." in html and "0296 3866 012" in html
    assert "Phường Châu Đốc" in html and "An Giang" in html, "the address names its commune and province"
    assert "120.000" in html, "the current price, in dong"


def test_showroom_page_shows_hours_open_status_and_coming_exceptions(client, index):
    showroom = make_showroom()
    OpeningHours.objects.bulk_create(
        [OpeningHours(showroom=showroom, weekday=d, opens=dt.time(7, 30), closes=dt.time(11, 30)) for d in range(7)]
        + [OpeningHours(showroom=showroom, weekday=d, opens=dt.time(13, 30), closes=dt.time(17, 0)) for d in range(6)]
    )
    OpeningException.objects.create(showroom=showroom, date=ocop_today() + dt.timedelta(days=10), closed=True,
                                    note="Nghỉ Tết Nguyên đán")
    page = add_page(add_area(index), showroom)

    html = main_html(client.get(page.url))

    assert "7:30–11:30, 13:30–17:00" in html
    assert re.search(r'data-testid="open-status">Đang (mở|đóng) cửa', html)
    assert "Nghỉ Tết Nguyên đán" in html
    assert "Thứ Hai" in html and "Chủ Nhật" in html


def test_nearby_tourism_links_group_vi_products_and_pages(client, index):
    area = add_area(index)
    page = add_page(area, make_showroom())
    tour = make_certified_product(title="Tour làng nổi Châu Đốc", group=6, price=Decimal("180000"))
    unsold = make_product(title="Tour chưa chứng nhận", group=6)
    story = add_page(area, make_showroom(name="Điểm OCOP Núi Sam"))
    for n, entry in enumerate([{"product": tour, "note": "5 phút đi bộ"}, {"product": unsold},
                               {"linked_page": story}]):
        ShowroomPageNearby.objects.create(page=page, sort_order=n, **entry)

    html = main_html(client.get(page.url))

    assert "Tour làng nổi Châu Đốc" in html and "180.000" in html and "5 phút đi bộ" in html
    assert "Tour chưa chứng nhận" in html and "Không bán" in html, "a named product stays, shown as not for sale"
    assert f'href="{story.url}"' in html
    with pytest.raises(ValidationError):
        ShowroomPageNearby(page=page, product=tour, linked_page=story).clean()
    with pytest.raises(ValidationError):
        ShowroomPageNearby(page=page).clean()


def test_one_page_per_showroom_in_a_language(index):
    area = add_area(index)
    showroom = make_showroom()
    add_page(area, showroom)
    with pytest.raises(ValidationError):
        add_page(area, showroom, title="Trang thứ hai", slug="trang-thu-hai")


@pytest.mark.usefixtures("uncached")
def test_showroom_page_queries_do_not_grow_with_the_shelf(client, index):
    area = add_area(index)
    pages = []
    for size in (2, 8):
        showroom = make_showroom()
        for _n in range(size):
            stock_shelf(showroom, make_certified_product(), 5)
        pages.append(add_page(area, showroom))
    counts = []
    for page in pages:
        client.get(page.url)  # warm caches (site root paths, the group menu)
        with CaptureQueriesContext(connection) as queries:
            assert len(cards(main_html(client.get(page.url)))) in (2, 8)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# ---------------------------------------------------------------- areas and all showrooms
def test_area_page_lists_only_its_own_active_showrooms(client, index):
    chau_doc, long_xuyen = add_area(index), add_area(index, "Long Xuyên", "long-xuyen", "Thành phố Long Xuyên")
    add_page(chau_doc, make_showroom(name="Điểm OCOP Châu Đốc"))
    add_page(chau_doc, make_showroom(name="Điểm OCOP Núi Sam"))
    add_page(chau_doc, make_showroom(name="Điểm OCOP đã đóng", is_active=False))
    add_page(long_xuyen, make_showroom(name="Điểm OCOP Long Xuyên", area=an_giang_commune("Long Xuyên")))

    html = main_html(client.get(chau_doc.url))

    assert "Điểm OCOP Châu Đốc" in html and "Điểm OCOP Núi Sam" in html
    assert "Điểm OCOP Long Xuyên" not in html and "Điểm OCOP đã đóng" not in html
    assert "Thành phố Châu Đốc (huyện cũ)" in html


def test_all_showrooms_without_a_tile_server_is_a_plain_list_with_coordinates(client, index):
    with_page = make_showroom(name="Điểm OCOP Châu Đốc", latitude=Decimal("10.706340"), longitude=Decimal("105.117270"))
    page = add_page(add_area(index), with_page)
    make_showroom(name="Điểm OCOP chưa có trang")
    make_showroom(name="Điểm OCOP đã đóng", is_active=False)

    response = client.get(index.url)
    html = response.content.decode()
    main = main_html(response)

    assert "Điểm OCOP Châu Đốc" in main and f'href="{page.url}"' in main
    assert "Điểm OCOP chưa có trang" in main and "Điểm OCOP đã đóng" not in main
    assert "10.706340, 105.117270" in main, "coordinates with a dot whatever the language"
    assert 'href="https://www.google.com/maps/search/?api=1&amp;query=10.706340,105.117270"' in main
    assert "data-showroom-map" not in html and "map.js" not in html
    assert all(src.startswith("/static/") for src in script_sources(html)), script_sources(html)
    assert "127.0.0.1:9" not in html


@override_settings(SHOWROOM_MAP_TILE_URL=TILE_URL)
def test_all_showrooms_with_a_tile_server_has_the_map_and_our_script_only(client, index):
    add_page(add_area(index), make_showroom(name="Điểm OCOP Châu Đốc"))

    html = client.get(index.url).content.decode()

    assert '<div class="showroom-map" data-showroom-map data-tile-url="http://127.0.0.1:9/{z}/{x}/{y}.png"' in html
    assert '<script src="/static/showrooms/map.js" defer></script>' in html
    assert 'data-showroom-marker data-lat="10.705100" data-lng="105.116900"' in html
    assert all(src.startswith("/static/") for src in script_sources(html)), script_sources(html)
    assert "10.705100, 105.116900" in html, "the list stays under the map"


@override_settings(SHOWROOM_MAP_TILE_URL=TILE_URL)
def test_the_map_script_is_not_loaded_when_there_is_nothing_to_place(client, index):
    make_showroom(latitude=None, longitude=None)
    html = client.get(index.url).content.decode()
    assert "data-showroom-map" not in html and "showrooms/map.js" not in html
    empty_area = add_area(index, "Phú Quốc", "phu-quoc", "Thành phố Phú Quốc")
    html = client.get(empty_area.url).content.decode()
    assert "data-showroom-map" not in html and "showrooms/map.js" not in html


def test_english_page_keeps_coordinates_with_a_dot(client, index):
    add_page(add_area(index), make_showroom(name="Điểm OCOP Châu Đốc"))
    html = client.get(f"/en{index.url}").content.decode()
    assert "10.705100, 105.116900" in html


# ---------------------------------------------------------------- the product page
def test_product_page_says_where_to_see_and_buy_it_in_person(client, index):
    product = make_certified_product(title="Mắm cá linh Châu Đốc")
    chau_doc = make_showroom(name="Điểm OCOP Châu Đốc")
    page = add_page(add_area(index), chau_doc)
    no_page = make_showroom(name="Điểm OCOP Long Xuyên", few_left_threshold=3)
    closed = make_showroom(name="Điểm OCOP đã đóng", is_active=False)
    stock_shelf(chau_doc, product, 12)
    stock_shelf(no_page, product, 2)
    stock_shelf(closed, product, 5)

    html = client.get(product.get_absolute_url()).content.decode()
    section = html[html.index('data-testid="product-showrooms"'):]
    section = section[:section.index("</section>")]

    assert "Xem và mua tại điểm bán" in section
    assert f'<a href="{page.url}">Điểm OCOP Châu Đốc</a>' in section and "còn hàng" in section
    assert "Điểm OCOP Long Xuyên</" not in section and "Điểm OCOP Long Xuyên:" in re.sub(r"\s+", " ", section)
    assert "sắp hết" in section
    assert "Điểm OCOP đã đóng" not in section
    assert not re.search(r"\b12\b", section)


def test_uncertified_product_lists_no_showroom(client):
    product = make_certified_product(title="Khô cá hết chứng nhận")
    stock_shelf(make_showroom(), product, 5)
    Certificate.objects.filter(product=product).update(revoked_on=ocop_today(), revocation_reason="Không đạt")
    html = client.get(product.get_absolute_url()).content.decode()
    assert "product-showrooms" not in html


@pytest.mark.usefixtures("uncached")
def test_product_page_queries_do_not_grow_with_showrooms(client, index):
    product = make_certified_product()
    area = add_area(index)
    counts = []
    for extra in (1, 4):
        for _n in range(extra):
            showroom = make_showroom()
            add_page(area, showroom)
            stock_shelf(showroom, product, 5)
        client.get(product.get_absolute_url())
        with CaptureQueriesContext(connection) as queries:
            client.get(product.get_absolute_url())
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# ---------------------------------------------------------------- the Wagtail admin
def test_programme_staff_edit_showrooms_as_wagtail_snippets(client, django_user_model):
    admin = django_user_model.objects.create_superuser(email="quantri@example.vn", password="pw-1234567")
    client.force_login(admin)
    make_showroom(name="Điểm OCOP Châu Đốc")

    listing = client.get("/cms-admin/snippets/showrooms/showroom/")
    assert listing.status_code == 200 and "Điểm OCOP Châu Đốc" in listing.content.decode()
    assert "/cms-admin/snippets/showrooms/showroom/" in client.get("/cms-admin/").content.decode(), "in the menu"

    data = nested_form_data({
        "name": "Điểm OCOP Tịnh Biên", "code": "tinh-bien", "area": an_giang_commune("Tịnh Biên").pk,
        "street_address": "Quốc lộ 91", "latitude": "10.600000", "longitude": "104.950000", "phone": "",
        "few_left_threshold": "3", "offers_pickup": "on", "is_active": "on",
        "hours": inline_formset([{"weekday": "0", "opens": "07:30", "closes": "11:30"}]),
        "exceptions": inline_formset([{"date": "2027-02-06", "closed": "on", "note": "Tết"}]),
        "memberships": inline_formset([]),
    })
    response = client.post("/cms-admin/snippets/showrooms/showroom/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    created = Showroom.objects.get(code="tinh-bien")
    assert created.hours.get().opens == dt.time(7, 30) and created.exceptions.get().note == "Tết"


def test_a_showroom_that_stopped_has_no_public_page(client, index):
    showroom = make_showroom(name="Điểm OCOP đã đóng")
    page = add_page(add_area(index), showroom)
    assert client.get(page.url).status_code == 200
    Showroom.objects.filter(pk=showroom.pk).update(is_active=False)
    assert client.get(page.url).status_code == 404

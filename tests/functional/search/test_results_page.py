"""The search results page over HTTP: pages in their own sections, the availability facet, the sort select, the
text kept in the box, the no-results advice, and a query count that does not grow with the products."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.support.catalogue import make_certified_product, make_producer
from tests.support.showrooms import make_showroom, stock_shelf

pytestmark = pytest.mark.django_db

URL = "/shop/search/"


def main_html(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<main"):html.index("</main>")]


def titles(html) -> list[str]:
    return [unescape(t) for t in re.findall(r'class="product-card__title"><a [^>]*>([^<]+)</a>', html)]


def sections(html) -> dict[str, list[str]]:
    found = {}
    for body in re.findall(r'data-testid="page-section".*?</section>', html, re.S):
        label = re.search(r'class="page-hits__title"[^>]*>([^<]+)</h2>', body).group(1)
        found[unescape(label)] = [unescape(t) for t in re.findall(r'class="page-hit__title" href="[^"]+">([^<]+)</a>', body)]
    return found


def facet(html, name) -> dict[str, str]:
    """A facet's values: label → count, with ✕ after the count when it is selected."""
    block = re.search(rf'data-testid="facet-{name}">(.*?)</ul>', html, re.S).group(1)
    values = {}
    for label, count, rest in re.findall(r'class="facet__value[^"]*"[^>]*>([^<]+?) <span class="facet__count">\((\d+)\)</span>( ✕)?', block):
        values[unescape(label)] = count + rest
    return values


def sort_options(html) -> tuple[list[str], str]:
    select = re.search(r'<select id="sort".*?</select>', html, re.S).group(0)
    options = re.findall(r'<option value="([\w-]+)"', select)
    selected = re.findall(r'<option value="([\w-]+)" selected', select)
    assert len(selected) == 1, select
    return options, selected[0]


# ---------------------------------------------------------------- pages beside the products
@pytest.mark.parametrize("typed", ["diem ocop chau doc", "Điểm OCOP Châu Đốc"])
def test_results_list_the_showroom_page_in_its_section(client, chau_doc_page, typed):
    make_certified_product(title="Mắm cá linh Châu Đốc hũ 500g")
    html = main_html(client.get(URL, {"q": typed}))
    assert sections(html) == {"Điểm bán": ["Điểm OCOP Châu Đốc"]}
    assert f'href="{chau_doc_page.url}"' in html
    assert "12 Lê Lợi, cạnh chợ" in html  # the page's search description
    assert html.index('data-testid="page-section"') < html.index('data-testid="result-count"')


def test_chau_doc_lists_products_and_the_showroom_page(client, chau_doc_page):
    make_certified_product(title="Mắm cá linh Châu Đốc hũ 500g")
    html = main_html(client.get(URL, {"q": "chau doc"}))
    assert titles(html) == ["Mắm cá linh Châu Đốc hũ 500g"]
    assert sections(html) == {"Điểm bán": ["Điểm OCOP Châu Đốc"]}


def test_no_page_sections_without_text_or_past_the_first_page(client, chau_doc_page):
    for _ in range(3):
        make_certified_product(title="Mắm Châu Đốc")
    assert sections(main_html(client.get("/shop/catalogue/"))) == {}
    assert sections(main_html(client.get(URL, {"q": "", "sort": "newest"}))) == {}
    assert 'data-testid="page-section"' not in main_html(client.get(URL, {"q": "chau doc", "page": 2}))


def test_pages_show_even_when_no_product_matches(client, chau_doc_page):
    html = main_html(client.get(URL, {"q": "diem ocop"}))
    assert sections(html) == {"Điểm bán": ["Điểm OCOP Châu Đốc"]}
    assert 'data-testid="no-results"' in html


# ---------------------------------------------------------------- availability facet
@pytest.fixture
def stocked():
    """online: in stock online; shelf: sold out online, on a showroom's shelf; none: neither."""
    producer = make_producer(name="HTX Mắm Châu Đốc")
    online = make_certified_product(title="Mắm cá linh online", producer=producer, stock=5)
    shelf = make_certified_product(title="Mắm cá sặc tại điểm bán", producer=producer, stock=0)
    none = make_certified_product(title="Mắm ruốc hết hàng", producer=producer, stock=0)
    stock_shelf(make_showroom(), shelf, 4)
    return {"online": online, "shelf": shelf, "none": none}


def test_availability_facet_counts_and_filters(client, stocked):
    html = main_html(client.get(URL, {"q": "mam"}))
    assert len(titles(html)) == 3
    assert facet(html, "availability") == {"Còn hàng, mua online": "1", "Có tại điểm bán": "1"}
    assert 'href="?q=mam&amp;in_stock=1"' in html and 'href="?q=mam&amp;at_showroom=1"' in html

    html = main_html(client.get(URL, {"q": "mam", "in_stock": "1"}))
    assert titles(html) == ["Mắm cá linh online"]
    assert facet(html, "availability")["Còn hàng, mua online"] == "1 ✕"
    assert 'href="?q=mam"' in html  # the ✕ clears it, keeping the text

    html = main_html(client.get(URL, {"q": "mam", "at_showroom": "1"}))
    assert titles(html) == ["Mắm cá sặc tại điểm bán"]
    assert facet(html, "availability") == {"Còn hàng, mua online": "0", "Có tại điểm bán": "1 ✕"}


def test_availability_facet_on_the_catalogue_without_text(client, stocked):
    html = main_html(client.get("/shop/catalogue/", {"at_showroom": "1"}))
    assert titles(html) == ["Mắm cá sặc tại điểm bán"]


def test_no_results_suggests_removing_filters_and_shows_the_hint(client, stocked):
    html = main_html(client.get(URL, {"q": "mam", "in_stock": "1", "at_showroom": "1", "stars": "5"}))
    assert titles(html) == []
    assert 'data-testid="no-results"' in html
    assert re.search(r'href="/shop/search/\?q=mam" data-testid="clear-filters"', html)
    assert "gõ không dấu cũng được" in html and "mam ca linh chau doc" in html


def test_no_results_without_filters_has_no_clear_link(client, stocked):
    html = main_html(client.get(URL, {"q": "bánh pía"}))
    assert 'data-testid="no-results"' in html and 'data-testid="clear-filters"' not in html
    assert "gõ không dấu cũng được" in html


# ---------------------------------------------------------------- sort, the text kept
def test_sort_select_offers_relevance_only_with_text(client, stocked):
    options, selected = sort_options(main_html(client.get("/shop/catalogue/")))
    assert "relevance" not in options and selected == "newest"
    options, selected = sort_options(main_html(client.get("/shop/catalogue/", {"sort": "relevance"})))
    assert "relevance" not in options and selected == "newest"
    options, selected = sort_options(main_html(client.get(URL, {"q": "mam"})))
    assert options[0] == "relevance" and selected == "relevance"
    options, selected = sort_options(main_html(client.get(URL, {"q": "mam", "sort": "price-asc"})))
    assert selected == "price-asc"
    _options, selected = sort_options(main_html(client.get(URL, {"q": "mam", "sort": "bogus"})))
    assert selected == "relevance"


def test_sort_form_keeps_the_text_and_filters_and_has_no_inline_script(client, stocked):
    response = client.get(URL, {"q": "mắm cá", "in_stock": "1"})
    html = response.content.decode()
    toolbar = re.search(r'<form class="listing__toolbar".*?</form>', html, re.S).group(0)
    assert '<input type="hidden" name="q" value="mắm cá">' in toolbar
    assert '<input type="hidden" name="in_stock" value="1">' in toolbar
    assert 'data-autosubmit-button' in toolbar  # the no-JavaScript way to apply a sort
    assert "onchange" not in html and "onclick" not in html


def test_the_box_keeps_the_text_typed(client, stocked):
    html = client.get(URL, {"q": 'mắm "cá" <b>'}).content.decode()
    box = re.search(r'<input id="site-search-q"[^>]*>', html).group(0)
    assert 'value="mắm &quot;cá&quot; &lt;b&gt;"' in box
    assert 'role="combobox"' in box and 'aria-expanded="false"' in box and 'aria-controls="site-search-list"' in box
    assert 'data-suggest-url="/shop/search/suggest/"' in box
    assert "Kết quả cho “mắm &quot;cá&quot; &lt;b&gt;”" in html
    assert "<b>" not in main_html(client.get(URL, {"q": 'mắm "cá" <b>'}))


def test_the_suggest_script_is_served_from_our_static_files(client):
    html = client.get("/shop/catalogue/").content.decode()
    assert re.search(r'<script src="/static/shop/js/search_suggest\.js[^"]*" defer></script>', html)


@pytest.mark.parametrize("typed", ['"', "*", ":", "(", "\\", "'", "🐟", "x" * 2000, "mắm " * 500])
def test_junk_queries_answer_the_results_page(client, stocked, chau_doc_page, typed):
    assert client.get(URL, {"q": typed}).status_code == 200


def test_a_long_paste_is_cut_not_dropped(client, stocked):
    """A text longer than the form allows is still a search (not the whole catalogue as if nothing was typed)."""
    make_certified_product(title="Khô cá lóc")
    html = main_html(client.get(URL, {"q": "mắm " * 500}))
    assert sorted(titles(html)) == ["Mắm cá linh online", "Mắm cá sặc tại điểm bán", "Mắm ruốc hết hàng"]
    assert 'data-testid="search-text"' in html


def test_a_nul_character_is_dropped(client, stocked):
    assert len(titles(main_html(client.get(URL, {"q": "mắm\x00"})))) == 3


# ---------------------------------------------------------------- queries
def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.usefixtures("uncached")
@pytest.mark.parametrize("url", [URL + "?q=chau+doc", URL + "?q=chau+doc&in_stock=1&sort=price-asc", "/shop/catalogue/?at_showroom=1"])
def test_results_page_query_count_does_not_grow_with_products(client, chau_doc_page, url):
    showroom = chau_doc_page.showroom
    for n in range(2):
        stock_shelf(showroom, make_certified_product(title=f"Mắm Châu Đốc {n}"), 3)
    client.get(url)  # warm caches (group links, site root)
    small = _count_queries(client, url)
    for n in range(6):
        stock_shelf(showroom, make_certified_product(title=f"Khô cá Châu Đốc {n}"), 3)
    assert titles(main_html(client.get(url))) and len(titles(main_html(client.get(url)))) == 8
    assert _count_queries(client, url) == small


def test_a_renamed_showroom_is_found_by_its_new_name_at_once(client):
    from cms.services import site_structure_ensure
    from showrooms.pages import AreaIndexPage, ShowroomIndexPage, ShowroomPage
    from tests.support.showrooms import make_showroom

    showroom = make_showroom(name="Điểm OCOP Tịnh Biên", code="tinh-bien")
    index = site_structure_ensure().add_child(instance=ShowroomIndexPage(title="Điểm bán OCOP", slug="diem-ban"))
    area = index.add_child(instance=AreaIndexPage(title="Tịnh Biên", slug="tinh-bien", former_district="Tịnh Biên"))
    area.add_child(instance=ShowroomPage(title="Điểm OCOP Tịnh Biên", slug="tinh-bien", showroom=showroom))
    showroom.street_address = "Chợ biên giới Xuân Tô"
    showroom.save()
    from catalogue.search.pages import pages_suggest

    assert any("Tịnh Biên" in title for title, _url in pages_suggest("xuan to"))

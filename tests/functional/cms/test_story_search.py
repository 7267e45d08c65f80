"""Story pages in search: the results page and the search box's suggestions offer a live story typed without
accents, in its own section, and never a draft (a page never published, an unpublished one, or the unpublished
changes of a live one)."""

import re
from html import unescape

import pytest

from tests.functional.cms.helpers import main_html
from tests.support.catalogue import make_certified_product, make_producer
from tests.support.cms import make_story

pytestmark = pytest.mark.django_db

RESULTS, SUGGEST = "/shop/search/", "/shop/search/suggest/"
STORIES = "Câu chuyện sản phẩm"


def sections(html) -> dict[str, list[str]]:
    found = {}
    for body in re.findall(r'data-testid="page-section".*?</section>', html, re.S):
        label = re.search(r'class="page-hits__title"[^>]*>([^<]+)</h2>', body).group(1)
        found[unescape(label)] = [unescape(t) for t in re.findall(r'class="page-hit__title" href="[^"]+">([^<]+)</a>',
                                                                  body)]
    return found


def suggested_pages(client, q) -> list[dict]:
    response = client.get(SUGGEST, {"q": q})
    assert response.status_code == 200
    return response.json()["pages"]


@pytest.fixture
def stories():
    producer = make_producer(name="HTX Mắm Châu Đốc")
    product = make_certified_product(title="Mắm cá linh hũ 500g", producer=producer)
    live = make_story(title="Mắm cá linh mùa nước nổi", slug="mam-ca-linh", producer=producer, products=[product],
                      summary="Cá linh về theo con nước.")
    draft = make_story(title="Cá linh kho tộ bản nháp", slug="ca-linh-kho-to", producer=producer, products=[product],
                       live=False)
    withdrawn = make_story(title="Gỏi cá linh bông điên điển", slug="goi-ca-linh", producer=producer,
                           products=[product])
    withdrawn.unpublish()
    return {"live": live, "draft": draft, "withdrawn": withdrawn}


@pytest.mark.parametrize("typed", ["ca linh", "mam ca linh mua nuoc noi", "CÁ LINH", "cá linh"])
def test_the_results_page_lists_a_live_story_typed_without_accents_never_a_draft(client, stories, typed):
    html = main_html(client.get(RESULTS, {"q": typed}))

    assert sections(html).get(STORIES) == ["Mắm cá linh mùa nước nổi"], sections(html)
    assert f'href="{stories["live"].url}"' in html
    assert "bản nháp" not in html and "Gỏi cá linh" not in html


def test_the_results_page_finds_a_story_by_its_body_and_producer(client, stories):
    assert sections(main_html(client.get(RESULTS, {"q": "me kong"}))).get(STORIES) == ["Mắm cá linh mùa nước nổi"]
    assert sections(main_html(client.get(RESULTS, {"q": "htx mam chau doc"}))).get(STORIES) == [
        "Mắm cá linh mùa nước nổi"
    ]


@pytest.mark.parametrize("typed", ["ca linh", "mua nuoc noi", "Cá Linh"])
def test_suggestions_offer_a_live_story_typed_without_accents_never_a_draft(client, stories, typed):
    assert suggested_pages(client, typed) == [{"label": "Mắm cá linh mùa nước nổi", "url": stories["live"].url}]


def test_the_unpublished_changes_of_a_live_story_are_not_searched(client, stories):
    story = stories["live"]
    story.title = "Khô cá tra phồng bí mật"
    story.save_revision()  # a draft of new words; the live page keeps its own

    assert suggested_pages(client, "kho ca tra phong") == []
    assert STORIES not in sections(main_html(client.get(RESULTS, {"q": "kho ca tra phong"})))
    assert suggested_pages(client, "ca linh") == [{"label": "Mắm cá linh mùa nước nổi", "url": story.url}]


def test_a_story_unpublished_leaves_search(client, stories):
    stories["live"].unpublish()
    assert suggested_pages(client, "ca linh") == []
    assert STORIES not in sections(main_html(client.get(RESULTS, {"q": "ca linh"})))


def test_a_private_story_is_not_searched(client, stories):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(page=stories["live"], restriction_type=PageViewRestriction.LOGIN)
    assert suggested_pages(client, "ca linh") == []
    assert STORIES not in sections(main_html(client.get(RESULTS, {"q": "ca linh"})))

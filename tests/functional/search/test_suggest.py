"""The search box's suggestions over HTTP: GET /shop/search/suggest/?q=… → products, producers and pages."""

import pytest

from catalogue.search.pages import pages_search, pages_suggest
from tests.support.catalogue import make_certified_product, make_producer, make_product

pytestmark = pytest.mark.django_db

URL = "/shop/search/suggest/"


@pytest.fixture
def catalogue():
    tri_ton = make_producer(name="HTX Đường thốt nốt Tri Tôn")
    chau_doc = make_producer(name="HTX Nông nghiệp Châu Đốc")
    return {
        "duong": make_certified_product(title="Đường thốt nốt Tri Tôn 500g", producer=tri_ton),
        "mam": make_certified_product(title="Mắm cá linh Châu Đốc hũ 500g", producer=chau_doc),
        "mam_loc": make_certified_product(title="Mắm cá lóc Châu Đốc hũ 500g", producer=chau_doc),
        "uncertified": make_product(title="Đường cát Tri Tôn chưa chứng nhận", producer=tri_ton),
    }


def suggest(client, q):
    response = client.get(URL, {"q": q})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def labels(items):
    return [item["label"] for item in items]


def test_the_url_is_named_and_answers_json(client):
    from django.urls import reverse

    assert reverse("search:suggest") == URL
    assert suggest(client, "") == {"products": [], "producers": [], "pages": []}


def test_duo_suggests_certified_products_and_producers_never_an_uncertified_product(client, catalogue):
    found = suggest(client, "duo")
    assert labels(found["products"]) == ["Đường thốt nốt Tri Tôn 500g"]
    assert found["products"][0]["url"] == catalogue["duong"].get_absolute_url()
    assert "Đường cát Tri Tôn chưa chứng nhận" not in str(found)
    assert labels(found["producers"]) == ["HTX Đường thốt nốt Tri Tôn"]
    assert found["producers"][0]["url"] == catalogue["duong"].producer.get_absolute_url()


def test_mam_ca_suggests_both_jars_exact_accents_first(client, catalogue):
    found = suggest(client, "mam ca")
    assert set(labels(found["products"])) == {"Mắm cá linh Châu Đốc hũ 500g", "Mắm cá lóc Châu Đốc hũ 500g"}
    assert labels(suggest(client, "mắm cá lóc")["products"])[0] == "Mắm cá lóc Châu Đốc hũ 500g"


def test_chau_doc_suggests_the_showroom_page(client, catalogue, chau_doc_page):
    found = suggest(client, "chau doc")
    assert found["pages"] == [{"label": "Điểm OCOP Châu Đốc", "url": chau_doc_page.url}]
    assert labels(found["producers"]) == ["HTX Nông nghiệp Châu Đốc"]
    assert len(found["products"]) == 2


@pytest.mark.parametrize("typed", ["diem ocop chau doc", "Điểm OCOP Châu Đốc", "ĐIỂM  ocop   châu đốc", "chau doc"])
def test_the_showroom_page_is_found_with_or_without_accents(chau_doc_page, typed):
    assert pages_suggest(typed, limit=5) == [("Điểm OCOP Châu Đốc", chau_doc_page.url)]
    hits = pages_search(typed, limit=3)
    assert [(hit.page.pk, str(hit.label)) for hit in hits] == [(chau_doc_page.pk, "Điểm bán")]


def test_a_draft_or_unpublished_page_is_not_suggested(chau_doc_page):
    chau_doc_page.unpublish()
    assert pages_suggest("chau doc", limit=5) == []


def test_a_republished_page_is_found_by_its_new_words(chau_doc_page):
    """Publishing saves the page, and Wagtail re-indexes on save (the immediate task backend runs it inline)."""
    assert pages_suggest("nui sam", limit=5) == []
    chau_doc_page.title = "Điểm OCOP Núi Sam"
    chau_doc_page.save_revision().publish()
    assert pages_suggest("nui sam", limit=5) == [("Điểm OCOP Núi Sam", chau_doc_page.url)]


def test_pages_without_a_folded_field_are_not_offered(chau_doc_page):
    """The home page and the index pages have no folded text: only the showroom page answers "diem ban ocop"."""
    assert [title for title, _url in pages_suggest("chau doc", limit=5)] == ["Điểm OCOP Châu Đốc"]


JUNK = ['"', "*", ":", "(", "\\", "'", "🐟", "🐟🌾🍚", '"mắm*', "mam:(ca", "a", " ", "x" * 2000, "mắm " * 500,
        "' OR 1=1 --", "NEAR(mam ca)", "title:mam AND NOT ca", "%", "_", "__", "\x00", "mắm\x00cá", "chau AND doc"]


@pytest.mark.parametrize("typed", JUNK)
def test_junk_is_answered_with_an_empty_or_sensible_answer(client, catalogue, chau_doc_page, typed):
    found = suggest(client, typed)
    assert set(found) == {"products", "producers", "pages"}
    for items in found.values():
        assert isinstance(items, list) and len(items) <= 5
        assert all(set(item) == {"label", "url"} for item in items)


@pytest.mark.parametrize("typed", ['"', "*", ":", "(", "\\", "'", "🐟", "x" * 2000, "a"])
def test_punctuation_emoji_and_single_letters_suggest_nothing(client, catalogue, typed):
    assert suggest(client, typed) == {"products": [], "producers": [], "pages": []}


def test_a_long_paste_still_suggests_from_its_first_words(client, catalogue):
    found = suggest(client, "mắm cá linh " + "châu đốc " * 250)
    assert labels(found["products"]) == ["Mắm cá linh Châu Đốc hũ 500g"]


def test_answers_are_short_lived_and_cacheable_for_guests(client, catalogue):
    response = client.get(URL, {"q": "duo"})
    assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]


def test_signed_in_answers_stay_private(client, catalogue, django_user_model):
    user = django_user_model.objects.create_user(email="khach@example.vn", password="pw-1234567")
    client.force_login(user)
    response = client.get(URL, {"q": "duo"})
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_only_get(client):
    assert client.post(URL, {"q": "duo"}).status_code == 405


def test_english_urls_are_prefixed(client, catalogue):
    found = client.get("/en" + URL, {"q": "duo"}).json()
    assert found["products"][0]["url"].startswith("/en/")

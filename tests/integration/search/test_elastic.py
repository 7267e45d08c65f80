"""The Elasticsearch engine against a real server: runs when ELASTICSEARCH_URL is set (docker compose up
elasticsearch; ELASTICSEARCH_URL=http://127.0.0.1:9200 after publishing its port), skips otherwise.

Each test works behind its own alias (ocop-test-<random>) and deletes its indices afterwards."""

import datetime as dt
import os
import unicodedata
import uuid
from decimal import Decimal

import pytest
from django.db.models import F
from django.test import override_settings

from catalogue.certification import ocop_today
from catalogue.models import Certificate
from catalogue.search import SearchQuery
from catalogue.search import elastic, indexing
from catalogue.search.database import DatabaseEngine
from shop.text import fold_vietnamese
from tests.support.catalogue import certify, make_certified_product, make_product

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("ELASTICSEARCH_URL"),
        reason="needs Elasticsearch: set ELASTICSEARCH_URL=http://127.0.0.1:9200",
    ),
    pytest.mark.django_db,
]

TODAY = ocop_today()


@pytest.fixture
def es_index(monkeypatch):
    """An alias of this test's own, with the Elasticsearch engine selected; a fallback to the database engine
    would hide a failing query, so it fails the test instead."""
    alias = f"ocop-test-{uuid.uuid4().hex[:10]}"

    def no_fallback(*args, **kwargs):
        raise AssertionError("the Elasticsearch engine fell back to the database")

    monkeypatch.setattr(DatabaseEngine, "suggest", no_fallback)
    with override_settings(
        OCOP_SEARCH_ENGINE="elasticsearch", ELASTICSEARCH_URL=os.environ["ELASTICSEARCH_URL"], ELASTICSEARCH_INDEX=alias
    ):
        es = elastic.client()
        yield es
        for name in es.indices.get(index=f"{alias}*", expand_wildcards="all").keys():
            es.indices.delete(index=name, ignore_unavailable=True)


def search(**kwargs):
    """The engine's own answer (``_search``: no fallback)."""
    return elastic.ElasticsearchEngine()._search(SearchQuery(**kwargs))


def titles(result):
    return [p.title for p in result.hits]


def refresh(es):
    es.indices.refresh(index=elastic.alias_name())


# ---------------------------------------------------------------- the analyzer is the one fold
TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]  # none, huyền, sắc, hỏi, ngã, nặng
VOWELS = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"]
WORDS = (
    [unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES]
    + [unicodedata.normalize("NFC", v.upper() + t) for v in VOWELS for t in TONES]
    + [unicodedata.normalize("NFC", f"ng{v}{t}c") for v in VOWELS for t in TONES]
    + ["đường", "Đốc", "ĐỒNG", "bánh đa", "cđ", "ađb", "đđ", "Đại Đồng", "hàng đầu"]
    + ["hòa", "hoà", "Hòa Bình", "HOÀ BÌNH", "thủy", "thuỷ", "khỏe", "khoẻ", "tùy", "tuỳ", "quý", "qúy"]
    + ["MẮM Cá LiNh ChÂu ĐỐc", "Mắm cá linh Châu Đốc", "Đường thốt nốt Tri Tôn", "Khô cá lóc đồng", "Trà khổ qua rừng"]
    + [unicodedata.normalize("NFD", "Mắm cá linh Châu Đốc")]
)


def test_the_analyzer_agrees_with_fold_vietnamese_word_for_word(es_index):
    elastic.rebuild()
    for word in WORDS:
        text = unicodedata.normalize("NFC", word)  # what indexing and queries send
        tokens = es_index.indices.analyze(index=elastic.alias_name(), analyzer="vietnamese_fold", text=text)["tokens"]
        assert [t["token"] for t in tokens] == fold_vietnamese(word).split(), word


# ---------------------------------------------------------------- the index behind the alias
def test_rebuild_swaps_the_alias_and_deletes_the_old_index(es_index):
    make_certified_product(title="Mắm cá linh Châu Đốc")
    first = elastic.rebuild()
    assert sorted(es_index.indices.get_alias(name=elastic.alias_name()).keys()) == [first.index]
    assert search(text="mam").total == 1

    make_certified_product(title="Mắm tép")
    second = elastic.rebuild()
    assert second.index != first.index and second.removed == [first.index]
    assert sorted(es_index.indices.get_alias(name=elastic.alias_name()).keys()) == [second.index]
    assert not es_index.indices.exists(index=first.index)
    assert not es_index.indices.exists_alias(name=elastic.building_alias_name())
    assert search(text="mam").total == 2


def test_saving_a_product_reindexes_it_after_the_commit(es_index, django_capture_on_commit_callbacks):
    product = make_certified_product(title="Mắm cá linh")
    elastic.rebuild()
    with django_capture_on_commit_callbacks(execute=True):
        product.title = "Khô cá lóc đồng"
        product.save()
    refresh(es_index)
    assert titles(search(text="kho ca loc")) == ["Khô cá lóc đồng"]
    assert search(text="mam ca linh").total == 0


def test_a_stock_change_flips_in_stock_after_product_changed(es_index, django_capture_on_commit_callbacks):
    product = make_certified_product(title="Mắm cá linh", stock=1)
    elastic.rebuild()
    assert search(in_stock=True).total == 1
    with django_capture_on_commit_callbacks(execute=True):
        product.stockrecords.update(num_allocated=F("num_in_stock"))  # an allocation: no save(), no signal
        indexing.product_changed(product.pk)
    refresh(es_index)
    assert search(in_stock=True).total == 0


# ---------------------------------------------------------------- the gate at query time
def test_a_certificate_expiring_today_is_out_tomorrow_without_a_reindex(es_index, monkeypatch):
    product = make_product(title="Mắm cá linh Châu Đốc")
    certify(product, issued_on=TODAY - dt.timedelta(days=400), expires_on=TODAY)
    elastic.rebuild()
    assert titles(search(text="mam ca linh")) == ["Mắm cá linh Châu Đốc"]

    monkeypatch.setattr(elastic, "ocop_today", lambda: TODAY + dt.timedelta(days=1))  # the clock moves on
    result = search(text="mam ca linh")
    assert result.total == 0 and result.hits == []
    assert search().total == 0


def test_a_certificate_issued_tomorrow_is_in_tomorrow_without_a_reindex(es_index, monkeypatch):
    product = make_product(title="Đường thốt nốt")
    certify(product, issued_on=TODAY + dt.timedelta(days=1))
    elastic.rebuild()
    assert search(text="duong").total == 0
    monkeypatch.setattr(elastic, "ocop_today", lambda: TODAY + dt.timedelta(days=1))
    assert search(text="duong").total == 1


def test_a_stale_index_never_shows_an_uncertified_product(es_index):
    product = make_certified_product(title="Mắm cá linh")
    elastic.rebuild()
    Certificate.objects.filter(product=product).update(revoked_on=TODAY, revocation_reason="Không đạt")  # no signal
    result = search(text="mam")
    assert result.hits == []  # the database's gate drops it, whatever the index says


# ---------------------------------------------------------------- matching and ranking
@pytest.mark.parametrize(
    "typed",
    ["mam ca linh chau doc", "MAM CA LINH", "  mắm   cá  ", "Mắm cá linh Châu Đốc", "chau doc", "mam ca linh chua doc"],
)
def test_accents_and_case_are_optional_and_small_typos_forgiven(es_index, typed):
    make_certified_product(title="Mắm cá linh Châu Đốc")
    make_certified_product(title="Trà khổ qua rừng")
    elastic.rebuild()
    assert titles(search(text=typed)) == ["Mắm cá linh Châu Đốc"]


def test_exact_accents_rank_first(es_index):
    make_certified_product(title="Mắm cá linh")
    make_certified_product(title="Mâm ngũ quả")  # newer: would come first without the exact-accent boost
    elastic.rebuild()
    assert titles(search(text="mắm"))[0] == "Mắm cá linh"
    assert titles(search(text="mâm"))[0] == "Mâm ngũ quả"
    assert len(search(text="mam").hits) == 2


@pytest.mark.parametrize("text", ['"', "*", ":", "(", "\\", "'", "🐟", "mắm: 'cá'*", "a" * 2000, "mắm " * 500])
def test_any_text_is_answered_without_error(es_index, text):
    make_certified_product(title="Mắm cá linh")
    elastic.rebuild()
    search(text=text)
    elastic.ElasticsearchEngine().suggest(text, limit=5)


def test_the_same_answers_and_facets_as_the_database_engine(es_index):
    """The behaviour to match: the database engine over the same rows."""
    make_certified_product(title="Mắm cá linh Châu Đốc", price=Decimal("85000"), group=1, stars=3)
    make_certified_product(title="Mắm tép", price=Decimal("150000"), group=1, stars=4, stock=0)
    make_certified_product(title="Trà khổ qua rừng", price=Decimal("250000"), group=2, stars=5)
    make_certified_product(title="Đường thốt nốt", price=Decimal("600000"), group=1, stars=4)
    make_product(title="Mắm chưa chứng nhận", group=1)
    elastic.rebuild()
    for query in (
        SearchQuery(),
        SearchQuery(text="mam"),
        SearchQuery(group=1),
        SearchQuery(stars=4),
        SearchQuery(in_stock=True),
        SearchQuery(price_band="100k-200k"),
        SearchQuery(text="mam", group=1, stars=4),
        SearchQuery(sort="price-asc"),
        SearchQuery(sort="price-desc"),
        SearchQuery(sort="stars"),
        SearchQuery(page=2, page_size=3),
    ):
        expected, got = DatabaseEngine().search(query), elastic.ElasticsearchEngine()._search(query)
        assert got.total == expected.total, query
        assert got.facets == expected.facets, query
        if query.text:
            assert {p.pk for p in got.hits} == {p.pk for p in expected.hits}, query
        else:
            assert [p.pk for p in got.hits] == [p.pk for p in expected.hits], query


# ---------------------------------------------------------------- suggestions
def test_suggestions_offer_certified_products_by_the_start_of_their_words(es_index):
    make_certified_product(title="Đường thốt nốt")
    make_product(title="Đường cát trắng")  # not certified: never suggested
    make_certified_product(title="Mắm cá linh")
    elastic.rebuild()
    suggestions = elastic.ElasticsearchEngine().suggest("duo", limit=5)
    assert [label for label, _url in suggestions.products] == ["Đường thốt nốt"]
    assert [label for label, _url in elastic.ElasticsearchEngine().suggest("thot n", limit=5).products] == [
        "Đường thốt nốt"
    ]
    assert elastic.ElasticsearchEngine().suggest("", limit=5).products == []

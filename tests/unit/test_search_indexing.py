"""Keeping the search index fresh, without an Elasticsearch server: the hooks, their failure handling, the
document a product becomes, and ``manage.py search_index --rebuild`` on the database engine.

(The Elasticsearch engine against a real server: tests/integration/search/test_elastic.py, when ELASTICSEARCH_URL
is set.)"""

import datetime as dt
import logging
from decimal import Decimal
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from elasticsearch import ConnectionError as ElasticsearchConnectionError
from elasticsearch import NotFoundError

from catalogue.certification import ocop_today
from catalogue.models import Product
from catalogue.search import ENGINES, SearchQuery, get_engine
from catalogue.search import elastic, indexing
from catalogue.search.query import PRICE_BANDS
from tests.support.catalogue import certify, make_certified_product, make_producer, make_product
from tests.support.showrooms import make_showroom, stock_shelf

TODAY = ocop_today()
# A closed local port: the real client fails at once with a connection error.
NO_SERVER = {"OCOP_SEARCH_ENGINE": "elasticsearch", "ELASTICSEARCH_URL": "http://127.0.0.1:9"}


def batches(callbacks):
    return [c for c in callbacks if isinstance(c, indexing._AfterCommit)]


@pytest.fixture
def index_calls(monkeypatch):
    """Record what would be sent to Elasticsearch instead of sending it."""
    calls = []
    monkeypatch.setattr(elastic, "index_products", lambda ids: calls.append(sorted(ids)) or len(calls[-1]))
    return calls


# ---------------------------------------------------------------- the hooks
@pytest.mark.django_db
def test_with_the_database_engine_the_hooks_do_nothing(django_capture_on_commit_callbacks, index_calls):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        product = make_certified_product(title="Mắm cá linh")
        product.title = "Mắm cá linh Châu Đốc"
        product.save()
        indexing.product_changed(product.pk)
    assert batches(callbacks) == []
    assert index_calls == []


@pytest.mark.django_db
def test_saves_in_one_transaction_are_indexed_once_after_the_commit(django_capture_on_commit_callbacks, index_calls):
    with override_settings(**NO_SERVER):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            with transaction.atomic():
                product = make_certified_product(title="Mắm cá linh")  # product, stock record, category, certificate
                other = make_product(title="Khô cá lóc")
                indexing.product_changed(other.pk)
        assert index_calls == []  # nothing before the commit
        assert len(batches(callbacks)) == 1
        assert batches(callbacks)[0].ids == {product.pk, other.pk}
        for callback in callbacks:
            callback()
    assert index_calls == [sorted([product.pk, other.pk])]


@pytest.mark.django_db
def test_a_rolled_back_change_is_not_sent(django_capture_on_commit_callbacks, index_calls):
    with override_settings(**NO_SERVER):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        rolled_back = make_product(title="Không lưu")
                        raise RuntimeError("rolled back")
                except RuntimeError:
                    pass
                kept = make_product(title="Được lưu")
    assert [b.ids for b in batches(callbacks)] == [{kept.pk}]
    assert index_calls == [[kept.pk]]
    assert not Product.objects.filter(title=rolled_back.title).exists()


@pytest.mark.django_db
def test_a_failing_elasticsearch_never_breaks_saving_a_product(
    django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def refuse(ids):
        raise ElasticsearchConnectionError("Connection refused")

    monkeypatch.setattr(elastic, "index_products", refuse)
    with override_settings(**NO_SERVER), caplog.at_level(logging.ERROR, logger="catalogue.search"):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            product = make_certified_product(title="Mắm cá linh Châu Đốc")
            product.title = "Mắm cá linh Châu Đốc loại 1"
            product.save()
    assert Product.objects.get(pk=product.pk).title == "Mắm cá linh Châu Đốc loại 1"
    assert any(product.pk in b.ids for b in batches(callbacks))  # queued after the commit
    failures = [r for r in caplog.records if r.name == "catalogue.search" and r.levelno == logging.ERROR]
    assert failures and str(product.pk) in failures[0].getMessage()
    assert "search_index --rebuild" in failures[0].getMessage()
    assert failures[0].exc_info[0] is ElasticsearchConnectionError


@pytest.mark.django_db
def test_the_real_client_refused_a_connection_is_logged_too(django_capture_on_commit_callbacks, caplog):
    """No monkeypatch: the client itself talks to a closed port."""
    with override_settings(**NO_SERVER), caplog.at_level(logging.ERROR, logger="catalogue.search"):
        with django_capture_on_commit_callbacks(execute=True):
            product = make_certified_product(title="Khô cá lóc")
    assert Product.objects.filter(pk=product.pk).exists()
    assert any(r.name == "catalogue.search" and r.exc_info for r in caplog.records)


@pytest.mark.django_db
def test_stock_certificate_producer_and_shelf_changes_queue_their_products(
    django_capture_on_commit_callbacks, index_calls
):
    from showrooms.models import ShelfStock

    product = make_certified_product(title="Đường thốt nốt")
    showroom = make_showroom()
    stock_shelf(showroom, product, 3)  # bulk_create and update(): its service calls product_changed itself
    with override_settings(**NO_SERVER):
        for name, change in (
            ("stock record", lambda: product.stockrecords.first().save()),
            ("certificate", lambda: certify(product, stars=5)),
            ("producer", lambda: product.producer.save()),
            ("shelf", lambda: ShelfStock.objects.get(showroom=showroom, product=product).save()),
            ("showroom", lambda: showroom.save()),
            ("product_changed", lambda: indexing.product_changed(product.pk)),
        ):
            index_calls.clear()
            with django_capture_on_commit_callbacks(execute=True):
                change()
            assert index_calls == [[product.pk]], name


@pytest.mark.django_db
def test_the_task_queue_is_used_when_configured(django_capture_on_commit_callbacks, index_calls, monkeypatch):
    """django-tasks' default backend (immediate, unless TASKS says otherwise) runs the same indexing."""
    enqueued = []
    real_task = indexing.products_reindex_task
    assert real_task is not None
    monkeypatch.setattr(
        indexing, "products_reindex_task",
        SimpleNamespace(enqueue=lambda ids: enqueued.append(ids) or real_task.enqueue(ids)),
    )
    with override_settings(**NO_SERVER, OCOP_SEARCH_TASKS=True):
        with django_capture_on_commit_callbacks(execute=True):
            product = make_product(title="Trà khổ qua rừng")
    assert enqueued == [[product.pk]]
    assert index_calls == [[product.pk]]


# ---------------------------------------------------------------- the document
def certificate(issued_on, expires_on, stars=4, revoked_on=None, pk=None):
    return SimpleNamespace(issued_on=issued_on, expires_on=expires_on, stars=stars, revoked_on=revoked_on, pk=pk)


def test_certified_periods_follow_renewals_revocations_and_future_certificates():
    d = dt.date
    periods = elastic.certified_periods(
        [
            certificate(d(2023, 1, 1), d(2025, 12, 31), stars=3, pk=1),
            certificate(d(2025, 10, 1), d(2028, 9, 30), stars=5, pk=2),  # renewal: current from its issue day
            certificate(d(2024, 1, 1), d(2026, 12, 31), stars=4, revoked_on=d(2024, 6, 1), pk=3),  # never valid
            certificate(d(2029, 3, 1), d(2032, 2, 28), stars=4, pk=4),  # after a gap
        ]
    )
    assert periods == [
        {"valid": {"gte": "2023-01-01", "lt": "2025-10-01"}, "stars": 3},
        {"valid": {"gte": "2025-10-01", "lt": "2028-10-01"}, "stars": 5},
        {"valid": {"gte": "2029-03-01", "lt": "2032-02-29"}, "stars": 4},
    ]
    assert elastic.certified_periods([]) == []


@pytest.mark.django_db
def test_a_product_becomes_the_document_sent_to_elasticsearch():
    producer = make_producer(name="HTX Mắm Châu Đốc")
    product = make_product(title="Mắm cá linh", producer=producer, price=Decimal("85000"), stock=4, group=1)
    product.raw_material_origin = "Đồng Tháp Mười"
    product.save()
    current = certify(product, stars=4, issued_on=TODAY - dt.timedelta(days=10), expires_on=TODAY)
    stock_shelf(make_showroom(), product, 2)
    document = elastic.product_document(elastic.products_to_index().get(pk=product.pk))
    assert document["pk"] == product.pk
    assert document["title"] == "Mắm cá linh"
    assert document["text"] == f"Mắm cá linh Đồng Tháp Mười HTX Mắm Châu Đốc {product.ocop_product_set.name}"
    assert document["producer"] == {"pk": producer.pk, "name": "HTX Mắm Châu Đốc"}
    assert document["product_set"] == {"pk": product.ocop_product_set_id, "name": product.ocop_product_set.name}
    assert document["group"] == 1
    assert document["categories"] == [product.ocop_product_set.category_id]
    assert document["price"] == 85000
    assert document["in_stock"] is True and document["at_showroom"] is True and document["is_public"] is True
    assert document["date_created"] == product.date_created.isoformat()
    assert document["certified"] == [
        {"valid": {"gte": current.issued_on.isoformat(), "lt": (TODAY + dt.timedelta(days=1)).isoformat()}, "stars": 4}
    ]


@pytest.mark.django_db
def test_decomposed_unicode_is_indexed_as_nfc():
    import unicodedata

    product = make_product(title=unicodedata.normalize("NFD", "Mắm cá linh"), stock=0)
    document = elastic.product_document(elastic.products_to_index().get(pk=product.pk))
    assert document["title"] == unicodedata.normalize("NFC", "Mắm cá linh")
    assert document["in_stock"] is False and document["at_showroom"] is False and document["certified"] == []


def test_the_index_folds_vietnamese_and_keeps_an_exact_and_a_prefix_field():
    definition = elastic.index_definition("ocop-products-test").to_dict()
    analysis = definition["settings"]["analysis"]
    assert analysis["char_filter"]["vietnamese_d"]["mappings"] == ["đ => d", "Đ => d"]
    assert analysis["analyzer"]["vietnamese_fold"]["filter"] == ["lowercase", "asciifolding"]
    assert analysis["analyzer"]["vietnamese_fold"]["char_filter"] == ["vietnamese_d"]
    title = definition["mappings"]["properties"]["title"]
    assert title["analyzer"] == "vietnamese_fold"
    assert title["fields"]["exact"]["analyzer"] == "standard"
    assert title["fields"]["prefix"]["analyzer"] == "vietnamese_prefix"
    certified = definition["mappings"]["properties"]["certified"]
    assert certified["type"] == "nested" and certified["properties"]["valid"]["type"] == "date_range"


# ---------------------------------------------------------------- the engine without a server
def test_the_elasticsearch_engine_is_registered():
    assert ENGINES["elasticsearch"] == "catalogue.search.elastic.ElasticsearchEngine"
    with override_settings(OCOP_SEARCH_ENGINE="elasticsearch"):
        assert isinstance(get_engine(), elastic.ElasticsearchEngine)


def test_elasticsearch_without_a_url_is_a_configuration_error():
    with override_settings(OCOP_SEARCH_ENGINE="elasticsearch", ELASTICSEARCH_URL=""):
        with pytest.raises(ImproperlyConfigured):
            elastic.ElasticsearchEngine().search(SearchQuery(text="mam"))


@pytest.mark.django_db
def test_an_unreachable_elasticsearch_answers_from_the_database(caplog):
    product = make_certified_product(title="Mắm cá linh Châu Đốc")
    with override_settings(**NO_SERVER), caplog.at_level(logging.ERROR, logger="catalogue.search"):
        result = elastic.ElasticsearchEngine().search(SearchQuery(text="mam ca linh chau doc"))
        suggestions = elastic.ElasticsearchEngine().suggest("mam ca", limit=5)
    assert [p.pk for p in result.hits] == [product.pk]
    assert [label for label, _url in suggestions.products] == ["Mắm cá linh Châu Đốc"]
    assert any(r.name == "catalogue.search" for r in caplog.records)


@pytest.mark.django_db
def test_aggregations_become_the_database_engines_facets():
    aggregations = {
        "group": {"doc_count": 3, "values": {"buckets": [{"key": 1, "doc_count": 2}, {"key": 3, "doc_count": 1}]}},
        "stars": {
            "certified": {"today": {"values": {"buckets": [{"key": 4, "doc_count": 2}, {"key": 5, "doc_count": 1}]}}}
        },
        "area": {"values": {"buckets": [{"key": "Thành phố Châu Đốc", "doc_count": 2}, {"key": "", "doc_count": 1}]}},
        "price": {"values": {"buckets": [{"key": "under-100k", "doc_count": 1}, {"key": "100k-200k", "doc_count": 2}]}},
        "in_stock": {"doc_count": 2},
        "at_showroom": {"doc_count": 1},
    }
    facets = elastic.facets_from(aggregations, SearchQuery(stars=4, group=1))
    assert set(facets) == {"group", "stars", "area", "price", "availability"}
    groups = {f.value: (f.count, f.selected) for f in facets["group"]}
    assert groups["1"] == (2, True) and groups["3"] == (1, False) and groups["2"] == (0, False)
    assert [(f.value, f.label, f.count, f.selected) for f in facets["stars"]] == [
        ("5", "5 sao", 1, False), ("4", "4 sao", 2, True)
    ]
    assert [(f.value, f.count) for f in facets["area"]] == [("Thành phố Châu Đốc", 2)]
    assert [f.value for f in facets["price"]] == [key for key, *_rest in PRICE_BANDS]
    assert [f.count for f in facets["price"]] == [1, 2, 0, 0]
    assert [(f.value, f.count) for f in facets["availability"]] == [("in_stock", 2), ("at_showroom", 1)]


# ---------------------------------------------------------------- manage.py search_index
@pytest.mark.django_db
def test_search_index_rebuild_refreshes_a_stale_folded_column_after_a_producer_rename():
    producer = make_producer(name="HTX Bảy Núi")
    product = make_certified_product(title="Gạo nàng nhen", producer=producer)
    type(producer).objects.filter(pk=producer.pk).update(name="HTX Thất Sơn")  # a rename that saves nothing else
    assert "that son" not in Product.objects.get(pk=product.pk).search_folded
    assert get_engine().search(SearchQuery(text="that son")).total == 0  # stale until the rebuild

    out = StringIO()
    call_command("search_index", "--rebuild", stdout=out)
    assert "that son" in Product.objects.get(pk=product.pk).search_folded
    assert "1 search columns refreshed" in out.getvalue()
    assert "1 folded names refreshed" in out.getvalue()
    assert [p.pk for p in get_engine().search(SearchQuery(text="that son")).hits] == [product.pk]

    again = StringIO()
    call_command("search_index", "--rebuild", stdout=again)  # idempotent
    assert "0 search columns refreshed" in again.getvalue() and "0 folded names refreshed" in again.getvalue()


@pytest.mark.django_db
def test_search_index_without_rebuild_changes_nothing():
    product = make_product(title="Khô cá tra phồng")
    Product.objects.filter(pk=product.pk).update(search_folded="")
    out = StringIO()
    call_command("search_index", stdout=out)
    assert "--rebuild" in out.getvalue()
    assert Product.objects.get(pk=product.pk).search_folded == ""



@pytest.mark.django_db
def test_search_index_says_plainly_when_elasticsearch_is_down():
    with override_settings(**NO_SERVER):
        with pytest.raises(CommandError, match="Elasticsearch at http://127.0.0.1:9"):
            call_command("search_index", "--rebuild", stdout=StringIO())
        with pytest.raises(CommandError, match="Elasticsearch at http://127.0.0.1:9"):
            call_command("search_index", stdout=StringIO())


@pytest.mark.django_db
def test_search_index_rebuild_on_elasticsearch_reports_the_swap(monkeypatch):
    monkeypatch.setattr(
        elastic, "rebuild",
        lambda batch_size: elastic.RebuildReport(index="ocop-products-2", alias="ocop-products", indexed=7,
                                                 removed=["ocop-products-1"]),
    )
    out = StringIO()
    with override_settings(**NO_SERVER):
        call_command("search_index", "--rebuild", stdout=out)
    assert "7 products indexed into ocop-products-2; alias ocop-products → ocop-products-2" in out.getvalue()
    assert "old indices deleted: ocop-products-1" in out.getvalue()


# ---------------------------------------------------------------- the calls made, against a stand-in client
class FakeIndices:
    """Just enough of ``Elasticsearch.indices`` to follow indices and aliases."""

    def __init__(self):
        self.aliases: dict[str, set[str]] = {}  # index → its aliases
        self.bodies: dict[str, dict] = {}
        self.alias_updates: list[list[dict]] = []

    def get_alias(self, name):
        found = {
            index: {"aliases": {a: {} for a in aliases}} for index, aliases in self.aliases.items() if name in aliases
        }
        if not found:
            raise NotFoundError("alias missing", meta=SimpleNamespace(status=404), body={})
        return found

    def exists(self, index):
        return index in self.aliases or any(index in aliases for aliases in self.aliases.values())

    def create(self, index, body):
        self.aliases[index] = set(body.get("aliases", {}))
        self.bodies[index] = body

    def refresh(self, index):
        pass

    def update_aliases(self, actions):
        self.alias_updates.append(actions)
        for action in actions:
            (kind, spec), = action.items()
            if kind == "add":
                self.aliases[spec["index"]].add(spec["alias"])
            elif kind == "remove":
                self.aliases[spec["index"]].discard(spec["alias"])
            elif kind == "remove_index":
                self.aliases.pop(spec["index"])

    def delete(self, index, ignore_unavailable=False):
        self.aliases.pop(index, None)


class FakeElasticsearch:
    def __init__(self, response=None):
        self.indices = FakeIndices()
        self.response = response or {"hits": {"total": {"value": 0}, "hits": []}, "aggregations": {}}
        self.searches: list[dict] = []
        self.bulk: list[dict] = []
        self.options_given: list[dict] = []

    def options(self, **options):
        self.options_given.append(options)
        return self

    def search(self, index, body, **params):
        self.searches.append({"index": index, **body})
        return SimpleNamespace(body=self.response)


@pytest.fixture
def fake_es(monkeypatch):
    es = FakeElasticsearch()
    monkeypatch.setattr(elastic, "client", lambda: es)
    monkeypatch.setattr(elastic.helpers, "bulk", lambda client, actions, **kw: es.bulk.extend(actions) or (0, []))
    with override_settings(OCOP_SEARCH_ENGINE="elasticsearch", ELASTICSEARCH_INDEX="ocop-products"):
        yield es


@pytest.mark.django_db
def test_rebuild_fills_a_new_index_then_swaps_the_alias_and_deletes_the_old(fake_es):
    certified = make_certified_product(title="Mắm cá linh")
    uncertified = make_product(title="Chưa chứng nhận")
    first = elastic.rebuild()
    assert first.indexed == 2 and first.removed == []
    assert first.index.startswith("ocop-products-")
    assert fake_es.indices.aliases == {first.index: {"ocop-products"}}
    assert "vietnamese_fold" in fake_es.indices.bodies[first.index]["settings"]["analysis"]["analyzer"]
    assert {a["_id"] for a in fake_es.bulk} == {str(certified.pk), str(uncertified.pk)}

    second = elastic.rebuild()
    assert second.removed == [first.index]
    assert fake_es.indices.aliases == {second.index: {"ocop-products"}}
    # one atomic call: the old index leaves the alias in the same request the new one joins it
    assert fake_es.indices.alias_updates[-1] == [
        {"remove": {"index": first.index, "alias": "ocop-products"}},
        {"add": {"index": second.index, "alias": "ocop-products"}},
        {"remove": {"index": second.index, "alias": "ocop-products-building"}},
    ]


@pytest.mark.django_db
def test_changes_during_a_rebuild_reach_both_indices_and_deleted_products_leave(fake_es):
    product = make_certified_product(title="Mắm cá linh")
    live = elastic.rebuild().index
    fake_es.indices.aliases["ocop-products-next"] = {"ocop-products-building"}  # a rebuild is filling this one
    fake_es.bulk.clear()
    elastic.index_products([product.pk, 999_999])
    assert sorted((a["_index"], a.get("_op_type", "index"), a["_id"]) for a in fake_es.bulk) == sorted(
        [
            (live, "index", str(product.pk)),
            ("ocop-products-next", "index", str(product.pk)),
            (live, "delete", "999999"),
            ("ocop-products-next", "delete", "999999"),
        ]
    )


@pytest.mark.django_db
def test_no_index_yet_writes_nothing_and_says_to_rebuild(fake_es, caplog):
    product = make_product(title="Mắm cá linh")
    with caplog.at_level(logging.WARNING, logger="catalogue.search"):
        assert elastic.index_products([product.pk]) == 0
    assert fake_es.bulk == [] and fake_es.indices.aliases == {}  # never auto-creates an index without the mapping
    assert "search_index --rebuild" in caplog.text


@pytest.mark.django_db
def test_search_asks_for_today_and_loads_hits_from_the_database_in_elasticsearch_order(fake_es):
    first, second = make_certified_product(title="Mắm cá linh"), make_certified_product(title="Mắm tép")
    stale = make_product(title="Không còn chứng nhận")  # the index still lists it: the database drops it
    fake_es.response = {
        "hits": {
            "total": {"value": 3},
            "hits": [{"_id": str(second.pk)}, {"_id": str(stale.pk)}, {"_id": str(first.pk)}],
        },
        "aggregations": {"in_stock": {"doc_count": 3}, "at_showroom": {"doc_count": 0}},
    }
    result = elastic.ElasticsearchEngine()._search(SearchQuery(text="mắm", stars=4, sort="stars"))
    assert [p.pk for p in result.hits] == [second.pk, first.pk]
    assert result.total == 3
    # a shopper's search waits 2 s at most and never retries before the database engine answers instead
    assert fake_es.options_given == [{"request_timeout": 2, "max_retries": 0}]
    body = fake_es.searches[0]
    assert body["index"] == ["ocop-products"]
    today = {"term": {"certified.valid": TODAY.isoformat()}}
    assert {"nested": {"path": "certified", "query": {"bool": {"filter": [today]}}}} in body["query"]["bool"]["filter"]
    assert body["sort"][0]["certified.stars"]["nested"]["filter"] == today
    assert body["post_filter"]["bool"]["filter"] == [
        {"nested": {"path": "certified", "query": {"bool": {"filter": [today, {"term": {"certified.stars": 4}}]}}}}
    ]
    assert body["aggs"]["stars"]["filter"] == {"match_all": {}}  # a facet never filters by itself
    assert {"match_phrase": {"title.exact": {"query": "mắm", "boost": 8}}} in body["query"]["bool"]["should"]
    assert body["track_total_hits"] is True and body["from"] == 0 and body["size"] == 24


@pytest.mark.django_db
@pytest.mark.parametrize("text", ['"', "*", ":", "(", "\\", "'", "🐟", "   ", "mắm " * 700])
def test_any_text_makes_a_valid_request(fake_es, text):
    result = elastic.ElasticsearchEngine()._search(SearchQuery(text=text))
    assert result.hits == []
    body = fake_es.searches[0]
    assert len(str(body)) < 10_000  # a pasted paragraph is cut to a few words


@pytest.mark.django_db
def test_deep_pages_ask_for_no_hits_instead_of_failing(fake_es):
    elastic.ElasticsearchEngine()._search(SearchQuery(page=1000, page_size=24))
    assert fake_es.searches[0]["size"] == 0


@pytest.mark.django_db
def test_suggestions_come_from_the_title_prefixes_through_the_gate(fake_es):
    product = make_certified_product(title="Đường thốt nốt")
    uncertified = make_product(title="Đường cát")
    hits = [{"_id": str(uncertified.pk)}, {"_id": str(product.pk)}]
    fake_es.response = {"hits": {"total": {"value": 2}, "hits": hits}}
    suggestions = elastic.ElasticsearchEngine().suggest("duo", limit=5)
    assert [label for label, _url in suggestions.products] == ["Đường thốt nốt"]
    assert fake_es.searches[0]["query"]["bool"]["must"] == [
        {"match": {"title.prefix": {"query": "duo", "operator": "and"}}}
    ]

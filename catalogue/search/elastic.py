"""The Elasticsearch engine (elasticsearch-dsl): the database engine's behaviour, at scale.

Same interface and answers as ``DatabaseEngine``: ``search(SearchQuery) -> SearchResult`` with the same facet keys
and ``FacetValue`` shapes, ``suggest(text, limit=) -> Suggestions``.

- **Folding.** Text is NFC-normalised in Python before it is indexed or queried; the ``vietnamese_fold`` analyzer
  then maps đ/Đ → d (a mapping char filter, before the tokenizer), lowercases and drops every diacritic and tone
  mark (``asciifolding``: ICU is not available). It agrees with ``shop.text.fold_vietnamese``, the one fold; a test
  compares them word by word through the ``_analyze`` API whenever ELASTICSEARCH_URL is set. Queries are sent as
  ``query_words`` (already folded by the one fold), so the query side cannot disagree at all.
- **Exact accents first.** ``title.exact`` keeps the accents (the ``standard`` analyzer: lowercase only): a
  phrase match of the typed text there ranks "mắm" before "mâm".
- **Typos and prefixes.** Every word typed must match the folded text, either fuzzily (``fuzziness: AUTO:4,7``) or as
  the start of a word (``text.prefix``, edge n-grams; the search box's suggestions use ``title.prefix``).
- **The gate at query time.** A document carries its product's certified periods: date ranges (a ``date_range``
  field, nested with the stars of the certificate current in that period), computed from every certificate with
  ``certificate_is_valid``. The query asks for a period containing ``ocop_today()``, so a certificate that expires
  today drops out tomorrow (and one issued tomorrow appears tomorrow) with no reindex. Hits are then loaded from
  the database by pk, in Elasticsearch's order, through ``products_for_cards`` (the database's cards and its
  certification gate): a stale index can show a product too few, never one that is not certified.
- **Aliases.** The live index is the alias ``settings.ELASTICSEARCH_INDEX``; ``rebuild()`` fills a new timestamped
  index, swaps the alias in one atomic ``update_aliases`` call and deletes the old index: searches never see a
  missing or half-filled index. While a rebuild runs, changes are written to both indices (the new one is behind a
  second alias, ``<alias>-building``).
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, F, OuterRef, Prefetch, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from elasticsearch import Elasticsearch, NotFoundError, helpers
from elasticsearch_dsl import (
    Boolean,
    Date,
    DateRange,
    Document,
    Index,
    InnerDoc,
    Integer,
    Keyword,
    Long,
    Nested,
    Object,
    Q,
    Search,
    Text,
    analyzer,
    char_filter,
    normalizer,
    token_filter,
)

from ..certification import certificate_is_valid, ocop_today
from ..models import Certificate, OcopGroup, Product
from ..selectors import products_for_cards
from .query import PRICE_BANDS, FacetValue, SearchQuery, SearchResult, Suggestions
from .text import exact_lower, query_words

logger = logging.getLogger("catalogue.search")

MAX_RESULT_WINDOW = 10_000  # Elasticsearch's index.max_result_window: deeper pages answer no hits, never an error
BATCH_SIZE = 500
# Typos: none in words of 1-3 letters (folded Vietnamese is full of them: "mam" must not find "mat" honey), one
# from 4 letters, two from 7. The first letter must be right.
FUZZINESS = "AUTO:4,7"
MAX_FUZZY_LETTERS = 20  # longer "words" (pasted junk) match exactly: a fuzzy automaton on them is costly

# ---------------------------------------------------------------- analysis: the one fold, in Elasticsearch
vietnamese_d = char_filter("vietnamese_d", type="mapping", mappings=["đ => d", "Đ => d"])
vietnamese_fold = analyzer(
    "vietnamese_fold", tokenizer="standard", char_filter=[vietnamese_d], filter=["lowercase", "asciifolding"]
)
word_starts = token_filter("word_starts", type="edge_ngram", min_gram=1, max_gram=20)
vietnamese_prefix = analyzer(
    "vietnamese_prefix",
    tokenizer="standard",
    char_filter=[vietnamese_d],
    filter=["lowercase", "asciifolding", word_starts],
)
folded_keyword = normalizer("folded_keyword", char_filter=[vietnamese_d], filter=["lowercase", "asciifolding"])


def _folded_text(**kwargs):
    """Folded words, plus ``.prefix``: every start of every word (typed-so-far matches, suggestions)."""
    return Text(
        analyzer=vietnamese_fold,
        fields={"prefix": Text(analyzer=vietnamese_prefix, search_analyzer=vietnamese_fold), **kwargs},
    )


class CertifiedPeriod(InnerDoc):
    """Days on which the product is certified, and the stars of its current certificate on those days."""

    valid = DateRange(format="yyyy-MM-dd")  # {"gte": first day, "lt": the day after the last}
    stars = Integer()


class ProductDocument(Document):
    pk = Integer()
    title = _folded_text(
        exact=Text(analyzer="standard"),  # accents kept, lower case: exact-accent boost
        sort=Keyword(normalizer=folded_keyword),  # starts-with boost, alphabetical tie-break
    )
    text = _folded_text()  # title, raw-material area, producer, OCOP product set
    producer = Object(properties={"pk": Integer(), "name": Text(analyzer=vietnamese_fold)})
    product_set = Object(properties={"pk": Integer(), "name": Text(analyzer=vietnamese_fold)})
    group = Integer()  # OcopGroup.number
    categories = Integer()  # the product's own categories (a query passes a category and its descendants)
    area = Keyword()  # the producer's former district
    price = Long()  # whole dong
    date_created = Date()
    is_public = Boolean()
    in_stock = Boolean()  # can be bought online now
    at_showroom = Boolean()  # on an active showroom's shelf now
    certified = Nested(CertifiedPeriod)


def index_definition(name: str) -> Index:
    index = Index(name)
    # One shard is plenty for a province's catalogue; replicas follow the cluster (0 on one node: green health).
    index.settings(number_of_shards=1, auto_expand_replicas="0-1")
    index.document(ProductDocument)
    return index


# ---------------------------------------------------------------- the connection
def alias_name() -> str:
    return getattr(settings, "ELASTICSEARCH_INDEX", "") or "ocop-products"


def building_alias_name() -> str:
    return f"{alias_name()}-building"


def client() -> Elasticsearch:
    url = getattr(settings, "ELASTICSEARCH_URL", "")
    if not url:
        raise ImproperlyConfigured("OCOP_SEARCH_ENGINE=elasticsearch needs ELASTICSEARCH_URL (http://host:9200).")
    return _client_for(url)


def reader() -> Elasticsearch:
    """For a shopper's search or suggestions: 2 s and no retry, then the caller answers from the database engine
    (an Elasticsearch host that does not answer at all must not hold the page for the indexing timeout)."""
    return client().options(request_timeout=2, max_retries=0)


@lru_cache(maxsize=4)
def _client_for(url: str) -> Elasticsearch:
    # Short timeouts, one retry: indexing runs after a save's commit and must never hold a request for long.
    return Elasticsearch(url, request_timeout=5, max_retries=1, retry_on_timeout=False)


def _indices_behind(es: Elasticsearch, alias: str) -> list[str]:
    try:
        return sorted(es.indices.get_alias(name=alias).keys())
    except NotFoundError:
        return []


# ---------------------------------------------------------------- documents
def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def certified_periods(certificates) -> list[dict]:
    """The days a product is certified, as non-overlapping ``date_range`` values with the current certificate's
    stars, from all its certificates (renewals, revocations, future ones). Validity only changes on an issue day
    or the day after an expiry, so checking the first day of each span with ``certificate_is_valid`` (the one
    definition) decides the whole span; the current certificate is the valid one issued last."""
    certificates = list(certificates)
    bounds = sorted({c.issued_on for c in certificates} | {c.expires_on + dt.timedelta(days=1) for c in certificates})
    periods: list[dict] = []
    for start, end in zip(bounds, bounds[1:]):
        valid = [c for c in certificates if certificate_is_valid(c, on=start)]
        if not valid:
            continue
        stars = max(valid, key=lambda c: (c.issued_on, c.pk or 0)).stars
        if periods and periods[-1]["stars"] == stars and periods[-1]["valid"]["lt"] == start:
            periods[-1]["valid"]["lt"] = end
        else:
            periods.append({"valid": {"gte": start, "lt": end}, "stars": stars})
    return [
        {"valid": {"gte": p["valid"]["gte"].isoformat(), "lt": p["valid"]["lt"].isoformat()}, "stars": p["stars"]}
        for p in periods
    ]


def products_to_index():
    """Every product a listing could show (not variants), with what its document needs, in a fixed number of
    queries per batch. Uncertified ones are indexed too: the query decides validity on the day."""
    from oscar.core.loading import get_model

    from showrooms.models import ShelfStock

    StockRecord = get_model("partner", "StockRecord")
    Category = get_model("catalogue", "Category")
    first_stock = StockRecord.objects.filter(product=OuterRef("pk")).order_by("pk")
    online = StockRecord.objects.filter(product=OuterRef("pk"), num_in_stock__gt=F("num_allocated"))
    shelf = ShelfStock.objects.filter(product=OuterRef("pk"), showroom__is_active=True, quantity__gt=F("reserved"))
    return (
        Product.objects.filter(parent__isnull=True)
        .select_related("producer__area", "ocop_product_set__group")
        .prefetch_related(
            Prefetch("certificates", queryset=Certificate.objects.order_by(), to_attr="index_certificates"),
            Prefetch("categories", queryset=Category.objects.only("pk"), to_attr="index_categories"),
        )
        .annotate(
            index_price=Subquery(first_stock.values("price")[:1]),
            index_in_stock=Exists(online),
            index_at_showroom=Exists(shelf),
        )
        .order_by("pk")
    )


def product_document(product) -> dict:
    """A product (loaded through ``products_to_index()``) → the document sent to Elasticsearch. Text is NFC; the
    analyzers fold it."""
    producer, product_set = product.producer, product.ocop_product_set
    title = nfc(product.title)
    parts = [title, nfc(product.raw_material_origin)]
    if producer is not None:
        parts.append(nfc(producer.name))
    if product_set is not None:
        parts.append(nfc(product_set.name))
    area = producer.area if producer is not None else None
    price = product.index_price
    return {
        "pk": product.pk,
        "title": title,
        "text": " ".join(part for part in parts if part),
        "producer": {"pk": producer.pk, "name": nfc(producer.name)} if producer is not None else None,
        "product_set": {"pk": product_set.pk, "name": nfc(product_set.name)} if product_set is not None else None,
        "group": product_set.group.number if product_set is not None else None,
        "categories": sorted(c.pk for c in product.index_categories),
        "area": (area.former_district if area is not None else "") or "",
        "price": int(price) if price is not None else None,
        "date_created": product.date_created.isoformat() if product.date_created else None,
        "is_public": bool(product.is_public),
        "in_stock": bool(product.index_in_stock),
        "at_showroom": bool(product.index_at_showroom),
        "certified": certified_periods(product.index_certificates),
    }


# ---------------------------------------------------------------- writing: one product at a time, or all
def index_products(product_ids) -> int:
    """Write the current state of these products into the live index (and a rebuild's new one, if one runs);
    ids that are no longer listable products (deleted, variants) are removed. Raises on Elasticsearch errors:
    callers after a commit (catalogue.search.indexing) log them."""
    ids = {int(pk) for pk in product_ids if pk}
    if not ids:
        return 0
    es = client()
    targets = sorted({*_indices_behind(es, alias_name()), *_indices_behind(es, building_alias_name())})
    if not targets:
        logger.warning(
            "Search index %s does not exist yet: run `manage.py search_index --rebuild`; products %s not indexed.",
            alias_name(), sorted(ids),
        )
        return 0
    documents = [product_document(p) for p in products_to_index().filter(pk__in=ids)]
    gone = ids - {d["pk"] for d in documents}
    actions = [
        {"_index": target, "_id": str(d["pk"]), "_source": d} for target in targets for d in documents
    ] + [{"_op_type": "delete", "_index": target, "_id": str(pk)} for target in targets for pk in sorted(gone)]
    helpers.bulk(es, actions, ignore_status=(404,))
    return len(documents)


@dataclass
class RebuildReport:
    index: str
    alias: str
    indexed: int
    removed: list[str] = field(default_factory=list)


def rebuild(*, batch_size: int = BATCH_SIZE) -> RebuildReport:
    """Every product into a new timestamped index, then the alias swapped to it atomically and the old index
    deleted. Idempotent; run one at a time (a rebuild deletes a crashed rebuild's leftover index)."""
    es = client()
    alias, building = alias_name(), building_alias_name()
    for leftover in _indices_behind(es, building):
        es.indices.delete(index=leftover, ignore_unavailable=True)
    name = f"{alias}-{timezone.now():%Y%m%d%H%M%S%f}"
    index = index_definition(name)
    index.aliases(**{building: {}})  # from now on changes are written here too
    index.create(using=es)
    indexed = 0
    try:
        last_pk = 0
        while True:
            batch = list(products_to_index().filter(pk__gt=last_pk)[:batch_size])
            if not batch:
                break
            last_pk = batch[-1].pk
            documents = [product_document(p) for p in batch]
            helpers.bulk(es, ({"_index": name, "_id": str(d["pk"]), "_source": d} for d in documents))
            indexed += len(documents)
        es.indices.refresh(index=name)
        old = _indices_behind(es, alias)
        actions = [{"remove": {"index": o, "alias": alias}} for o in old]
        if not old and es.indices.exists(index=alias):  # a plain index squatting on the alias's name
            actions.append({"remove_index": {"index": alias}})
        actions += [{"add": {"index": name, "alias": alias}}, {"remove": {"index": name, "alias": building}}]
        es.indices.update_aliases(actions=actions)
    except Exception:
        es.indices.delete(index=name, ignore_unavailable=True)
        raise
    for o in old:
        es.indices.delete(index=o, ignore_unavailable=True)
    return RebuildReport(index=name, alias=alias, indexed=indexed, removed=old)


# ---------------------------------------------------------------- reading
def _price_band_q(key: str):
    for band_key, _label, low, high in PRICE_BANDS:
        if band_key == key:
            bounds = {}
            if low is not None:
                bounds["gte"] = int(low)
            if high is not None:
                bounds["lt"] = int(high)
            return Q("range", price=bounds)
    return Q("match_all")


def _certified_on(day: dt.date, **also):
    """Certified on ``day`` (a period contains it), optionally with more conditions on that same period."""
    conditions = [Q("term", **{"certified.valid": day.isoformat()})]
    conditions += [Q("term", **{f"certified.{name}": value}) for name, value in also.items()]
    return Q("nested", path="certified", query=Q("bool", filter=conditions))


FLAGS = {"in_stock": Q("term", in_stock=True), "at_showroom": Q("term", at_showroom=True)}

SORTS = {
    "relevance": ["_score", {"date_created": "desc"}, {"pk": "desc"}],
    "newest": [{"date_created": "desc"}, {"pk": "desc"}],
    "price-asc": [{"price": "asc"}, {"pk": "desc"}],
    "price-desc": [{"price": "desc"}, {"pk": "desc"}],
}


def _text_clauses(text: str) -> tuple[list, list]:
    """(must, should): every word typed, fuzzily or as a word's start, in the folded text; exact accents in the
    title rank first, then titles starting with the first word, then titles holding every word."""
    words = query_words(text)
    if not words:
        return [Q("match_none")], []
    must = [
        Q(
            "bool",
            should=[
                Q("match", text={"query": word, "fuzziness": FUZZINESS if len(word) <= MAX_FUZZY_LETTERS else 0,
                                 "prefix_length": 1}),
                Q("match", **{"text.prefix": word}),
            ],
            minimum_should_match=1,
        )
        for word in words
    ]
    should = [
        Q("match_phrase", **{"title.exact": {"query": exact_lower(text), "boost": 8}}),
        Q("prefix", **{"title.sort": {"value": words[0], "boost": 4}}),
        Q("match", title={"query": " ".join(words), "operator": "and", "boost": 2}),
    ]
    return must, should


class ElasticsearchEngine:
    def _filters(self, query: SearchQuery, today: dt.date) -> dict:
        filters = {}
        if query.in_stock:
            filters["in_stock"] = FLAGS["in_stock"]
        if query.at_showroom:
            filters["at_showroom"] = FLAGS["at_showroom"]
        if query.group:
            filters["group"] = Q("term", group=query.group)
        if query.stars:
            filters["stars"] = _certified_on(today, stars=query.stars)
        if query.area:
            filters["area"] = Q("term", area=query.area)
        if query.price_band:
            filters["price"] = _price_band_q(query.price_band)
        return filters

    def _base(self, query: SearchQuery, today: dt.date):
        """What every hit and every facet count shares: public, certified today, the category, the words."""
        conditions = [Q("term", is_public=True), _certified_on(today)]
        if query.category_ids:
            conditions.append(Q("terms", categories=list(query.category_ids)))
        must, should = _text_clauses(query.text) if query.text.strip() else ([], [])
        return Q("bool", filter=conditions, must=must, should=should)

    def search(self, query: SearchQuery) -> SearchResult:
        try:
            return self._search(query)
        except (ImproperlyConfigured, NotImplementedError):
            raise
        except Exception:  # a search page must answer even when Elasticsearch does not
            logger.exception("Elasticsearch search failed; answering from the database engine.")
            from .database import DatabaseEngine

            return DatabaseEngine().search(query)

    def _search(self, query: SearchQuery) -> SearchResult:
        today = ocop_today()
        page = max(1, query.page)
        start = (page - 1) * query.page_size
        size = query.page_size if start + query.page_size <= MAX_RESULT_WINDOW else 0
        filters = self._filters(query, today)
        sort = query.effective_sort
        if sort == "stars":
            ordering = [
                {
                    "certified.stars": {
                        "order": "desc",
                        "nested": {"path": "certified", "filter": {"term": {"certified.valid": today.isoformat()}}},
                    }
                },
                {"date_created": "desc"},
                {"pk": "desc"},
            ]
        else:
            ordering = SORTS[sort]
        search = (
            Search(using=reader(), index=alias_name())
            .query(self._base(query, today))
            .post_filter(_all(filters.values()))
            .sort(*ordering)
            .source(False)
            .extra(track_total_hits=True, from_=min(start, MAX_RESULT_WINDOW), size=size)
        )
        self._aggregations(search, filters, today)
        response = search.execute().to_dict()
        ids = [int(hit["_id"]) for hit in response["hits"]["hits"]]
        return SearchResult(
            hits=products_in_order(ids),
            total=response["hits"]["total"]["value"],
            page=page,
            page_size=query.page_size,
            facets=facets_from(response.get("aggregations", {}), query),
        )

    @staticmethod
    def _aggregations(search: Search, filters: dict, today: dt.date) -> None:
        """Each facet counts with every other filter applied, never its own (the database engine's rule); the
        hits get all of them through post_filter."""

        def others(name):
            return _all(q for key, q in filters.items() if key != name)

        search.aggs.bucket("group", "filter", filter=others("group")).bucket("values", "terms", field="group", size=50)
        (
            search.aggs.bucket("stars", "filter", filter=others("stars"))
            .bucket("certified", "nested", path="certified")
            .bucket("today", "filter", filter=Q("term", **{"certified.valid": today.isoformat()}))
            # one period per product holds today, so these bucket counts are product counts
            .bucket("values", "terms", field="certified.stars", size=10)
        )
        search.aggs.bucket("area", "filter", filter=others("area")).bucket("values", "terms", field="area", size=1000)
        ranges = []
        for key, _label, low, high in PRICE_BANDS:
            bounds = {"key": key}
            if low is not None:
                bounds["from"] = int(low)
            if high is not None:
                bounds["to"] = int(high)
            ranges.append(bounds)
        search.aggs.bucket("price", "filter", filter=others("price")).bucket(
            "values", "range", field="price", ranges=ranges
        )
        for name, flag in FLAGS.items():
            search.aggs.bucket(name, "filter", filter=_all([*filters.values(), flag]))

    def suggest(self, text: str, *, limit: int = 5) -> Suggestions:
        """Products whose title words start with every word typed (best first, from the index), public approved
        producers whose folded name holds them (from the database: a few hundred rows), pages from Wagtail."""
        from oscar.core.loading import get_model

        from .pages import pages_suggest

        words = query_words(text)
        if not words:
            return Suggestions()
        try:
            products = self._suggest_products(text, words, limit)
        except ImproperlyConfigured:
            raise
        except Exception:
            logger.exception("Elasticsearch suggestions failed; answering from the database engine.")
            from .database import DatabaseEngine

            return DatabaseEngine().suggest(text, limit=limit)
        Partner = get_model("partner", "Partner")
        producers = Partner.objects.filter(is_public=True, approved_at__isnull=False)
        for word in words:
            producers = producers.filter(name_folded__contains=word)
        return Suggestions(
            products=[(p.get_title(), p.get_absolute_url()) for p in products],
            producers=[(p.name, p.get_absolute_url()) for p in producers.order_by("name")[:limit]],
            pages=pages_suggest(text, limit=limit),
        )

    def _suggest_products(self, text: str, words: list[str], limit: int) -> list:
        today = ocop_today()
        query = Q(
            "bool",
            filter=[Q("term", is_public=True), _certified_on(today)],
            must=[Q("match", **{"title.prefix": {"query": " ".join(words), "operator": "and"}})],
            should=[
                Q("match_phrase", **{"title.exact": {"query": exact_lower(text), "boost": 8}}),
                Q("prefix", **{"title.sort": {"value": words[0], "boost": 4}}),
            ],
        )
        search = (
            Search(using=reader(), index=alias_name())
            .query(query)
            .sort("_score", {"title.sort": "asc"})
            .source(False)
            .extra(size=limit)
        )
        ids = [int(hit["_id"]) for hit in search.execute().to_dict()["hits"]["hits"]]
        listed = Product.objects.browsable().certified(today).filter(pk__in=ids).only("pk", "title", "slug")
        found = {p.pk: p for p in listed}
        return [found[pk] for pk in ids if pk in found]


def _all(queries):
    queries = list(queries)
    return Q("bool", filter=queries) if queries else Q("match_all")


def products_in_order(ids: list[int]) -> list:
    """Cards for these products, in this order, through the database's gate: a product the index still holds but
    that is no longer certified (or listable) is left out."""
    if not ids:
        return []
    found = {p.pk: p for p in products_for_cards(Product.objects.filter(pk__in=ids).certified())}
    return [found[pk] for pk in ids if pk in found]


def facets_from(aggregations: dict, query: SearchQuery) -> dict[str, list[FacetValue]]:
    """Elasticsearch's aggregations → the database engine's facets (same keys, values, labels and order)."""

    def buckets(name):
        return aggregations.get(name, {}).get("values", {}).get("buckets", [])

    group_counts = {int(b["key"]): b["doc_count"] for b in buckets("group")}
    stars_buckets = (
        aggregations.get("stars", {}).get("certified", {}).get("today", {}).get("values", {}).get("buckets", [])
    )
    stars_counts = {int(b["key"]): b["doc_count"] for b in stars_buckets if b["doc_count"]}
    area_counts = {b["key"]: b["doc_count"] for b in buckets("area") if b["key"]}
    band_counts = {b["key"]: b["doc_count"] for b in buckets("price")}
    group_names = {g.number: g for g in OcopGroup.objects.filter(taxonomy__is_current=True)}
    return {
        "group": [
            FacetValue(str(number), str(group), group_counts.get(number, 0), query.group == number)
            for number, group in sorted(group_names.items())
        ],
        "stars": [
            FacetValue(str(stars), _("%(n)s sao") % {"n": stars}, count, query.stars == stars)
            for stars, count in sorted(stars_counts.items(), reverse=True)
        ],
        "area": [FacetValue(area, area, count, query.area == area) for area, count in sorted(area_counts.items())],
        "price": [
            FacetValue(key, str(label), band_counts.get(key, 0), query.price_band == key)
            for key, label, *_rest in PRICE_BANDS
        ],
        "availability": [
            FacetValue("in_stock", _("Còn hàng, mua online"), aggregations.get("in_stock", {}).get("doc_count", 0),
                       query.in_stock),
            FacetValue("at_showroom", _("Có tại điểm bán"), aggregations.get("at_showroom", {}).get("doc_count", 0),
                       query.at_showroom),
        ],
    }

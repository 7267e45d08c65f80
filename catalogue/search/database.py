"""The database engine: no server, SQLite or PostgreSQL. Certified products only, always filtered at query
time through the listing columns (catalogue/listing.py): a certificate that expires today drops out today
without any reindex. Filters, sorts and facet counts read indexed columns of the product row only."""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils.translation import gettext as _

from ..certification import listing_certified_q, ocop_today
from ..listing import listings_refresh_due_daily
from ..models import OcopGroup, Product
from ..selectors import products_for_cards
from .query import PRICE_BANDS, FacetValue, SearchQuery, SearchResult, Suggestions
from .text import exact_lower, query_words, word_start_q

ORDERINGS = {
    "relevance": ["-relevance", "-date_created", "-pk"],
    "newest": ["-date_created", "-pk"],
    "price-asc": ["listing_price", "-pk"],
    "price-desc": ["-listing_price", "-pk"],
    "stars": ["-listing_stars", "-date_created", "-pk"],
}
IN_STOCK = Q(stock_band__gt=0)
AT_SHOWROOM = Q(at_showroom=True)


def _price_band_q(key: str) -> Q:
    for band_key, _label, low, high in PRICE_BANDS:
        if band_key == key:
            q = Q()
            if low is not None:
                q &= Q(listing_price__gte=low)
            if high is not None:
                q &= Q(listing_price__lt=high)
            return q
    return Q()


class DatabaseEngine:
    def base_queryset(self):
        listings_refresh_due_daily()
        return Product.objects.browsable().filter(listing_certified_q(on=ocop_today()))

    def _filters(self, query: SearchQuery) -> dict[str, Q]:
        filters = {}
        words = query_words(query.text)
        for word in words:  # every word, typed with or without accents, somewhere in what a product is called
            filters["text"] = filters.get("text", Q()) & Q(search_folded__contains=f" {word}")
        if query.text.strip() and not words:  # only punctuation or emoji: nothing can match
            filters["text"] = Q(pk__in=[])
        if query.in_stock:
            filters["in_stock"] = IN_STOCK
        if query.at_showroom:
            filters["at_showroom"] = AT_SHOWROOM
        if query.group:
            filters["group"] = Q(listing_group=query.group)
        if query.category_ids:
            filters["category"] = Q(categories__in=query.category_ids)
        if query.stars:
            filters["stars"] = Q(listing_stars=query.stars)
        if query.area:
            filters["area"] = Q(listing_area=query.area)
        if query.price_band:
            filters["price"] = _price_band_q(query.price_band)
        return filters

    def _filtered(self, base, filters: dict[str, Q], *, without: str = ""):
        qs = base
        for name, q in filters.items():
            if name != without:
                qs = qs.filter(q)
        if "category" in filters and without != "category":
            qs = qs.distinct()
        return qs

    def search(self, query: SearchQuery) -> SearchResult:
        base = self.base_queryset()
        filters = self._filters(query)
        results = self._filtered(base, filters)
        total = results.count()
        page = max(1, query.page)
        start = (page - 1) * query.page_size
        sort = query.effective_sort
        if sort == "relevance":
            results = results.annotate(relevance=_relevance(query.text))
        hits = list(products_for_cards(results).order_by(*ORDERINGS[sort])[start : start + query.page_size])
        return SearchResult(
            hits=hits, total=total, page=page, page_size=query.page_size, facets=self._facets(base, filters, query)
        )

    def _facets(self, base, filters, query: SearchQuery) -> dict[str, list[FacetValue]]:
        def counts(without: str, column: str) -> dict:
            rows = self._filtered(base, filters, without=without).order_by().values(column).annotate(n=Count("pk", distinct=True))
            return {row[column]: row["n"] for row in rows}

        group_counts = counts("group", "listing_group")
        group_names = {g.number: g for g in OcopGroup.objects.filter(taxonomy__is_current=True)}
        star_counts = counts("stars", "listing_stars")
        area_counts = counts("area", "listing_area")
        availability = self._filtered(base, filters).aggregate(
            in_stock=Count("pk", filter=IN_STOCK, distinct=True), at_showroom=Count("pk", filter=AT_SHOWROOM, distinct=True)
        )
        bands = self._filtered(base, filters, without="price").aggregate(
            **{key: Count("pk", filter=_price_band_q(key), distinct=True) for key, *_rest in PRICE_BANDS}
        )
        return {
            "group": [
                FacetValue(str(number), str(group), group_counts.get(number, 0), query.group == number)
                for number, group in sorted(group_names.items())
            ],
            "stars": [
                FacetValue(str(stars), _("%(n)s sao") % {"n": stars}, n, query.stars == stars)
                for stars, n in sorted(star_counts.items(), key=lambda item: -(item[0] or 0))
                if stars
            ],
            "area": [FacetValue(area, area, n, query.area == area) for area, n in sorted(area_counts.items()) if area],
            "price": [
                FacetValue(key, str(label), bands[key], query.price_band == key) for key, label, *_rest in PRICE_BANDS
            ],
            "availability": [
                FacetValue("in_stock", _("Còn hàng, mua online"), availability["in_stock"], query.in_stock),
                FacetValue("at_showroom", _("Có tại điểm bán"), availability["at_showroom"], query.at_showroom),
            ],
        }

    def suggest(self, text: str, *, limit: int = 5) -> Suggestions:
        """Products and producers whose folded names hold every word typed, best first; the search box's pages
        (stories, showrooms) come from Wagtail's own search (catalogue.search.pages)."""
        from oscar.core.loading import get_model

        from .pages import pages_suggest

        words = query_words(text)
        if not words:
            return Suggestions()
        named = Q()
        for word in words:
            named &= word_start_q("title_folded", word)
        products = (
            self.base_queryset().filter(named).annotate(relevance=_relevance(text))
            .order_by("-relevance", "title").only("pk", "title", "slug")[:limit]
        )
        Partner = get_model("partner", "Partner")
        producer_q = Q()
        for word in words:
            producer_q &= word_start_q("name_folded", word)
        producers = (
            Partner.objects.filter(producer_q, is_public=True, approved_at__isnull=False).order_by("name")[:limit]
        )
        return Suggestions(
            products=[(p.get_title(), p.get_absolute_url()) for p in products],
            producers=[(p.name, p.get_absolute_url()) for p in producers],
            pages=pages_suggest(text, limit=limit),
        )


def _relevance(text: str):
    """Exact accents first ("mắm" before "mâm"), then titles that start with the first word, then the rest."""
    words, exact = query_words(text), exact_lower(text)
    score = Case(When(title_lower__contains=exact, then=Value(4)), default=Value(0), output_field=IntegerField())
    if words:
        score = score + Case(
            When(title_folded__startswith=words[0], then=Value(2)), default=Value(0), output_field=IntegerField()
        )
        in_title = Q()
        for word in words:
            in_title &= word_start_q("title_folded", word)
        score = score + Case(When(in_title, then=Value(1)), default=Value(0), output_field=IntegerField())
    return score

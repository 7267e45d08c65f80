"""Product search: one interface (``search``), engines chosen by settings.

Browse is a search with an empty query, so listings and their facets are built once. The database engine
is the embedded default; the search issue adds text relevance and the Elasticsearch engine.
"""

from django.conf import settings
from django.utils.module_loading import import_string

from .query import PRICE_BANDS, SORTS, FacetValue, SearchQuery, SearchResult

__all__ = ["PRICE_BANDS", "SORTS", "FacetValue", "SearchQuery", "SearchResult", "search"]

ENGINES = {
    "database": "catalogue.search.database.DatabaseEngine",
    "elasticsearch": "catalogue.search.elastic.ElasticsearchEngine",
}


def get_engine():
    return import_string(ENGINES[getattr(settings, "OCOP_SEARCH_ENGINE", "database")])()


def search(query: SearchQuery) -> SearchResult:
    return get_engine().search(query)

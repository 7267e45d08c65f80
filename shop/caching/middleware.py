"""The whole-page cache in the middleware stack (shop/caching/pages.py says what it keeps and why).

It sits after Django's CSRF middleware, so a page served from the cache gets the visitor's own CSRF cookie, and
before authentication, sessions being read, the basket and everything else a cached page does not need."""

from __future__ import annotations

from dataclasses import asdict

from django.conf import settings

from . import store
from .pages import (
    VARIES_ON_HISTORY,
    Entry,
    entry_from_response,
    page_keys,
    request_cacheable,
    response_storable,
)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request_cacheable(request):
            return self.get_response(request)
        keys = page_keys(request)
        entry = self._lookup(keys)
        if entry is not None:
            return entry.response(request)
        response = self.get_response(request)
        if request.method == "GET" and response_storable(response):
            entry = entry_from_response(response, keys.tokens)
            timeout = settings.OCOP_PAGE_CACHE_SECONDS
            if entry.history_product is not None:
                store.write_many({keys.base: VARIES_ON_HISTORY, keys.with_history(): asdict(entry)}, timeout)
            else:
                store.write(keys.base, asdict(entry), timeout)
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _lookup(keys) -> Entry | None:
        stored = store.read(keys.base)
        if stored == VARIES_ON_HISTORY:
            stored = store.read(keys.with_history())
        if not isinstance(stored, dict):
            return None
        try:
            entry = Entry(**stored)
        except TypeError:  # stored by an older release
            return None
        return entry if entry.usable(keys.tokens) else None

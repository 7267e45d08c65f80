"""The search box's dropdown: ``GET /shop/search/suggest/?q=duo`` → a few products, producers and pages as JSON.

Whatever is typed is answered quickly and never with an error: empty text, punctuation, operators, emoji or a
pasted paragraph give empty lists (catalogue.search.text.query_words drops everything that is not a word)."""

import json

from django.http import JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from catalogue.search import get_engine
from catalogue.search.text import MAX_QUERY_CHARS, exact_lower, query_words
from shop.caching.fragments import fragment_cached

LIMIT = 5
MIN_CHARS = 2  # the box asks from the second letter on
MAX_AGE = 60  # seconds: a new product or price shows in the dropdown within a minute


def _items(pairs) -> list[dict]:
    return [{"label": str(label), "url": url} for label, url in pairs]


def _found(text: str) -> dict:
    found = get_engine().suggest(text, limit=LIMIT)
    return {"products": _items(found.products), "producers": _items(found.producers), "pages": _items(found.pages)}


@require_GET
def suggest(request):
    text = request.GET.get("q", "").replace("\x00", "")[:MAX_QUERY_CHARS]  # PostgreSQL refuses NUL
    words = query_words(text)
    body = {"products": [], "producers": [], "pages": []}
    if sum(len(word) for word in words) >= MIN_CHARS:
        # the same text gives the same answer until something a shopper sees changes (shop/caching/)
        body = json.loads(fragment_cached(request, "suggest", [exact_lower(text)], lambda: json.dumps(_found(text))))
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    # The same answer for everyone (certified products, public producers, public pages): a guest's may sit in a
    # shared cache for a minute; a signed-in shopper's stays in their own browser.
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, max_age=MAX_AGE)
    else:
        patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response

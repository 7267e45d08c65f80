"""Fragments of storefront pages cached for every visitor, the signed-in and basket-holding ones included: the
parts that are the same for everyone (a listing's products and facets, a product's photos and description) are
kept; the page around them (header, basket, the visitor's own lists) is rendered for each request.

Keys carry the fragment's name and what it varies on, the language, today's date and the storefront version
token, exactly like whole pages (shop/caching/pages.py); CSRF tokens are kept out the same way."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from . import store
from .pages import csrf_placeholders_fill, csrf_placeholders_make, storefront_key
from .versions import STOREFRONT, versions_read


def fragment_key(name: str, parts: Iterable) -> str:
    token = versions_read(STOREFRONT)[STOREFRONT]
    varies = hashlib.blake2b("\x1f".join(str(p) for p in parts).encode(), digest_size=16).hexdigest()
    return storefront_key(f"fragment:{name}", token, varies)


def fragment_cached(request, name: str, parts: Iterable, render: Callable[[], str]) -> SafeString:
    """The fragment from the cache, else ``render()``'d and kept, with the visitor's own CSRF token in it."""
    timeout = settings.OCOP_FRAGMENT_CACHE_SECONDS
    if timeout <= 0 or getattr(request, "is_preview", False):  # an editor's preview shows the draft
        return mark_safe(render())
    key = fragment_key(name, parts)
    stored = store.read(key)
    if stored is None:
        html = str(render())
        store.write(key, csrf_placeholders_make(html.encode()), timeout)
        return mark_safe(html)
    return mark_safe(csrf_placeholders_fill(stored, request).decode())

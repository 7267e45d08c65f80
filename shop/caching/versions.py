"""Version tokens: a cached page or fragment is keyed by the tokens it depends on, so a changed token makes
every older entry unreachable at once (no key lists, no deletes).

- ``storefront``: anything a shopper sees on a catalogue, product, content, showroom or live page (listing
  columns that changed, products, certificates, producers, pages, showrooms, sessions, offers, reviews).
- ``live``: live-price units left on a session page (changes with every live-price order; only the session page
  depends on it).

Tokens live in the default cache, which must be shared by every process that serves pages (Redis at scale; a
single ``runserver`` may use its local memory). A token is a fresh random string rather than a counter, so a
token lost from the cache only costs a re-render. A write bumps at once and again after its commit
(``transaction.on_commit``): a page rendered from data read before the commit is stored under a token nobody
asks for again.
"""

from __future__ import annotations

import secrets

from django.db import transaction

from shop.transactions import pending_on_commit

from . import store

STOREFRONT = "storefront"
LIVE = "live"
TIMEOUT = 60 * 60 * 24 * 7


def _key(name: str) -> str:
    return f"version:{name}"


def versions_read(*names: str) -> dict[str, str]:
    """The current tokens of these names, in one cache round trip; a missing token is created. With the cache
    down every read gets a token of its own, so nothing is found and pages are rendered."""
    keys = {_key(name): name for name in names}
    result = {keys[key]: value for key, value in store.read_many(list(keys)).items()}
    for name in names:
        if name not in result:
            token = secrets.token_hex(6)
            store.add(_key(name), token, TIMEOUT)
            result[name] = store.read(_key(name)) or token
    return result


def version_bump(name: str) -> None:
    store.write(_key(name), secrets.token_hex(6), TIMEOUT)


class _Bump:
    """One per transaction and name: several writes in one transaction bump once, after the commit."""

    def __init__(self, name: str):
        self.name = name
        self.done = False

    def __call__(self):
        self.done = True
        version_bump(self.name)


def _changed(name: str, using: str | None = None) -> None:
    """Bump now, and again after the commit (that one once per transaction). The bump now makes the writer's
    own next read fresh (tests' transactions never commit); the bump after the commit makes unreachable whatever
    another process cached meanwhile from data read before the commit."""
    version_bump(name)
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and pending_on_commit(_Bump, using=using, where=lambda b: b.name == name) is None:
        transaction.on_commit(_Bump(name), using=using, robust=True)


def storefront_changed(*, using: str | None = None) -> None:
    """Something a shopper sees changed: every cached page and fragment is stale once this transaction commits."""
    _changed(STOREFRONT, using)


def live_quota_changed(*, using: str | None = None) -> None:
    """Live-price units were claimed or given back: session pages are stale once this transaction commits."""
    _changed(LIVE, using)

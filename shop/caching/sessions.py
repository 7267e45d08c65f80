"""Sessions in the database with a short-lived copy in the cache (SESSION_ENGINE = "shop.caching.sessions").

Django's ``cached_db`` keeps the cache copy as long as the session itself (two weeks). When Redis misses a write (an
outage, or the few seconds shop/caching/store.SafeRedisCache leaves it alone after an error) the copy it still holds
is stale: a shopper's later change, or a sign-out, would be undone by the old copy once Redis answers again. Here
the copy lives at most ``COPY_SECONDS``, so a stale one is gone within minutes; the database stays the truth.
"""

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDbSessionStore

COPY_SECONDS = 300


class _ShortCopies:
    """The session cache, with every copy kept ``COPY_SECONDS`` at most."""

    def __init__(self, cache):
        self._cache = cache

    def set(self, key, value, timeout=None, version=None):
        timeout = COPY_SECONDS if timeout is None else min(timeout, COPY_SECONDS)
        return self._cache.set(key, value, timeout, version=version)

    async def aset(self, key, value, timeout=None, version=None):
        timeout = COPY_SECONDS if timeout is None else min(timeout, COPY_SECONDS)
        return await self._cache.aset(key, value, timeout, version=version)

    def __contains__(self, key):
        return key in self._cache

    def __getattr__(self, name):
        return getattr(self._cache, name)


class SessionStore(CachedDbSessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = _ShortCopies(self._cache)

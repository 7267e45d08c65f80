"""The cache as the site uses it: a cache that is down (Redis stopped or unreachable) is a miss, never an error,
so the site keeps serving and selling, rendering each page, until it is back.

Two layers:

- ``SafeRedisCache``, the cache backend to configure for Redis (``CACHES["default"]["BACKEND"]``). Every caller
  goes through it, ours and everyone else's: Wagtail's site root paths, Oscar's category slugs, sorl-thumbnail's
  key-value store (the product gallery), django-ratelimit, the ``cached_db`` session store. With Redis down a
  read is a miss, a write or delete does nothing, ``add`` answers False and ``incr`` raises ValueError (the key
  is not there), as Django's backends do for a missing key. Short socket timeouts by default, and after a
  connection error Redis is left alone for ``RETRY_AFTER_SECONDS`` (one slow timeout, not one per call, when the
  host does not answer at all). The outage is logged once a minute per process, on the "shop.caching" logger.
- ``read`` / ``read_many`` / ``write`` / ``write_many`` / ``add`` / ``delete``: the same promise for any backend
  (a full disk under the file cache, a bad value), for code that must never fail because of the cache; and
  ``claim``, a "once per key" guard that lets the work go ahead when the cache cannot say (a complaint, an email
  must not be dropped because Redis is down, as ``add`` answering False would drop it).

After an outage in which Redis kept its data (a network cut, not a restart), entries written before it may be
stale: sessions changed meanwhile, a logout. Flush the cache's Redis database then (README: Production); the
cache holds nothing that is not kept elsewhere.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("shop.caching")

REPORT_EVERY_SECONDS = 60  # one log line per process per minute while the cache is down
RETRY_AFTER_SECONDS = 5  # after a connection error, calls answer at once (a miss) for this long
CONNECT_TIMEOUT_SECONDS = 0.5
READ_TIMEOUT_SECONDS = 1.0

_report_lock = threading.Lock()
_last_report = {"at": float("-inf"), "suppressed": 0}


def _report(error: BaseException) -> None:
    """Log that the cache failed, at most once a minute; the error's kind only (its text can hold a host)."""
    now = time.monotonic()
    with _report_lock:
        if now - _last_report["at"] < REPORT_EVERY_SECONDS:
            _last_report["suppressed"] += 1
            return
        suppressed, _last_report["suppressed"], _last_report["at"] = _last_report["suppressed"], 0, now
    logger.warning(
        "cache unavailable (%s), serving without it; %s more failures since the last report",
        error.__class__.__name__, suppressed,
    )


def _connection_errors() -> tuple[type[BaseException], ...]:
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:  # pragma: no cover - redis is installed with the project
        return (OSError,)
    return (RedisConnectionError, RedisTimeoutError, OSError)


_DOWN = object()


class SafeRedisCache(RedisCache):
    """Django's Redis cache, for which Redis being down is a miss. OPTIONS may override the socket timeouts."""

    # Per server list, shared by the process's threads: monotonic time until which Redis is not asked.
    _down_until: dict[tuple[str, ...], float] = {}

    def __init__(self, server, params):
        options = {
            "socket_connect_timeout": CONNECT_TIMEOUT_SECONDS,
            "socket_timeout": READ_TIMEOUT_SECONDS,
            **params.get("OPTIONS", {}),
        }
        super().__init__(server, {**params, "OPTIONS": options})
        self._breaker = tuple(self._servers)
        self._errors = _connection_errors()

    def _call(self, name: str, default, *args, always: bool = False, **kwargs):
        if not always and time.monotonic() < self._down_until.get(self._breaker, 0.0):
            return default
        try:
            return getattr(super(), name)(*args, **kwargs)
        except self._errors as error:
            self._down_until[self._breaker] = time.monotonic() + RETRY_AFTER_SECONDS
            _report(error)
            return default

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)  # Django's contract: the keys not set

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    # Deletes are always tried, even just after an error: a sign-out or an invalidation skipped while Redis is in
    # fact up would leave a stale entry behind (a miss costs nothing; a stale session or page does).
    def delete(self, key, version=None):
        return self._call("delete", False, key, version, always=True)

    def delete_many(self, keys, version=None):
        self._call("delete_many", None, keys, version, always=True)

    def incr(self, key, delta=1, version=None):
        value = self._call("incr", _DOWN, key, delta, version)
        if value is _DOWN:
            raise ValueError(f"Key '{key}' not found (the cache is unavailable).")
        return value

    def clear(self):
        return self._call("clear", False)

    @classmethod
    def forget_outage(cls) -> None:
        """Ask Redis again at the next call (tests; an operator's shell after fixing Redis)."""
        cls._down_until.clear()


# ---------------------------------------------------------------- guarded calls, whatever the backend
def _guarded(call, default):
    try:
        return call()
    except Exception as error:  # the backend's errors differ (redis, memcached, files)
        _report(error)
        return default


def read(key: str, default=None):
    return _guarded(lambda: cache.get(key, default), default)


def read_many(keys: list[str]) -> dict:
    return _guarded(lambda: cache.get_many(keys), {})


def write(key: str, value, timeout: int) -> None:
    _guarded(lambda: cache.set(key, value, timeout), None)


def write_many(values: dict, timeout: int) -> None:
    _guarded(lambda: cache.set_many(values, timeout), None)


def add(key: str, value, timeout: int) -> bool:
    """True when the key was stored now; False when it was there already, or when the cache is unavailable
    (a caller that must not drop work on an outage checks the database too)."""
    return _guarded(lambda: cache.add(key, value, timeout), False)


def delete(key: str) -> None:
    _guarded(lambda: cache.delete(key), None)


def claim(key: str, timeout: int) -> bool:
    """For "once per key" guards whose work must not be lost to an outage (a complaint, a confirmation email):
    False only when the cache says the key was claimed already; True when this call claimed it, or when the
    cache cannot say (down). ``add`` answers False in both of the latter cases."""
    from django.core.cache import DEFAULT_CACHE_ALIAS, caches

    backend = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(backend, SafeRedisCache):
        if time.monotonic() < backend._down_until.get(backend._breaker, 0.0):
            return True
        try:
            return RedisCache.add(backend, key, 1, timeout)
        except backend._errors as error:
            backend._down_until[backend._breaker] = time.monotonic() + RETRY_AFTER_SECONDS
            _report(error)
            return True
    return _guarded(lambda: backend.add(key, 1, timeout), True)

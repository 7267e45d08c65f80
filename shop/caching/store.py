"""The cache as the page and fragment caches use it: a cache that is down (Redis stopped) is a miss, never an
error, so the site keeps serving pages, rendered each time, until it is back."""

from __future__ import annotations

import logging

from django.core.cache import cache

logger = logging.getLogger("shop.caching")


def _guarded(call, default):
    try:
        return call()
    except Exception as error:  # the backend's connection errors differ (redis, memcached, files)
        logger.warning("cache unavailable, serving without it: %s", error.__class__.__name__)
        return default


def read(key: str):
    return _guarded(lambda: cache.get(key), None)


def read_many(keys: list[str]) -> dict:
    return _guarded(lambda: cache.get_many(keys), {})


def write(key: str, value, timeout: int) -> None:
    _guarded(lambda: cache.set(key, value, timeout), None)


def write_many(values: dict, timeout: int) -> None:
    _guarded(lambda: cache.set_many(values, timeout), None)


def add(key: str, value, timeout: int) -> bool:
    return _guarded(lambda: cache.add(key, value, timeout), False)

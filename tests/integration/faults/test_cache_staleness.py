"""What a cache that missed writes can leave behind, and how long: a session copy lives minutes, never the two weeks
of the session (shop/caching/sessions.py), and a delete is always tried, even in the seconds after an error when
SafeRedisCache leaves Redis alone (shop/caching/store.py)."""

import datetime as dt
import socket
import uuid

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from shop.caching import store
from shop.caching.sessions import COPY_SECONDS, SessionStore

pytestmark = pytest.mark.django_db


def test_a_session_copy_in_the_cache_lasts_minutes_while_the_session_lasts_weeks():
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        session = SessionStore()
        session["basket"] = 7
        session.create()
        assert cache.get(session.cache_key) is not None  # the copy a page reads first

        clock.shift(dt.timedelta(seconds=COPY_SECONDS + 1))
        assert cache.get(session.cache_key) is None  # the copy is gone: a stale one could not outlive this
        assert SessionStore(session_key=session.session_key).load() == {"basket": 7}  # the session is not
        assert session.get_expiry_age() > 7 * 24 * 3600  # the cookie still lasts as long as before


def _redis_answers() -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", 6379)) == 0


@pytest.mark.skipif(not _redis_answers(), reason="no Redis on 127.0.0.1:6379 (.ci/run starts one)")
def test_a_delete_right_after_an_error_still_reaches_redis():
    """A sign-out in the seconds after one timeout must not leave the signed-in session copy in Redis."""
    redis_cache = store.SafeRedisCache("redis://127.0.0.1:6379/5", {"KEY_PREFIX": f"stale-{uuid.uuid4().hex}"})
    try:
        redis_cache.set("session", "signed in", 60)
        redis_cache._down_until[redis_cache._breaker] = float("inf")  # as just after a connection error
        assert redis_cache.get("session") is None  # reads are spared Redis meanwhile
        redis_cache.delete("session")
    finally:
        store.SafeRedisCache.forget_outage()
    assert redis_cache.get("session") is None

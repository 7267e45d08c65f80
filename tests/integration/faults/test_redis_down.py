"""Redis down: the site keeps selling. Every page a shopper uses answers as usual, the basket fills, a cash on
delivery order is placed and shown, a shopper signs in, the rate-limited forms stay open; a checkout begun while
Redis answered finishes after it stopped (sessions are ``cached_db``).

The cache is configured exactly as config/settings/base.py builds it from REDIS_URL, pointed at a closed port, so
the test fails if that configuration lets a Redis error reach a page (Wagtail's site root paths, Oscar's category
slugs, sorl-thumbnail's key-value store, the session store, django-ratelimit, the live banner: they all call the
cache). The outage breaker is turned off (every call goes to the closed port) except in the test of the breaker.
"""

from __future__ import annotations

import io
import logging
import os
import re
import runpy
import socket
import uuid
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
from django.core import mail
from django.core.cache import caches
from django.core.files.base import ContentFile
from oscar.core.loading import get_model
from PIL import Image

from cms.services import site_structure_ensure
from shop.caching import store
from shop.payments.models import Payment
from tests.support.catalogue import make_certified_product, make_producer
from tests.support.checkout import a_commune, basket_add, checkout_form, committed, last_order, place
from tests.support.livestream import make_host, make_session, take_live

pytestmark = pytest.mark.django_db
settings_file = Path(__file__).resolve().parents[3] / "config" / "settings" / "base.py"
CLOSED_PORT_URL = "redis://127.0.0.1:6390/0"
Order = get_model("order", "Order")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")


def configured_cache(redis_url: str) -> tuple[dict, str]:
    """CACHES and SESSION_ENGINE as config/settings/base.py builds them when REDIS_URL is set."""
    with mock.patch.dict(os.environ, {"REDIS_URL": redis_url}):
        built = runpy.run_path(str(settings_file), run_name="settings_probe")
    return built["CACHES"], built["SESSION_ENGINE"]


def _port_is_closed(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture
def redis_down(settings, monkeypatch):
    """The default cache is Redis at a port nobody listens on."""
    assert _port_is_closed(6390), "the test needs nothing listening on 127.0.0.1:6390"
    cache_settings, session_engine = configured_cache(CLOSED_PORT_URL)
    settings.CACHES = cache_settings
    settings.SESSION_ENGINE = session_engine
    settings.RATELIMIT_ENABLE = True  # counted in the cache that is down: must let the request through
    monkeypatch.setattr(store, "RETRY_AFTER_SECONDS", 0)  # every cache call really goes to the closed port
    monkeypatch.setattr(store, "_last_report", {"at": float("-inf"), "suppressed": 0})
    store.SafeRedisCache.forget_outage()
    yield
    store.SafeRedisCache.forget_outage()


@pytest.fixture
def shop_data(django_user_model):
    """A home page, a certified product with a photo, on air in a live session."""
    site_structure_ensure()
    producer = make_producer(name="HTX Mắm Châu Đốc", area=a_commune())
    product = make_certified_product(title="Mắm cá linh Châu Đốc", price=Decimal("120000"), stock=5,
                                     producer=producer)
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 120, 40)).save(buffer, "JPEG")
    ProductImage.objects.create(product=product, original=ContentFile(buffer.getvalue(), name="mam.jpg"),
                                display_order=0)
    session = make_session(host=make_host(django_user_model), products=[product], title="Chợ phiên mùa nước nổi")
    take_live(session)
    return product, session


def ok(response) -> str:
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    return response.content.decode()


def errors(caplog) -> list[str]:
    return [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.ERROR]


def test_the_configured_cache_treats_redis_down_as_a_miss(redis_down):
    cache = caches["default"]
    assert cache.get("ocop:anything", "missed") == "missed"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("ocop:lock", 1, 10) is False  # not stored: nobody may count on holding it
    cache.set("ocop:key", "value", 10)  # nothing stored, nothing raised
    assert cache.get("ocop:key") is None
    assert "ocop:key" not in cache
    with pytest.raises(ValueError):  # as for a missing key: django-ratelimit and others then fail open
        cache.incr("ocop:counter")
    assert cache.get_or_set("ocop:computed", lambda: 42, 10) == 42


def test_with_redis_down_a_shopper_browses_buys_and_sees_the_order(client, redis_down, shop_data, caplog):
    product, session = shop_data
    caplog.set_level(logging.WARNING)
    for _ in range(2):  # the second visit is rendered again (nothing could be kept), never an error
        assert "Mắm cá linh Châu Đốc" in ok(client.get("/shop/catalogue/"))
        page = ok(client.get(product.get_absolute_url()))
        assert "Mắm cá linh Châu Đốc" in page
        assert re.search(r'<img src="/media/cache/[^"]+"', page), "the gallery's thumbnail (sorl's key-value store)"
        assert 'data-testid="live-banner"' in page, "the live banner, read from the database"
        ok(client.get("/"))  # Wagtail's home page (its site root paths are cached)
        assert "Mắm cá linh Châu Đốc" in ok(client.get("/shop/search/", {"q": "mam ca linh"}))
        assert client.get("/shop/search/suggest/", {"q": "mam ca"}).json()["products"]
        assert "Chợ phiên mùa nước nổi" in ok(client.get("/live/"))
        assert "Mắm cá linh Châu Đốc" in ok(client.get(f"/live/{session.slug}/"))

    basket_add(client, product, 2)
    assert "Mắm cá linh Châu Đốc" in ok(client.get("/shop/basket/"))
    response, _data = place(client)
    assert response.status_code == 302 and response["Location"].endswith("/shop/checkout/thank-you/")
    order = last_order()
    assert order is not None and order.lines.get().quantity == 2
    assert order.ocop_payment.method == "cod" and order.ocop_payment.status == Payment.Status.PENDING
    assert StockRecord.objects.get(product=product).num_allocated == 2
    assert order.number in ok(client.get(response["Location"]))  # the thank-you page reads the session
    assert order.number in ok(client.get(f"/shop/orders/{order.number}/{order.verification_hash()}/"))
    assert len(mail.outbox) == 1 and order.number in mail.outbox[0].subject

    assert errors(caplog) == []  # no swallowed failure either (a thumbnail left out is logged as an error)
    outage = [r for r in caplog.get_records("setup") + caplog.records if r.name == "shop.caching"]
    assert 1 <= len(outage) <= 2, "the outage is reported, not once per cache call"  # 2: a minute passed


def test_with_redis_down_a_shopper_signs_in_and_sees_their_orders(client, redis_down, shop_data, django_user_model):
    product, _session = shop_data
    django_user_model.objects.create_user(email="lan@example.vn", password="mat-khau-an-toan-2026", first_name="Lan")
    response = client.post("/shop/accounts/login/", {
        "login-username": "lan@example.vn", "login-password": "mat-khau-an-toan-2026", "login_submit": "1",
    })
    assert response.status_code == 302, response.status_code  # the session key cycled with Redis down
    basket_add(client, product, 1)
    response, _data = place(client)
    assert response.status_code == 302
    order = last_order()
    assert order.user.email == "lan@example.vn"
    assert order.number in ok(client.get("/shop/accounts/orders/"))
    assert order.number in ok(client.get(f"/shop/accounts/orders/{order.number}/"))
    assert client.post("/shop/accounts/logout/").status_code == 302
    assert client.get("/shop/accounts/orders/").status_code == 302, "signed out: the session was deleted"


def test_a_checkout_begun_while_redis_answered_finishes_after_it_stopped(client, settings, monkeypatch, shop_data):
    product, _session = shop_data
    basket_add(client, product, 1)  # the default (working) cache holds the session too
    data = checkout_form(client)
    down, engine = configured_cache(CLOSED_PORT_URL)
    settings.CACHES, settings.SESSION_ENGINE = down, engine
    monkeypatch.setattr(store, "RETRY_AFTER_SECONDS", 0)
    store.SafeRedisCache.forget_outage()

    response = committed(client.post, "/shop/checkout/", data)
    assert response.status_code == 302 and response["Location"].endswith("/shop/checkout/thank-you/")
    order = last_order()
    assert order.number in ok(client.get(response["Location"]))
    assert Order.objects.filter(basket_id=order.basket_id).count() == 1


def test_the_rate_limited_forms_stay_open_with_redis_down(client, redis_down, django_user_model):
    django_user_model.objects.create_user(email="lan@example.vn", password="mat-khau-an-toan-2026")
    for _ in range(8):  # above the 5 an hour the password reset allows when its count works
        response = client.post("/shop/password-reset/", {"email": "lan@example.vn"})
        assert response.status_code == 302, response.status_code
    assert len(mail.outbox) == 8


def test_after_a_failure_redis_is_left_alone_for_a_moment_and_the_outage_logged_once(settings, monkeypatch, caplog):
    """One connection timeout, not one per call, when Redis does not answer at all; one log line a minute."""
    settings.CACHES = {"default": {"BACKEND": "shop.caching.store.SafeRedisCache", "LOCATION": CLOSED_PORT_URL}}
    store.SafeRedisCache.forget_outage()
    monkeypatch.setattr(store, "_last_report", {"at": float("-inf"), "suppressed": 0})
    attempts = []
    real_get = store.RedisCache.get

    def counted_get(self, *args, **kwargs):
        attempts.append(args[0])
        return real_get(self, *args, **kwargs)

    monkeypatch.setattr(store.RedisCache, "get", counted_get)
    cache = caches["default"]
    with caplog.at_level(logging.WARNING, logger="shop.caching"):
        assert [cache.get(f"key-{i}", "missed") for i in range(20)] == ["missed"] * 20
    assert attempts == ["key-0"], "after the first refusal, Redis is not asked again for a few seconds"
    lines = [r.getMessage() for r in caplog.records if r.name == "shop.caching"]
    assert len(lines) == 1 and "ConnectionError" in lines[0] and "6390" not in lines[0]

    store.SafeRedisCache.forget_outage()  # the moment has passed: asked again, still down
    monkeypatch.setattr(store, "RETRY_AFTER_SECONDS", 0)
    with caplog.at_level(logging.WARNING, logger="shop.caching"):
        assert [cache.get(f"again-{i}") for i in range(5)] == [None] * 5
    assert attempts[1:] == [f"again-{i}" for i in range(5)]
    assert len([r for r in caplog.records if r.name == "shop.caching"]) == 1, "still one line this minute"
    store.SafeRedisCache.forget_outage()


def test_with_redis_up_the_safe_cache_is_djangos_redis_cache():
    """Against the Redis on this machine (database 5, keys of this test only)."""
    if _port_is_closed(6379):
        pytest.skip("no Redis on 127.0.0.1:6379")
    cache = store.SafeRedisCache("redis://127.0.0.1:6379/5", {"KEY_PREFIX": f"faults-{uuid.uuid4().hex}"})
    try:
        assert cache.add("n", 1, 30) is True and cache.add("n", 5, 30) is False
        assert cache.incr("n") == 2
        cache.set_many({"a": {"x": 1}, "b": [1, 2]}, 30)
        assert cache.get_many(["a", "b", "c"]) == {"a": {"x": 1}, "b": [1, 2]}
        assert "a" in cache and cache.delete("a") is True and "a" not in cache
        with pytest.raises(ValueError):
            cache.incr("missing")
    finally:
        cache.delete_many(["n", "a", "b"])
        cache.close()


def test_a_claim_goes_ahead_when_the_cache_cannot_say(redis_down):
    """``store.claim`` for work that must not be dropped on an outage (``add`` answers False then: not stored)."""
    assert store.claim("livestream:complaint:k1", 60) is True
    assert store.claim("livestream:complaint:k1", 60) is True, "down: nobody can say it was claimed"
    assert caches["default"].add("livestream:complaint:k1", 1, 60) is False


def test_a_claim_is_once_per_key_while_the_cache_works():
    assert store.claim("livestream:complaint:k2", 60) is True
    assert store.claim("livestream:complaint:k2", 60) is False


def test_healthz_says_the_cache_is_down_and_the_site_still_serves(client, redis_down):
    response = client.get("/healthz")
    assert response.status_code == 200, "degraded, not down: the database answers"
    body = response.json()
    assert body["status"] == "degraded" and body["checks"]["cache"]["state"] == "down"
    assert body["checks"]["database"]["state"] == "ok"
    assert "6390" not in response.content.decode(), "no address in the answer"

"""``GET /healthz``: what a load balancer and an operator need to know, and nothing an attacker could use.

    {"status": "ok" | "degraded" | "down",
     "checks": {"database": {"state": "ok", "kind": "postgresql", "ms": 0.8},
                "cache": {"state": "ok", "kind": "redis", "ms": 0.4},
                "search": {"state": "off", "kind": "database"},
                "tasks": {"state": "ok", "kind": "database", "ready": 0, "oldest_ready_seconds": null}}}

Each check is ``ok``, ``down`` or ``off`` (nothing to reach: the database search engine, a process-local cache,
tasks run in the request). A check that fails names the kind of error (``OperationalError``), never its text,
which can hold a host, a user or a whole connection string. 200 while the database answers, even with Redis or
Elasticsearch down (the site still sells: status ``degraded``); 503 when the database does not.

Every check has a short timeout: the database's is its ``connect_timeout`` (DATABASE_URL ``?connect_timeout=3``);
Redis is asked with its own client (1 s to connect, 1 s to answer, no retries); Elasticsearch through the
catalogue's client with 2 s and no retries. Two queries at most (``SELECT 1`` and, for the database task queue,
one aggregate), and nothing is written.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

OK, DOWN, OFF = "ok", "down", "off"
REDIS_TIMEOUT_SECONDS = 1.0
ELASTICSEARCH_TIMEOUT_SECONDS = 2.0


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


def _failed(kind: str, error: BaseException) -> dict:
    return {"state": DOWN, "kind": kind, "error": type(error).__name__}


# ---------------------------------------------------------------- database
def database_check() -> dict:
    kind = connection.vendor
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # every driver has its own errors; the kind is all we say
        connection.close_if_unusable_or_obsolete()
        return _failed(kind, error)
    return {"state": OK, "kind": kind, "ms": _ms(started)}


# ---------------------------------------------------------------- cache
def _cache_kind(backend: str) -> str:
    """By class, so a subclass (shop.caching.store.SafeRedisCache) is still "redis"."""
    from django.core.cache.backends.db import DatabaseCache
    from django.core.cache.backends.dummy import DummyCache
    from django.core.cache.backends.filebased import FileBasedCache
    from django.core.cache.backends.locmem import LocMemCache
    from django.core.cache.backends.memcached import BaseMemcachedCache
    from django.core.cache.backends.redis import RedisCache
    from django.utils.module_loading import import_string

    try:
        cls = import_string(backend)
    except ImportError:
        return "other"
    kinds = [(RedisCache, "redis"), (LocMemCache, "local"), (FileBasedCache, "local"), (DummyCache, "local"),
             (DatabaseCache, "database"), (BaseMemcachedCache, "memcached")]
    return next((kind for base, kind in kinds if isinstance(cls, type) and issubclass(cls, base)), "other")


def _redis_client(url: str):
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return redis.Redis.from_url(
        url,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
        retry=Retry(NoBackoff(), 0),
    )


def _redis_ping(url: str) -> None:
    client = _redis_client(url)
    try:
        client.ping()
    finally:
        client.close()
        client.connection_pool.disconnect()


def cache_check() -> dict:
    config = settings.CACHES.get("default", {})
    kind = _cache_kind(config.get("BACKEND", ""))
    if kind == "local":  # one process's memory or one machine's files: nothing to reach
        return {"state": OFF, "kind": kind}
    started = time.perf_counter()
    try:
        if kind == "redis":
            location = config.get("LOCATION", "")
            servers = location.split(",") if isinstance(location, str) else list(location)
            _redis_ping(servers[0].strip())  # the first server takes the writes
        else:
            from django.core.cache import caches

            caches["default"].get("ocop:healthz")
    except Exception as error:
        return _failed(kind, error)
    return {"state": OK, "kind": kind, "ms": _ms(started)}


# ---------------------------------------------------------------- search
def search_check() -> dict:
    engine = getattr(settings, "OCOP_SEARCH_ENGINE", "database")
    if engine != "elasticsearch":
        return {"state": OFF, "kind": engine}
    started = time.perf_counter()
    try:
        from catalogue.search import elastic

        answered = elastic.client().options(request_timeout=ELASTICSEARCH_TIMEOUT_SECONDS, max_retries=0).ping()
    except Exception as error:  # no URL configured, a client that cannot be built
        return _failed(engine, error)
    if not answered:
        return {"state": DOWN, "kind": engine, "error": "no answer"}
    return {"state": OK, "kind": engine, "ms": _ms(started)}


# ---------------------------------------------------------------- tasks
_TASK_KINDS = {
    "django_tasks_db.DatabaseBackend": "database",
    "django_tasks_db.backend.DatabaseBackend": "database",
    "django_tasks_rq.RQBackend": "redis",
    "django_tasks_rq.backend.RQBackend": "redis",
    "django_tasks.backends.immediate.ImmediateBackend": "immediate",
    "django_tasks.backends.dummy.DummyBackend": "dummy",
}


def _database_queue(alias: str) -> dict:
    from django.db.models import Count, Min
    from django_tasks_db.models import DBTaskResult

    started = time.perf_counter()
    waiting = DBTaskResult.objects.ready().filter(backend_name=alias).aggregate(ready=Count("pk"),
                                                                                oldest=Min("enqueued_at"))
    oldest = waiting["oldest"]
    age = round((timezone.now() - oldest).total_seconds()) if oldest is not None else None
    return {"state": OK, "kind": "database", "ready": waiting["ready"], "oldest_ready_seconds": age,
            "ms": _ms(started)}


def _redis_queues(queue_names) -> dict:
    from rq import Queue

    queues = getattr(settings, "RQ_QUEUES", {})
    started = time.perf_counter()
    ready = 0
    for name in queue_names:
        client = _redis_client(queues[name]["URL"])
        try:
            ready += Queue(name, connection=client).count
        finally:
            client.close()
            client.connection_pool.disconnect()
    return {"state": OK, "kind": "redis", "ready": ready, "ms": _ms(started)}


def tasks_check(*, database_up: bool) -> dict:
    config = getattr(settings, "TASKS", {}).get("default", {})
    kind = _TASK_KINDS.get(config.get("BACKEND", ""), "other")
    if kind in ("immediate", "dummy"):  # run in the request (tests) or not at all: no queue
        return {"state": OFF, "kind": kind}
    if kind == "database" and not database_up:
        return {"state": DOWN, "kind": kind, "error": "database down"}  # a second wait for it would say no more
    try:
        if kind == "database":
            return _database_queue("default")
        if kind == "redis":
            return _redis_queues(config.get("QUEUES") or ["default"])
    except Exception as error:
        return _failed(kind, error)
    return {"state": OFF, "kind": kind}


# ---------------------------------------------------------------- the endpoint
def health() -> tuple[str, dict]:
    database = database_check()
    checks = {
        "database": database,
        "cache": cache_check(),
        "search": search_check(),
        "tasks": tasks_check(database_up=database["state"] == OK),
    }
    if database["state"] != OK:
        status = "down"
    elif any(check["state"] == DOWN for check in checks.values()):
        status = "degraded"
    else:
        status = "ok"
    return status, checks


def _asked_from_inside(request) -> bool:
    """A probe on our own network (the proxy, the orchestrator, an operator's tunnel) sees the details; anyone else
    the states alone (no kinds, timings or queue depths to map the stack with)."""
    import ipaddress

    from shop.security.client_ip import client_ip

    ip = client_ip(request)
    if not ip:
        return False
    address = ipaddress.ip_address(ip)
    return address.is_private or address.is_loopback


@require_safe
@never_cache
def healthz(request):
    status, checks = health()
    if not _asked_from_inside(request):
        checks = {name: {"state": check["state"]} for name, check in checks.items()}
    return JsonResponse({"status": status, "checks": checks}, status=503 if status == "down" else 200)

"""GET /healthz: what a load balancer reads (200 while the database answers, 503 when not), which part is down,
and nothing an attacker could use. The database-down case runs in a process of its own (tests/integration/ops/
test_health_faults.py); Redis and Elasticsearch down are settings here, pointed at closed ports."""

import datetime as dt
import json
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

pytestmark = pytest.mark.django_db

CLOSED_REDIS = "redis://:p4ss-cache@127.0.0.1:6390/0"
CLOSED_SEARCH = "http://esuser:p4ss-search@127.0.0.1:9299"
LIVE_REDIS = "redis://127.0.0.1:6379/5"  # db 0 belongs to other processes on this machine
DJANGO_REDIS = "django.core.cache.backends.redis.RedisCache"


def health(client, **headers):
    response = client.get("/healthz", **headers)
    return response, json.loads(response.content)


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def ready_task(*, age_seconds=0, **fields):
    from django_tasks_db.models import DBTaskResult, get_date_max

    row = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}}, task_path="shop.tasks.example", backend_name="default",
        run_after=fields.pop("run_after", get_date_max()), **fields,
    )
    DBTaskResult.objects.filter(pk=row.pk).update(enqueued_at=timezone.now() - dt.timedelta(seconds=age_seconds))
    return row


def test_the_embedded_default_is_ok_with_nothing_else_to_reach(client):
    response, body = health(client)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert body["status"] == "ok"
    assert body["checks"]["database"]["state"] == "ok"
    assert body["checks"]["database"]["kind"] == connection.vendor
    assert isinstance(body["checks"]["database"]["ms"], float)
    # a process's own memory, the database search engine, tasks run in the request: nothing to reach
    assert body["checks"]["cache"] == {"state": "off", "kind": "local"}
    assert body["checks"]["search"] == {"state": "off", "kind": "database"}
    assert body["checks"]["tasks"] == {"state": "off", "kind": "immediate"}


def test_it_is_never_cached_sets_no_cookie_and_is_kept_out_of_the_page_cache(client):
    response, _ = health(client)
    assert "no-store" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    assert not response.cookies  # no session, no CSRF cookie
    assert "X-Page-Cache" not in response
    again, _ = health(client)
    assert "X-Page-Cache" not in again and again.status_code == 200
    assert response["X-Request-ID"] != again["X-Request-ID"]


def test_it_answers_get_and_head_only(client):
    assert client.head("/healthz").status_code == 200
    for method in (client.post, client.put, client.delete):
        response = method("/healthz")
        assert response.status_code == 405, method
        assert response["Allow"] == "GET, HEAD"


def test_the_database_queue_shows_its_ready_tasks_and_the_oldest_ones_age(client, database_tasks):
    ready_task(age_seconds=300)
    ready_task(age_seconds=20)
    ready_task(age_seconds=900, status="SUCCESSFUL")  # done: not waiting
    ready_task(age_seconds=900, run_after=timezone.now() + dt.timedelta(hours=1))  # scheduled for later
    _, body = health(client)
    tasks = body["checks"]["tasks"]
    assert tasks["state"] == "ok" and tasks["kind"] == "database"
    assert tasks["ready"] == 2
    assert 295 <= tasks["oldest_ready_seconds"] <= 330
    assert body["status"] == "ok"


def test_an_empty_database_queue_has_no_oldest_task(client, database_tasks):
    _, body = health(client)
    assert body["checks"]["tasks"]["ready"] == 0 and body["checks"]["tasks"]["oldest_ready_seconds"] is None


def test_its_queries_are_constant_and_it_writes_nothing(client, database_tasks):
    health(client)  # whatever a first request warms
    counts = []
    for tasks_waiting in (0, 5):
        while len(counts) < tasks_waiting:
            counts.append(ready_task())
        with CaptureQueriesContext(connection) as captured:
            response, body = health(client)
        assert response.status_code == 200 and body["checks"]["tasks"]["ready"] == tasks_waiting
        sql = [query["sql"].lstrip().upper() for query in captured.captured_queries]
        assert len(sql) == 2, sql  # SELECT 1, and one aggregate over the ready tasks
        assert all(statement.startswith("SELECT") for statement in sql), sql


@pytest.mark.parametrize("backend", [DJANGO_REDIS, "shop.caching.store.SafeRedisCache"])
def test_redis_down_is_degraded_not_down_and_answers_quickly(client, settings, backend):
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": CLOSED_REDIS}}
    started = time.monotonic()
    response, body = health(client)
    assert time.monotonic() - started < 5
    assert response.status_code == 200  # the site still sells
    assert body["status"] == "degraded"
    assert body["checks"]["cache"] == {"state": "down", "kind": "redis", "error": "ConnectionError"}
    assert body["checks"]["database"]["state"] == "ok"


@pytest.mark.parametrize("backend", [DJANGO_REDIS, "shop.caching.store.SafeRedisCache"])
def test_a_live_redis_cache_is_ok(client, settings, backend):
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": LIVE_REDIS}}
    response, body = health(client)
    assert response.status_code == 200 and body["status"] == "ok"
    assert body["checks"]["cache"]["state"] == "ok" and body["checks"]["cache"]["kind"] == "redis"


def test_elasticsearch_down_is_degraded_and_answers_within_its_timeout(client, settings):
    settings.OCOP_SEARCH_ENGINE = "elasticsearch"
    settings.ELASTICSEARCH_URL = CLOSED_SEARCH
    started = time.monotonic()
    response, body = health(client)
    assert time.monotonic() - started < 5
    assert response.status_code == 200 and body["status"] == "degraded"
    assert body["checks"]["search"]["state"] == "down" and body["checks"]["search"]["kind"] == "elasticsearch"


def test_elasticsearch_chosen_without_a_url_is_down(client, settings):
    settings.OCOP_SEARCH_ENGINE = "elasticsearch"
    settings.ELASTICSEARCH_URL = ""
    _, body = health(client)
    assert body["checks"]["search"] == {"state": "down", "kind": "elasticsearch", "error": "ImproperlyConfigured"}


def test_the_redis_task_queue_counts_its_jobs_and_is_down_with_redis(client, settings):
    from redis import Redis
    from rq import Queue

    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:6379/6"}}
    queue = Queue("default", connection=Redis.from_url("redis://127.0.0.1:6379/6"))
    queue.empty()
    try:
        queue.enqueue("os.getcwd")
        queue.enqueue("os.getcwd")
        _, body = health(client)
        assert body["checks"]["tasks"]["state"] == "ok" and body["checks"]["tasks"]["kind"] == "redis"
        assert body["checks"]["tasks"]["ready"] == 2
    finally:
        queue.empty()
    settings.RQ_QUEUES = {"default": {"URL": CLOSED_REDIS}}
    response, body = health(client)
    assert response.status_code == 200 and body["status"] == "degraded"
    assert body["checks"]["tasks"]["state"] == "down"


def _secret_values(settings) -> list[str]:
    values = [settings.SECRET_KEY, CLOSED_REDIS, CLOSED_SEARCH, "p4ss", "esuser", "127.0.0.1", "6390", "9299"]
    for database in settings.DATABASES.values():
        values += [str(database.get(key) or "") for key in ("NAME", "PASSWORD", "HOST")]
    for name in ("REDIS_URL", "SENTRY_DSN", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "EMAIL_HOST_PASSWORD"):
        values.append(str(getattr(settings, name, "") or ""))
    return [value for value in values if len(value) >= 4]


def test_the_answer_reveals_no_host_url_password_or_key(client, settings):
    settings.SECRET_KEY = "s3cret-" + "k" * 60
    settings.SENTRY_DSN = "https://abcdef0123456789@errors.example.vn/7"
    settings.CACHES = {"default": {"BACKEND": DJANGO_REDIS, "LOCATION": CLOSED_REDIS}}
    settings.OCOP_SEARCH_ENGINE = "elasticsearch"
    settings.ELASTICSEARCH_URL = CLOSED_SEARCH
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": CLOSED_REDIS}}
    response, body = health(client)
    assert body["status"] == "degraded"
    text = response.content.decode()
    leaked = [value for value in _secret_values(settings) if value in text]
    assert not leaked, (leaked, text)
    # only kinds, states, numbers and an error's class name
    for check in body["checks"].values():
        assert set(check) <= {"state", "kind", "ms", "error", "ready", "oldest_ready_seconds"}


def test_from_outside_our_network_it_tells_the_states_and_nothing_more(client, settings):
    settings.OCOP_TRUSTED_PROXIES = 1  # behind the proxy: the client is the last X-Forwarded-For entry
    outside = client.get("/healthz", REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR="113.160.1.1").json()  # a VNPT address
    inside = client.get("/healthz", REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR="10.1.2.3").json()
    assert outside["status"] == inside["status"] == "ok"
    assert outside["checks"] == {name: {"state": check["state"]} for name, check in inside["checks"].items()}
    assert "kind" in inside["checks"]["database"]  # the details are there for the probes of our own network

"""The queue backend is chosen by OCOP_TASKS_BACKEND, and each choice passes django-tasks' own system checks
(settings imported in a fresh process, as a deployment would)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django_tasks import task_backends
from django_tasks.checks import check_tasks
print(json.dumps({
    "backend": type(task_backends["default"]).__name__,
    "errors": [str(message) for message in check_tasks()],
    "apps": [app for app in settings.INSTALLED_APPS if "rq" in app or app.startswith("shop.tasks")],
    "rq_url": settings.RQ_QUEUES["default"]["URL"],
}))
"""


def start(**env):
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("OCOP_", "DJANGO_", "REDIS_URL", "DATABASE_URL"))},
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        **env,
    }
    return subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=environment, capture_output=True, text=True,
                          timeout=120)


def settings_with(**env):
    done = start(**env)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


@pytest.mark.parametrize(
    "backend, expected, apps",
    [
        ("database", "DatabaseBackend", ["shop.tasks.apps.TasksConfig"]),
        ("redis", "RQBackend", ["shop.tasks.apps.TasksConfig", "django_rq", "django_tasks_rq"]),
        ("immediate", "ImmediateBackend", ["shop.tasks.apps.TasksConfig"]),
    ],
)
def test_each_backend_is_configured_and_passes_its_checks(backend, expected, apps):
    done = settings_with(OCOP_TASKS_BACKEND=backend, REDIS_URL="redis://cache:6379/0",
                         OCOP_TASKS_REDIS_URL="redis://queue:6379/0")
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found == {"backend": expected, "errors": [], "apps": apps, "rq_url": "redis://queue:6379/0"}


def test_the_database_queue_is_the_default():
    done = settings_with(REDIS_URL="redis://cache:6379/0")
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["backend"] == "DatabaseBackend" and found["apps"] == ["shop.tasks.apps.TasksConfig"]
    assert found["rq_url"] != "redis://cache:6379/0"  # the cache is never taken for a queue


def test_the_redis_queue_will_not_start_on_the_cache_redis():
    """The cache's Redis evicts keys when it is full: queued emails would vanish without a trace. With no Redis of
    its own for the queue, the start stops and says what to set."""
    done = start(OCOP_TASKS_BACKEND="redis", REDIS_URL="redis://cache:6379/0")
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr
    assert "OCOP_TASKS_BACKEND=redis needs OCOP_TASKS_REDIS_URL" in done.stderr
    assert "redis://cache" not in done.stderr  # nor does it print the URL it refused (it may hold a password)


def test_an_unknown_backend_stops_the_start():
    done = start(OCOP_TASKS_BACKEND="celery")
    assert done.returncode != 0
    assert "OCOP_TASKS_BACKEND must be one of database, redis, immediate" in done.stderr

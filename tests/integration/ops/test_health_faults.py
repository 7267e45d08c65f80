"""/healthz with the database gone: 503, "down", said quickly and without the connection string. Run in a process
of its own whose DATABASE_URL points at a closed port (no PostgreSQL server is needed for this)."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

FETCH = """
import json, time
import django
django.setup()
from django.test import Client
started = time.monotonic()
response = Client().get("/healthz")
print(json.dumps({"status": response.status_code, "body": response.content.decode(),
                  "seconds": time.monotonic() - started}))
"""


def health_in_a_process(database_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SENTRY_")) and k != "REDIS_URL"}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": database_url})
    result = subprocess.run([sys.executable, "-c", FETCH], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("url", "secrets"),
    [
        # nothing listens there: refused at once
        ("postgres://ocopuser:p4ss-db@127.0.0.1:5999/ocopdb?connect_timeout=2", ["p4ss-db", "ocopuser", "5999"]),
        # an address that never answers (a blackhole on most networks): the connect_timeout ends the wait
        ("postgres://ocopuser:p4ss-db@10.255.255.1:5432/ocopdb?connect_timeout=2", ["p4ss-db", "10.255.255.1"]),
    ],
)
def test_the_database_down_is_503_and_down_quickly_with_no_secret(url, secrets):
    started = time.monotonic()
    answer = health_in_a_process(url)
    assert answer["status"] == 503
    assert answer["seconds"] < 5, answer
    body = json.loads(answer["body"])
    assert body["status"] == "down"
    assert body["checks"]["database"] == {"state": "down", "kind": "postgresql", "error": "OperationalError"}
    # the rest is still reported (and the database task queue is not asked again)
    assert body["checks"]["cache"]["state"] == "off" and body["checks"]["search"]["state"] == "off"
    for secret in [*secrets, "ocopdb", url]:
        assert secret not in answer["body"]
    assert time.monotonic() - started < 60

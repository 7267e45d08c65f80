"""The production settings, served by gunicorn, against the local PostgreSQL and Redis: migrate a database of its
own, collect the static files, start gunicorn, fetch /healthz and a storefront page, read the log lines.

Slow (a full migrate, ~2 minutes) and run once per session; needs DATABASE_URL=postgres://... (the server that
hosts the test database also hosts this one) and Redis on 127.0.0.1:6379 (db 7)."""

import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]
REDIS_URL = "redis://127.0.0.1:6379/7"
HTTPS = {"X-Forwarded-Proto": "https"}  # what the TLS-terminating proxy sends

pytestmark = pytest.mark.postgres


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _admin_connection():
    import psycopg

    database = settings.DATABASES["default"]
    return psycopg.connect(host=database["HOST"] or "127.0.0.1", port=database["PORT"] or 5432,
                           user=database["USER"], password=database["PASSWORD"] or None, dbname="postgres",
                           autocommit=True)


def _database_url(name: str) -> str:
    database = settings.DATABASES["default"]
    credentials = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    return (f"postgres://{credentials}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{name}"
            "?connect_timeout=5")


def _flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


class Site:
    def __init__(self, port: int, log: Path):
        self.port, self.log = port, log

    def get(self, path: str, headers=None) -> tuple[int, dict, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()

    def json_lines(self) -> list[dict]:
        lines = []
        for line in self.log.read_text(errors="replace").splitlines():
            if line.startswith("{"):
                lines.append(json.loads(line))
        return lines


@pytest.fixture(scope="module")
def site():
    name = f"ocop_gunicorn_{secrets.token_hex(4)}"
    workdir = Path(tempfile.mkdtemp(prefix="ocop-gunicorn-"))
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "SENTRY_", "OCOP_", "STRIPE_", "ELASTICSEARCH_", "AWS_"))
           and k not in ("REDIS_URL", "DATABASE_URL")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),  # 64 random characters
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": _database_url(name),
        "REDIS_URL": REDIS_URL,
        "DJANGO_STATIC_ROOT": str(workdir / "static"),
        "DJANGO_MEDIA_ROOT": str(workdir / "media"),
        "DJANGO_LOG_REQUESTS": "true",
    })
    with _admin_connection() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    _flush_redis()
    server = None
    try:
        for command in (["migrate", "--noinput"], ["collectstatic", "--noinput", "-v0"]):
            done = subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True,
                                  text=True, timeout=900)
            assert done.returncode == 0, (command, done.stderr[-3000:])
        port = _free_port()
        log = workdir / "gunicorn.log"
        with log.open("wb") as output:
            server = subprocess.Popen(
                [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
                 "--workers", "2", "--timeout", "60", "--graceful-timeout", "5"],
                cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
            )
        running = Site(port, log)
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, log.read_text(errors="replace")[-3000:]
            try:
                if running.get("/healthz", HTTPS)[0] in (200, 503):
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, log.read_text(errors="replace")[-3000:]
            time.sleep(0.5)
        yield running
    finally:
        if server is not None and server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        with _admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _flush_redis()
        shutil.rmtree(workdir, ignore_errors=True)


def test_health_is_ok_with_postgresql_and_redis(site):
    status, headers, content = site.get("/healthz", HTTPS)
    assert status == 200, content
    body = json.loads(content)
    assert body["status"] == "ok"
    assert body["checks"]["database"]["state"] == "ok" and body["checks"]["database"]["kind"] == "postgresql"
    assert body["checks"]["cache"]["state"] == "ok" and body["checks"]["cache"]["kind"] == "redis"
    assert body["checks"]["tasks"] == {**body["checks"]["tasks"], "state": "ok", "kind": "database", "ready": 0}
    assert body["checks"]["search"] == {"state": "off", "kind": "database"}
    assert "no-store" in headers["cache-control"]
    assert "set-cookie" not in headers


def test_a_storefront_page_answers_with_the_security_headers(site):
    status, headers, content = site.get("/shop/catalogue/", {**HTTPS, "X-Request-ID": "gunicorn-test-0001"})
    assert status == 200, content[:2000]
    assert b"<html" in content
    policy = headers["content-security-policy"]  # enforced on the storefront, not report-only
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'self'" in script_src and "unsafe-inline" not in script_src
    assert "frame-ancestors 'none'" in policy
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "max-age=31536000" in headers["strict-transport-security"]
    assert headers["x-request-id"] == "gunicorn-test-0001"


def test_plain_http_is_redirected_to_https(site):
    status, headers, _ = site.get("/shop/catalogue/")
    assert status == 301
    assert headers["location"] == f"https://127.0.0.1:{site.port}/shop/catalogue/"


def test_the_logs_are_json_lines_with_the_request_id(site):
    site.get("/shop/catalogue/?email=an@x.vn", {**HTTPS, "X-Request-ID": "gunicorn-test-0002"})
    deadline = time.monotonic() + 10
    while True:
        access = [line for line in site.json_lines() if line.get("request_id") == "gunicorn-test-0002"]
        if access or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    (line,) = access
    assert line["logger"] == "ocop.request" and line["level"] == "INFO"
    assert line["method"] == "GET" and line["path"] == "/shop/catalogue/" and line["status"] == 200
    assert "an@x.vn" not in site.log.read_text(errors="replace")
    assert not any(line.get("path") == "/healthz" for line in site.json_lines())  # probes are not logged

"""The containers' health checks (python -m shop.tasks.probe): cheap, no Django, and answered like real requests."""

import http.server
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from shop.tasks import probe

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def fake_web():
    """A stand-in for gunicorn: answers /healthz with the status the test sets, and keeps the headers it got."""
    state = {"status": 200, "headers": None}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            state["headers"] = dict(self.headers)
            state["path"] = self.path
            self.send_response(state["status"])
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state["url"] = f"http://127.0.0.1:{server.server_port}/healthz"
    yield state
    server.shutdown()


def test_the_web_probe_asks_healthz_as_the_proxy_would(fake_web, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", ".ocop.example.vn,localhost")
    assert probe.web_healthy(fake_web["url"]) is True
    assert fake_web["path"] == "/healthz"
    assert fake_web["headers"]["Host"] == "ocop.example.vn"  # an allowed host, or Django answers 400
    assert fake_web["headers"]["X-Forwarded-Proto"] == "https"  # or production redirects to HTTPS

    fake_web["status"] = 503  # the database is down
    assert probe.web_healthy(fake_web["url"]) is False


def test_the_web_probe_fails_when_nothing_answers():
    assert probe.web_healthy("http://127.0.0.1:9/healthz", timeout=2) is False


def test_the_heartbeat_probe_reads_the_file_the_loop_touches(tmp_path):
    assert not probe.heartbeat_fresh("worker", 120, str(tmp_path))
    probe.heartbeat_touch("worker", str(tmp_path))
    assert probe.heartbeat_fresh("worker", 120, str(tmp_path))
    stale = time.time() - 300
    os.utime(probe.heartbeat_path("worker", str(tmp_path)), (stale, stale))
    assert not probe.heartbeat_fresh("worker", 120, str(tmp_path))


def test_the_probe_runs_as_a_command_without_django(tmp_path):
    env = {**os.environ, "OCOP_HEARTBEAT_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)

    def run(*args):
        return subprocess.run([sys.executable, "-m", "shop.tasks.probe", *args], cwd=ROOT, env=env,
                              capture_output=True, timeout=30).returncode

    assert run("heartbeat", "scheduler", "120") == 1
    (tmp_path / "ocop-scheduler.alive").touch()
    assert run("heartbeat", "scheduler", "120") == 0
    assert run("nonsense") == 2

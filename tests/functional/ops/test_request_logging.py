"""Log lines as the settings configure them: request ids on every line of a request, the access line when asked
for, JSON in production, personal data masked on the way out."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from shop.observability.logging import JsonFormatter

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines():
    """The configured console handler (LOGGING in config/settings/base.py, its filters included), writing JSON to
    a buffer for the test."""
    (handler,) = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    stream, formatter = handler.stream, handler.formatter
    buffer = io.StringIO()
    handler.setStream(buffer)
    handler.setFormatter(JsonFormatter())
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    handler.setStream(stream)
    handler.setFormatter(formatter)


def access_lines(lines):
    return [line for line in lines if line["logger"] == "ocop.request"]


def test_every_response_carries_a_request_id_and_a_sane_one_from_the_proxy_is_kept(client):
    first, second = client.get("/robots.txt"), client.get("/robots.txt")
    assert len(first["X-Request-ID"]) == 32 and first["X-Request-ID"] != second["X-Request-ID"]
    assert client.get("/robots.txt", HTTP_X_REQUEST_ID="lb-7f3a9c2e-0001")["X-Request-ID"] == "lb-7f3a9c2e-0001"
    forged = client.get("/robots.txt", HTTP_X_REQUEST_ID="<script>alert(1)</script>")["X-Request-ID"]
    assert "<" not in forged and len(forged) == 32


def test_no_access_line_unless_asked_for(client, settings, log_lines):
    settings.DJANGO_LOG_REQUESTS = False
    client.get("/robots.txt")
    assert access_lines(log_lines()) == []


def test_the_access_line_has_method_path_status_duration_and_request_id_and_no_query_or_person(client, settings,
                                                                                              log_lines):
    settings.DJANGO_LOG_REQUESTS = True
    response = client.get("/robots.txt?email=an@x.vn&phone=0912345678")
    (line,) = access_lines(log_lines())
    assert line["level"] == "INFO"
    assert line["method"] == "GET" and line["path"] == "/robots.txt" and line["status"] == 200
    assert isinstance(line["duration_ms"], float)
    assert line["request_id"] == response["X-Request-ID"]
    assert line["message"].startswith("GET /robots.txt 200 ")
    text = json.dumps(line)
    assert "an@x.vn" not in text and "0912345678" not in text and "client" not in line


def test_the_client_ip_only_when_asked_for(client, settings, log_lines):
    settings.DJANGO_LOG_REQUESTS = True
    settings.OCOP_LOG_CLIENT_IP = True
    client.get("/robots.txt", REMOTE_ADDR="203.0.113.9")
    (line,) = access_lines(log_lines())
    assert line["client"] == "203.0.113.9"


def test_tokens_and_personal_data_in_a_path_and_health_probes_stay_out_of_the_access_log(client, settings, log_lines):
    settings.DJANGO_LOG_REQUESTS = True
    client.get("/shop/accounts/reset/MQ/cbq4f2-4e1f1a7b2c3d4e5f6a7b8c9d0e1f2a3b/")
    client.get("/shop/an@x.vn/0912345678/")
    client.get("/healthz")
    reset, personal = access_lines(log_lines())
    assert reset["path"] == "/shop/accounts/reset/MQ/[token]/"
    assert personal["path"] == "/shop/[email]/[phone]/" and personal["status"] == 404


def test_a_line_written_while_serving_a_request_carries_its_id_and_path(client, log_lines):
    response = client.post("/payments/stripe/webhook/?email=an@x.vn", data=b"{}", content_type="application/json",
                           HTTP_STRIPE_SIGNATURE="t=1,v1=forged")
    assert response.status_code == 400
    (line,) = [line for line in log_lines() if line["logger"] == "django.request"]
    assert line["level"] == "WARNING" and line["message"] == "Bad Request: /payments/stripe/webhook/"
    assert line["request_id"] == response["X-Request-ID"]
    assert line["method"] == "POST" and line["path"] == "/payments/stripe/webhook/" and line["status_code"] == 400
    assert "request" not in line  # Django's request object is not written out (its repr has the query string)


def _settings_process(code: str, **environ) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SENTRY_")) and k != "REDIS_URL"}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.test", **environ})
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


LOG_SOME = (
    "import django, logging; django.setup()\n"
    "log = logging.getLogger('shop.checkout')\n"
    "log.warning('order for %s, phone %s', 'an@x.vn', '0912 345 678', extra={'shipping_address': '12 Tôn Đức Thắng'})\n"
    "try:\n    raise RuntimeError('refused an@x.vn')\n"
    "except RuntimeError:\n    logging.getLogger('django.request').exception('Internal Server Error: /shop/')\n"
    "logging.getLogger('shop.checkout').info('below the level')\n"
)


def test_json_lines_on_stderr_when_asked_with_nothing_personal():
    result = _settings_process(LOG_SOME, DJANGO_LOG_FORMAT="json")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    assert [line["logger"] for line in lines] == ["shop.checkout", "django.request"]  # INFO below WARNING
    order, error = lines
    assert order["message"] == "order for [email], phone [phone]"
    assert order["shipping_address"] == "[redacted]" and order["level"] == "WARNING"
    assert error["level"] == "ERROR" and "RuntimeError: refused [email]" in error["exc_info"]
    for secret in ("an@x.vn", "0912 345 678", "Tôn Đức Thắng"):
        assert secret not in result.stderr


def test_plain_text_by_default_outside_production_and_the_level_from_the_environment():
    result = _settings_process(LOG_SOME, DJANGO_LOG_LEVEL="INFO")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert any(line.endswith("WARNING shop.checkout [-] order for [email], phone [phone]") for line in lines), lines
    assert any(line.endswith("INFO shop.checkout [-] below the level") for line in lines), lines
    assert "an@x.vn" not in result.stderr


def test_production_settings_default_to_json():
    code = "import config.settings.production as s; print(s.DJANGO_LOG_FORMAT, s.LOGGING['handlers']['console'])"
    result = _settings_process(code, DJANGO_SETTINGS_MODULE="config.settings.production", DJANGO_SECRET_KEY="k" * 64)
    assert result.returncode == 0, result.stderr
    log_format, handler = result.stdout.split(" ", 1)
    assert log_format == "json" and "'formatter': 'json'" in handler

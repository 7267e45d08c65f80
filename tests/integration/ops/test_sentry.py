"""The error tracker: off without a DSN; with one, events leave with no cookie, body, query string, user contact,
local variable, phone number or email address in them. Nothing is ever sent over the network here: the SDK's
transport is replaced by a list."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from shop.observability.sentry import SAFE_HEADERS, scrub_event, sentry_init, sentry_options

ROOT = Path(__file__).resolve().parents[3]
DSN = "https://0123456789abcdef@errors.example.invalid/7"


def test_without_a_dsn_nothing_is_initialised():
    import sentry_sdk

    assert sentry_options(environ={}) is None
    assert sentry_options(environ={"SENTRY_DSN": "  "}) is None
    assert sentry_init(environ={"SENTRY_DSN": ""}) is False
    assert not sentry_sdk.get_client().is_active()


def test_production_settings_without_a_dsn_start_no_tracker():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SENTRY_"))}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", "DJANGO_SECRET_KEY": "k" * 64})
    code = "import django; django.setup(); import sentry_sdk; print(sentry_sdk.get_client().is_active())"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "False"


def test_with_a_dsn_the_options_keep_personal_data_home():
    environ = {"SENTRY_DSN": DSN, "SENTRY_ENVIRONMENT": "staging", "SENTRY_RELEASE": "ocop@1.4.0"}
    options = sentry_options(environ=environ)
    assert options["dsn"] == DSN
    assert options["environment"] == "staging" and options["release"] == "ocop@1.4.0"
    assert options["send_default_pii"] is False
    assert options["max_request_body_size"] == "never"
    assert options["include_local_variables"] is False
    assert options["traces_sample_rate"] is None  # no performance tracing unless asked
    assert options["before_send"] is scrub_event and options["before_send_transaction"] is scrub_event
    assert [type(integration).__name__ for integration in options["integrations"]] == ["DjangoIntegration"]
    traced = sentry_options(environ={"SENTRY_DSN": DSN, "SENTRY_TRACES_SAMPLE_RATE": "0.05"})
    assert traced["traces_sample_rate"] == 0.05 and traced["environment"] == "production" and traced["release"] is None


def realistic_event():
    """What sentry-sdk's Django integration builds for a failed checkout POST (abridged, as sent with PII on)."""
    return {
        "level": "error",
        "request": {
            "url": "https://ocop.example.vn/shop/checkout/preview/?email=an@x.vn",
            "method": "POST",
            "query_string": "email=an%40x.vn&phone=0912345678",
            "headers": {"Host": "ocop.example.vn", "User-Agent": "Mozilla/5.0", "Cookie": "sessionid=abc; csrftoken=x",
                        "Authorization": "Bearer s3cret", "X-Forwarded-For": "203.0.113.9",
                        "Referer": "https://ocop.example.vn/shop/checkout/?phone=0912345678",
                        "X-Request-ID": "5f2c0e0c9a4b4e0f", "Accept-Language": "vi"},
            "cookies": {"sessionid": "abc", "csrftoken": "x"},
            "data": {"guest_email": "an@x.vn", "phone_number": "0912345678", "line1": "12 Tôn Đức Thắng"},
            "env": {"REMOTE_ADDR": "203.0.113.9", "SERVER_NAME": "web-1", "SERVER_PORT": "8000"},
        },
        "user": {"id": "42", "email": "an@x.vn", "ip_address": "203.0.113.9", "username": "an@x.vn"},
        "logentry": {"message": "payment for %s failed", "formatted": "payment for an@x.vn failed",
                     "params": ["an@x.vn"]},
        "exception": {"values": [{
            "type": "IntegrityError",
            "value": 'duplicate key value violates unique constraint "users_email"\nDETAIL:  Key (email)=(an@x.vn)',
            "stacktrace": {"frames": [{"function": "place_order", "vars": {"address": "12 Tôn Đức Thắng",
                                                                           "phone": "0912345678"}}]},
        }]},
        "extra": {"order_number": "100023", "shipping_phone": "0912345678", "note": "gọi 0987654321"},
        "breadcrumbs": {"values": [
            {"category": "shop.checkout", "message": "guest an@x.vn started checkout", "data": {}},
            {"category": "httplib", "data": {"url": "https://api.example.vn/?phone=0912345678", "method": "GET"}},
        ]},
        "tags": {"order": "100023"},
    }


def test_before_send_strips_the_request_the_user_and_masks_every_text():
    event = scrub_event(realistic_event(), {})
    request = event["request"]
    assert request == {
        "method": "POST",
        "url": "https://ocop.example.vn/shop/checkout/preview/",
        "headers": {"Host": "ocop.example.vn", "User-Agent": "Mozilla/5.0", "X-Request-ID": "5f2c0e0c9a4b4e0f",
                    "Accept-Language": "vi"},
    }
    assert event["user"] == {"id": "42"}
    assert event["logentry"]["formatted"] == "payment for [email] failed"
    assert event["logentry"]["params"] == ["[email]"]
    (exception,) = event["exception"]["values"]
    assert exception["value"].endswith("Key (email)=([redacted])")
    assert "vars" not in exception["stacktrace"]["frames"][0]
    assert event["extra"] == {"order_number": "100023", "shipping_phone": "[redacted]", "note": "gọi [phone]"}
    assert event["breadcrumbs"]["values"][0]["message"] == "guest [email] started checkout"
    assert "0912345678" not in event["breadcrumbs"]["values"][1]["data"]["url"]
    assert event["tags"] == {"order": "100023"}
    sent = json.dumps(event, ensure_ascii=False)
    for personal in ("an@x.vn", "0912345678", "0987654321", "Tôn Đức Thắng", "203.0.113.9", "s3cret", "sessionid"):
        assert personal not in sent, personal
    assert {name.lower() for name in request["headers"]} <= SAFE_HEADERS


CAPTURE = """
import io, json, logging
from urllib.parse import urlencode
from wsgiref.util import setup_testing_defaults
import django
django.setup()
import sentry_sdk
from django.core.wsgi import get_wsgi_application
from django.test.utils import override_settings
from shop.observability.sentry import sentry_options

events = []
options = sentry_options(environ={"SENTRY_DSN": %(dsn)r, "SENTRY_RELEASE": "ocop@test"})
sentry_sdk.init(**options, transport=events.append)  # a list, never the network
body = urlencode({"phone": "0912345678", "address": "12 Tôn Đức Thắng"}).encode()
environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/boom/", "QUERY_STRING": "email=an@x.vn",
           "CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": str(len(body)),
           "wsgi.input": io.BytesIO(body), "HTTP_COOKIE": "ocop_seen=s3ss10n-cookie",
           "HTTP_AUTHORIZATION": "Bearer t0ken-value", "HTTP_X_REQUEST_ID": "req-12345678",
           "HTTP_USER_AGENT": "test-agent", "REMOTE_ADDR": "203.0.113.9"}
setup_testing_defaults(environ)
statuses = []
with override_settings(ROOT_URLCONF="tests.integration.ops.sentry_urls"):
    b"".join(get_wsgi_application()(environ, lambda status, headers, *exc: statuses.append(status)))
logging.getLogger("shop.payments").error("refund for %%s failed", "0987654321")
sentry_sdk.flush()
print(json.dumps({"status": statuses[0], "events": events}, default=str))
"""


def test_a_real_failure_reaches_the_tracker_without_personal_data():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SENTRY_"))}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": "sqlite:////tmp/ops-sentry.sqlite3"})
    result = subprocess.run([sys.executable, "-c", CAPTURE % {"dsn": DSN}], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    captured = json.loads(result.stdout.strip().splitlines()[-1])
    assert captured["status"].startswith("500")
    failure, log_error = captured["events"]
    assert failure["exception"]["values"][-1]["type"] == "ValueError"
    assert failure["exception"]["values"][-1]["value"].startswith("no delivery slot for [email] ([phone])")
    assert failure["release"] == "ocop@test" and failure["environment"] == "production"
    assert failure["request"]["url"] == "http://127.0.0.1/boom/" and failure["request"]["method"] == "POST"
    assert failure["request"]["headers"]["X-Request-Id"] == "req-12345678"
    assert failure["request"]["headers"]["User-Agent"] == "test-agent"
    assert "Authorization" not in failure["request"]["headers"] and "Cookie" not in failure["request"]["headers"]
    assert set(failure.get("user") or {}) <= {"id"}
    assert set(failure["request"]) == {"url", "method", "headers"}
    assert any(crumb.get("message") == "looking up guest [email]" for crumb in failure["breadcrumbs"]["values"])
    assert log_error["level"] == "error" and "refund for" in json.dumps(log_error["logentry"])
    assert "[phone]" in json.dumps(log_error["logentry"])
    sent = json.dumps(captured["events"], ensure_ascii=False)
    for personal in ("an@x.vn", "0912345678", "0987654321", "Tôn Đức Thắng", "s3ss10n-cookie", "t0ken-value",
                     "203.0.113.9"):
        assert personal not in sent, personal


@pytest.mark.parametrize("rate", ["", "0.2"])
def test_the_sample_rate_is_read_as_a_number_or_left_off(rate):
    options = sentry_options(environ={"SENTRY_DSN": DSN, "SENTRY_TRACES_SAMPLE_RATE": rate})
    assert options["traces_sample_rate"] == (float(rate) if rate else None)

"""Errors reach an error tracker (Sentry, or anything that speaks its protocol: GlitchTip, self-hosted Sentry)
when SENTRY_DSN is set; with no DSN nothing is initialised and nothing leaves the machine.

What an event may carry is decided here, not by the SDK's defaults: ``send_default_pii=False``, no request
bodies, no local variables (a frame's locals hold addresses and phone numbers under any name), and
``scrub_event`` on every event, transaction and breadcrumb: no cookies, only a safe list of headers, no query
string, no body, the user reduced to its id, and the same masking as the logs on every message, exception text,
extra and breadcrumb (shop/observability/redaction.py).

``sentry_init()`` is called at the end of config/settings/production.py, so it reads the environment, not
Django's settings (they are not configured yet): SENTRY_DSN, SENTRY_ENVIRONMENT (default "production"),
SENTRY_RELEASE, SENTRY_TRACES_SAMPLE_RATE (default: no performance tracing).
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

from .redaction import redact, redact_text

SAFE_HEADERS = frozenset({
    "accept", "accept-encoding", "accept-language", "content-length", "content-type", "host", "user-agent",
    "x-forwarded-proto", "x-request-id",
})
_USER_KEPT = ("id",)


def _url_without_query(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return redact_text(urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")))


def _scrub_request(request: dict) -> dict:
    kept = {}
    if request.get("method"):
        kept["method"] = request["method"]
    if request.get("url"):
        kept["url"] = _url_without_query(str(request["url"]))
    headers = request.get("headers")
    if isinstance(headers, dict):
        kept["headers"] = {
            name: redact_text(str(value)) for name, value in headers.items() if name.lower() in SAFE_HEADERS
        }
    return kept  # cookies, data (the body), query_string and env (REMOTE_ADDR, server names) are dropped


def _scrub_exception(exception: dict) -> None:
    for value in exception.get("values") or []:
        if isinstance(value.get("value"), str):
            value["value"] = redact_text(value["value"])
        for frame in (value.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)


def scrub_breadcrumb(crumb: dict, hint=None) -> dict:
    if isinstance(crumb.get("message"), str):
        crumb["message"] = redact_text(crumb["message"])
    if isinstance(crumb.get("data"), dict):
        crumb["data"] = redact(crumb["data"])
    return crumb


def scrub_event(event: dict, hint=None) -> dict:
    """The event as it may leave the machine (also used for transactions)."""
    if isinstance(event.get("request"), dict):
        event["request"] = _scrub_request(event["request"])
    if isinstance(event.get("user"), dict):
        event["user"] = {key: event["user"][key] for key in _USER_KEPT if key in event["user"]}
    if isinstance(event.get("message"), str):
        event["message"] = redact_text(event["message"])
    logentry = event.get("logentry")
    if isinstance(logentry, dict):
        for key in ("message", "formatted"):
            if isinstance(logentry.get(key), str):
                logentry[key] = redact_text(logentry[key])
        if "params" in logentry:
            logentry["params"] = redact(logentry["params"])
    if isinstance(event.get("exception"), dict):
        _scrub_exception(event["exception"])
    for thread in (event.get("threads") or {}).get("values") or []:
        for frame in (thread.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    for key in ("extra", "tags"):
        if isinstance(event.get(key), dict):
            event[key] = redact(event[key])
    contexts = event.get("contexts")
    if isinstance(contexts, dict):
        for name, context in list(contexts.items()):
            if name not in ("trace", "runtime", "os", "device", "browser") and isinstance(context, dict):
                contexts[name] = redact(context)
    breadcrumbs = event.get("breadcrumbs")
    values = breadcrumbs.get("values") if isinstance(breadcrumbs, dict) else breadcrumbs
    for crumb in values or []:
        if isinstance(crumb, dict):
            scrub_breadcrumb(crumb)
    return event


def sentry_options(*, environ=None) -> dict | None:
    """The SDK's options from the environment, or None when no DSN is set."""
    environ = os.environ if environ is None else environ
    dsn = environ.get("SENTRY_DSN", "").strip()
    if not dsn:
        return None
    from sentry_sdk.integrations.django import DjangoIntegration

    rate = environ.get("SENTRY_TRACES_SAMPLE_RATE", "").strip()
    return {
        "dsn": dsn,
        "environment": environ.get("SENTRY_ENVIRONMENT", "").strip() or "production",
        "release": environ.get("SENTRY_RELEASE", "").strip() or None,
        "integrations": [DjangoIntegration()],
        "send_default_pii": False,
        "max_request_body_size": "never",
        "include_local_variables": False,
        "traces_sample_rate": float(rate) if rate else None,  # None: no transactions at all
        "before_send": scrub_event,
        "before_send_transaction": scrub_event,
        "before_breadcrumb": scrub_breadcrumb,
    }


def sentry_init(*, environ=None) -> bool:
    """Start the error tracker when SENTRY_DSN is set; True when it did."""
    options = sentry_options(environ=environ)
    if options is None:
        return False
    import sentry_sdk

    sentry_sdk.init(**options)
    return True

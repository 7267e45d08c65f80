import logging
import re
import time
import uuid

from django.conf import settings

from .logging import request_context_reset, request_context_set
from .redaction import redact_text

access_logger = logging.getLogger("ocop.request")

# Secrets that travel in a path: Django's password-reset tokens ("cbq4f2-4e1f…"), hashes and long hex ids.
_PATH_SECRET = re.compile(r"[0-9a-z]{1,13}-[0-9a-f]{20,}|[0-9a-fA-F]{24,}")
_QUIET_PATHS = frozenset({"/healthz"})  # probed every few seconds: an access line each would drown the rest


def _request_id(request) -> str:
    given = request.headers.get("X-Request-ID", "")
    if given.isascii() and 8 <= len(given) <= 64 and given.replace("-", "").isalnum():
        return given
    return uuid.uuid4().hex


def loggable_path(path: str) -> str:
    """The path as log lines show it: no query string (the caller passes ``request.path``), tokens, phone numbers
    and email addresses masked."""
    return redact_text(_PATH_SECRET.sub("[token]", path))


class RequestIdMiddleware:
    """Every request gets an id (the proxy's X-Request-ID when it sends a sane one), echoed in the response and
    stamped on every log line written while it is served; with DJANGO_LOG_REQUESTS one access line per request
    on the "ocop.request" logger (method, path without the query string, status, duration; the client's IP only
    with OCOP_LOG_CLIENT_IP; never who the user is)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request.request_id = _request_id(request)
        path = loggable_path(request.path)
        token = request_context_set(request_id=request.request_id, method=request.method, path=path)
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id
            if getattr(settings, "DJANGO_LOG_REQUESTS", False) and request.path not in _QUIET_PATHS:
                self._access_line(request, response, path, started)
            return response
        finally:
            request_context_reset(token)

    @staticmethod
    def _access_line(request, response, path: str, started: float) -> None:
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        extra = {"method": request.method, "path": path, "status": response.status_code, "duration_ms": duration_ms}
        if getattr(settings, "OCOP_LOG_CLIENT_IP", False):
            from axes.helpers import get_client_ip_address  # the same client address the login lockout uses

            extra["client"] = get_client_ip_address(request) or ""
        access_logger.info("%s %s %s %sms", request.method, path, response.status_code, duration_ms, extra=extra)

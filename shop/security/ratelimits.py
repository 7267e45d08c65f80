"""Rate limits on the forms strangers can post many times: account creation, password reset, live reminder
sign-up, complaints. One decorator; the rates are settings (OCOP_RATE_LIMITS, e.g. {"complaint": "10/h"}), counted
per client IP (shop/security/client_ip.py; an IPv6 client by its /64) in the default cache, by django-ratelimit.
Only POSTs count. Past the rate the client gets our 429 page, with Retry-After, and the view does not run.

A cache that is down lets the request through (RATELIMIT_FAIL_OPEN, on by default): a Redis outage must not stop
a shopper. django-ratelimit fails open only on the errors of some cache clients; Django's own Redis backend raises
redis' ConnectionError, so the decorator catches what the count raises.
"""

from __future__ import annotations

import logging
import math
from functools import wraps
from typing import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

from .client_ip import client_key
from .rates import DEFAULT_RATES

log = logging.getLogger(__name__)

_PREFIX = "ocop:"


def _rate(group: str, request) -> str | None:
    """The group's rate now (settings are read per request, so a test or an operator can change them)."""
    name = group.removeprefix(_PREFIX)
    return getattr(settings, "OCOP_RATE_LIMITS", {}).get(name, DEFAULT_RATES[name])


def rate_key(group: str, request) -> str:
    """Whose count a request adds to: the client's IP, an IPv6 client's /64 (shop/security/client_ip.client_key)."""
    return client_key(request) or "unknown"


def _usage(group: str, request, methods) -> dict | None:
    try:
        return get_usage(request, group=_PREFIX + group, key=rate_key, rate=_rate, method=list(methods),
                         increment=True)
    except Exception as error:  # the cache is unreachable: the count is unknown
        if getattr(settings, "RATELIMIT_FAIL_OPEN", True):
            log.warning("rate limit %s not counted, the cache failed (%s): request let through",
                        group, type(error).__name__)
            return None
        return {"should_limit": True, "time_left": -1}  # failing closed: refused, no Retry-After to promise


def rate_limited(group: str, *, methods=("POST",), only_if: Callable[[HttpRequest], bool] | None = None):
    """Decorate a view function (or, with method_decorator, a class view's ``post``/``dispatch``): past the
    group's rate, the client gets our 429 page instead of the view. ``only_if(request)`` narrows what counts (a view
    that posts several actions, of which only some are the limited form)."""
    if group not in DEFAULT_RATES:
        raise ValueError(f"unknown rate-limit group {group!r}")

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if only_if is None or only_if(request):
                usage = _usage(group, request, methods)
                if usage is not None and usage["should_limit"]:
                    return limited(request, retry_after=usage["time_left"])
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def posted_action(*actions: str) -> Callable[[HttpRequest], bool]:
    """For ``only_if``: the POST's "action" field is one of ``actions``."""
    return lambda request: request.POST.get("action") in actions


def limited(request, exception=None, *, retry_after: int | None = None) -> HttpResponse:
    """The 429 answer (also RATELIMIT_VIEW, for django-ratelimit's own decorator and middleware)."""
    seconds = max(1, int(retry_after)) if retry_after is not None and retry_after >= 0 else None
    minutes = max(1, math.ceil(seconds / 60)) if seconds else None
    if "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse({"ok": False, "status": "rate-limited",
                                 "message": _("Bạn đã gửi quá nhiều lần. Vui lòng thử lại sau ít phút.")}, status=429)
    else:
        response = render(request, "security/rate_limited.html", {"minutes": minutes}, status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "private, no-store"
    return response

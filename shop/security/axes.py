"""Login brute force (django-axes): who a login attempt is for, what is kept of a failed one, and the page a locked
(email, IP) pair gets. Settings: "login brute force" in config/settings/base.py; README: Production.

Every login form goes through django.contrib.auth.authenticate with a ``username`` keyword: Oscar's storefront
sign-in (fields prefixed "login-"), Wagtail's admin and Django's admin. Accounts sign in by email, so the name
is normalised the way a person types it: "A@x.vn " and "a@x.vn" are one name and share one failure count.
"""

from __future__ import annotations

import math

from axes.conf import settings as axes_settings
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone

USERNAME_MAX_LENGTH = 255  # axes.models.AccessAttempt.username
_USERNAME_KEYS = ("username", "email")  # what authenticate() and user_logged_in hand axes
_POSTED_KEYS = ("username", "login-username", "email")  # Django/Wagtail admin, Oscar's prefixed form


def normalise_username(value) -> str | None:
    if value is None:
        return None
    value = str(value).strip().lower()
    return value[:USERNAME_MAX_LENGTH] or None


def login_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """AXES_USERNAME_CALLABLE: the email a login attempt is for, from the credentials authenticate() was given
    (or, without them, from the posted form), normalised."""
    for key in _USERNAME_KEYS:
        if credentials and credentials.get(key):
            return normalise_username(credentials[key])
    data = getattr(request, "POST", None) or {}
    for key in _POSTED_KEYS:
        if data.get(key):
            return normalise_username(data[key])
    return None


class _WithoutFormData:
    """The request as the handler sees it while recording a failure: the same request (attributes axes sets land on
    the real one) with empty GET and POST, so no typed password or email is copied into AccessAttempt's get_data
    and post_data (Oscar's "login-password" is not a name axes knows to mask)."""

    GET = POST = QueryDict()

    def __init__(self, request):
        object.__setattr__(self, "_request", request)

    def __getattr__(self, name):
        return getattr(self._request, name)

    def __setattr__(self, name, value):
        setattr(self._request, name, value)


class LoginAttemptHandler(AxesDatabaseHandler):
    """AXES_HANDLER: axes' database handler, keeping only who (normalised email), from where (IP, user agent),
    when and how many times; never what was typed."""

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is not None:
            request = _WithoutFormData(request)
        return super().user_login_failed(sender, credentials, request, **kwargs)

    def lock_ends_at(self, request, credentials: dict | None = None):
        """When the newest failure counted against this (email, IP) leaves the cool-off window: the lock is over
        by then (a failure made while locked is not counted: AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT)."""
        cool_off = get_cool_off(request)
        if cool_off is None:
            return None
        latest = [
            attempts.aggregate(latest=Max("attempt_time"))["latest"]
            for attempts in self.filter_user_attempts(request, credentials)
        ]
        latest = [moment for moment in latest if moment is not None]
        return (max(latest) if latest else timezone.now()) + cool_off


def lockout_response(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: our page, HTTP 429 with Retry-After. The same page whether or not an account has
    this email; it names neither the email nor the account."""
    AxesProxyHandler.update_request(request)  # a no-op when axes has seen this request already
    handler = AxesProxyHandler.get_implementation()
    ends_at = handler.lock_ends_at(request, credentials) if hasattr(handler, "lock_ends_at") else None
    if ends_at is None:
        seconds = None
    else:
        seconds = max(1, math.ceil((ends_at - timezone.now()).total_seconds()))
    response = render(
        request,
        "security/locked_out.html",
        {"minutes": max(1, math.ceil(seconds / 60)) if seconds else None},
        status=axes_settings.AXES_HTTP_RESPONSE_CODE,
    )
    if seconds:
        response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "private, no-store"
    return response

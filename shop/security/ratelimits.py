"""Rate limits on the forms strangers can post many times: account creation, password reset, live reminder
sign-up, complaints. One decorator; the rates are settings (OCOP_RATE_LIMITS), counted per client IP in the
cache (a cache that is down lets the request through: RATELIMIT_FAIL_OPEN)."""

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

DEFAULT_RATES = {
    "register": "10/h",
    "password-reset": "5/h",
    "live-reminder": "20/h",
    "complaint": "10/h",
}


def _rate(group, request):
    return getattr(settings, "OCOP_RATE_LIMITS", {}).get(group, DEFAULT_RATES[group])


def rate_limited(group: str, *, methods=("POST",)):
    """Decorate a view function (or, with method_decorator, a class view's ``post``/``dispatch``): past the
    group's rate, the client gets our 429 page instead of the view."""
    if group not in DEFAULT_RATES:
        raise ValueError(f"unknown rate-limit group {group!r}")
    return ratelimit(group=f"ocop:{group}", key="ip", rate=_rate, method=list(methods), block=True)


def limited(request, exception):
    return HttpResponse(_("Bạn thao tác quá nhanh. Vui lòng thử lại sau ít phút."), status=429)

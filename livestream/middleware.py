"""A session link (``?live=<slug>`` on any page) is remembered in the shopper's browser session, so an order
placed within 24 hours is attributed to that session (livestream.services.live_order_attribute). A guest's
contact from their last checkout is made known to the live-price benefit (livestream.customer)."""

import datetime as dt
import re

from django.utils import timezone

from .customer import SESSION_KEY as CUSTOMER_KEY
from .customer import customer_context
from .models import LiveSession
from .services import SESSION_HINT, attribution_hint

_SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,80}$")
_FRESH = dt.timedelta(hours=24)


def _stronger_hint_kept(request, slug: str, now) -> bool:
    """An add on that session's page (while live) in the last 24 hours says more than following its link."""
    hint = request.session.get(SESSION_HINT)
    if not isinstance(hint, dict) or hint.get("slug") != slug or hint.get("via") != "session_page":
        return False
    try:
        return now - dt.datetime.fromisoformat(hint["at"]) <= _FRESH
    except (KeyError, TypeError, ValueError):
        return False


class LiveLinkMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "live=" in request.META.get("QUERY_STRING", ""):  # cheap when absent: no parsing, no query
            self.remember(request)
        known = request.session.get(CUSTOMER_KEY) if hasattr(request, "session") else None
        with customer_context(**(known if isinstance(known, dict) else {})):  # a guest's live-price quota
            return self.get_response(request)

    @staticmethod
    def remember(request) -> None:
        slug = request.GET.get("live", "")
        if not _SLUG.match(slug) or not hasattr(request, "session"):
            return
        session = LiveSession.objects.filter(slug=slug).exclude(status=LiveSession.Status.CANCELLED).only(
            "pk", "slug").first()
        if session is None:
            return
        now = timezone.now()
        if not _stronger_hint_kept(request, session.slug, now):
            request.session[SESSION_HINT] = attribution_hint(session=session, via="link", now=now)

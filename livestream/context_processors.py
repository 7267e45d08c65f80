"""``live_now`` for every page: the first session on air (slug and title) or None, for the site-wide banner.

Read lazily (pages that never show the banner pay nothing) from the cache, refreshed at most every
LIVE_NOW_SECONDS: one cached read per page, one small query per refresh. With the cache down, one small query
per page (shop/caching/store.py: an outage is a miss)."""

from django.utils.functional import SimpleLazyObject

from shop.caching import store

from .models import LiveSession

CACHE_KEY = "livestream:live-now"
LIVE_NOW_SECONDS = 30


def live_now_read() -> dict | None:
    value = store.read(CACHE_KEY)
    if value is None:
        row = (
            LiveSession.objects.filter(status=LiveSession.Status.LIVE)
            .order_by("actual_start", "pk")
            .values("slug", "title")
            .first()
        )
        value = row or False  # False: nobody is live (cached too, unlike a miss)
        store.write(CACHE_KEY, value, LIVE_NOW_SECONDS)
    return value or None


def live_now(request):
    return {"live_now": SimpleLazyObject(live_now_read)}

"""The demo's live sessions: past with a replay, one on air with live prices, upcoming ones; loading twice adds
nothing."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from oscar.core.loading import get_class

from livestream.demo import SESSIONS
from livestream.models import LiveSession
from tests.support.checkout import service_basket

pytestmark = pytest.mark.django_db


def test_demo_sessions_cover_past_live_and_upcoming_and_load_once():
    call_command("load_demo_data", verbosity=0)
    call_command("load_demo_data", verbosity=0)
    sessions = {s.slug: s for s in LiveSession.objects.filter(slug__in=[row.slug for row in SESSIONS])}
    assert len(sessions) == len(SESSIONS) == 4
    statuses = sorted(s.status for s in sessions.values())
    assert statuses == ["ended", "live", "scheduled", "scheduled"]
    past = next(s for s in sessions.values() if s.status == "ended")
    assert past.replay_url and past.replay_retained_until.year == timezone.localdate().year + 3
    on_air = next(s for s in sessions.values() if s.status == "live")
    assert on_air.producer is not None and on_air.producer.may_host_livestreams
    assert all(f.product.is_certified() for s in sessions.values() for f in s.featured.all())

    featured = on_air.featured.order_by("position").first()
    basket = service_basket([(featured.product, 1)])
    get_class("offer.applicator", "Applicator")().apply(basket)
    assert basket.total_incl_tax == featured.live_price < featured.product.stockrecords.first().price
    assert featured.live_price % 1000 == 0 and isinstance(featured.live_price, Decimal)

"""Builders for livestream tests: sessions with featured products, verified hosts, sessions taken live."""

import datetime as dt
import itertools

from django.utils import timezone

from livestream.models import FeaturedProduct, HostIdentityCheck, LiveSession
from livestream.services import offers_sync, session_go_live

_seq = itertools.count(1)


def make_host(django_user_model, *, verified=True, email=None):
    host = django_user_model.objects.create_user(email=email or f"host{next(_seq)}@example.vn", password="pw-1234567",
                                                 first_name="Hạnh")
    if verified:
        checker = django_user_model.objects.create_superuser(email=f"checker{next(_seq)}@example.vn", password="x")
        HostIdentityCheck.objects.create(user=host, method="chip_id", checked_on=timezone.localdate(),
                                         checked_by=checker)
    return host


def make_session(*, host, products=(), start=None, minutes=60, slug=None, **fields):
    """A scheduled session; ``products`` are products or (product, live_price[, quantity_limit, per_customer])."""
    n = next(_seq)
    start = start or timezone.now() + dt.timedelta(hours=2)
    session = LiveSession.objects.create(
        title=fields.pop("title", f"Chợ phiên OCOP số {n}"), slug=slug or f"cho-phien-{n}", host=host,
        scheduled_start=start, scheduled_end=start + dt.timedelta(minutes=minutes), **fields,
    )
    for position, item in enumerate(products):
        product, price, limit, per_customer = (tuple(item) + (None, None, None))[:4] if isinstance(item, tuple) \
            else (item, None, None, None)
        FeaturedProduct.objects.create(session=session, product=product, position=position, live_price=price,
                                       quantity_limit=limit, per_customer_limit=per_customer)
    offers_sync(session=session)
    return session


def take_live(session, *, at=None):
    return session_go_live(session=session, actor=None, now=at or session.scheduled_start)

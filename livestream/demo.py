"""Demo live sessions: one past with a replay, one on air now, two upcoming, each featuring certified demo products
(some at a live price with limits); the hosts' identity checks; the programme staff's livestream permissions.

Called by catalogue.demo.load_demo_data() after the catalogue, certificates and users exist. Idempotent: sessions
are found by slug and a second run creates nothing. Times are relative to the first run (the session "on air"
stays as it was made: reload the database for a fresh one). Every state change goes through livestream.services.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from catalogue.demo import PRODUCER, PRODUCERS, PROGRAMME, PROGRAMME_GROUP, UPC_PREFIX
from catalogue.models import Product

from .models import FeaturedProduct, HostIdentityCheck, LiveSession
from .services import offers_sync, session_end, session_go_live


class SessionRow(NamedTuple):
    slug: str
    title: str
    description: str
    platform: str
    stream_url: str
    starts_in: dt.timedelta  # from now (negative: in the past)
    minutes: int
    state: str  # "ended", "live", "scheduled"
    producer_hosted: bool
    products: int
    live_discount: int  # percent off the current price, rounded to 1.000 ₫ (0: no live price)
    tours: bool = False  # features Group VI (visits, tours) instead of parcels


SESSIONS = (
    SessionRow(
        "cho-phien-ocop-thang-11", "Chợ phiên OCOP An Giang tháng 11",
        "Phiên giới thiệu đặc sản mùa nước nổi: mắm, khô, đường thốt nốt. Giá live chỉ trong lúc phát.",
        LiveSession.Platform.YOUTUBE, "https://www.youtube.com/watch?v=ocop-demo-11",
        -dt.timedelta(days=14, hours=-20), 90, "ended", False, 3, 15,
    ),
    SessionRow(
        "dac-san-chau-doc-truc-tiep", "Đặc sản Châu Đốc trực tiếp từ HTX",
        "HTX Nông nghiệp Châu Đốc giới thiệu sản phẩm tại cơ sở: cách làm mắm cá linh, đóng gói, bảo quản.",
        LiveSession.Platform.OWN, "https://stream.example.vn/ocop/chau-doc.m3u8",
        -dt.timedelta(minutes=10), 120, "live", True, 2, 10,
    ),
    SessionRow(
        "qua-tet-ocop-an-giang", "Quà Tết OCOP An Giang",
        "Gợi ý quà Tết từ sản phẩm OCOP 4–5 sao: trà, rượu, đặc sản khô. Đặt trước, giao trước Tết.",
        LiveSession.Platform.FACEBOOK, "https://www.facebook.com/ocop.angiang/live",
        dt.timedelta(days=1, hours=2), 90, "scheduled", False, 3, 12,
    ),
    SessionRow(
        "tour-rung-tram-tra-su", "Du lịch cộng đồng: rừng tràm Trà Sư",
        "Giới thiệu tour trải nghiệm và sản phẩm của bà con quanh rừng tràm.",
        LiveSession.Platform.TIKTOK, "https://www.tiktok.com/@ocop.angiang/live",
        dt.timedelta(days=5, hours=3), 60, "scheduled", False, 2, 0, tours=True,
    ),
)


def _identity_checked(*, user, checker) -> None:
    if not HostIdentityCheck.objects.filter(user=user).exists():
        HostIdentityCheck.objects.create(
            user=user, method=HostIdentityCheck.Method.CHIP_ID, checked_on=timezone.localdate(), checked_by=checker,
            note="Đối chiếu CCCD gắn chip khi đăng ký người dẫn.",
        )


def _live_price(price: Decimal, percent: int) -> Decimal:
    return (price * (100 - percent) / 100 / 1000).quantize(Decimal(1)) * 1000


@transaction.atomic
def sessions_create() -> int:
    User = get_user_model()
    staff, producer_user = User.objects.get(email=PROGRAMME.email), User.objects.get(email=PRODUCER.email)
    _identity_checked(user=staff, checker=staff)
    _identity_checked(user=producer_user, checker=staff)
    own_producer = producer_user.partners.filter(code=PRODUCERS[0].code).first()
    if own_producer and not own_producer.may_host_livestreams:  # staff let the demo producer run its own sessions
        type(own_producer).objects.filter(pk=own_producer.pk).update(may_host_livestreams=True)
    demo = (
        Product.objects.certified().filter(upc__startswith=UPC_PREFIX, stockrecords__num_in_stock__gt=10)
        .select_related("producer").prefetch_related("stockrecords").order_by("upc").distinct()
    )
    certified = list(demo.filter(ocop_product_set__group__is_shippable=True))
    tours = list(demo.filter(ocop_product_set__group__is_shippable=False))
    now, created = timezone.now(), 0
    for index, row in enumerate(SESSIONS):
        if LiveSession.objects.filter(slug=row.slug).exists():
            continue
        start = now + row.starts_in
        pool = tours if row.tours else certified
        if row.state == "ended":  # it went live back then: its products held a certificate on that day
            then = set(Product.objects.certified(timezone.localtime(start).date()).values_list("pk", flat=True))
            pool = [p for p in certified if p.pk in then]
        if row.producer_hosted and own_producer:
            products = [p for p in pool if p.producer_id == own_producer.pk][: row.products]
        elif row.tours:
            products = pool[: row.products]
        else:
            products = pool[index * 5: index * 5 + row.products]
        session = LiveSession.objects.create(
            slug=row.slug, title=row.title, description=row.description, platform=row.platform,
            stream_url=row.stream_url, scheduled_start=start, scheduled_end=start + dt.timedelta(minutes=row.minutes),
            host=producer_user if row.producer_hosted else staff, producer=own_producer if row.producer_hosted else None,
            created_by=staff,
        )
        for position, product in enumerate(products):
            price = product.stockrecords.all()[0].price
            FeaturedProduct.objects.create(
                session=session, product=product, position=position, is_pinned=position == 0,
                live_price=_live_price(price, row.live_discount) if row.live_discount else None,
                quantity_limit=50 if row.live_discount else None, per_customer_limit=3 if row.live_discount else None,
            )
        offers_sync(session=session)
        if row.state in ("live", "ended"):
            session_go_live(session=session, actor=staff, now=start)
        if row.state == "ended":
            session_end(session=session, actor=staff, now=start + dt.timedelta(minutes=row.minutes - 5))
            LiveSession.objects.filter(pk=session.pk).update(replay_url=row.stream_url)
        created += 1
    return created


def programme_permissions_grant() -> None:
    group = Group.objects.filter(name=PROGRAMME_GROUP).first()
    if group:
        group.permissions.add(*Permission.objects.filter(content_type__app_label="livestream"))


def livestream_demo_create() -> dict:
    created = sessions_create()
    programme_permissions_grant()
    return {
        "created": {"live sessions": created},
        "totals": {"live sessions": LiveSession.objects.filter(slug__in=[row.slug for row in SESSIONS]).count()},
    }

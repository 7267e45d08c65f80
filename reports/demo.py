"""Demo history for the programme office's dashboard: a year of the sales ledger, in every channel.

Called once at the end of catalogue.demo.load_demo_data() (after the CMS demo), when the catalogue and its
certificates, the demo users, the showrooms and the live sessions exist. For the last 12 months up to yesterday it
writes:

* online rows for demo products, and livestream rows under one past live session a month (made here the way
  livestream.demo makes its ended session: created, then taken live and ended through livestream.services, with
  "dữ liệu mẫu" in its description);
* counter sales at the demo showrooms (showrooms.models.Showroom);
* external sales on every platform (Shopee, TikTok Shop, Lazada, Postmart, Voso, supermarkets, other);
* a few reversals (refunds, a clerk's undo) through sale_reverse;

spread over the demo's OCOP groups, stars and producers' communes (in several former districts), with the shape of
a real year: a peak before Tết in January and February, a smaller one in December. A product sells only on days its
certificate was valid, so every row has its stars. A few certified producers get no online, livestream or external
row, so the dashboard's list of producers not yet on a modern channel is not empty.

Every row goes through reports.services.sale_record (never Sale.objects.create). None has an order line; each one's
note says "Dữ liệu mẫu" so nobody mistakes it for a real sale; its source key is "demo-history-<channel>-<n>".
Then come the plan's targets for this year and last year, the previous quarter closed by the demo programme staff,
and the ledger permissions of the "Programme staff" group.

Order matters: a row recorded while its day lies in a closed period is booked on the day it is recorded
(reports.services.booking_date: late rows land in the open period). So the history is written BEFORE the previous
quarter is closed. Written after the closure, every row of that quarter would be booked today, and the charts (which
read rows by ``booked_on``) would show one spike today instead of a year. For the same reason, loading the demo into
a database where staff have already closed periods books those periods' history today.

Idempotent and deterministic: draws come from random.Random(SEED) and depend only on the catalogue and today. The
history is written in one transaction, once: a run that finds any "demo-history-" row writes no history (so a run
on a later day does not add a second, shifted year). Targets are found by year and the closure by its dates.
About 1.700 rows; a few seconds.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from catalogue.certification import add_months, ocop_today
from catalogue.demo import PROGRAMME, PROGRAMME_GROUP, UPC_PREFIX
from catalogue.models import Product

from .models import ClosedPeriod, PlanTarget, Platform, Sale
from .services import period_close, sale_record, sale_reverse

SEED = 2026_09
KEY_PREFIX = "demo-history-"
NOTE = "Dữ liệu mẫu"

#: How busy each calendar month is against an ordinary one: Tết (late January or February) and the gifts before it,
#: the floating season's specialities in September–November.
SEASON = {1: 2.3, 2: 1.9, 3: 0.7, 4: 0.75, 5: 0.8, 6: 0.75, 7: 0.8, 8: 0.85, 9: 1.0, 10: 1.05, 11: 1.15, 12: 1.5}
#: Rows a day in an ordinary month, per channel (livestream: rows per monthly session instead).
DAILY = {Sale.Channel.ONLINE: 1.4, Sale.Channel.SHOWROOM: 1.1, Sale.Channel.EXTERNAL: 1.2}
LIVE_ROWS = 16
REVERSAL_SHARE = 0.03
#: A product's weight in a draw, by OCOP group: food has by far the most products and still sells most.
GROUP_WEIGHTS = {1: 1.0, 2: 2.0, 3: 2.0, 4: 2.5, 5: 2.5, 6: 2.0}
PLATFORM_WEIGHTS = {
    Platform.SHOPEE: 30, Platform.TIKTOK_SHOP: 26, Platform.LAZADA: 9, Platform.POSTMART: 12, Platform.VOSO: 6,
    Platform.SUPERMARKET: 12, Platform.OTHER: 5,
}
SHOWROOM_WEIGHTS = {"chau-doc": 3.0, "nui-sam": 2.5, "long-xuyen": 2.0, "rach-gia": 1.5, "phu-quoc": 2.5}
#: Certified producers left without a modern-channel sale (the dashboard's "not yet" list), in order of preference;
#: one is skipped when it alone carries one of the OCOP groups, so every group still sells.
NOT_YET = ("hkd-ca-canh-my-thoi", "hkd-hoa-lan-hon-dat", "tht-dan-luc-binh-my-duc", "hkd-my-nghe-go-thot-not",
           "tht-hoa-kieng-my-hoa-hung", "hkd-rau-sach-nhon-hoi")
NOT_YET_COUNT = 4
SESSION_DAY, SESSION_HOUR, SESSION_MINUTES = 12, 20, 90  # the 12th of each past month, 20:00–21:30
SESSION_SLUG = "cho-phien-ocop-mau-{year}-{month:02d}"
TARGETS = {0: (50, 60, 5, 100), -1: (40, 50, 4, 80)}  # years from this one: new 3★+ min, max, 4★+, modern share %
LEDGER_PERMISSIONS = ("view_sale", "add_sale", "add_closedperiod", "change_plantarget", "add_plantarget")


class Item(NamedTuple):
    """A demo product as the plan sees it."""

    product: Product
    price: Decimal
    group: int
    producer_code: str
    shippable: bool


class Planned(NamedTuple):
    key: str
    channel: str
    at: dt.datetime
    item: Item
    quantity: int
    amount: Decimal
    showroom: object = None
    session: object = None
    platform: str = ""
    reverse_at: dt.datetime | None = None


# ---------------------------------------------------------------- reading the catalogue
def _items() -> list[Item]:
    """Demo products with a price, by upc; certificates prefetched, so certified-on-a-day needs no query."""
    products = (
        Product.objects.filter(upc__startswith=UPC_PREFIX, producer__isnull=False, ocop_product_set__isnull=False)
        .select_related("producer", "ocop_product_set__group")
        .prefetch_related("certificates", "stockrecords")
        .order_by("upc")
    )
    items = []
    for product in products:
        prices = [record.price for record in product.stockrecords.all() if record.price]
        if not prices:
            continue
        group = product.ocop_product_set.group
        items.append(Item(product, Decimal(min(prices)), group.number, product.producer.code, group.is_shippable))
    return items


def _not_yet(items: list[Item], today: dt.date) -> set[str]:
    """Up to NOT_YET_COUNT producers certified today who sell on no modern channel; every group keeps a seller."""
    certified = [item for item in items if item.product.is_certified(today)]
    chosen: set[str] = set()
    for code in NOT_YET:
        own = {item.group for item in certified if item.producer_code == code}
        if not own or len(chosen) >= NOT_YET_COUNT:
            continue
        others = {item.group for item in certified if item.producer_code not in chosen | {code}}
        if own <= others:
            chosen.add(code)
    return chosen


# ---------------------------------------------------------------- the plan (no writes)
def _at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _count(rng: random.Random, mean: float) -> int:
    whole = int(mean)
    return whole + (rng.random() < mean - whole)


def _pick(rng: random.Random, pool: list[Item]) -> Item:
    return rng.choices(pool, weights=[GROUP_WEIGHTS.get(item.group, 1.0) for item in pool])[0]


def _quantity(rng: random.Random, item: Item, *, wholesale: bool = False) -> int:
    if item.group == 6:  # visits and tours: people
        return rng.randint(1, 4)
    if wholesale:  # a supermarket's order
        return rng.randint(12, 48)
    if item.price >= 500_000:
        return 1
    return rng.choice((1, 1, 1, 2, 2, 3, 4, 6))


def _amount(item: Item, quantity: int, *, wholesale: bool = False) -> Decimal:
    amount = item.price * quantity
    if wholesale:  # supermarkets buy at about 85 % of the shelf price, in whole thousands
        amount = (amount * Decimal("0.85") / 1000).quantize(Decimal(1)) * 1000
    return amount


class Calendar:
    """Which demo products were certified on a day (cached per day)."""

    def __init__(self, items: list[Item]):
        self.items, self._days = items, {}

    def certified(self, day: dt.date) -> list[Item]:
        if day not in self._days:
            self._days[day] = [item for item in self.items if item.product.is_certified(day)]
        return self._days[day]


def _reverse_at(rng: random.Random, at: dt.datetime, *, channel: str, last: dt.datetime) -> dt.datetime | None:
    """When a sale is reversed (a refund some days later, a clerk's undo a few minutes later), or None."""
    if rng.random() >= REVERSAL_SHARE:
        return None
    if channel == Sale.Channel.SHOWROOM:
        later = at + dt.timedelta(minutes=rng.randint(1, 4))
    else:
        later = at + dt.timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 5))
    return max(min(later, last), at + dt.timedelta(minutes=1))


def history_plan(*, rng: random.Random, today: dt.date, items: list[Item], not_yet: set[str], showrooms: dict,
                 shelves: dict[int, set[int]], sessions: dict[dt.date, tuple]) -> list[Planned]:
    """Every row of the year, in time order per channel. ``showrooms``: code -> Showroom; ``shelves``: showroom pk
    -> product pks on its shelf; ``sessions``: day -> (LiveSession, featured items)."""
    first, yesterday = add_months(today, -12), today - dt.timedelta(days=1)
    last = _at(yesterday, 23, 0)
    calendar = Calendar(items)
    plan: list[Planned] = []
    counters = {channel: 0 for channel in Sale.Channel.values}
    platforms = list(PLATFORM_WEIGHTS)
    showroom_codes = [code for code in SHOWROOM_WEIGHTS if code in showrooms]

    def add(channel, at, item, quantity, amount, **extra):
        counters[channel] += 1
        key = f"{KEY_PREFIX}{channel}-{counters[channel]:05d}"
        plan.append(Planned(key, channel, at, item, quantity, amount, reverse_at=_reverse_at(
            rng, at, channel=channel, last=last), **extra))

    day = first
    while day <= yesterday:
        season = SEASON[day.month]
        certified = calendar.certified(day)
        modern = [item for item in certified if item.producer_code not in not_yet]
        if modern:
            for _ in range(_count(rng, DAILY[Sale.Channel.ONLINE] * season)):
                item = _pick(rng, modern)
                quantity = _quantity(rng, item)
                add(Sale.Channel.ONLINE, _at(day, rng.randint(6, 22), rng.randrange(60)), item, quantity,
                    _amount(item, quantity))
            for _ in range(_count(rng, DAILY[Sale.Channel.EXTERNAL] * season)):
                n = counters[Sale.Channel.EXTERNAL]
                platform = platforms[n] if n < len(platforms) else rng.choices(
                    platforms, weights=list(PLATFORM_WEIGHTS.values()))[0]
                wholesale = platform == Platform.SUPERMARKET
                pool = [item for item in modern if item.shippable] if wholesale else modern
                item = _pick(rng, pool or modern)
                quantity = _quantity(rng, item, wholesale=wholesale)
                add(Sale.Channel.EXTERNAL, _at(day, 12, 0), item, quantity,
                    _amount(item, quantity, wholesale=wholesale), platform=platform)
        parcels = [item for item in certified if item.shippable]
        if parcels and showroom_codes:
            for _ in range(_count(rng, DAILY[Sale.Channel.SHOWROOM] * season)):
                code = rng.choices(showroom_codes, weights=[SHOWROOM_WEIGHTS[c] for c in showroom_codes])[0]
                showroom = showrooms[code]
                on_shelf = [item for item in parcels if item.product.pk in shelves.get(showroom.pk, ())]
                item = _pick(rng, on_shelf or parcels)
                quantity = _quantity(rng, item)
                add(Sale.Channel.SHOWROOM, _at(day, rng.randint(8, 16), rng.randrange(60)), item, quantity,
                    _amount(item, quantity), showroom=showroom)
        if day in sessions:
            session, featured = sessions[day]
            for _ in range(_count(rng, LIVE_ROWS * season)):
                item = rng.choice(featured)
                quantity = _quantity(rng, item)
                # most orders come in while the session is on air; some from its link in the day after
                minutes = rng.randint(3, SESSION_MINUTES - 5) if rng.random() < 0.8 else rng.randint(90, 20 * 60)
                at = min(_at(day, SESSION_HOUR, 0) + dt.timedelta(minutes=minutes), last)
                add(Sale.Channel.LIVESTREAM, at, item, quantity, _amount(item, quantity), session=session)
        day += dt.timedelta(days=1)
    return plan


# ---------------------------------------------------------------- writes
def _session_days(today: dt.date) -> list[dt.date]:
    """The 12th of each of the last 12 months, inside the year and at least three weeks back (the live demo's own
    ended session is two weeks old)."""
    first = add_months(today, -12)
    days = [add_months(today, -k).replace(day=SESSION_DAY) for k in range(12, 0, -1)]
    return [day for day in days if first <= day <= today - dt.timedelta(days=21)]


def sessions_create(*, rng: random.Random, today: dt.date, items: list[Item], not_yet: set[str]) -> dict:
    """One ended live session a month hosted by the programme staff, featuring 3–4 products certified that day.
    Returns day -> (session, featured items)."""
    from livestream.models import FeaturedProduct, LiveSession
    from livestream.services import offers_sync, session_end, session_go_live

    staff = get_user_model().objects.get(email=PROGRAMME.email)
    calendar = Calendar(items)
    sessions = {}
    for day in _session_days(today):
        pool = [item for item in calendar.certified(day) if item.shippable and item.producer_code not in not_yet]
        featured = rng.sample(pool, k=min(len(pool), rng.randint(3, 4)))
        if not featured:
            continue
        start = _at(day, SESSION_HOUR, 0)
        slug = SESSION_SLUG.format(year=day.year, month=day.month)
        session = LiveSession.objects.filter(slug=slug).first()
        if session is None:
            tet = " quà Tết" if day.month in (1, 2, 12) else ""
            session = LiveSession.objects.create(
                slug=slug, title=f"Chợ phiên{tet} OCOP An Giang tháng {day.month}/{day.year}",
                description=f"{NOTE}: phiên đã phát, để báo cáo của chương trình có số liệu theo phiên.",
                platform=LiveSession.Platform.FACEBOOK, stream_url="https://www.facebook.com/ocop.angiang/live",
                scheduled_start=start, scheduled_end=start + dt.timedelta(minutes=SESSION_MINUTES),
                host=staff, created_by=staff,
            )
            for position, item in enumerate(featured):
                FeaturedProduct.objects.create(session=session, product=item.product, position=position,
                                               is_pinned=position == 0)
            offers_sync(session=session)
            session_go_live(session=session, actor=staff, now=start)
            session_end(session=session, actor=staff, now=start + dt.timedelta(minutes=SESSION_MINUTES - 5))
        featured_pks = set(session.featured.values_list("product_id", flat=True))
        sessions[day] = (session, [item for item in items if item.product.pk in featured_pks] or featured)
    return sessions


def history_create(*, rng: random.Random, today: dt.date) -> dict:
    """Write the year through sale_record / sale_reverse. Returns counts."""
    from showrooms.demo import SHOWROOMS
    from showrooms.models import ShelfStock, Showroom

    items = _items()
    not_yet = _not_yet(items, today)
    showrooms = {s.code: s for s in Showroom.objects.filter(code__in=[row.code for row in SHOWROOMS])}
    shelves: dict[int, set[int]] = {}
    for showroom_id, product_id in ShelfStock.objects.filter(showroom__in=showrooms.values()).values_list(
        "showroom_id", "product_id"
    ):
        shelves.setdefault(showroom_id, set()).add(product_id)
    sessions = sessions_create(rng=rng, today=today, items=items, not_yet=not_yet)
    plan = history_plan(rng=rng, today=today, items=items, not_yet=not_yet, showrooms=showrooms, shelves=shelves,
                        sessions=sessions)
    reversals = 0
    for row in plan:
        sale = sale_record(
            channel=row.channel, occurred_at=row.at, title=row.item.product.get_title(), quantity=row.quantity,
            amount=row.amount, product=row.item.product, producer=row.item.product.producer, showroom=row.showroom,
            live_session=row.session, note=NOTE, source_key=row.key, platform=row.platform,
        )
        if row.reverse_at is not None:
            sale_reverse(sale=sale, occurred_at=row.reverse_at, note=f"{NOTE}: huỷ/hoàn")
            reversals += 1
    return {"sales": len(plan), "reversals": reversals, "sessions": len(sessions), "not_yet": sorted(not_yet)}


def targets_create(today: dt.date) -> int:
    created = 0
    for offset, (low, high, four_star, share) in TARGETS.items():
        _target, made = PlanTarget.objects.get_or_create(
            year=today.year + offset,
            defaults={"new_products_min": low, "new_products_max": high, "four_star_products": four_star,
                      "modern_channel_share": share},
        )
        created += made
    return created


def previous_quarter(today: dt.date) -> tuple[dt.date, dt.date]:
    this_quarter = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return add_months(this_quarter, -3), this_quarter - dt.timedelta(days=1)


def programme_permissions_grant() -> None:
    group, _created = Group.objects.get_or_create(name=PROGRAMME_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="reports", codename__in=LEDGER_PERMISSIONS)
    )


def _sample_rows():
    return Sale.objects.filter(Q(source_key__startswith=KEY_PREFIX) | Q(reverses__source_key__startswith=KEY_PREFIX))


@transaction.atomic
def reports_demo_create() -> dict:
    """Load the ledger's demo history, the plan's targets and a closed quarter. Idempotent. Returns what was created
    and what exists (for the command's summary)."""
    rng, today = random.Random(SEED), ocop_today()
    programme_permissions_grant()
    targets_created = targets_create(today)
    history = {"sales": 0, "reversals": 0, "sessions": 0}
    if not Sale.objects.filter(source_key__startswith=KEY_PREFIX).exists():
        history = history_create(rng=rng, today=today)  # before the closure: see the module's docstring
    closed_before = ClosedPeriod.objects.count()
    staff = get_user_model().objects.filter(email=PROGRAMME.email).first()
    if staff is not None:
        starts_on, ends_on = previous_quarter(today)
        quarter = (starts_on.month - 1) // 3 + 1
        period_close(starts_on=starts_on, ends_on=ends_on, user=staff,
                     note=f"Khoá sổ quý {quarter}/{starts_on.year} ({NOTE.lower()})")
    return {
        "created": {
            "ledger rows (sample)": history["sales"] + history["reversals"],
            "live sessions (sample)": history["sessions"],
            "plan targets": targets_created,
            "closed periods": ClosedPeriod.objects.count() - closed_before,
        },
        "totals": {
            "ledger rows (sample)": _sample_rows().count(),
            "live sessions (sample)": _sample_sessions().count(),
            "plan targets": PlanTarget.objects.count(),
            "closed periods": ClosedPeriod.objects.count(),
        },
    }


def _sample_sessions():
    from livestream.models import LiveSession

    return LiveSession.objects.filter(slug__startswith=SESSION_SLUG.split("{")[0])

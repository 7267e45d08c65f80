"""Reads for the programme dashboard and the periodic reports. Nothing here writes.

Every figure is one function with keyword-only arguments, and each costs a fixed number of queries (one, or two
when it needs labels) whatever the size of the ledger or the registry: the grouping happens in the database, the
labels are joined in, and lists are read with ``select_related``.

Decisions (the issue left them open; the report in the dashboard's footnotes says the same):

- **Sales** come only from the ledger (``reports.Sale``) and are counted on ``booked_on`` within the period, both
  ends included. A reversal row is negative and simply sums in, so a table shows net quantity and net amount.
  The group, stars and commune are those the row kept when the money was taken.
- **The plan year** of a period is the calendar year it ends in (the plan's targets are per year); certificate
  indicators are counted *year to date*: from 1 January of that year to the period's *as-of day* (its last day, or today while it runs), against that
  year's target (``PlanTarget``; a year without a row uses the model's defaults, 50–60 / 5 / 100 %). The count
  within the period itself is shown beside.
- **New products certified 3★+**: products whose *first* certificate (the earliest issue date of any certificate
  the product ever held) was issued in the window. A renewal, or a re-rating of a product already certified in an
  earlier year, is not new. A first certificate already revoked on the as-of day does not count.
- **Products reaching 4★+**: distinct products holding a certificate issued in the window with 4 or 5 stars
  (renewals and upgrades included), not revoked on the as-of day. Potential 5★ (``is_potential_five_star``)
  issued in the window is counted beside it.
- **"In force on a day"** is the certification gate's own rule (catalogue.certification.certificate_valid_q): 3★+,
  issued on or before the day, expiring on or after it, never revoked. Certificate, producer and showroom figures
  read the registry as it stands, so a later revocation or approval shows in a regenerated past report; the
  ledger's figures of a closed period never change.
- **OCOP producers** (the denominator of the modern-channel share): approved producers (``approved_at`` set)
  holding at least one product whose certificate is in force on the as-of day. Whether the profile is public does
  not matter.
- **Modern channel**: online orders here, livestream sessions and external platforms (Shopee, TikTok Shop, Lazada,
  Postmart, Voso, supermarkets, other). A showroom is a physical point of sale, so it is *not* a modern channel.
  A producer counts when its net quantity over modern-channel rows booked in the period is above zero (a sale
  reversed within the period does not count it).
- **Showroom coverage**: active showrooms only. By commune, the denominator is the communes where at least one
  OCOP producer is (communes with products to introduce); the province's commune total is shown beside. By former
  district, the denominator is *every* former district of the province(s) the OCOP producers and showrooms are in,
  since the plan's target was a point in each district. Districts are keyed by province and label.
- **Livestream sessions held**: status live or ended, actual start within the period; their sales are ledger rows
  of the session booked within the period.
- **Expiry lists** are read for the as-of day with the catalogue's managers (``expiring_within``,
  ``expired_awaiting_reevaluation``), one row per product (the latest such certificate).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalogue.certification import certificate_valid_q
from catalogue.models import AdministrativeUnit, Certificate, OcopGroup

from .models import ClosedPeriod, PlanTarget, Platform, Sale
from .periods import Period

Partner = get_model("partner", "Partner")
ZERO = Decimal(0)
MODERN_CHANNELS = (Sale.Channel.ONLINE, Sale.Channel.LIVESTREAM, Sale.Channel.EXTERNAL)
CHANNEL_ORDER = [Sale.Channel.ONLINE, Sale.Channel.SHOWROOM, Sale.Channel.LIVESTREAM, Sale.Channel.EXTERNAL]


# ---------------------------------------------------------------- shapes
@dataclass
class SalesRow:
    """One line of a sales table: net quantity and net amount (VND) of the rows it groups."""

    key: str
    label: str
    quantity: int = 0
    amount: Decimal = ZERO
    children: list[SalesRow] = field(default_factory=list)

    def add(self, quantity, amount):
        self.quantity += int(quantity or 0)
        self.amount += Decimal(amount or 0)


@dataclass
class SalesTable:
    rows: list[SalesRow]

    @property
    def quantity(self) -> int:
        return sum(row.quantity for row in self.rows)

    @property
    def amount(self) -> Decimal:
        return sum((row.amount for row in self.rows), ZERO)


@dataclass
class Target:
    year: int
    new_products_min: int
    new_products_max: int
    four_star_products: int
    modern_channel_share: int
    is_default: bool


@dataclass
class CertifiedItem:
    certificate: Certificate
    is_first: bool  # the product's first certificate ever: a new product

    @property
    def product(self):
        return self.certificate.product


@dataclass
class CertificationFigures:
    year: int
    window_start: dt.date  # 1 January of the plan year
    as_of: dt.date
    target: Target
    new_products: int  # year to date
    new_products_in_period: int
    four_star_products: int
    four_star_in_period: int
    potential_five_star: int
    items: list[CertifiedItem]  # the certificates behind the figures (new or 4★+ or potential 5★), year to date

    @property
    def new_products_progress(self) -> int:
        return percent(self.new_products, self.target.new_products_min)

    @property
    def four_star_progress(self) -> int:
        return percent(self.four_star_products, self.target.four_star_products)


@dataclass
class ExpiryItem:
    certificate: Certificate
    link: str  # the Wagtail admin's edit form
    public_link: str  # the public verification page

    @property
    def product(self):
        return self.certificate.product

    @property
    def producer(self):
        return self.certificate.product.producer


@dataclass
class ExpiryLists:
    as_of: dt.date
    days: int
    expiring: list[ExpiryItem]
    expired: list[ExpiryItem]

    def by_area(self) -> list[tuple[str, int, int]]:
        """(area label, expiring, expired) for each commune holding either, by former district then commune."""
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for index, items in enumerate((self.expiring, self.expired)):
            for item in items:
                counts[area_label(item.producer.area if item.producer else None)][index] += 1
        return [(label, *pair) for label, pair in sorted(counts.items())]


@dataclass
class ProducerChannels:
    producer: object
    online: int
    livestream: int
    external: int

    @property
    def is_modern(self) -> bool:
        return self.online + self.livestream + self.external > 0


@dataclass
class ModernChannelFigures:
    as_of: dt.date
    producers: list[ProducerChannels]
    target_share: int

    @property
    def total(self) -> int:
        return len(self.producers)

    @property
    def selling(self) -> int:
        return sum(1 for p in self.producers if p.is_modern)

    @property
    def share(self) -> int:
        return percent(self.selling, self.total)

    @property
    def progress(self) -> int:
        return percent(self.share, self.target_share)

    def count(self, channel: str) -> int:
        return sum(1 for p in self.producers if getattr(p, channel) > 0)

    @property
    def not_yet(self) -> list[ProducerChannels]:
        return [p for p in self.producers if not p.is_modern]


@dataclass
class CommuneCoverage:
    commune: AdministrativeUnit
    producers: int
    showrooms: list[str]


@dataclass
class DistrictCoverage:
    province: str
    label: str
    communes: int  # all communes of the former district
    producer_communes: int
    showrooms: list[str]

    @property
    def covered(self) -> bool:
        return bool(self.showrooms)


@dataclass
class ShowroomCoverage:
    communes: list[CommuneCoverage]  # communes holding an OCOP producer or an active showroom
    districts: list[DistrictCoverage]  # every former district of the province(s)
    province_communes: int
    province_communes_covered: int

    @property
    def producer_communes(self) -> list[CommuneCoverage]:
        return [c for c in self.communes if c.producers]

    @property
    def producer_communes_covered(self) -> int:
        return sum(1 for c in self.producer_communes if c.showrooms)

    @property
    def districts_covered(self) -> int:
        return sum(1 for d in self.districts if d.covered)

    @property
    def commune_share(self) -> int:
        return percent(self.producer_communes_covered, len(self.producer_communes))

    @property
    def district_share(self) -> int:
        return percent(self.districts_covered, len(self.districts))


@dataclass
class LiveSessionSales:
    session: object
    quantity: int
    amount: Decimal


def percent(part, whole) -> int:
    """A whole percentage, rounded half up; 0 of 0 is 0."""
    if not whole:
        return 0
    return int((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1), rounding="ROUND_HALF_UP"))


def area_label(area: AdministrativeUnit | None) -> str:
    """"An Giang › Thành phố Châu Đốc (huyện cũ) › Phường Châu Đốc"; the parent is read through select_related."""
    if area is None:
        return _("Chưa rõ địa bàn")
    parts = [area.parent.name] if area.parent_id else []
    if area.former_district:
        parts.append(_("%(district)s (huyện cũ)") % {"district": area.former_district})
    parts.append(area.name)
    return " › ".join(parts)


def district_label(*, province: str, district: str) -> str:
    district = district or _("chưa rõ huyện cũ")
    return f"{province} › {district}" if province else district


# ---------------------------------------------------------------- the ledger
def period_is_closed(*, period: Period) -> bool:
    """Every day of the period lies in a period staff have closed (one closure or several, e.g. three quarters under
    a yearly report): its ledger figures can no longer change."""
    covered_to = period.start - dt.timedelta(days=1)
    closures = ClosedPeriod.objects.filter(starts_on__lte=period.end, ends_on__gte=period.start).order_by("starts_on")
    for starts_on, ends_on in closures.values_list("starts_on", "ends_on"):
        if starts_on > covered_to + dt.timedelta(days=1):
            return False
        covered_to = max(covered_to, ends_on)
        if covered_to >= period.end:
            return True
    return False


def _ledger(*, period: Period):
    return Sale.objects.filter(booked_on__gte=period.start, booked_on__lte=period.end)


def _sums(queryset, *fields):
    return queryset.values(*fields).annotate(q=Sum("quantity"), a=Sum("amount")).order_by()


def sales_by_channel(*, period: Period) -> SalesTable:
    """Each channel, with each showroom, each live session and each external platform as its sub-rows."""
    rows = {channel: SalesRow(key=channel, label=str(channel.label)) for channel in CHANNEL_ORDER}
    children: dict[tuple, SalesRow] = {}
    for r in _sums(_ledger(period=period), "channel", "showroom_id", "showroom__name", "live_session_id",
                   "live_session__title", "live_session__scheduled_start", "platform"):
        channel = Sale.Channel(r["channel"])
        rows[channel].add(r["q"], r["a"])
        if channel == Sale.Channel.SHOWROOM:
            key, label = f"showroom-{r['showroom_id']}", r["showroom__name"] or _("Không rõ điểm bán")
        elif channel == Sale.Channel.LIVESTREAM:
            start = r["live_session__scheduled_start"]
            key = f"live-{r['live_session_id']}"
            label = (f"{r['live_session__title']} ({timezone.localtime(start):%d/%m/%Y})" if start
                     else _("Không rõ phiên"))
        elif channel == Sale.Channel.EXTERNAL:
            key, label = f"platform-{r['platform']}", str(Platform(r["platform"]).label)
        else:
            continue
        child = children.get((channel, key))
        if child is None:
            child = children[(channel, key)] = SalesRow(key=key, label=label)
            rows[channel].children.append(child)
        child.add(r["q"], r["a"])
    for row in rows.values():
        row.children.sort(key=lambda c: (-c.amount, c.label))
    return SalesTable(rows=list(rows.values()))


def sales_by_group(*, period: Period) -> SalesTable:
    """By OCOP group (the six groups of the current taxonomy are always listed)."""
    groups = OcopGroup.objects.filter(taxonomy__is_current=True).order_by("number")
    rows = {g.number: SalesRow(key=f"group-{g.number}", label=f"{g.roman} · {g.name}") for g in groups}
    for r in _sums(_ledger(period=period), "ocop_group"):
        number = r["ocop_group"]
        if number not in rows:
            rows[number] = SalesRow(key=f"group-{number}", label=_("Nhóm %(n)s") % {"n": number} if number
                                    else _("Chưa phân nhóm"))
        rows[number].add(r["q"], r["a"])
    return SalesTable(rows=[rows[n] for n in sorted(rows, key=lambda n: (n is None, n or 0))])


def sales_by_stars(*, period: Period) -> SalesTable:
    """By the stars of the certificate in force when the money was taken (3★, 4★, 5★ always listed)."""
    rows = {stars: SalesRow(key=f"stars-{stars}", label=f"{stars}★") for stars in (3, 4, 5)}
    for r in _sums(_ledger(period=period), "stars"):
        stars = r["stars"]
        if stars not in rows:
            rows[stars] = SalesRow(key=f"stars-{stars}", label=f"{stars}★" if stars
                                   else _("Không có chứng nhận còn hiệu lực"))
        rows[stars].add(r["q"], r["a"])
    return SalesTable(rows=[rows[k] for k in sorted(rows, key=lambda s: (s is None, s or 0))])


def sales_by_area(*, period: Period) -> SalesTable:
    """By former district (province › district), each with its communes as sub-rows; largest amount first."""
    districts: dict[tuple, SalesRow] = {}
    for r in _sums(_ledger(period=period), "area_id", "area__name", "area__former_district", "area__parent__name"):
        if r["area_id"] is None:
            key, label = ("", None), _("Chưa rõ địa bàn")
        else:
            key = (r["area__parent__name"] or "", r["area__former_district"])
            label = district_label(province=r["area__parent__name"] or "", district=r["area__former_district"])
        district = districts.get(key)
        if district is None:
            district = districts[key] = SalesRow(key=f"district-{len(districts)}", label=label)
        district.add(r["q"], r["a"])
        if r["area_id"] is not None:
            commune = SalesRow(key=f"commune-{r['area_id']}", label=r["area__name"])
            commune.add(r["q"], r["a"])
            district.children.append(commune)
    rows = sorted(districts.values(), key=lambda row: (-row.amount, row.label))
    for row in rows:
        row.children.sort(key=lambda c: (-c.amount, c.label))
    return SalesTable(rows=rows)


def ledger_rows(*, period: Period):
    """The period's ledger rows, in booking order, with what the export prints of each (one query, iterated)."""
    return (
        _ledger(period=period)
        .select_related("producer", "area__parent", "showroom", "live_session", "order_line__order", "sale_import")
        .order_by("booked_on", "pk")
    )


# ---------------------------------------------------------------- certificates against the plan
def in_force_q(*, on: dt.date, prefix: str = "") -> Q:
    """In force on ``on``: the certification gate's rule (a revoked certificate is never valid)."""
    return certificate_valid_q(on=on, prefix=prefix)


def plan_target_get(*, year: int) -> Target:
    """The year's targets, or the plan's defaults (the model's field defaults, or settings.OCOP_PLAN_DEFAULTS)."""
    row = PlanTarget.objects.filter(year=year).first()
    if row is None:
        row = PlanTarget(year=year, **getattr(settings, "OCOP_PLAN_DEFAULTS", {}))
    return Target(year=year, new_products_min=row.new_products_min, new_products_max=row.new_products_max,
                  four_star_products=row.four_star_products, modern_channel_share=row.modern_channel_share,
                  is_default=row.pk is None)


def certification_figures(*, period: Period, today: dt.date | None = None) -> CertificationFigures:
    """New 3★+ products and products reaching 4★+ (plus potential 5★), year to date and within the period."""
    as_of, year = period.as_of(today), period.year
    window_start = dt.date(year, 1, 1)
    low = min(window_start, period.start)
    earlier = Certificate.objects.filter(product=OuterRef("product")).filter(
        Q(issued_on__lt=OuterRef("issued_on")) | Q(issued_on=OuterRef("issued_on"), pk__lt=OuterRef("pk"))
    )
    not_revoked = Q(revoked_on__isnull=True)
    certificates = list(
        Certificate.objects.filter(issued_on__gte=low, issued_on__lte=as_of, stars__gte=3)
        .filter(not_revoked)
        .annotate(is_first=~Exists(earlier))
        .filter(Q(is_first=True) | Q(stars__gte=4) | Q(is_potential_five_star=True))
        .select_related("product__producer__area__parent")
        .order_by("issued_on", "pk")
    )

    def products(*, since: dt.date, test) -> set[int]:
        return {c.product_id for c in certificates if c.issued_on >= since and test(c)}

    return CertificationFigures(
        year=year,
        window_start=window_start,
        as_of=as_of,
        target=plan_target_get(year=year),
        new_products=len(products(since=window_start, test=lambda c: c.is_first)),
        new_products_in_period=len(products(since=period.start, test=lambda c: c.is_first)),
        four_star_products=len(products(since=window_start, test=lambda c: c.stars >= 4)),
        four_star_in_period=len(products(since=period.start, test=lambda c: c.stars >= 4)),
        potential_five_star=len(products(since=window_start, test=lambda c: c.is_potential_five_star)),
        items=[CertifiedItem(certificate=c, is_first=c.is_first) for c in certificates if c.issued_on >= window_start],
    )


def certificate_admin_url(certificate: Certificate) -> str:
    try:
        return reverse("ocop_certificate:edit", args=[certificate.pk])
    except NoReverseMatch:  # the Wagtail viewset is not registered (a stripped-down test configuration)
        return certificate.get_absolute_url()


def _one_per_product(certificates) -> list[ExpiryItem]:
    latest: dict[int, Certificate] = {}
    for c in certificates:
        kept = latest.get(c.product_id)
        if kept is None or (c.issued_on, c.pk) > (kept.issued_on, kept.pk):
            latest[c.product_id] = c

    def order(c):
        producer = c.product.producer
        return (area_label(producer.area if producer else None), producer.name if producer else "", c.expires_on,
                c.product.title, c.pk)

    return [ExpiryItem(certificate=c, link=certificate_admin_url(c), public_link=c.get_absolute_url())
            for c in sorted(latest.values(), key=order)]


def expiry_lists(*, period: Period, today: dt.date | None = None) -> ExpiryLists:
    """Certificates expiring within OCOP_EXPIRING_SOON_DAYS of the as-of day, and expired ones awaiting
    re-evaluation, by area and producer, each with its links."""
    as_of, days = period.as_of(today), settings.OCOP_EXPIRING_SOON_DAYS
    related = ("product__producer__area__parent",)
    return ExpiryLists(
        as_of=as_of,
        days=days,
        expiring=_one_per_product(Certificate.objects.expiring_within(days, today=as_of).select_related(*related)),
        expired=_one_per_product(
            Certificate.objects.expired_awaiting_reevaluation(today=as_of).select_related(*related)
        ),
    )


# ---------------------------------------------------------------- producers on modern channels
def ocop_producers(*, on: dt.date):
    """Approved producers holding at least one product with a certificate in force on ``on``."""
    held = Certificate.objects.filter(in_force_q(on=on)).filter(product__producer=OuterRef("pk"))
    approved = dt.datetime.combine(on + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone())
    return Partner.objects.filter(approved_at__lt=approved).filter(Exists(held))


def modern_channel_figures(*, period: Period, today: dt.date | None = None) -> ModernChannelFigures:
    """Each OCOP producer with its net quantity per modern channel in the period (one query)."""
    as_of = period.as_of(today)

    def net(channel):
        rows = (
            _ledger(period=period).filter(producer=OuterRef("pk"), channel=channel)
            .values("producer").annotate(q=Sum("quantity")).values("q")
        )
        return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))

    producers = (
        ocop_producers(on=as_of)
        .annotate(q_online=net(Sale.Channel.ONLINE), q_live=net(Sale.Channel.LIVESTREAM),
                  q_external=net(Sale.Channel.EXTERNAL))
        .select_related("area__parent")
        .order_by("name", "pk")
    )
    return ModernChannelFigures(
        as_of=as_of,
        producers=[ProducerChannels(producer=p, online=p.q_online, livestream=p.q_live, external=p.q_external)
                   for p in producers],
        target_share=plan_target_get(year=period.year).modern_channel_share,
    )


# ---------------------------------------------------------------- showrooms by area
def showroom_coverage(*, period: Period, today: dt.date | None = None) -> ShowroomCoverage:
    """Communes and former districts with an active showroom, against those with OCOP producers and against all
    of the province(s). Three queries."""
    from showrooms.models import Showroom

    as_of = period.as_of(today)
    producers = ocop_producers(on=as_of).filter(area=OuterRef("pk")).values("area").annotate(n=Count("pk")).values("n")
    active = Showroom.objects.filter(is_active=True)
    communes = list(
        AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.COMMUNE)
        .annotate(n_producers=Coalesce(Subquery(producers, output_field=IntegerField()), Value(0)))
        .filter(Q(n_producers__gt=0) | Exists(active.filter(area=OuterRef("pk"))))
        .select_related("parent")
        .order_by("parent__name", "former_district", "name")
    )
    names: dict[int, list[str]] = defaultdict(list)
    for area_id, name in active.order_by("name").values_list("area_id", "name"):  # a few hundred at most
        names[area_id].append(name)
    provinces = {c.parent_id for c in communes if c.parent_id}
    districts: dict[tuple, DistrictCoverage] = {}
    province_communes = covered_communes = 0
    for parent_id, parent_name, former, n in (
        AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.COMMUNE, parent_id__in=provinces)
        .values_list("parent_id", "parent__name", "former_district").annotate(n=Count("pk")).order_by()
    ):
        districts[(parent_id, former)] = DistrictCoverage(province=parent_name, label=former, communes=n,
                                                          producer_communes=0, showrooms=[])
        province_communes += n
    for commune in communes:
        district = districts.get((commune.parent_id, commune.former_district))
        if district is None:
            continue
        district.producer_communes += commune.n_producers > 0
        district.showrooms += names[commune.pk]
        covered_communes += bool(names[commune.pk])
    return ShowroomCoverage(
        communes=[CommuneCoverage(commune=c, producers=c.n_producers, showrooms=names[c.pk]) for c in communes],
        districts=sorted(districts.values(), key=lambda d: (d.province, d.label)),
        province_communes=province_communes,
        province_communes_covered=covered_communes,
    )


# ---------------------------------------------------------------- livestream
def live_sessions_held(*, period: Period) -> list[LiveSessionSales]:
    """Sessions live or ended whose actual start falls in the period, with their ledger sales in the period."""
    from livestream.models import LiveSession

    start, end = period.bounds()
    of_session = _ledger(period=period).filter(live_session=OuterRef("pk")).values("live_session")
    sessions = (
        LiveSession.objects.filter(status__in=[LiveSession.Status.LIVE, LiveSession.Status.ENDED],
                                   actual_start__gte=start, actual_start__lt=end)
        .annotate(
            q=Coalesce(Subquery(of_session.annotate(v=Sum("quantity")).values("v"), output_field=IntegerField()),
                       Value(0)),
            a=Subquery(of_session.annotate(v=Sum("amount")).values("v")),
        )
        .select_related("producer", "host")
        .order_by("actual_start", "pk")
    )
    return [LiveSessionSales(session=s, quantity=s.q, amount=Decimal(s.a or 0)) for s in sessions]


# ---------------------------------------------------------------- everything a report shows
@dataclass
class Report:
    period: Period
    as_of: dt.date
    by_channel: SalesTable
    by_group: SalesTable
    by_stars: SalesTable
    by_area: SalesTable
    certification: CertificationFigures
    expiry: ExpiryLists
    modern: ModernChannelFigures
    coverage: ShowroomCoverage
    live_sessions: list[LiveSessionSales]

    @property
    def live_quantity(self) -> int:
        return sum(s.quantity for s in self.live_sessions)

    @property
    def live_amount(self) -> Decimal:
        return sum((s.amount for s in self.live_sessions), ZERO)


def report_build(*, period: Period, today: dt.date | None = None) -> Report:
    """Every figure of the dashboard and the periodic report for ``period``."""
    today = today or timezone.localdate()
    return Report(
        period=period,
        as_of=period.as_of(today),
        by_channel=sales_by_channel(period=period),
        by_group=sales_by_group(period=period),
        by_stars=sales_by_stars(period=period),
        by_area=sales_by_area(period=period),
        certification=certification_figures(period=period, today=today),
        expiry=expiry_lists(period=period, today=today),
        modern=modern_channel_figures(period=period, today=today),
        coverage=showroom_coverage(period=period, today=today),
        live_sessions=live_sessions_held(period=period),
    )

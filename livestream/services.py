"""Writes for live sessions: scheduling rules, the law's checks before going live, the live-price offers, the
quantity limits claimed under lock at order placement, and which session an order came from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from shop.caching.versions import live_quota_changed, storefront_changed
from shop.errors import ActionRefused
from shop.text import vi_slugify

from .models import RESERVED_SLUGS, FeaturedProduct, HostIdentityCheck, LiveOrder, LivePriceClaim, LiveSession

Status = LiveSession.Status
ConditionalOffer = get_model("offer", "ConditionalOffer")
Range = get_model("offer", "Range")
RangeProduct = get_model("offer", "RangeProduct")
Condition = get_model("offer", "Condition")
Benefit = get_model("offer", "Benefit")
BENEFIT_CLASS = "livestream.models.LivePriceBenefit"
SESSION_HINT = "live_attribution"  # request.session key: {"slug", "at" (ISO), "via"}


class LiveRefused(ActionRefused):
    """Nothing was written; the message says why."""


def _banner_refresh() -> None:
    """The site-wide "on air" banner is cached; a session going live, ending or cancelled shows at once."""
    from shop.caching import store

    from .context_processors import CACHE_KEY

    transaction.on_commit(partial(store.delete, CACHE_KEY))


# ---------------------------------------------------------------- scheduling
def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def session_problems(*, session: LiveSession, products, live_priced=()) -> list[str]:
    """What makes a schedule impossible: times, the host's other sessions, uncertified products, and a product
    given a live price (``live_priced``) that already has one in another session at the same time."""
    problems = []
    if live_priced and session.scheduled_start and session.scheduled_end:
        taken = (
            FeaturedProduct.objects.filter(product__in=list(live_priced), live_price__isnull=False)
            .exclude(session_id=session.pk)
            .exclude(session__status__in=(Status.CANCELLED, Status.ENDED))
            .filter(session__scheduled_start__lt=session.scheduled_end, session__scheduled_end__gt=session.scheduled_start)
            .select_related("product", "session")
        )
        for feature in taken:
            problems.append(
                _("“%(title)s” đã có giá live trong phiên “%(other)s” cùng giờ: mỗi lúc chỉ một giá live cho một sản phẩm.")
                % {"title": feature.product.get_title(), "other": feature.session.title}
            )
    if session.scheduled_start and session.scheduled_end and session.scheduled_end <= session.scheduled_start:
        problems.append(_("Giờ kết thúc phải sau giờ bắt đầu."))
    if session.host_id and session.scheduled_start and session.scheduled_end:
        clash = (
            LiveSession.objects.filter(host_id=session.host_id)
            .exclude(pk=session.pk)
            .exclude(status=Status.CANCELLED)
            .filter(scheduled_start__lt=session.scheduled_end, scheduled_end__gt=session.scheduled_start)
            .first()
        )
        if clash:
            problems.append(
                _("Người dẫn đã có phiên “%(title)s” lúc %(start)s, trùng giờ với phiên này.")
                % {"title": clash.title, "start": timezone.localtime(clash.scheduled_start).strftime("%H:%M %d/%m/%Y")}
            )
    for product in products:
        if not product.is_certified():
            problems.append(
                _("“%(title)s” không có giấy chứng nhận OCOP còn hiệu lực: không giới thiệu trong phiên live được.")
                % {"title": product.get_title()}
            )
    return problems


def session_warnings(*, session: LiveSession, products) -> list[str]:
    """Not blocking: a certificate that lapses before the session (the product will simply not be for sale)."""
    if not session.scheduled_end:
        return []
    last_day = _local_day(session.scheduled_end)
    warnings = []
    for product in products:
        certificate = product.current_certificate()
        if certificate and certificate.expires_on < last_day:
            warnings.append(
                _("Giấy chứng nhận của “%(title)s” hết hạn ngày %(day)s, trước phiên live: đến giờ phát sản phẩm sẽ "
                  "không được bán.") % {"title": product.get_title(), "day": certificate.expires_on.strftime("%d/%m/%Y")}
            )
    return warnings


# ---------------------------------------------------------------- scheduling writes (producers' own sessions)
class SessionRefused(Exception):
    """Nothing was written; ``problems`` say why."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


# ---------------------------------------------------------------- writes (one transaction each)
def session_slug_free(title: str, *, exclude_pk=None) -> str:
    """A slug from the title, never a reserved word, not taken by another session."""
    base = (vi_slugify(title) or "phien-live")[:70].strip("-")
    taken = set(
        LiveSession.objects.exclude(pk=exclude_pk).filter(slug__startswith=base).values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken or slug in RESERVED_SLUGS:
        slug, n = f"{base}-{n}", n + 1
    return slug


def features_write(*, session: LiveSession, features: list[dict]) -> None:
    """The featured products in the order given; a product taken out loses its feature (its offer, never opened
    while scheduled, stays suspended). The pin is kept."""
    existing = {f.product_id: f for f in FeaturedProduct.objects.select_for_update().filter(session=session)}
    for position, row in enumerate(features):
        feature = existing.pop(row["product"].pk, None) or FeaturedProduct(session=session, product=row["product"])
        feature.position = position
        feature.live_price = row["live_price"]
        feature.quantity_limit = row["quantity_limit"]
        feature.per_customer_limit = row["per_customer_limit"]
        feature.save()
    for feature in existing.values():
        if feature.offer_id:
            ConditionalOffer.objects.filter(pk=feature.offer_id).update(status=ConditionalOffer.SUSPENDED)
        feature.delete()


def _host_lock(user) -> None:
    """One booking at a time per host, so two forms sent together cannot both pass the overlap check."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()


def session_schedule(*, session: LiveSession, features: list[dict], producer, user) -> LiveSession:
    """Schedule a session hosted by ``user`` for ``producer``: the scheduling rules (overlap, times, certified
    products), then the session, its featured products and their (suspended) live-price offers."""
    with transaction.atomic():
        _host_lock(user)
        session.host, session.producer, session.created_by = user, producer, user
        session.status = Status.SCHEDULED
        problems = session_problems(session=session, products=[row["product"] for row in features],
                                    live_priced=[row["product"] for row in features if row["live_price"]])
        if problems:
            raise SessionRefused(problems)
        session.slug = session_slug_free(session.title)
        session.save()
        features_write(session=session, features=features)
        offers_sync(session=session)
    return session


def session_reschedule(*, session: LiveSession, features: list[dict], fields) -> LiveSession:
    """Change a session that is still scheduled (checked under the row lock the go-live also takes)."""
    with transaction.atomic():
        _host_lock(session.host)
        stored = LiveSession.objects.select_for_update().get(pk=session.pk)
        if stored.status != Status.SCHEDULED:
            raise SessionRefused([_("Phiên đang ở trạng thái “%(status)s”: không sửa lịch được nữa.")
                                  % {"status": stored.get_status_display()}])
        problems = session_problems(session=session, products=[row["product"] for row in features],
                                    live_priced=[row["product"] for row in features if row["live_price"]])
        if problems:
            raise SessionRefused(problems)
        session.save(update_fields=[*fields, "updated_at"])
        features_write(session=session, features=features)
        offers_sync(session=session)
    return session


def session_after_end_update(*, session: LiveSession, replay_url: str, notes: str) -> LiveSession:
    """An ended session: the replay and the notes, nothing else."""
    with transaction.atomic():
        stored = LiveSession.objects.select_for_update().get(pk=session.pk)
        if stored.status != Status.ENDED:
            raise SessionRefused([_("Chỉ phiên đã kết thúc mới thêm được đường dẫn xem lại.")])
        stored.replay_url, stored.notes = replay_url, notes
        stored.save(update_fields=["replay_url", "notes", "updated_at"])
    return stored



# ---------------------------------------------------------------- the law's checks and going live
def host_identity_check(user) -> HostIdentityCheck | None:
    return HostIdentityCheck.objects.filter(user=user).order_by("-checked_on", "-pk").first()


def go_live_problems(*, session: LiveSession, now: dt.datetime | None = None) -> list[str]:
    """Law on E-commerce 122/2025/QH15: the host's identity is verified and every featured product has its
    quality documents (a valid OCOP certificate, attached automatically) before the session goes live."""
    problems = []
    if host_identity_check(session.host) is None:
        problems.append(
            _("Chưa ghi nhận xác minh danh tính của người dẫn %(host)s (cách xác minh, ngày, người xác minh).")
            % {"host": session.host.get_full_name() or session.host.email}
        )
    featured = list(session.featured.select_related("product").prefetch_related("product__certificates"))
    if not featured:
        problems.append(_("Phiên chưa có sản phẩm giới thiệu."))
    day = _local_day(now or timezone.now())
    for feature in featured:
        if not feature.product.is_certified(day):
            problems.append(
                _("“%(title)s” chưa có giấy chứng nhận OCOP còn hiệu lực (giấy tờ chất lượng bắt buộc).")
                % {"title": feature.product.get_title()}
            )
    return problems


def session_go_live(*, session: LiveSession, actor, now: dt.datetime | None = None) -> LiveSession:
    now = now or timezone.now()
    with transaction.atomic():
        session = LiveSession.objects.select_for_update().get(pk=session.pk)
        if session.status == Status.LIVE:
            return session
        if session.status != Status.SCHEDULED:
            raise LiveRefused(_("Phiên đang ở trạng thái “%(status)s”.") % {"status": session.get_status_display()})
        early = dt.timedelta(minutes=settings.LIVESTREAM_EARLY_START_MINUTES)
        if now < session.scheduled_start - early:
            raise LiveRefused(
                _("Chỉ bắt đầu phát được từ %(minutes)s phút trước giờ đã hẹn.") % {"minutes": early.seconds // 60}
            )
        if now >= session.scheduled_end:
            raise LiveRefused(_("Đã quá giờ kết thúc dự kiến: hãy dời lịch phiên trước."))
        problems = go_live_problems(session=session, now=now)
        if problems:
            raise LiveRefused(" ".join(problems))
        session.status, session.actual_start = Status.LIVE, now
        session.save()
        offers_sync(session=session)
        _banner_refresh()
    return session


def session_end(*, session: LiveSession, actor, now: dt.datetime | None = None) -> LiveSession:
    now = now or timezone.now()
    with transaction.atomic():
        session = LiveSession.objects.select_for_update().get(pk=session.pk)
        if session.status == Status.ENDED:
            return session
        if session.status != Status.LIVE:
            raise LiveRefused(_("Chỉ kết thúc được phiên đang phát."))
        session.status, session.actual_end = Status.ENDED, now
        session.replay_retained_until = retention_until(now)
        session.save()
        offers_sync(session=session)
        _banner_refresh()
    return session


def retention_until(ended: dt.datetime) -> dt.date:
    """Recordings are kept 3 years after the session (the law)."""
    from catalogue.certification import add_months

    return add_months(_local_day(ended), 12 * 3)


def session_cancel(*, session: LiveSession, actor, reason: str = "") -> LiveSession:
    with transaction.atomic():
        session = LiveSession.objects.select_for_update().get(pk=session.pk)
        if session.status == Status.CANCELLED:
            return session
        if session.status != Status.SCHEDULED:
            raise LiveRefused(_("Chỉ huỷ được phiên chưa phát."))
        session.status = Status.CANCELLED
        if reason:
            session.notes = (session.notes + "\n" if session.notes else "") + _("Huỷ: %(reason)s") % {"reason": reason}
        session.save()
        offers_sync(session=session)
        _banner_refresh()
    return session


def session_pin(*, session: LiveSession, featured_id: int | None, actor) -> None:
    """One pinned product at a time (or none); staff change it while live."""
    with transaction.atomic():
        locked = LiveSession.objects.select_for_update().get(pk=session.pk)
        if locked.status in (Status.ENDED, Status.CANCELLED):
            raise LiveRefused(_("Phiên đã kết thúc hoặc đã huỷ: không đổi sản phẩm ghim được."))
        if featured_id is not None and not session.featured.filter(pk=featured_id).exists():
            raise LiveRefused(_("Sản phẩm này không thuộc phiên live."))
        session.featured.filter(is_pinned=True).update(is_pinned=False)
        if featured_id is not None:
            session.featured.filter(pk=featured_id).update(is_pinned=True)
        storefront_changed()  # the session page shows the pinned product


# ---------------------------------------------------------------- live prices as Oscar offers
def offers_sync(*, session: LiveSession) -> None:
    """One site offer per featured product with a live price: open from the actual start to the earlier of the
    actual and scheduled end; suspended otherwise. Idempotent: call after any change to the session."""
    window = session.price_window if session.status in (Status.LIVE, Status.ENDED) else None
    for feature in session.featured.select_related("product", "offer"):
        if feature.live_price is None:
            if feature.offer_id:
                ConditionalOffer.objects.filter(pk=feature.offer_id).update(status=ConditionalOffer.SUSPENDED)
            continue
        offer = feature.offer or _offer_create(feature)
        product_range = offer.benefit.range
        if not product_range.contains_product(feature.product):  # the row was switched to another product
            RangeProduct.objects.filter(range=product_range).delete()
            product_range.add_product(feature.product)
        benefit = offer.benefit
        offer.name = offer_name(feature)  # what the basket and order history show; follows the session's title
        offer.description = _("Giá live trong phiên “%(title)s”") % {"title": feature.session.title}
        benefit.value = feature.live_price
        benefit.max_affected_items = feature.per_customer_limit
        benefit.save(update_fields=["value", "max_affected_items"])
        if window:  # [start, end): Oscar counts end_datetime itself as inside, so end one microsecond earlier
            offer.start_datetime, offer.end_datetime = window[0], window[1] - dt.timedelta(microseconds=1)
            offer.status = ConditionalOffer.OPEN
        else:
            offer.status = ConditionalOffer.SUSPENDED
        offer.save()


def offer_name(feature: FeaturedProduct) -> str:
    """Unique (Oscar's offer names are) and readable: "Giá live · <session> · <product code>"."""
    code = feature.product.upc or str(feature.product_id)
    title = feature.session.title[: 128 - len(code) - 14]
    return f"{_('Giá live')} · {title} · {code}"


def _offer_create(feature: FeaturedProduct):
    product = feature.product
    label = offer_name(feature)
    product_range = Range.objects.create(name=label[:128], is_public=False)
    product_range.add_product(product)
    condition = Condition.objects.create(range=product_range, type=Condition.COUNT, value=1)
    benefit = Benefit.objects.create(
        range=product_range, proxy_class=BENEFIT_CLASS, value=feature.live_price,
        max_affected_items=feature.per_customer_limit,
    )
    offer = ConditionalOffer.objects.create(
        name=label[:128], offer_type=ConditionalOffer.SITE, condition=condition, benefit=benefit,
        status=ConditionalOffer.SUSPENDED, exclusive=True, priority=100,
        max_basket_applications=1,  # one application covers every unit the benefit allows
        description=_("Giá live trong phiên “%(title)s”") % {"title": feature.session.title},
    )
    FeaturedProduct.objects.filter(pk=feature.pk).update(offer=offer)
    feature.offer = offer
    return offer


def feature_for_offer(offer_id: int) -> FeaturedProduct | None:
    return FeaturedProduct.objects.select_related("session").filter(offer_id=offer_id).first()


def claimed(feature: FeaturedProduct) -> int:
    return feature.claims.filter(released_at__isnull=True).aggregate(n=Sum("quantity"))["n"] or 0


def remaining(feature: FeaturedProduct) -> int | None:
    """Live-price units still to be had (None: no total limit). Read without a lock: display only."""
    if feature.quantity_limit is None:
        return None
    return max(feature.quantity_limit - claimed(feature), 0)


# ---------------------------------------------------------------- at order placement (inside its transaction)
@dataclass
class LiveLine:
    basket_line: object
    feature: FeaturedProduct
    quantity: int


def live_lines(basket) -> list[LiveLine]:
    """Basket lines whose units carry a live price (the offers applied to this basket)."""
    result = []
    for line in basket.all_lines():
        for offer in line.discounts.consumers:
            feature = feature_for_offer(offer.pk)
            if feature is not None:
                quantity = line.discounts.num_consumed(offer)
                if quantity:
                    result.append(LiveLine(basket_line=line, feature=feature, quantity=quantity))
    return result


def live_limits_check(*, lines: list[LiveLine], user, email: str, phone: str) -> list[str]:
    """Lock the featured products (primary-key order) and check the total and per-customer limits. A guest is the
    same customer by email or by phone."""
    if not lines:
        return []
    ids = sorted({line.feature.pk for line in lines})
    features = {f.pk: f for f in FeaturedProduct.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    # the sessions too (session_end takes the same lock): a session that ended meanwhile sells at no live price
    now = timezone.now()
    sessions = LiveSession.objects.select_for_update().filter(pk__in={f.session_id for f in features.values()})
    for session in sessions.order_by("pk"):
        if not session.prices_active(now):
            return [_("Phiên live “%(title)s” vừa kết thúc: giá live không còn. Vui lòng tải lại giỏ hàng.")
                    % {"title": session.title}]
    wanted: dict[int, int] = {}
    for line in lines:
        wanted[line.feature.pk] = wanted.get(line.feature.pk, 0) + line.quantity
    problems = []
    for pk, quantity in sorted(wanted.items()):
        feature = features[pk]
        title = feature.product.get_title()
        if feature.quantity_limit is not None:
            left = feature.quantity_limit - claimed(feature)
            if quantity > left:
                problems.append(
                    _("Giá live của “%(title)s” chỉ còn %(left)s suất. Vui lòng tải lại giỏ hàng.")
                    % {"title": title, "left": max(left, 0)}
                )
                continue
        if feature.per_customer_limit is not None:
            before = customer_claimed(feature, user=user, email=email, phone=phone)
            if before + quantity > feature.per_customer_limit:
                problems.append(
                    _("Mỗi khách mua tối đa %(limit)s “%(title)s” với giá live; bạn đã mua %(before)s.")
                    % {"limit": feature.per_customer_limit, "title": title, "before": before}
                )
    return problems


def customer_claimed(feature: FeaturedProduct, *, user=None, email: str = "", phone: str = "") -> int:
    """Live-price units this customer already holds: the same account, or the same email, or the same phone."""
    same = Q(email__iexact=email) if email else Q(pk__in=[])
    if phone:
        same |= Q(phone=phone)
    if getattr(user, "is_authenticated", False):
        same |= Q(user=user)
    return feature.claims.filter(released_at__isnull=True).filter(same).aggregate(n=Sum("quantity"))["n"] or 0


def live_claims_record(*, order, lines: list[LiveLine], user, email: str, phone: str) -> None:
    """After Oscar wrote the order: one claim per order line bought at a live price."""
    by_product = {line.product_id: line for line in order.lines.all()}
    for live in lines:
        order_line = by_product.get(live.basket_line.product_id)
        if order_line is None:
            continue
        LivePriceClaim.objects.create(
            featured=live.feature, order_line=order_line, quantity=live.quantity,
            user=user if getattr(user, "is_authenticated", False) else None, email=email.lower(), phone=phone,
        )


def live_claims_release(*, lines) -> None:
    """Cancelled lines give their live-price units back to the pool."""
    if LivePriceClaim.objects.filter(order_line__in=list(lines), released_at__isnull=True).update(released_at=timezone.now()):
        live_quota_changed()


def live_order_attribute(*, order, lines: list[LiveLine], hint: dict | None, now: dt.datetime | None = None):
    """The session the order came from: a live price bought, else an add-to-basket on the session page while it
    was live (within 24 hours), else a session link followed within 24 hours. None: not a livestream order."""
    now = now or timezone.now()
    if lines:
        return LiveOrder.objects.create(order=order, session=lines[0].feature.session, via=LiveOrder.Via.LIVE_PRICE)
    if not hint:
        return None
    try:
        at = dt.datetime.fromisoformat(hint["at"])
    except (KeyError, TypeError, ValueError):
        return None
    if now - at > dt.timedelta(hours=24) or at > now:
        return None
    session = LiveSession.objects.filter(slug=hint.get("slug")).exclude(status=Status.CANCELLED).first()
    if session is None:
        return None
    via = LiveOrder.Via.SESSION_PAGE if hint.get("via") == "session_page" else LiveOrder.Via.LINK
    return LiveOrder.objects.create(order=order, session=session, via=via)


def attribution_hint(*, session: LiveSession, via: str, now: dt.datetime | None = None) -> dict:
    """What the shopper's browser session keeps: a link followed, or an add on the session page while live."""
    return {"slug": session.slug, "via": via, "at": (now or timezone.now()).isoformat()}

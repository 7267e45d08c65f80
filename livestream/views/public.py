"""What shoppers see of livestream selling: the schedule (/live/), a session's page with its stream and featured
products, add-to-basket from that page (JSON for the page's script, a redirect without it), the livestream rules
and the complaint channel the Law on E-commerce 122/2025/QH15 asks for.

Reads are kept here (the pages are their only users) and cost a constant number of queries whatever the number of
sessions or featured products; writes go through Oscar's basket and livestream.services."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, Q, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from oscar.apps.basket.signals import basket_addition

from catalogue.models import Product

from shop.caching import store
from shop.caching.pages import page_cacheable
from shop.caching.versions import LIVE, versions_read
from shop.embeds import youtube_embed_url
from shop.security.ratelimits import rate_limited

from ..forms import ComplaintForm, SessionAddForm
from ..models import FeaturedProduct, LiveComplaint, LiveSession
from ..selectors import sessions_for_index
from ..services import SESSION_HINT, attribution_hint

Status = LiveSession.Status
Platform = LiveSession.Platform
PAST_PER_PAGE = 12
COMPLAINT_DUPLICATE_WINDOW = dt.timedelta(minutes=1)


# ---------------------------------------------------------------- reads
@dataclass
class FeaturedRow:
    """One featured product as the session page shows it."""

    feature: FeaturedProduct
    product: Product
    info: object  # Oscar's PurchaseInfo (price, availability, stockrecord)
    certified: bool
    remaining: int | None  # live-price units left when the total is limited (display; placement re-checks)
    live_price: Decimal | None  # shown only while the session's prices are active, units are left and it is lower

    @property
    def can_buy(self) -> bool:
        return self.certified and self.info.availability.is_available_to_buy

    @property
    def live_sold_out(self) -> bool:
        return self.remaining == 0

    @property
    def stock_left(self) -> int | None:
        """Units Oscar's availability says can be bought (None when stock is not counted)."""
        return getattr(self.info.availability, "num_available", None)


def featured_rows(*, session: LiveSession, strategy, now: dt.datetime) -> list[FeaturedRow]:
    """The session's featured products, the pinned one first, then in the host's order: four queries in all (the
    features with their claimed units, products, stock records, images, valid certificates)."""
    products = (
        Product.objects.select_related("producer", "product_class", "ocop_product_set__group")
        .prefetch_related("stockrecords", "images")
        .with_current_certificates()
    )
    features = (
        FeaturedProduct.objects.filter(session=session)
        .annotate(claimed_units=Coalesce(Sum("claims__quantity", filter=Q(claims__released_at__isnull=True)), 0))
        .prefetch_related(Prefetch("product", queryset=products))
        .order_by("-is_pinned", "position", "pk")
    )
    active = session.prices_active(now)
    rows = []
    for feature in features:
        product = feature.product
        info = strategy.fetch_for_product(product)
        certified = product.is_certified()
        # livestream.services.remaining, from the annotation instead of one query per product
        remaining = (None if feature.quantity_limit is None
                     else max(feature.quantity_limit - feature.claimed_units, 0))
        live_price = None
        if (active and certified and feature.live_price is not None and remaining != 0 and info.price.exists
                and feature.live_price < info.price.excl_tax):
            live_price = feature.live_price
        rows.append(FeaturedRow(feature=feature, product=product, info=info, certified=certified,
                                remaining=remaining, live_price=live_price))
    return rows


# ---------------------------------------------------------------- the stream
_VIDEO_FILE = re.compile(r"\.(m3u8|mp4|webm)$", re.IGNORECASE)


@dataclass
class Stream:
    kind: str  # "iframe", "video", "link" or "" (nothing to show yet)
    url: str = ""


def stream_for(session: LiveSession) -> Stream:
    """How the page shows the stream: an embed only while the session is live (nothing is fetched otherwise), a
    link to the platform for TikTok, Facebook, Shopee, Zalo and others."""
    url = session.stream_url
    if not url:
        return Stream("")
    if session.platform in (Platform.OWN, Platform.YOUTUBE):
        if session.status != Status.LIVE:
            return Stream("")
        embed = youtube_embed_url(url)
        if embed:
            return Stream("iframe", embed)
        if session.platform == Platform.OWN and url.startswith("https://") and _VIDEO_FILE.search(urlsplit(url).path):
            return Stream("video", url)
        return Stream("link", url)
    if session.status == Status.CANCELLED:
        return Stream("")
    return Stream("link", url)


def replay_available(session: LiveSession, *, today: dt.date) -> bool:
    kept_until = session.replay_retained_until
    return bool(session.replay_url) and (kept_until is None or kept_until >= today)


# ---------------------------------------------------------------- pages
class SessionIndexView(TemplateView):
    template_name = "livestream/index.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        now = timezone.now()
        live, upcoming, past = sessions_for_index(now=now)
        page = Paginator(past, PAST_PER_PAGE).get_page(self.request.GET.get("page"))
        today = timezone.localdate()
        for session in page.object_list:
            session.has_replay = replay_available(session, today=today)
        ctx.update(live_sessions=live, upcoming_sessions=upcoming, past_page=page, now=now)
        return ctx


class RulesView(TemplateView):
    template_name = "livestream/rules.html"


def _session_or_404(slug: str) -> LiveSession:
    return get_object_or_404(LiveSession.objects.select_related("host", "producer"), slug=slug)


def detail_context(request, session: LiveSession, *, complaint_form: ComplaintForm | None = None) -> dict:
    now = timezone.now()
    # read only when the page's fragment is not in the cache (its key carries what the rows show)
    rows = SimpleLazyObject(lambda: featured_rows(session=session, strategy=request.strategy, now=now))
    return {
        "session": session,
        "live_page_slug": session.slug,  # the site-wide banner stays off its own session's page
        "rows": rows,
        "live_version": versions_read(LIVE)[LIVE],
        "prices_active": session.prices_active(now),
        "stream": stream_for(session),
        "has_replay": replay_available(session, today=timezone.localdate()),
        "selling": session.status != Status.CANCELLED,
        "complaint_form": complaint_form or ComplaintForm(),
        "now": now,
    }


class SessionDetailView(View):
    template_name = "livestream/session_detail.html"

    def get(self, request, slug):
        session = _session_or_404(slug)
        # The same for every anonymous visitor; it shows live-price units left, so it follows the live token too,
        # and the live prices show only inside their window, so it is rendered again when the window opens or ends.
        now = timezone.now()
        window = session.price_window or ()
        until = min((edge for edge in window if edge > now), default=None)
        response = render(request, self.template_name, detail_context(request, session))
        return page_cacheable(response, live=True, until=until)


# ---------------------------------------------------------------- add to basket without leaving the page
def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


class SessionBasketAddView(View):
    """POST product_id and quantity. Only the session's featured products (anything else is a 404), only certified
    ones, only what Oscar's availability permits. While the session is live the add is remembered for attribution.
    Answers JSON {ok, message, basket_count} to the page's script, else redirects back with a message."""

    http_method_names = ["post"]

    def post(self, request, slug):
        session = get_object_or_404(LiveSession, slug=slug)
        form = SessionAddForm(request.POST)
        if not form.is_valid():
            if "product_id" in form.errors:
                raise Http404
            return self._answer(request, session, ok=False, status=400,
                                message=" ".join(e for errors in form.errors.values() for e in errors))
        feature = (
            FeaturedProduct.objects.filter(session=session, product_id=form.cleaned_data["product_id"])
            .select_related("product").first()
        )
        if feature is None:
            raise Http404
        product, quantity = feature.product, form.cleaned_data["quantity"]
        if session.status == Status.CANCELLED:
            return self._answer(request, session, ok=False, status=409,
                                message=_("Phiên live này đã huỷ: không thêm sản phẩm từ phiên được nữa."))
        if not product.is_certified():
            return self._answer(request, session, ok=False, status=409,
                                message=_("“%(title)s” hiện không bán: sản phẩm chưa có giấy chứng nhận OCOP còn "
                                          "hiệu lực.") % {"title": product.get_title()})
        basket = request.basket
        info = request.strategy.fetch_for_product(product)
        if not info.price.exists:
            return self._answer(request, session, ok=False, status=409,
                                message=_("“%(title)s” chưa có giá bán.") % {"title": product.get_title()})
        allowed, reason = basket.is_quantity_allowed(quantity)
        if allowed:
            in_basket = basket.product_quantity(product) if basket.id else 0
            allowed, reason = info.availability.is_purchase_permitted(in_basket + quantity)
            available = getattr(info.availability, "num_available", None)
            if not allowed and available:  # Oscar's words ("a maximum of 5 can be bought") say less than this
                reason = _("Chỉ còn %(available)s “%(title)s” để mua.") % {"available": available,
                                                                         "title": product.get_title()}
                if in_basket:
                    reason += " " + _("Giỏ hàng của bạn đã có %(n)s.") % {"n": in_basket}
        if not allowed:
            return self._answer(request, session, ok=False, status=409, message=str(reason))

        basket.add_product(product, quantity)
        basket_addition.send(sender=self, product=product, user=request.user, request=request)
        if session.status == Status.LIVE:
            request.session[SESSION_HINT] = attribution_hint(session=session, via="session_page")
        message = _("Đã thêm %(quantity)s “%(title)s” vào giỏ hàng.") % {"quantity": quantity,
                                                                        "title": product.get_title()}
        return self._answer(request, session, ok=True, message=message, product_id=product.pk)

    def _answer(self, request, session, *, ok: bool, message: str, status: int = 200, product_id=None):
        if _wants_json(request):
            basket = request.basket
            count = basket.num_items if basket.id else 0
            return JsonResponse({"ok": ok, "message": message, "basket_count": count}, status=status)
        (messages.success if ok else messages.error)(request, message)
        anchor = f"#product-{product_id}" if product_id else ""
        return HttpResponseRedirect(session.get_absolute_url() + anchor)


# ---------------------------------------------------------------- complaints (Law on E-commerce 122/2025/QH15)
def _already_received(*, session: LiveSession, data: dict, now: dt.datetime) -> bool:
    """The same form posted twice (its one-time key with the same message), or the same complaint again within a
    minute, is one complaint."""
    if data["key"]:
        digest = hashlib.sha256(data["message"].encode()).hexdigest()[:16]
        if not store.claim(f"livestream:complaint:{data['key']}:{digest}", 24 * 3600):
            return True
    return LiveComplaint.objects.filter(
        session=session, name=data["name"], email=data["email"], phone=data["phone"], message=data["message"],
        created_at__gte=now - COMPLAINT_DUPLICATE_WINDOW,
    ).exists()


@method_decorator(rate_limited("complaint"), name="post")  # per client IP (README: Production)
class ComplaintView(View):
    """POST name, email or phone, message. Kept for staff as ``LiveComplaint``."""

    http_method_names = ["get", "post"]

    def get(self, request, slug):
        session = _session_or_404(slug)
        return HttpResponseRedirect(session.get_absolute_url() + "#complaint")

    def post(self, request, slug):
        session = _session_or_404(slug)
        form = ComplaintForm(request.POST)
        if not form.is_valid():
            ctx = detail_context(request, session, complaint_form=form)
            return render(request, SessionDetailView.template_name, ctx, status=400)
        data = form.cleaned_data
        with transaction.atomic():
            LiveSession.objects.select_for_update().filter(pk=session.pk).first()  # one at a time per session
            if not _already_received(session=session, data=data, now=timezone.now()):
                LiveComplaint.objects.create(session=session, name=data["name"], email=data["email"],
                                             phone=data["phone"], message=data["message"])
        messages.success(request, _("Đã nhận khiếu nại của bạn. Ban điều phối chợ sẽ liên hệ lại qua email hoặc điện "
                                    "thoại bạn để lại."))
        return HttpResponseRedirect(reverse("livestream:detail", kwargs={"slug": session.slug}) + "#complaint")

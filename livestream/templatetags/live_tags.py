"""Livestream pieces for templates: session times the Vietnamese way ("20:00 thứ Bảy 05/12") and the product
page's "next live session" line."""

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import FeaturedProduct, LiveSession

register = template.Library()

WEEKDAYS = (
    gettext_lazy("thứ Hai"),
    gettext_lazy("thứ Ba"),
    gettext_lazy("thứ Tư"),
    gettext_lazy("thứ Năm"),
    gettext_lazy("thứ Sáu"),
    gettext_lazy("thứ Bảy"),
    gettext_lazy("Chủ nhật"),
)


@register.filter
def live_when(moment, style=""):
    """An aware datetime in Asia/Ho_Chi_Minh: "20:00 thứ Bảy 05/12" (the year is added when it is not this year,
    or always with ``|live_when:"year"``); ``|live_when:"time"`` gives only "20:00"."""
    if not isinstance(moment, dt.datetime):
        return ""
    local = timezone.localtime(moment)
    if style == "time":
        return local.strftime("%H:%M")
    day = local.strftime("%d/%m")
    if style == "year" or local.year != timezone.localdate().year:
        day = local.strftime("%d/%m/%Y")
    return _("%(time)s %(weekday)s %(date)s") % {
        "time": local.strftime("%H:%M"), "weekday": WEEKDAYS[local.weekday()], "date": day,
    }


@register.filter
def live_span(session, style=""):
    """A session's scheduled times: "20:00–21:00 thứ Bảy 05/12" (the end's day too when it ends another day)."""
    start, end = timezone.localtime(session.scheduled_start), timezone.localtime(session.scheduled_end)
    if start.date() == end.date():
        return _("%(start)s–%(end)s %(day)s") % {
            "start": start.strftime("%H:%M"), "end": end.strftime("%H:%M"),
            "day": live_when(start, style).split(" ", 1)[1],
        }
    return f"{live_when(start, style)} – {live_when(end, style)}"


@register.filter
def host_name(session) -> str:
    """Who presents: the host's name, else the organising producer, else the programme (never an email)."""
    name = session.host.get_full_name() if session.host_id else ""
    if name:
        return name
    if session.producer_id:
        return session.producer.name
    return _("Ban điều phối chợ OCOP")


def next_session_for(product, *, now=None):
    """The live or next scheduled session that features a product (one query), or None."""
    now = now or timezone.now()
    feature = (
        FeaturedProduct.objects.filter(
            product=product,
            session__status__in=(LiveSession.Status.SCHEDULED, LiveSession.Status.LIVE),
            session__scheduled_end__gt=now,
        )
        .select_related("session")
        .order_by("session__scheduled_start", "session__pk")
        .first()
    )
    return feature.session if feature else None


@register.inclusion_tag("livestream/partials/product_next_session.html")
def next_live_session(product):
    """On the product page: the live or next session featuring the product. Nothing for a product not for sale."""
    if product is None or not product.pk or not product.is_certified():
        return {"next_session": None}
    return {"next_session": next_session_for(product)}

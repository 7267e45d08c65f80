"""iCalendar for live sessions, built with the ``icalendar`` library: one session's .ics and the schedule feed.

Each session is one VEVENT with a UID that never changes (``live-<pk>@<public host>``) and SEQUENCE = the session's
``sequence`` (raised by the model on every change of time, title, description or status), times in
Asia/Ho_Chi_Minh with the VTIMEZONE included. A cancelled session stays in the feeds (STATUS:CANCELLED) so that a
calendar holding it learns it; its own download carries METHOD:CANCEL (OSCAR-WAGTAIL-NOTES: iCalendar).
"""

from __future__ import annotations

import datetime as dt
from email.utils import parseaddr
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import LiveSession

Status = LiveSession.Status
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
PRODID = "-//Cho OCOP Viet Nam//Livestream//VI"
RECENTLY_CANCELLED_DAYS = 7  # a cancelled session stays in the schedule feed while its start is this recent
FEED_REFRESH = dt.timedelta(hours=1)


# ---------------------------------------------------------------- links (absolute, unprefixed)
def public_base() -> str:
    return settings.OCOP_PUBLIC_BASE_URL.rstrip("/")


def public_host() -> str:
    return urlsplit(settings.OCOP_PUBLIC_BASE_URL).hostname or "localhost"


def public_url(name: str, **kwargs) -> str:
    """An absolute link in the default language (Vietnamese, no prefix), for mails and calendars."""
    with translation.override(settings.LANGUAGE_CODE):
        return public_base() + reverse(name, kwargs=kwargs)


def session_url(session: LiveSession) -> str:
    return public_url("livestream:detail", slug=session.slug)


def session_uid(session: LiveSession) -> str:
    """Stable for the life of the session: the primary key, never the slug or the time (both may change)."""
    return f"live-{session.pk}@{public_host()}"


# ---------------------------------------------------------------- which sessions the schedule feed holds
def feed_sessions(*, now: dt.datetime | None = None):
    """Upcoming and live sessions, plus those cancelled recently (start within the last days, or still ahead)."""
    now = now or timezone.now()
    recent = now - dt.timedelta(days=RECENTLY_CANCELLED_DAYS)
    return (
        LiveSession.objects.filter(
            Q(status=Status.LIVE)
            | Q(status=Status.SCHEDULED, scheduled_end__gt=now)
            | Q(status=Status.CANCELLED, scheduled_start__gte=recent)
        )
        .order_by("scheduled_start", "pk")
    )


# ---------------------------------------------------------------- building
def _location(session: LiveSession) -> str:
    label = session.get_platform_display()
    link = session.stream_url if session.stream_url and session.platform != LiveSession.Platform.OWN \
        else session_url(session)
    return f"{label}: {link}"


def _organizer() -> icalendar.vCalAddress:
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = icalendar.vCalAddress(f"mailto:{address or 'no-reply@' + public_host()}")
    organizer.params["CN"] = name or "OCOP"
    return organizer


def session_event(session: LiveSession, *, now: dt.datetime | None = None) -> icalendar.Event:
    cancelled = session.status == Status.CANCELLED
    url = session_url(session)
    parts = [session.description.strip()] if session.description.strip() else []
    if cancelled:
        parts.insert(0, _("Phiên livestream này đã bị huỷ."))
    parts.append(_("Xem phiên live và mua sản phẩm OCOP: %(url)s") % {"url": url})
    event = icalendar.Event.new(
        uid=session_uid(session),
        stamp=(now or timezone.now()).astimezone(dt.timezone.utc),
        start=timezone.localtime(session.scheduled_start, ZONE),
        end=timezone.localtime(session.scheduled_end, ZONE),
        summary=session.title,
        description="\n\n".join(parts),
        url=url,
        location=_location(session),
        sequence=session.sequence,
        status="CANCELLED" if cancelled else "CONFIRMED",
        created=session.created_at.astimezone(dt.timezone.utc) if session.created_at else None,
        last_modified=session.updated_at.astimezone(dt.timezone.utc) if session.updated_at else None,
    )
    event.add("organizer", _organizer())
    return event


def _calendar(events: list[icalendar.Event], *, method: str, uid: str, name: str | None = None) -> icalendar.Calendar:
    calendar = icalendar.Calendar.new(prodid=PRODID, method=method, uid=uid, name=name)
    for event in events:
        calendar.add_component(event)
    if events:
        starts = [event.start.date() for event in events]
        calendar.add_missing_timezones(first_date=min(starts) - dt.timedelta(days=366),
                                       last_date=max(starts) + dt.timedelta(days=366))
    return calendar


def session_calendar(session: LiveSession, *, now: dt.datetime | None = None) -> icalendar.Calendar:
    """One session to add to a calendar; once cancelled, METHOD:CANCEL so a calendar holding it removes it."""
    method = "CANCEL" if session.status == Status.CANCELLED else "PUBLISH"
    return _calendar([session_event(session, now=now)], method=method,
                     uid=f"live-{session.pk}-calendar@{public_host()}")


def schedule_calendar(*, now: dt.datetime | None = None) -> icalendar.Calendar:
    """The feed to subscribe to: every upcoming session and the recently cancelled ones (STATUS:CANCELLED)."""
    now = now or timezone.now()
    events = [session_event(session, now=now) for session in feed_sessions(now=now)]
    calendar = _calendar(events, method="PUBLISH", uid=f"live-schedule@{public_host()}",
                         name=_("Lịch livestream Chợ OCOP"))
    calendar.refresh_interval = FEED_REFRESH
    calendar.add("X-PUBLISHED-TTL", icalendar.vDuration(FEED_REFRESH))  # older clients' REFRESH-INTERVAL
    return calendar

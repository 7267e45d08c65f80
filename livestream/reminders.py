"""Reminders of live sessions (writes): asking, confirming (guests, by a link mailed to them), unsubscribing in one
click, and the periodic sender.

The sender (``reminders_send``, run by ``manage.py send_live_reminders`` every few minutes) is idempotent and safe
to run twice at once: each mail is *claimed* first by a conditional UPDATE of its reminder row (``reminded_at IS
NULL`` for the start reminder, ``notified_sequence < sequence`` for a change notice), and only the sender whose
UPDATE changed the row sends it, after the claim commits. A mail that fails to go gives its claim back, so the next
run retries it.

A change notice goes to confirmed, subscribed reminders of a scheduled or cancelled session whose ``sequence`` rose
after they were told (``notified_sequence``); a reminder starts at the session's current sequence, so it is never
told of changes made before it existed. A changed session whose new start is beyond the reminder window gets its
start reminder again before the new time; one inside the window: the notice itself carries the (new) start.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from functools import partial
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shop.caching import store

from .calendar import public_base, public_url, session_url
from .models import LiveReminder, LiveSession
from .services import LiveRefused

logger = logging.getLogger(__name__)
Status = LiveSession.Status
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
CONFIRM_RESEND_SECONDS = 10 * 60  # a guest asking again gets the confirmation mail again, at most this often


@dataclass
class Requested:
    reminder: LiveReminder
    confirmed: bool  # True: a signed-in shopper, reminded from now on; False: a guest, told to check their mail


# ---------------------------------------------------------------- asking, confirming, unsubscribing
def reminder_open_check(*, session: LiveSession, now: dt.datetime | None = None) -> None:
    """Reminders are for sessions still to come; raise LiveRefused with the reason otherwise."""
    now = now or timezone.now()
    if session.status == Status.CANCELLED:
        raise LiveRefused(_("Phiên này đã bị huỷ, không đăng ký nhắc lịch được."))
    if session.status == Status.LIVE:
        raise LiveRefused(_("Phiên đang phát: mời bạn vào xem ngay."))
    if session.status == Status.ENDED or session.scheduled_end <= now:
        raise LiveRefused(_("Phiên này đã kết thúc, không đăng ký nhắc lịch được."))


def reminder_request(*, session: LiveSession, email: str, user=None, now: dt.datetime | None = None) -> Requested:
    """One reminder per session and email. Signed in (``user``, whose account email is ``email``): confirmed at
    once. A guest: a confirmation link is mailed (after commit) unless the reminder is already active; the answer
    to a guest is the same either way, so nobody learns whether an email is registered."""
    now = now or timezone.now()
    signed_in = bool(user is not None and user.is_authenticated)
    address = email.strip().lower()
    if not address:
        raise LiveRefused(_("Vui lòng nhập email để nhận nhắc lịch."))
    with transaction.atomic():
        session = LiveSession.objects.get(pk=session.pk)
        reminder_open_check(session=session, now=now)
        reminder = LiveReminder.objects.select_for_update().filter(session=session, email=address).first()
        if reminder is None:
            try:
                with transaction.atomic():
                    reminder = LiveReminder.objects.create(
                        session=session, email=address, user=user if signed_in else None,
                        confirmed_at=now if signed_in else None, notified_sequence=session.sequence,
                    )
            except IntegrityError:  # the same email, at the same moment: one row (the constraint)
                reminder = LiveReminder.objects.select_for_update().get(session=session, email=address)
        active = reminder_is_active(reminder)
        if signed_in:
            if not active:
                _activate(reminder, session=session, now=now)
            if reminder.user_id is None:
                reminder.user = user
                reminder.save(update_fields=["user"])
            return Requested(reminder=reminder, confirmed=True)
        if not active and store.claim(f"livestream:reminder-confirm:{reminder.pk}", CONFIRM_RESEND_SECONDS):
            transaction.on_commit(partial(confirmation_send, reminder.pk))
        return Requested(reminder=reminder, confirmed=False)


def _activate(reminder: LiveReminder, *, session: LiveSession, now: dt.datetime) -> None:
    """(Re)start reminding: confirmed, subscribed, and told of no change made before now."""
    reminder.confirmed_at = now
    reminder.unsubscribed_at = None
    reminder.notified_sequence = session.sequence
    reminder.save(update_fields=["confirmed_at", "unsubscribed_at", "notified_sequence"])


def reminder_confirm(*, token: str, now: dt.datetime | None = None) -> LiveReminder:
    """A guest followed the link in their mail and pressed the button. LiveReminder.DoesNotExist for a bad token;
    LiveRefused when the session is no longer to come."""
    now = now or timezone.now()
    with transaction.atomic():
        reminder = LiveReminder.objects.select_for_update().select_related("session").get(token=token)
        if reminder.confirmed_at is not None and reminder.unsubscribed_at is None:
            return reminder
        reminder_open_check(session=reminder.session, now=now)
        _activate(reminder, session=reminder.session, now=now)
    return reminder


def reminder_unsubscribe(*, token: str, now: dt.datetime | None = None) -> LiveReminder:
    """One click, no questions; idempotent. LiveReminder.DoesNotExist for a bad token."""
    LiveReminder.objects.filter(token=token, unsubscribed_at__isnull=True).update(unsubscribed_at=now or timezone.now())
    return LiveReminder.objects.select_related("session").get(token=token)


def reminder_is_active(reminder: LiveReminder) -> bool:
    return reminder.confirmed_at is not None and reminder.unsubscribed_at is None


def active_reminders():
    """Confirmed and subscribed: the only reminders that ever get a reminder or a change notice."""
    return LiveReminder.objects.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


# ---------------------------------------------------------------- mails
def _message(*, template: str, reminder: LiveReminder, session: LiveSession, list_headers: bool = True,
             **extra) -> EmailMessage:
    unsubscribe_url = public_url("livestream:reminder-unsubscribe", token=reminder.token)
    with translation.override(settings.LANGUAGE_CODE), timezone.override(ZONE):
        context = {
            "reminder": reminder, "session": session, "public_base_url": public_base(),
            "start": timezone.localtime(session.scheduled_start, ZONE),
            "end": timezone.localtime(session.scheduled_end, ZONE),
            "session_url": session_url(session),
            "ics_url": public_url("livestream:ics", slug=session.slug),
            "confirm_url": public_url("livestream:reminder-confirm", token=reminder.token),
            "unsubscribe_url": unsubscribe_url,
            "index_url": public_url("livestream:index"),
            "reminder_minutes": settings.LIVESTREAM_REMINDER_MINUTES,
            "own_platform": session.platform == LiveSession.Platform.OWN,
            **extra,
        }
        subject = " ".join(render_to_string(f"livestream/emails/{template}_subject.txt", context).split())
        body = render_to_string(f"livestream/emails/{template}_body.txt", context)
    headers = {"Auto-Submitted": "auto-generated"}
    if list_headers:  # RFC 2369 + RFC 8058: mail clients show an unsubscribe button that POSTs to this URL
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [reminder.email], headers=headers)


def confirmation_send(reminder_id: int) -> None:
    """To a guest: the link that confirms (the reminder mails start only then)."""
    reminder = LiveReminder.objects.select_related("session").filter(pk=reminder_id).first()
    if reminder is None or reminder_is_active(reminder):
        return
    try:
        _message(template="confirm", reminder=reminder, session=reminder.session, list_headers=False).send()
    except Exception:  # the request stands; asking again sends it again
        logger.exception("could not send the reminder confirmation %s", reminder_id)
        store.delete(f"livestream:reminder-confirm:{reminder_id}")


# ---------------------------------------------------------------- the periodic sender
def reminders_send(*, now: dt.datetime | None = None) -> dict:
    """Change notices, then start reminders. Returns {"changes", "reminders", "failed"}: mails sent (counted as they
    go out after each claim commits) and mails that failed (their claims given back for the next run)."""
    now = now or timezone.now()
    window = dt.timedelta(minutes=settings.LIVESTREAM_REMINDER_MINUTES)
    result = {"changes": 0, "reminders": 0, "failed": 0}
    active = active_reminders()

    changed = (
        active.filter(notified_sequence__lt=F("session__sequence"),
                      session__status__in=[Status.SCHEDULED, Status.CANCELLED], session__scheduled_end__gt=now)
        .select_related("session").order_by("pk")
    )
    for reminder in changed:
        _change_claim(reminder, now=now, window=window, result=result)

    due = (
        active.filter(reminded_at__isnull=True, session__status__in=[Status.SCHEDULED, Status.LIVE],
                      session__scheduled_start__lte=now + window, session__scheduled_end__gt=now)
        .select_related("session").order_by("pk")
    )
    for reminder in due:
        _start_claim(reminder, now=now, result=result)
    return result


def _change_claim(reminder: LiveReminder, *, now: dt.datetime, window: dt.timedelta, result: dict) -> None:
    session = reminder.session
    sequence, previous = session.sequence, reminder.notified_sequence
    claim = {"notified_sequence__lt": sequence}
    updates = {"notified_sequence": sequence}
    undo_where, undo = {"notified_sequence": sequence}, {"notified_sequence": previous}
    cancelled = session.status == Status.CANCELLED
    starts_soon = not cancelled and session.scheduled_start <= now + window
    if not cancelled and not starts_soon:
        updates["reminded_at"] = None  # moved beyond the window: remind again before the new start
    elif starts_soon and reminder.reminded_at is None:
        claim["reminded_at__isnull"] = True  # this notice is the start reminder too (one mail, not two)
        updates["reminded_at"] = now
        undo_where["reminded_at"], undo["reminded_at"] = now, None
    with transaction.atomic():
        won = active_reminders().filter(pk=reminder.pk, **claim).update(**updates)
        if won:
            message = partial(_message, template="cancelled" if cancelled else "changed", reminder=reminder,
                              session=session, starts_soon=starts_soon)
            transaction.on_commit(partial(_deliver, message, reminder_id=reminder.pk, counter="changes",
                                          undo_where=undo_where, undo=undo, result=result))


def _start_claim(reminder: LiveReminder, *, now: dt.datetime, result: dict) -> None:
    with transaction.atomic():
        won = active_reminders().filter(pk=reminder.pk, reminded_at__isnull=True).update(reminded_at=now)
        if won:
            message = partial(_message, template="start", reminder=reminder, session=reminder.session)
            transaction.on_commit(partial(_deliver, message, reminder_id=reminder.pk, counter="reminders",
                                          undo_where={"reminded_at": now}, undo={"reminded_at": None}, result=result))


def _deliver(message, *, reminder_id: int, counter: str, undo_where: dict, undo: dict, result: dict) -> None:
    """After the claim committed: send; if the mail cannot go, give the claim back (unless something newer
    replaced it) so the next run tries again."""
    try:
        message().send()
    except Exception:
        logger.exception("could not send the live reminder mail (%s) for reminder %s", counter, reminder_id)
        LiveReminder.objects.filter(pk=reminder_id, **undo_where).update(**undo)
        result["failed"] += 1
    else:
        result[counter] += 1

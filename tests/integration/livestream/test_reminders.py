"""Live-session reminders: asked for, confirmed (guests), sent once before the start, changes and cancellations told
once each, unsubscribed in one click. Mail goes out after each claim commits: ``send`` runs those on-commit callbacks
as a real commit would (tests run inside a transaction)."""

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from livestream.models import LiveReminder
from livestream.reminders import reminder_confirm, reminder_request, reminder_unsubscribe, reminders_send
from livestream.services import LiveRefused, session_cancel, session_end
from tests.integration.checkout.test_concurrency import run_together
from tests.support.catalogue import make_certified_product
from tests.support.livestream import make_host, make_session, take_live

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
WINDOW = dt.timedelta(minutes=settings.LIVESTREAM_REMINDER_MINUTES)


def committed(call, *args, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        result = call(*args, **kwargs)
    return result


def send(now=None):
    """One pass of the sender, its mails delivered after commit; returns its counts."""
    return committed(reminders_send, now=now)


def at_local(days: int, hour: int, minute: int = 0) -> dt.datetime:
    day = timezone.localtime(timezone.now(), VN).date() + dt.timedelta(days=days)
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=VN)


def subjects():
    return [m.subject for m in mail.outbox]


@pytest.fixture
def host(django_user_model):
    return make_host(django_user_model)


@pytest.fixture
def session(host):
    return make_session(host=host, start=at_local(3, 20), minutes=60, slug="mam-ca-linh",
                        title="Mắm cá linh mùa nước nổi")


@pytest.fixture
def shopper(django_user_model):
    return django_user_model.objects.create_user(email="Lan.Nguyen@Example.vn", password="pw-1234567")


def confirmed_reminder(session, email="khach@example.vn"):
    """A guest who asked and confirmed (the confirmation mail is dropped from the outbox)."""
    committed(reminder_request, session=session, email=email)
    reminder = reminder_confirm(token=LiveReminder.objects.get(session=session, email=email).token)
    mail.outbox.clear()
    return reminder


# ---------------------------------------------------------------- asking
def test_a_guest_gets_only_a_confirmation_until_they_confirm(session):
    asked = committed(reminder_request, session=session, email=" Khach@Example.VN ")

    assert not asked.confirmed
    reminder = LiveReminder.objects.get()
    assert reminder.email == "khach@example.vn" and reminder.confirmed_at is None
    assert len(mail.outbox) == 1
    confirmation = mail.outbox[0]
    assert confirmation.to == ["khach@example.vn"]
    assert "Mắm cá linh mùa nước nổi" in confirmation.subject
    assert f"https://ocop.example.vn/live/reminders/{reminder.token}/confirm/" in confirmation.body
    assert "20:00" in confirmation.body  # the local time in Vietnam
    assert "List-Unsubscribe" not in confirmation.extra_headers

    mail.outbox.clear()
    assert send(now=session.scheduled_start - dt.timedelta(minutes=5))["reminders"] == 0
    assert not mail.outbox  # no reminder before confirmation

    reminder_confirm(token=reminder.token)
    assert send(now=session.scheduled_start - dt.timedelta(minutes=5))["reminders"] == 1
    assert mail.outbox[0].to == ["khach@example.vn"]


def test_a_signed_in_shopper_is_reminded_at_their_account_email_at_once(session, shopper):
    asked = committed(reminder_request, session=session, email=shopper.email, user=shopper)

    assert asked.confirmed
    reminder = LiveReminder.objects.get()
    assert (reminder.email, reminder.user) == ("lan.nguyen@example.vn", shopper)
    assert reminder.confirmed_at is not None and reminder.notified_sequence == session.sequence
    assert not mail.outbox  # nothing to confirm


def test_the_same_email_twice_is_one_reminder_and_one_confirmation_mail(session, shopper):
    committed(reminder_request, session=session, email="khach@example.vn")
    committed(reminder_request, session=session, email="KHACH@example.vn")
    assert LiveReminder.objects.count() == 1
    assert len(mail.outbox) == 1  # asking again within minutes does not mail again

    # signing in with an account of that email confirms the very same row
    committed(reminder_request, session=session, email=shopper.email, user=shopper)
    committed(reminder_request, session=session, email=shopper.email, user=shopper)
    assert LiveReminder.objects.filter(email="lan.nguyen@example.vn").count() == 1
    assert LiveReminder.objects.count() == 2


def test_a_guest_asking_for_a_confirmed_email_gets_the_same_answer_and_no_mail(session):
    confirmed_reminder(session, "khach@example.vn")
    asked = committed(reminder_request, session=session, email="khach@example.vn")
    assert not asked.confirmed  # same answer as for a new address
    assert not mail.outbox


@pytest.mark.parametrize("state", ["cancelled", "ended", "live"])
def test_no_reminders_for_sessions_not_to_come(host, state):
    rice = make_certified_product(title="Gạo Nàng Nhen")
    now = timezone.now()
    if state == "cancelled":
        session = make_session(host=host, start=now + dt.timedelta(days=1))
        session_cancel(session=session, actor=None)
    elif state == "ended":
        session = make_session(host=host, start=now - dt.timedelta(hours=3), minutes=60, products=[rice])
        take_live(session, at=session.scheduled_start)
        session_end(session=session, actor=None, now=session.scheduled_start + dt.timedelta(minutes=55))
    else:
        session = make_session(host=host, start=now - dt.timedelta(minutes=5), minutes=60, products=[rice])
        take_live(session, at=now - dt.timedelta(minutes=5))
    with pytest.raises(LiveRefused):
        committed(reminder_request, session=session, email="khach@example.vn")
    assert not LiveReminder.objects.exists() and not mail.outbox


# ---------------------------------------------------------------- the start reminder
def test_the_start_reminder_goes_once_even_if_the_sender_runs_twice(session):
    reminder = confirmed_reminder(session)
    now = session.scheduled_start - dt.timedelta(minutes=10)

    first, second = send(now=now), send(now=now + dt.timedelta(minutes=5))

    assert first == {"changes": 0, "reminders": 1, "failed": 0}
    assert second == {"changes": 0, "reminders": 0, "failed": 0}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Sắp phát: “Mắm cá linh mùa nước nổi” lúc 20:00"
    assert "https://ocop.example.vn/live/mam-ca-linh/" in message.body and "/en/" not in message.body
    assert "20:00 – 21:00" in message.body
    reminder.refresh_from_db()
    assert reminder.reminded_at == now


def test_the_start_reminder_is_not_sent_too_early(session):
    confirmed_reminder(session)
    with time_machine.travel(session.scheduled_start - WINDOW - dt.timedelta(minutes=1), tick=False):
        assert send()["reminders"] == 0
    with time_machine.travel(session.scheduled_start - WINDOW + dt.timedelta(minutes=1), tick=False):
        assert send()["reminders"] == 1
    with time_machine.travel(session.scheduled_start - dt.timedelta(minutes=2), tick=False):
        assert send()["reminders"] == 0
    assert len(mail.outbox) == 1


def test_nothing_goes_after_the_session_ended(session):
    confirmed_reminder(session)
    assert send(now=session.scheduled_end + dt.timedelta(minutes=1)) == {"changes": 0, "reminders": 0, "failed": 0}


def test_every_reminder_mail_carries_one_click_unsubscribe(session):
    reminder = confirmed_reminder(session)
    send(now=session.scheduled_start - dt.timedelta(minutes=10))
    message = mail.outbox[0]
    url = f"https://ocop.example.vn/live/reminders/{reminder.token}/unsubscribe/"
    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in message.body
    raw = message.message()
    assert raw["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_mail_that_fails_is_tried_again_on_the_next_run(session, monkeypatch):
    confirmed_reminder(session)
    now = session.scheduled_start - dt.timedelta(minutes=10)

    def refuse(self, messages):
        raise ConnectionRefusedError("SMTP down")

    with monkeypatch.context() as patch:
        patch.setattr(EmailBackend, "send_messages", refuse)
        result = send(now=now)
    assert result == {"changes": 0, "reminders": 0, "failed": 1}
    assert LiveReminder.objects.get().reminded_at is None

    assert send(now=now + dt.timedelta(minutes=5))["reminders"] == 1
    assert len(mail.outbox) == 1


# ---------------------------------------------------------------- changes and cancellations
def test_a_changed_time_is_told_once_with_the_new_time(session):
    reminder = confirmed_reminder(session)
    session.scheduled_start, session.scheduled_end = at_local(4, 19, 30), at_local(4, 21)
    session.save()

    first = send()
    second = send()

    assert (first["changes"], second["changes"]) == (1, 0)
    assert len(mail.outbox) == 1
    notice = mail.outbox[0]
    assert "thay đổi" in notice.subject and "19:30" in notice.subject
    assert "19:30 – 21:00" in notice.body and at_local(4, 19, 30).strftime("%d/%m/%Y") in notice.body
    assert "https://ocop.example.vn/live/mam-ca-linh.ics" in notice.body
    assert notice.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    reminder.refresh_from_db()
    assert reminder.notified_sequence == session.sequence


def test_a_second_change_is_a_second_notice(session):
    confirmed_reminder(session)
    for hour in (18, 21):
        session.scheduled_start, session.scheduled_end = at_local(3, hour), at_local(3, hour + 1)
        session.save()
        send()
        send()
    assert len(mail.outbox) == 2 and "21:00" in mail.outbox[1].subject


def test_a_cancellation_is_told_once_and_then_nothing_more(session):
    confirmed_reminder(session)
    session_cancel(session=session, actor=None, reason="Mưa bão")

    assert send()["changes"] == 1
    assert send()["changes"] == 0
    assert send(now=session.scheduled_start - dt.timedelta(minutes=10)) == {"changes": 0, "reminders": 0, "failed": 0}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Phiên live “Mắm cá linh mùa nước nổi” đã huỷ"
    assert "đã bị huỷ" in mail.outbox[0].body and "List-Unsubscribe" in mail.outbox[0].extra_headers


def test_a_reminder_made_after_a_change_hears_nothing_of_it(session):
    session.scheduled_start, session.scheduled_end = at_local(5, 20), at_local(5, 21)
    session.save()
    assert session.sequence == 1
    confirmed_reminder(session)
    assert send() == {"changes": 0, "reminders": 0, "failed": 0}


def test_a_guest_confirming_after_a_change_hears_nothing_of_it(session):
    committed(reminder_request, session=session, email="khach@example.vn")
    session.scheduled_start, session.scheduled_end = at_local(5, 20), at_local(5, 21)
    session.save()
    reminder_confirm(token=LiveReminder.objects.get().token)  # the page they confirmed on showed the new time
    mail.outbox.clear()
    assert send()["changes"] == 0


def test_a_session_moved_later_after_its_reminder_is_reminded_again_before_the_new_time(session):
    confirmed_reminder(session)
    assert send(now=session.scheduled_start - dt.timedelta(minutes=10))["reminders"] == 1
    moved_to = session.scheduled_start + dt.timedelta(days=1)
    session.scheduled_start, session.scheduled_end = moved_to, moved_to + dt.timedelta(hours=1)
    session.save()

    assert send(now=moved_to - dt.timedelta(days=1))["changes"] == 1  # told of the new time
    assert send(now=moved_to - dt.timedelta(minutes=10))["reminders"] == 1  # and reminded before it
    assert send(now=moved_to - dt.timedelta(minutes=5)) == {"changes": 0, "reminders": 0, "failed": 0}
    assert len(mail.outbox) == 3


def test_a_change_inside_the_window_is_one_mail_not_two(session):
    confirmed_reminder(session)
    now = session.scheduled_start - dt.timedelta(minutes=40)
    session.scheduled_start, session.scheduled_end = now + dt.timedelta(minutes=15), now + dt.timedelta(minutes=75)
    session.save()

    assert send(now=now) == {"changes": 1, "reminders": 0, "failed": 0}
    assert send(now=now + dt.timedelta(minutes=5)) == {"changes": 0, "reminders": 0, "failed": 0}
    assert len(mail.outbox) == 1 and "sắp bắt đầu" in mail.outbox[0].body


def test_going_live_is_not_a_change_to_tell(host):
    rice = make_certified_product(title="Gạo Nàng Nhen")
    start = timezone.now() + dt.timedelta(minutes=20)
    session = make_session(host=host, start=start, products=[rice])
    confirmed_reminder(session)
    assert send()["reminders"] == 1
    take_live(session, at=start - dt.timedelta(minutes=5))
    session.refresh_from_db()
    assert session.sequence > 0
    assert send() == {"changes": 0, "reminders": 0, "failed": 0}
    assert len(mail.outbox) == 1


# ---------------------------------------------------------------- unsubscribing
def test_unsubscribed_reminders_never_get_mail_again(session):
    reminder = confirmed_reminder(session)
    reminder_unsubscribe(token=reminder.token)
    reminder_unsubscribe(token=reminder.token)  # idempotent

    session.scheduled_start, session.scheduled_end = at_local(3, 21), at_local(3, 22)
    session.save()
    assert send() == {"changes": 0, "reminders": 0, "failed": 0}
    assert send(now=session.scheduled_start - dt.timedelta(minutes=10)) == {"changes": 0, "reminders": 0, "failed": 0}
    session_cancel(session=session, actor=None)
    assert send() == {"changes": 0, "reminders": 0, "failed": 0}
    assert not mail.outbox


def test_unsubscribing_from_one_session_leaves_the_others(session, host):
    other = make_session(host=host, start=session.scheduled_start + dt.timedelta(days=1))
    first = confirmed_reminder(session)
    confirmed_reminder(other)
    reminder_unsubscribe(token=first.token)
    send(now=session.scheduled_start - dt.timedelta(minutes=10))
    send(now=other.scheduled_start - dt.timedelta(minutes=10))
    assert len(mail.outbox) == 1 and other.title in mail.outbox[0].subject


# ---------------------------------------------------------------- the command, and two senders at once
def active_reminder(session, email):
    return LiveReminder.objects.create(session=session, email=email, confirmed_at=timezone.now(),
                                       notified_sequence=session.sequence)


@pytest.mark.django_db(transaction=True)  # real commits: the mails go out before the command prints its counts
def test_the_command_reports_what_it_sent_and_is_idempotent(django_user_model):
    host = make_host(django_user_model)
    session = make_session(host=host, start=at_local(3, 20))
    active_reminder(session, "a@example.vn")
    active_reminder(session, "b@example.vn")
    moved = make_session(host=host, start=at_local(6, 9))
    active_reminder(moved, "c@example.vn")
    moved.scheduled_start, moved.scheduled_end = at_local(6, 10), at_local(6, 11)
    moved.save()

    outputs = []
    with time_machine.travel(session.scheduled_start - dt.timedelta(minutes=10), tick=False):
        for _ in range(2):
            out = io.StringIO()
            call_command("send_live_reminders", stdout=out)
            outputs.append(out.getvalue().strip())

    assert outputs == ["2 reminders sent, 1 change notices sent, 0 failed",
                       "0 reminders sent, 0 change notices sent, 0 failed"]
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.vn", "b@example.vn", "c@example.vn"]
    assert all(re.search(r"/live/reminders/[\w-]+/unsubscribe/", m.body) for m in mail.outbox)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_each_mail_once(django_user_model):
    from django.db import connection

    assert connection.vendor == "postgresql"
    host = make_host(django_user_model)
    soon = make_session(host=host, start=timezone.now() + dt.timedelta(minutes=10), title="Sắp phát")
    cancelled = make_session(host=host, start=timezone.now() + dt.timedelta(days=2), title="Sẽ huỷ")
    for i in range(15):
        active_reminder(soon, f"soon{i}@example.vn")
        active_reminder(cancelled, f"huy{i}@example.vn")
    session_cancel(session=cancelled, actor=None)

    results = run_together([reminders_send] * 4)

    assert all(kind == "ok" for kind, _ in results), results
    assert sum(r["reminders"] for _, r in results) == 15
    assert sum(r["changes"] for _, r in results) == 15
    assert sum(r["failed"] for _, r in results) == 0
    recipients = [m.to[0] for m in mail.outbox]
    assert len(recipients) == 30 and len(set(recipients)) == 30
    assert LiveReminder.objects.filter(session=soon, reminded_at__isnull=True).count() == 0
    assert reminders_send() == {"changes": 0, "reminders": 0, "failed": 0}

"""Reminders over HTTP: "Nhắc tôi" for guests (double opt-in) and signed-in shoppers, the confirmation page, one-click
unsubscribe (RFC 8058) and the form partial the schedule and session pages include."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client, RequestFactory, TestCase
from django.utils import timezone

from livestream.models import LiveReminder
from livestream.reminders import reminders_send
from livestream.services import session_cancel, session_end
from tests.support.catalogue import make_certified_product
from tests.support.livestream import make_host, make_session, take_live

pytestmark = pytest.mark.django_db
REMIND = "/live/hat-sen/remind/"
JSON = {"HTTP_ACCEPT": "application/json"}


def committed(call, *args, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return call(*args, **kwargs)


def flashes(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def link_in(message, kind):
    return re.search(rf"https://ocop\.example\.vn(/live/reminders/[\w-]+/{kind}/)", message.body).group(1)


@pytest.fixture
def host(django_user_model):
    return make_host(django_user_model)


@pytest.fixture
def session(host):
    return make_session(host=host, slug="hat-sen", title="Hạt sen Đồng Tháp",
                        start=timezone.now() + dt.timedelta(days=2))


@pytest.fixture
def shopper(django_user_model):
    return django_user_model.objects.create_user(email="lan@example.vn", password="pw-1234567")


# ---------------------------------------------------------------- "Nhắc tôi"
def test_a_guest_is_asked_to_confirm_by_email_and_the_link_confirms_only_by_post(client, session):
    response = committed(client.post, REMIND, {"email": "khach@example.vn"})

    assert response.status_code == 302 and response["Location"] == "/live/hat-sen/"
    assert any(m.startswith("Kiểm tra email để xác nhận") for m in flashes(response))
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["khach@example.vn"]
    reminder = LiveReminder.objects.get()
    assert reminder.confirmed_at is None

    confirm = link_in(mail.outbox[0], "confirm")
    page = client.get(confirm)  # what a mail scanner or prefetcher does: it must not confirm
    assert page.status_code == 200
    html = page.content.decode()
    assert "Hạt sen Đồng Tháp" in html and 'method="post"' in html and "Xác nhận" in html
    assert page["Referrer-Policy"] == "no-referrer" and "no-store" in page["Cache-Control"]
    reminder.refresh_from_db()
    assert reminder.confirmed_at is None

    done = client.post(confirm)
    assert done.status_code == 302 and done["Location"] == "/live/hat-sen/"
    assert any(m.startswith("Đã đăng ký nhắc lịch") for m in flashes(done))
    reminder.refresh_from_db()
    assert reminder.confirmed_at is not None
    assert "Đã đăng ký" in client.get(confirm).content.decode()  # the link again: already confirmed


def test_the_confirm_button_is_protected_against_forged_posts(session):
    committed(Client().post, REMIND, {"email": "khach@example.vn"})
    confirm = link_in(mail.outbox[0], "confirm")
    assert Client(enforce_csrf_checks=True).post(confirm).status_code == 403
    assert LiveReminder.objects.get().confirmed_at is None


def test_a_signed_in_shopper_is_confirmed_at_once_with_their_account_email(client, session, shopper):
    client.force_login(shopper)
    response = committed(client.post, REMIND, {"email": "someone-else@example.vn"})

    assert response.status_code == 302
    assert any(m.startswith("Đã đăng ký nhắc lịch") and "lan@example.vn" in m for m in flashes(response))
    reminder = LiveReminder.objects.get()
    assert (reminder.email, reminder.user, reminder.confirmed_at is not None) == ("lan@example.vn", shopper, True)
    assert not mail.outbox


def test_the_answer_never_tells_whether_an_email_is_registered(session, shopper):
    signed_in = Client()
    signed_in.force_login(shopper)
    committed(signed_in.post, REMIND, {})  # lan@example.vn: registered and confirmed

    answers = []
    for email in ("lan@example.vn", "moi@example.vn", "LAN@example.vn"):
        response = committed(Client().post, REMIND, {"email": email}, **JSON)
        answers.append((response.status_code, response.json()))
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][1]["status"] == "pending" and answers[0][1]["message"].startswith("Kiểm tra email")
    assert LiveReminder.objects.filter(email="lan@example.vn").count() == 1
    assert LiveReminder.objects.count() == 2
    assert [m.to for m in mail.outbox] == [["moi@example.vn"]]  # only the new address is mailed


def test_json_answers(client, session, shopper):
    pending = committed(client.post, REMIND, {"email": "khach@example.vn"}, **JSON)
    assert pending.status_code == 200 and pending.json()["ok"] is True and pending.json()["status"] == "pending"
    assert not flashes(pending)

    invalid = client.post(REMIND, {"email": "khong-phai-email"}, **JSON)
    assert invalid.status_code == 400 and invalid.json()["ok"] is False

    client.force_login(shopper)
    confirmed = committed(client.post, REMIND, {}, **JSON)
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    assert "Đã đăng ký nhắc lịch" in confirmed.json()["message"]


def test_a_guest_without_an_email_is_sent_back_with_a_message(client, session):
    response = client.post(REMIND, {"email": ""})
    assert response.status_code == 302 and response["Location"] == "/live/hat-sen/"
    assert flashes(response) == ["Vui lòng nhập email để nhận nhắc lịch."]
    assert not LiveReminder.objects.exists()


def test_next_goes_back_to_the_page_that_asked_but_never_off_site(client, session):
    back = committed(client.post, REMIND, {"email": "a@example.vn", "next": "/live/"})
    assert back["Location"] == "/live/"
    away = committed(client.post, REMIND, {"email": "b@example.vn", "next": "https://evil.example.com/"})
    assert away["Location"] == "/live/hat-sen/"


def test_cancelled_and_ended_sessions_refuse_reminders(client, host):
    rice = make_certified_product(title="Gạo Nàng Nhen")
    cancelled = make_session(host=host, slug="da-huy", start=timezone.now() + dt.timedelta(days=1))
    session_cancel(session=cancelled, actor=None)
    ended = make_session(host=host, slug="da-phat", start=timezone.now() - dt.timedelta(hours=3), products=[rice])
    take_live(ended, at=ended.scheduled_start)
    session_end(session=ended, actor=None, now=ended.scheduled_start + dt.timedelta(minutes=30))

    refused = client.post("/live/da-huy/remind/", {"email": "a@example.vn"}, **JSON)
    assert refused.status_code == 409 and "huỷ" in refused.json()["message"]
    page = client.post("/live/da-phat/remind/", {"email": "a@example.vn"})
    assert page.status_code == 302 and any("kết thúc" in m for m in flashes(page))
    assert not LiveReminder.objects.exists() and not mail.outbox


def test_unknown_session_and_tokens_are_404(client):
    assert client.post("/live/khong-co/remind/", {"email": "a@example.vn"}).status_code == 404
    assert client.get("/live/reminders/khong-co-token/confirm/").status_code == 404
    assert client.post("/live/reminders/khong-co-token/confirm/").status_code == 404
    assert client.get("/live/reminders/khong-co-token/unsubscribe/").status_code == 404
    assert client.post("/live/reminders/khong-co-token/unsubscribe/").status_code == 404


def test_confirming_a_session_cancelled_meanwhile_is_refused(client, session):
    committed(client.post, REMIND, {"email": "khach@example.vn"})
    confirm = link_in(mail.outbox[0], "confirm")
    session_cancel(session=session, actor=None)
    assert "đã bị huỷ" in client.get(confirm).content.decode()
    assert client.post(confirm).status_code == 409
    assert LiveReminder.objects.get().confirmed_at is None


# ---------------------------------------------------------------- one-click unsubscribe
def test_one_click_unsubscribe_by_post_stops_all_mail(session, shopper):
    signed_in = Client()
    signed_in.force_login(shopper)
    committed(signed_in.post, REMIND, {})
    committed(reminders_send, now=session.scheduled_start - dt.timedelta(minutes=10))
    reminder_mail = mail.outbox[-1]
    url = reminder_mail.extra_headers["List-Unsubscribe"].strip("<>")
    assert reminder_mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = url.removeprefix("https://ocop.example.vn")
    assert path == link_in(reminder_mail, "unsubscribe")

    # what a mail client does (RFC 8058): a POST with no cookie and no CSRF token
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200 and "Đã huỷ" in response.content.decode()
    assert LiveReminder.objects.get().unsubscribed_at is not None
    assert mail_client.post(path, "List-Unsubscribe=One-Click",
                            content_type="application/x-www-form-urlencoded").status_code == 200  # again: fine

    mail.outbox.clear()
    session.scheduled_start += dt.timedelta(hours=1)
    session.scheduled_end += dt.timedelta(hours=1)
    session.save()
    session_cancel(session=session, actor=None)
    committed(reminders_send)
    assert not mail.outbox


def test_the_unsubscribe_link_opened_in_a_browser_shows_one_button(client, session, shopper):
    client.force_login(shopper)
    committed(client.post, REMIND, {})
    reminder = LiveReminder.objects.get()
    path = f"/live/reminders/{reminder.token}/unsubscribe/"

    page = client.get(path)
    html = page.content.decode()
    assert page.status_code == 200 and html.count("<button") == html.count('type="submit"') >= 1
    assert f'action="{path}"' in html and 'method="post"' in html
    reminder.refresh_from_db()
    assert reminder.unsubscribed_at is None  # a GET changes nothing

    client.post(path)
    reminder.refresh_from_db()
    assert reminder.unsubscribed_at is not None
    assert "Đã huỷ" in client.get(path).content.decode()


def test_asking_again_after_unsubscribing_needs_a_new_confirmation_for_guests(client, session):
    committed(client.post, REMIND, {"email": "khach@example.vn"})
    client.post(link_in(mail.outbox[0], "confirm"))
    reminder = LiveReminder.objects.get()
    Client().post(f"/live/reminders/{reminder.token}/unsubscribe/")
    mail.outbox.clear()

    from django.core.cache import cache

    cache.clear()  # past the resend pause
    committed(Client().post, REMIND, {"email": "khach@example.vn"})
    reminder.refresh_from_db()
    assert reminder.unsubscribed_at is not None  # still off until the owner of the address confirms
    assert len(mail.outbox) == 1
    Client().post(link_in(mail.outbox[0], "confirm"))
    reminder.refresh_from_db()
    assert reminder.unsubscribed_at is None and reminder.confirmed_at is not None


# ---------------------------------------------------------------- the partial
def render_partial(session, user):
    request = RequestFactory().get("/live/")
    request.user = user
    return render_to_string("livestream/partials/remind_form.html", {"session": session}, request=request)


def test_the_remind_form_partial(session, shopper, host):
    guest = render_partial(session, AnonymousUser())
    assert 'action="/live/hat-sen/remind/"' in guest and 'method="post"' in guest
    assert 'type="email"' in guest and 'name="email"' in guest and "Nhắc tôi" in guest
    assert 'name="csrfmiddlewaretoken"' in guest and 'name="next" value="/live/"' in guest
    assert "<script" not in guest

    signed_in = render_partial(session, shopper)
    assert 'name="email"' not in signed_in and "lan@example.vn" in signed_in and "Nhắc tôi" in signed_in

    cancelled = make_session(host=host, start=timezone.now() + dt.timedelta(days=4))
    session_cancel(session=cancelled, actor=None)
    cancelled.refresh_from_db()
    assert "<form" not in render_partial(cancelled, AnonymousUser())

"""manage.py privacy_purge: host identity checks kept exactly as long as the law asks, old orders and consents
without the person, livestream contacts with the session's records, sign-in records 30 days; a second run finds
nothing."""

import datetime as dt
import io

import pytest
from axes.models import AccessLog
from django.core.management import call_command
from django.utils import timezone

from catalogue.certification import add_months
from livestream.models import HostIdentityCheck, LiveComplaint, LiveReminder, LiveSession
from tests.support.livestream import make_host, make_session
from tests.support.privacy import Order, shopper_with_history
from users.models import PrivacyConsent
from users.privacy.services import PLACEHOLDER, privacy_purge

pytestmark = pytest.mark.django_db
TODAY = dt.date(2030, 6, 15)


def at(day: dt.date, hour=20) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def aired(host, *, ended_on: dt.date, slug: str) -> LiveSession:
    """A session that went on air and ended on ``ended_on``."""
    end = at(ended_on)
    return LiveSession.objects.create(
        title=f"Phiên {slug}", slug=slug, host=host, status=LiveSession.Status.ENDED,
        scheduled_start=end - dt.timedelta(hours=1), scheduled_end=end,
        actual_start=end - dt.timedelta(hours=1), actual_end=end,
    )


def check(host, checker, checked_on: dt.date) -> HostIdentityCheck:
    return HostIdentityCheck.objects.create(user=host, method="chip_id", checked_on=checked_on, checked_by=checker)


def purge(today=TODAY) -> str:
    out = io.StringIO()
    call_command("privacy_purge", f"--today={today.isoformat()}", stdout=out)
    return out.getvalue()


@pytest.fixture
def checker(django_user_model):
    return django_user_model.objects.create_superuser(email="canbo.xacminh@example.vn", password="x")


def host(django_user_model, name):
    return django_user_model.objects.create_user(email=f"{name}@example.vn", password="pw-1234567")


def test_identity_checks_go_three_years_after_the_last_session(django_user_model, checker):
    three_years_ago = add_months(TODAY, -36)
    # Aired last one day past the three years: the check goes. Aired last on the edge day: it stays to the end of it.
    gone = host(django_user_model, "da-het-han")
    old_check = check(gone, checker, dt.date(2025, 1, 5))
    aired(gone, ended_on=dt.date(2026, 3, 1), slug="phien-xa")
    aired(gone, ended_on=three_years_ago - dt.timedelta(days=1), slug="phien-cuoi-xa")
    edge = host(django_user_model, "dung-han")
    edge_check = check(edge, checker, dt.date(2025, 1, 5))
    aired(edge, ended_on=three_years_ago, slug="phien-sat-han")
    # Checked again after the last session: kept three years from the check.
    rechecked = host(django_user_model, "xac-minh-lai")
    recheck = check(rechecked, checker, three_years_ago + dt.timedelta(days=10))
    aired(rechecked, ended_on=dt.date(2026, 1, 1), slug="phien-truoc-xac-minh")
    # Never aired: three years after the check.
    never_old, never_new = host(django_user_model, "chua-phat-cu"), host(django_user_model, "chua-phat-moi")
    never_old_check = check(never_old, checker, three_years_ago - dt.timedelta(days=1))
    never_new_check = check(never_new, checker, three_years_ago + dt.timedelta(days=1))
    # A session ahead keeps even a very old check.
    busy = host(django_user_model, "co-phien-sap-toi")
    busy_check = check(busy, checker, dt.date(2020, 1, 1))
    make_session(host=busy, start=timezone.now() + dt.timedelta(days=5), slug="phien-sap-toi")

    output = purge()

    remaining = set(HostIdentityCheck.objects.values_list("pk", flat=True))
    assert old_check.pk not in remaining and never_old_check.pk not in remaining
    assert {edge_check.pk, recheck.pk, never_new_check.pk, busy_check.pk} <= remaining
    assert "identity_checks: 2" in output
    assert LiveSession.objects.filter(host=gone).count() == 2  # the sessions' records stay
    assert "identity_checks: 0" in purge()  # idempotent
    assert "identity_checks: 1" in purge(TODAY + dt.timedelta(days=1))  # the edge day is over


def test_orders_and_guest_consents_lose_the_person_after_ten_years(django_user_model):
    history = shopper_with_history(django_user_model)
    old, recent = history.orders
    Order.objects.filter(pk=old.pk).update(date_placed=at(add_months(TODAY, -120) - dt.timedelta(days=1)))
    Order.objects.filter(pk=recent.pk).update(date_placed=at(add_months(TODAY, -120) + dt.timedelta(days=1)))
    Order.objects.filter(pk=old.pk).update(guest_email="khach@example.vn")
    guest_consent = PrivacyConsent.objects.create(purpose="order", order_number="G-1", email="khach@example.vn",
                                                  notice_version="2019-01", given_at=at(dt.date(2019, 1, 1)))
    young_consent = PrivacyConsent.objects.create(purpose="order", order_number="G-2", email="moi@example.vn",
                                                  notice_version="2026-11", given_at=at(dt.date(2026, 1, 1)))

    output = purge()

    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.guest_email == "" and old.delivery.full_name == PLACEHOLDER and old.delivery.phone == ""
    assert old.shipping_address.line1 == PLACEHOLDER and old.delivery.province_id is not None
    assert recent.delivery.phone == "+84987654321" and recent.shipping_address.line1 != PLACEHOLDER
    guest_consent.refresh_from_db()
    young_consent.refresh_from_db()
    assert (guest_consent.email, guest_consent.order_number) == ("", "G-1") and young_consent.email == "moi@example.vn"
    assert "orders: 1" in output and "consent_emails: 1" in output
    again = purge()
    assert "orders: 0" in again and "consent_emails: 0" in again


def test_livestream_contacts_go_with_the_session_records(django_user_model):
    presenter = make_host(django_user_model)
    old = aired(presenter, ended_on=add_months(TODAY, -36) - dt.timedelta(days=1), slug="phien-cu")
    recent = aired(presenter, ended_on=add_months(TODAY, -36) + dt.timedelta(days=1), slug="phien-gan")
    for session in (old, recent):
        LiveReminder.objects.create(session=session, email=f"nhac-{session.slug}@example.vn")
        LiveComplaint.objects.create(
            session=session, name="Trần Văn Bình", email="binh@example.vn", phone="0903123456",
            message="Giao thiếu hàng", status=LiveComplaint.Status.ANSWERED, answer="Đã gửi bù",
        )
    open_complaint = LiveComplaint.objects.create(session=old, name="Lê Thị Cúc", phone="0911222333",
                                                  message="Chưa được trả lời")

    output = purge()

    assert list(LiveReminder.objects.values_list("session__slug", flat=True)) == ["phien-gan"]
    answered_old = LiveComplaint.objects.get(session=old, status=LiveComplaint.Status.ANSWERED)
    assert (answered_old.name, answered_old.email, answered_old.phone) == (PLACEHOLDER, "", "")
    assert (answered_old.message, answered_old.answer) == ("Giao thiếu hàng", "Đã gửi bù")
    assert LiveComplaint.objects.get(session=recent).email == "binh@example.vn"
    open_complaint.refresh_from_db()
    assert open_complaint.phone == "0911222333"  # still waiting for its answer
    assert "live_reminders: 1" in output and "live_complaint_contacts: 1" in output
    assert "live_reminders: 0, live_complaint_contacts: 0" in purge()


def test_sign_in_records_go_after_thirty_days():
    today = timezone.localdate()
    for days in (31, 29):
        row = AccessLog.objects.create(username=f"{days}@example.vn", ip_address="203.0.113.7", user_agent="x",
                                       http_accept="", path_info="/shop/accounts/login/")
        AccessLog.objects.filter(pk=row.pk).update(attempt_time=timezone.now() - dt.timedelta(days=days))

    counts = privacy_purge(today=today)

    assert counts["login_records"] == 1
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["29@example.vn"]
    assert privacy_purge(today=today)["login_records"] == 0

"""Calendar feeds, downloaded over HTTP and parsed back with the same library (icalendar), field by field."""

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.utils import timezone

from livestream.models import LiveSession
from livestream.services import session_cancel, session_end
from tests.support.catalogue import make_certified_product
from tests.support.livestream import make_host, make_session, take_live

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at_local(days: int, hour: int, minute: int = 0) -> dt.datetime:
    """A wall-clock time in Vietnam, ``days`` from today."""
    day = timezone.localtime(timezone.now(), VN).date() + dt.timedelta(days=days)
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=VN)


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert ".ics" in response["Content-Disposition"]
    return icalendar.Calendar.from_ical(response.content)


def only_event(calendar):
    events = calendar.walk("VEVENT")
    assert len(events) == 1, events
    return events[0]


@pytest.fixture
def host(django_user_model):
    return make_host(django_user_model)


def test_one_session_ics_is_valid_icalendar_with_the_vietnam_time_zone(client, host):
    session = make_session(host=host, start=at_local(3, 20), minutes=90, slug="mam-chau-doc",
                           title="Mắm Châu Đốc tối thứ Bảy", description="Giới thiệu mắm cá linh.",
                           platform=LiveSession.Platform.TIKTOK, stream_url="https://www.tiktok.com/@htxmam/live")

    calendar = download(client, "/live/mam-chau-doc.ics")

    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    assert calendar["METHOD"] == "PUBLISH"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"]
    assert not calendar.get_missing_tzids()
    event = only_event(calendar)
    assert event["UID"] == f"live-{session.pk}@ocop.example.vn"
    assert event["DTSTART"].params["TZID"] == "Asia/Ho_Chi_Minh"
    assert event["DTEND"].params["TZID"] == "Asia/Ho_Chi_Minh"
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert str(start.tzinfo) == "Asia/Ho_Chi_Minh"
    assert (start.hour, start.minute) == (20, 0) and start.date() == at_local(3, 20).date()  # the local wall clock
    assert start == session.scheduled_start and end - start == dt.timedelta(minutes=90)
    assert event.decoded("DTSTAMP").tzinfo is not None
    assert event["SEQUENCE"] == 0
    assert str(event["SUMMARY"]) == "Mắm Châu Đốc tối thứ Bảy"
    assert str(event["STATUS"]) == "CONFIRMED"
    description = str(event["DESCRIPTION"])
    assert "Giới thiệu mắm cá linh." in description and "https://ocop.example.vn/live/mam-chau-doc/" in description
    assert str(event["URL"]) == "https://ocop.example.vn/live/mam-chau-doc/"
    assert str(event["LOCATION"]) == "TikTok: https://www.tiktok.com/@htxmam/live"
    assert "mam-chau-doc.ics" in client.get("/live/mam-chau-doc.ics")["Content-Disposition"]


def test_links_stay_unprefixed_even_when_downloaded_in_english(client, host):
    make_session(host=host, slug="banh-pia", platform=LiveSession.Platform.OWN)
    event = only_event(download(client, "/en/live/banh-pia.ics"))
    assert str(event["URL"]) == "https://ocop.example.vn/live/banh-pia/"
    assert str(event["LOCATION"]).endswith("https://ocop.example.vn/live/banh-pia/")


def test_uid_is_stable_and_sequence_rises_when_the_time_changes(client, host):
    session = make_session(host=host, start=at_local(5, 19, 30), slug="gao-nang-nhen")
    first = only_event(download(client, "/live/gao-nang-nhen.ics"))
    again = only_event(download(client, "/live/gao-nang-nhen.ics"))
    assert first["UID"] == again["UID"] and first["SEQUENCE"] == again["SEQUENCE"] == 0

    session.scheduled_start, session.scheduled_end = at_local(6, 21), at_local(6, 22)
    session.save()

    moved = only_event(download(client, "/live/gao-nang-nhen.ics"))
    assert moved["UID"] == first["UID"]
    assert moved["SEQUENCE"] > first["SEQUENCE"]
    start = moved.decoded("DTSTART")
    assert (start.hour, start.minute, start.date()) == (21, 0, at_local(6, 21).date())
    assert moved["DTSTART"].params["TZID"] == "Asia/Ho_Chi_Minh"


def test_a_cancelled_session_is_still_served_with_method_cancel(client, host):
    session = make_session(host=host, slug="kho-ca-loc")
    before = only_event(download(client, "/live/kho-ca-loc.ics"))

    session_cancel(session=session, actor=None, reason="Người dẫn ốm")

    calendar = download(client, "/live/kho-ca-loc.ics")
    assert calendar["METHOD"] == "CANCEL"
    event = only_event(calendar)
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["UID"] == before["UID"] and event["SEQUENCE"] > before["SEQUENCE"]
    assert "đã bị huỷ" in str(event["DESCRIPTION"])


def test_unknown_slug_is_404(client):
    assert client.get("/live/khong-co-phien-nay.ics").status_code == 404


def test_schedule_feed_holds_upcoming_live_and_recently_cancelled_sessions_only(client, host, django_user_model):
    now = timezone.now()
    rice = make_certified_product(title="Gạo Nàng Nhen")
    upcoming = make_session(host=host, start=now + dt.timedelta(days=2), title="Sắp phát")
    later = make_session(host=host, start=now + dt.timedelta(days=9), title="Tuần sau")
    on_air = make_session(host=host, start=now - dt.timedelta(minutes=10), minutes=120, title="Đang phát",
                          products=[rice])
    take_live(on_air, at=now - dt.timedelta(minutes=10))
    ended = make_session(host=host, start=now - dt.timedelta(days=1), title="Đã phát", products=[rice])
    take_live(ended, at=ended.scheduled_start)
    session_end(session=ended, actor=None, now=ended.scheduled_start + dt.timedelta(minutes=50))
    cancelled_soon = make_session(host=host, start=now + dt.timedelta(days=3), title="Huỷ, còn trong lịch")
    session_cancel(session=cancelled_soon, actor=None)
    cancelled_recent = make_session(host=host, start=now - dt.timedelta(days=2), title="Huỷ hôm kia")
    session_cancel(session=cancelled_recent, actor=None)
    cancelled_long_ago = make_session(host=host, start=now - dt.timedelta(days=30), title="Huỷ tháng trước")
    session_cancel(session=cancelled_long_ago, actor=None)
    make_session(host=host, start=now - dt.timedelta(days=3), title="Lỡ hẹn, không phát")  # never went live

    calendar = download(client, "/live/schedule.ics")

    assert calendar["METHOD"] == "PUBLISH" and calendar["VERSION"] == "2.0"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"]
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Sắp phát", "Tuần sau", "Đang phát", "Huỷ, còn trong lịch", "Huỷ hôm kia"}
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")][0] == "Huỷ hôm kia"  # in order of start
    assert str(events["Huỷ, còn trong lịch"]["STATUS"]) == "CANCELLED"
    assert str(events["Sắp phát"]["STATUS"]) == str(events["Đang phát"]["STATUS"]) == "CONFIRMED"
    assert events["Sắp phát"]["UID"] == f"live-{upcoming.pk}@ocop.example.vn"
    assert events["Tuần sau"]["UID"] == f"live-{later.pk}@ocop.example.vn"
    assert len({str(e["UID"]) for e in events.values()}) == 5
    for event in events.values():
        assert event["DTSTART"].params["TZID"] == "Asia/Ho_Chi_Minh"
    assert not calendar.get_missing_tzids()


def test_schedule_feed_event_matches_the_single_download(client, host):
    session = make_session(host=host, start=at_local(4, 8, 15), slug="tra-sen")
    single = only_event(download(client, "/live/tra-sen.ics"))
    listed = next(e for e in download(client, "/live/schedule.ics").walk("VEVENT") if e["UID"] == single["UID"])
    for field in ("DTSTART", "DTEND", "SUMMARY", "URL", "SEQUENCE", "STATUS"):
        assert listed.decoded(field) == single.decoded(field), field
    assert session.sequence == single["SEQUENCE"]


def test_empty_schedule_is_still_a_valid_calendar(client):
    calendar = download(client, "/live/schedule.ics")
    assert calendar["VERSION"] == "2.0" and not calendar.walk("VEVENT")

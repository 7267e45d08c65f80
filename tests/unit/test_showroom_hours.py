"""Opening hours for people: the week's table and "open now", in Asia/Ho_Chi_Minh, exceptions first. No database."""

import datetime as dt
from types import SimpleNamespace as Row
from zoneinfo import ZoneInfo

import pytest

from showrooms.hours import exceptions_upcoming, open_status, spans_on, week_table

ICT = ZoneInfo("Asia/Ho_Chi_Minh")
t = dt.time
# Mon–Sat 7:30–11:30 and 13:30–17:00, Sunday morning (given out of order, as an editor might).
WEEK = [Row(weekday=d, opens=t(13, 30), closes=t(17, 0)) for d in range(6)] + [
    Row(weekday=d, opens=t(7, 30), closes=t(11, 30)) for d in range(7)
]
MONDAY = dt.date(2026, 11, 30)


def at(day, hour, minute=0, tz=ICT):
    return dt.datetime.combine(day, t(hour, minute), tzinfo=tz)


def closed(day, note="Nghỉ Tết Nguyên đán"):
    return Row(date=day, closed=True, opens=None, closes=None, note=note)


def special(day, opens, closes, note=""):
    return Row(date=day, closed=False, opens=opens, closes=closes, note=note)


def test_week_table_lists_monday_to_sunday_with_two_spans_and_closed_days():
    table = week_table(WEEK[:6] + WEEK[6:12], today=MONDAY)  # no Sunday at all
    assert [row.name for row in table] == ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]
    assert [str(span) for span in table[0].spans] == ["7:30–11:30", "13:30–17:00"]
    assert table[0].is_today and not table[1].is_today
    assert table[6].is_closed and table[6].spans == ()


@pytest.mark.parametrize(
    ("hour", "minute", "is_open", "message"),
    [
        (6, 0, False, "Đang đóng cửa · mở cửa lúc 7:30"),
        (7, 30, True, "Đang mở cửa · đóng cửa lúc 11:30"),
        (11, 29, True, "Đang mở cửa · đóng cửa lúc 11:30"),
        (11, 30, False, "Đang đóng cửa · mở cửa lúc 13:30"),  # closing time is already closed
        (16, 0, True, "Đang mở cửa · đóng cửa lúc 17:00"),
        (17, 0, False, "Đang đóng cửa · mở cửa lúc 7:30 ngày mai"),
    ],
)
def test_open_status_through_a_weekday(hour, minute, is_open, message):
    status = open_status(at(MONDAY, hour, minute), hours=WEEK, exceptions=[])
    assert (status.is_open, status.message) == (is_open, message)


def test_open_status_reads_the_clock_in_vietnam_whatever_the_servers_zone():
    # 01:00 UTC on Monday is 08:00 in Châu Đốc; 23:00 UTC on Sunday is 06:00 on Monday there.
    assert open_status(at(MONDAY, 1, tz=dt.UTC), hours=WEEK, exceptions=[]).is_open
    early = open_status(at(MONDAY - dt.timedelta(days=1), 23, tz=dt.UTC), hours=WEEK, exceptions=[])
    assert early.message == "Đang đóng cửa · mở cửa lúc 7:30"
    with pytest.raises(ValueError):
        open_status(dt.datetime(2026, 11, 30, 8, 0), hours=WEEK, exceptions=[])


def test_sunday_afternoon_opens_monday_morning():
    sunday = MONDAY + dt.timedelta(days=6)
    status = open_status(at(sunday, 14), hours=WEEK, exceptions=[])
    assert not status.is_open and status.message == "Đang đóng cửa · mở cửa lúc 7:30 ngày mai"
    assert status.changes_at == at(sunday + dt.timedelta(days=1), 7, 30)


def test_a_closed_exception_wins_over_the_week_and_names_the_next_opening_day():
    tet = dt.date(2027, 2, 6)  # a Saturday; closed Sat, Sun and Mon
    exceptions = [closed(tet), closed(tet + dt.timedelta(days=1)), closed(tet + dt.timedelta(days=2))]
    status = open_status(at(tet, 9), hours=WEEK, exceptions=exceptions)
    assert not status.is_open
    assert status.note == "Nghỉ Tết Nguyên đán"
    assert status.message == "Đang đóng cửa · mở cửa lúc 7:30 Thứ Ba 09/02"
    assert spans_on(tet, hours=WEEK, exceptions=exceptions)[0] == ()


def test_special_hours_replace_the_day():
    eve = dt.date(2027, 2, 5)
    exceptions = [special(eve, t(7, 0), t(11, 0), "Giao thừa: chỉ mở buổi sáng")]
    assert open_status(at(eve, 10, 30), hours=WEEK, exceptions=exceptions).message == "Đang mở cửa · đóng cửa lúc 11:00"
    afternoon = open_status(at(eve, 14), hours=WEEK, exceptions=exceptions)
    assert not afternoon.is_open and "ngày mai" in afternoon.message
    # A Sunday that is normally closed in the afternoon, opened for a fair.
    fair = dt.date(2026, 12, 6)
    fair_status = open_status(at(fair, 15), hours=WEEK, exceptions=[special(fair, t(14, 0), t(21, 0), "Hội chợ")])
    assert fair_status.is_open and fair_status.message == "Đang mở cửa · đóng cửa lúc 21:00"


def test_no_hours_recorded_says_so_instead_of_closed_every_day():
    status = open_status(at(MONDAY, 9), hours=[], exceptions=[])
    assert not status.is_open and status.changes_at is None
    assert status.message == "Chưa cập nhật giờ mở cửa · vui lòng gọi trước khi đến"


def test_upcoming_exceptions_are_the_next_ones_soonest_first():
    rows = [
        closed(MONDAY + dt.timedelta(days=70)),
        special(MONDAY + dt.timedelta(days=3), t(8, 0), t(12, 0), "Họp chợ"),
        closed(MONDAY - dt.timedelta(days=1)),  # past
        closed(MONDAY + dt.timedelta(days=200)),  # too far
    ]
    upcoming = exceptions_upcoming(rows, today=MONDAY)
    assert [day.date for day in upcoming] == [MONDAY + dt.timedelta(days=3), MONDAY + dt.timedelta(days=70)]
    assert [str(span) for span in upcoming[0].spans] == ["8:00–12:00"] and not upcoming[0].is_closed
    assert upcoming[1].is_closed and upcoming[1].weekday_name == "Thứ Hai"

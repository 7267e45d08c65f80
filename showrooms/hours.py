"""Opening hours for people: the week's table and "open now / closed now / opens at …".

Pure functions over plain objects, so they are tested without a database: a weekly span has ``weekday`` (0 =
Monday), ``opens`` and ``closes`` (``datetime.time``); an exception has ``date``, ``closed``, ``opens``,
``closes`` and ``note`` (showrooms.models.OpeningHours and OpeningException fit). A span is open from ``opens``
up to, not including, ``closes``. An exception replaces the whole day: closed, or open at its own hours.
Times are wall-clock times in Asia/Ho_Chi_Minh (the showrooms' time zone, whatever the server's).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SHOWROOM_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# The same words as OpeningHours.Weekday (same msgids, so one translation).
WEEKDAY_NAMES = (
    gettext_lazy("Thứ Hai"),
    gettext_lazy("Thứ Ba"),
    gettext_lazy("Thứ Tư"),
    gettext_lazy("Thứ Năm"),
    gettext_lazy("Thứ Sáu"),
    gettext_lazy("Thứ Bảy"),
    gettext_lazy("Chủ Nhật"),
)


@dataclass(frozen=True)
class Span:
    opens: dt.time
    closes: dt.time

    def __str__(self) -> str:
        return f"{clock(self.opens)}–{clock(self.closes)}"


@dataclass(frozen=True)
class WeekRow:
    weekday: int
    name: str
    spans: tuple[Span, ...]
    is_today: bool = False

    @property
    def is_closed(self) -> bool:
        return not self.spans


@dataclass(frozen=True)
class DayException:
    date: dt.date
    weekday_name: str
    spans: tuple[Span, ...]  # empty: closed all day
    note: str

    @property
    def is_closed(self) -> bool:
        return not self.spans


@dataclass(frozen=True)
class OpenStatus:
    is_open: bool
    message: str  # "Đang mở cửa · đóng cửa lúc 11:30"
    note: str = ""  # today's exception, e.g. "Nghỉ Tết Nguyên đán"
    changes_at: dt.datetime | None = None  # the next opening or closing, aware


def clock(value: dt.time) -> str:
    """7:30, 13:30: how times are written on a Vietnamese shop sign."""
    return f"{value.hour}:{value.minute:02d}"


def _weekly_spans(hours) -> dict[int, tuple[Span, ...]]:
    days: dict[int, list[Span]] = {n: [] for n in range(7)}
    for row in hours:
        if row.opens is not None and row.closes is not None and row.closes > row.opens:
            days[int(row.weekday)].append(Span(row.opens, row.closes))
    return {n: tuple(sorted(spans, key=lambda s: s.opens)) for n, spans in days.items()}


def _exception_spans(exception) -> tuple[Span, ...]:
    if exception.closed or exception.opens is None or exception.closes is None or exception.closes <= exception.opens:
        return ()
    return (Span(exception.opens, exception.closes),)


def _exceptions_by_date(exceptions) -> dict[dt.date, object]:
    return {e.date: e for e in exceptions}


def spans_on(day: dt.date, *, hours, exceptions) -> tuple[tuple[Span, ...], object | None]:
    """The spans a showroom is open on one date, and the exception that set them (None: the usual week)."""
    exception = _exceptions_by_date(exceptions).get(day)
    if exception is not None:
        return _exception_spans(exception), exception
    return _weekly_spans(hours)[day.weekday()], None


def week_table(hours, *, today: dt.date | None = None) -> list[WeekRow]:
    """Monday to Sunday with each day's spans (a day may have two: closed at noon); closed days have none."""
    weekly = _weekly_spans(hours)
    return [
        WeekRow(
            weekday=n, name=str(WEEKDAY_NAMES[n]), spans=weekly[n], is_today=today is not None and today.weekday() == n
        )
        for n in range(7)
    ]


def exceptions_upcoming(exceptions, *, today: dt.date, days: int = 90) -> list[DayException]:
    """Days that differ from the week from today on, soonest first (Tết, holidays, fairs)."""
    last = today + dt.timedelta(days=days)
    rows = sorted((e for e in exceptions if today <= e.date <= last), key=lambda e: e.date)
    return [
        DayException(date=e.date, weekday_name=str(WEEKDAY_NAMES[e.date.weekday()]), spans=_exception_spans(e),
                     note=e.note or "")
        for e in rows
    ]


def _day_phrase(day: dt.date, today: dt.date) -> str:
    if day == today + dt.timedelta(days=1):
        return _("ngày mai")
    return _("%(weekday)s %(date)s") % {"weekday": WEEKDAY_NAMES[day.weekday()], "date": day.strftime("%d/%m")}


def open_status(now: dt.datetime, *, hours, exceptions, horizon_days: int = 14) -> OpenStatus:
    """Open or closed at ``now`` (aware; read in Asia/Ho_Chi_Minh), and when that changes."""
    if now.tzinfo is None:
        raise ValueError("open_status needs an aware datetime")
    local = now.astimezone(SHOWROOM_TZ)
    today, time_now = local.date(), local.time().replace(tzinfo=None)
    weekly = _weekly_spans(hours)
    by_date = _exceptions_by_date(exceptions)
    if not any(weekly.values()) and not any(_exception_spans(e) for e in by_date.values()):  # nothing recorded yet: say so, never "closed every day"
        return OpenStatus(is_open=False, message=_("Chưa cập nhật giờ mở cửa · vui lòng gọi trước khi đến"))

    def spans(day):
        exception = by_date.get(day)
        return (_exception_spans(exception), exception) if exception is not None else (weekly[day.weekday()], None)

    def aware(day, time):
        return dt.datetime.combine(day, time, tzinfo=SHOWROOM_TZ)

    todays, exception = spans(today)
    note = (exception.note or "") if exception is not None else ""
    for span in todays:
        if span.opens <= time_now < span.closes:
            return OpenStatus(
                is_open=True,
                message=_("Đang mở cửa · đóng cửa lúc %(time)s") % {"time": clock(span.closes)},
                note=note,
                changes_at=aware(today, span.closes),
            )
    for span in todays:
        if time_now < span.opens:
            return OpenStatus(
                is_open=False,
                message=_("Đang đóng cửa · mở cửa lúc %(time)s") % {"time": clock(span.opens)},
                note=note,
                changes_at=aware(today, span.opens),
            )
    for ahead in range(1, horizon_days + 1):
        day = today + dt.timedelta(days=ahead)
        later, _exception = spans(day)
        if later:
            return OpenStatus(
                is_open=False,
                message=_("Đang đóng cửa · mở cửa lúc %(time)s %(day)s")
                % {"time": clock(later[0].opens), "day": _day_phrase(day, today)},
                note=note,
                changes_at=aware(day, later[0].opens),
            )
    return OpenStatus(is_open=False, message=_("Đang đóng cửa"), note=note)

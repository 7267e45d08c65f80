"""Reporting periods: what a report covers, parsed from one query value.

=====================  ======================================  ====================  =========================
query value            covers (both ends included)             kind                  due (the plan, section 6)
=====================  ======================================  ====================  =========================
``2026-Q3``            1 Jul – 30 Sep 2026 (calendar quarter)  quarter               the plan sets no date
``2026-H1``            16 Nov 2025 – 15 May 2026               half-year report      before 30 May 2026
``2026``               16 Nov 2025 – 15 Nov 2026               yearly report         before 30 Nov 2026
``2026-01-01..2026-03-31``  the days given                     custom                none
=====================  ======================================  ====================  =========================

Decision (the issue was silent): the province wants the half-year report *before 30 May* and the yearly report
*before 30 November*, so neither can wait for its half or its year to end. Their data windows close on the 15th of
the month the report is due (15 May, 15 Nov), which leaves two weeks to close the period (``period_close``), check
the figures and send the report. So that no day falls between two reports, the report windows run from 16 November
(``plan_year_start``): the yearly report covers 16 November to 15 November, the half-year report its first half,
and what happens after 15 November is in the next year's reports (as Decree 09/2019/NĐ-CP does with its 15
December cut). The plan's targets are per calendar year, so certificate figures are also counted from 1 January
(reports/selectors.py) beside the count within the window. Quarters stay calendar quarters, for comparisons across years; the H1 window and the quarters
overlap on purpose. A custom period ``YYYY-MM-DD..YYYY-MM-DD`` covers exactly the days given.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PLAN_YEAR_START = (11, 16)  # month, day (of the year before): the first day of a plan year
HALF_YEAR_WINDOW_END = (5, 15)  # month, day: the last day the half-year report counts
HALF_YEAR_DUE_BEFORE = (5, 30)
YEAR_WINDOW_END = (11, 15)
YEAR_DUE_BEFORE = (11, 30)
MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_CUSTOM_DAYS = 3 * 366  # a custom period longer than three years is refused (it is not a periodic report)

KIND_LABELS = {
    "quarter": gettext_lazy("Báo cáo quý"),
    "half": gettext_lazy("Báo cáo 6 tháng"),
    "year": gettext_lazy("Báo cáo năm"),
    "custom": gettext_lazy("Khoảng thời gian tự chọn"),
}

_QUARTER = re.compile(r"(\d{4})-[Qq]([1-4])")
_HALF = re.compile(r"(\d{4})-[Hh]1")
_YEAR = re.compile(r"(\d{4})")
_CUSTOM = re.compile(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})")


class PeriodInvalid(ValueError):
    """A period value that cannot be read; the message is for the person who typed it (Vietnamese)."""


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    kind: str  # quarter | half | year | custom
    value: str  # the query value that names it ("2026-Q3")
    due_before: dt.date | None = None  # the report must reach the province before this day

    @property
    def label(self) -> str:
        if self.kind == "quarter":
            return _("Quý %(quarter)s/%(year)s") % {"quarter": self.value[-1], "year": self.start.year}
        if self.kind == "half":
            return _("6 tháng đầu năm %(year)s") % {"year": self.end.year}
        if self.kind == "year":
            return _("Năm %(year)s") % {"year": self.end.year}
        return _("Từ %(start)s đến %(end)s") % {"start": f"{self.start:%d/%m/%Y}", "end": f"{self.end:%d/%m/%Y}"}

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def window_text(self) -> str:
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"

    @property
    def year(self) -> int:
        """The year whose targets (per calendar year, as the plan sets them) the period's certificate figures are
        measured against: the year it ends in."""
        return self.end.year

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def as_of(self, today: dt.date | None = None) -> dt.date:
        """The day registry figures (certificates, producers, expiry lists) are read for: the period's last day, or
        today while the period is still running."""
        today = today or timezone.localdate()
        return min(self.end, today)

    def is_past(self, today: dt.date | None = None) -> bool:
        return self.end < (today or timezone.localdate())

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """Aware datetimes [start 00:00, the day after the end 00:00) in the local time zone (Asia/Ho_Chi_Minh)."""
        zone = timezone.get_current_timezone()
        return (
            dt.datetime.combine(self.start, dt.time.min, tzinfo=zone),
            dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone),
        )

    def __str__(self):
        return self.label


def plan_year_start(year: int) -> dt.date:
    """The first day of a plan year: 16 November of the year before."""
    return dt.date(year - 1, *PLAN_YEAR_START)


def quarter_of(day: dt.date) -> Period:
    return period_parse(f"{day.year}-Q{(day.month - 1) // 3 + 1}")


def period_current(*, today: dt.date | None = None) -> Period:
    """The default period: the quarter today falls in."""
    return quarter_of(today or timezone.localdate())


def _year(text: str) -> int:
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodInvalid(_("Năm %(year)s nằm ngoài khoảng %(low)s–%(high)s.") % {
            "year": year, "low": MIN_YEAR, "high": MAX_YEAR})
    return year


def _date(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise PeriodInvalid(_("Ngày “%(text)s” không có thật (định dạng NNNN-TT-NN).") % {"text": text}) from None
    _year(text[:4])
    return day


def period_parse(value: str) -> Period:
    """"2026-Q3", "2026-H1", "2026" or "2026-01-01..2026-03-31" -> Period; PeriodInvalid otherwise."""
    text = (value or "").strip()
    if match := _QUARTER.fullmatch(text):
        year, quarter = _year(match[1]), int(match[2])
        start = dt.date(year, 3 * quarter - 2, 1)
        end = (dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)) - dt.timedelta(days=1)
        return Period(start=start, end=end, kind="quarter", value=f"{year}-Q{quarter}")
    if match := _HALF.fullmatch(text):
        year = _year(match[1])
        return Period(start=plan_year_start(year), end=dt.date(year, *HALF_YEAR_WINDOW_END), kind="half",
                      value=f"{year}-H1", due_before=dt.date(year, *HALF_YEAR_DUE_BEFORE))
    if match := _YEAR.fullmatch(text):
        year = _year(match[1])
        return Period(start=plan_year_start(year), end=dt.date(year, *YEAR_WINDOW_END), kind="year",
                      value=f"{year}", due_before=dt.date(year, *YEAR_DUE_BEFORE))
    if match := _CUSTOM.fullmatch(text):
        start, end = _date(match[1]), _date(match[2])
        if end < start:
            raise PeriodInvalid(_("Ngày kết thúc (%(end)s) phải từ ngày bắt đầu (%(start)s) trở đi.") % {
                "start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"})
        if (end - start).days + 1 > MAX_CUSTOM_DAYS:
            raise PeriodInvalid(_("Khoảng thời gian tự chọn dài tối đa 3 năm."))
        return Period(start=start, end=end, kind="custom", value=f"{start:%Y-%m-%d}..{end:%Y-%m-%d}")
    raise PeriodInvalid(
        _("Không hiểu kỳ báo cáo “%(value)s”. Hãy chọn một quý (2026-Q3), 6 tháng (2026-H1), một năm (2026) "
          "hoặc khoảng ngày (2026-01-01..2026-03-31).") % {"value": text[:40]}
    )


def period_choices(*, today: dt.date | None = None, years: int = 3) -> list[tuple[str, str]]:
    """The picker's periods, newest first: for this year and the ``years - 1`` before it, the yearly report, the
    half-year report and the quarters that have begun."""
    today = today or timezone.localdate()
    choices = []
    for year in range(today.year, today.year - years, -1):
        group = [period_parse(str(year)), period_parse(f"{year}-H1")]
        group += [period_parse(f"{year}-Q{q}") for q in range(4, 0, -1) if dt.date(year, 3 * q - 2, 1) <= today]
        choices += [(p.value, f"{p.label} ({p.window_text})") for p in group]
    return choices

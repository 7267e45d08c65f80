"""Charts drawn on the server as inline SVG: no JavaScript, no chart library, nothing fetched.

A chart is an image to assistive technology (``role="img"`` with a ``<title>`` and a ``<desc>`` that reads the
numbers out); the page always shows the same numbers in a table beside it, so the chart only adds a picture.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

BAR = "#1e6b3a"  # the site's green-700: 6.4:1 on white
NEGATIVE = "#b3261e"  # red-600, for a net negative row (more returned than sold)
TRACK = "#eef6f0"
INK = "#1f2328"
MUTED = "#5b616b"
FONT = '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif'


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def bar_chart(
    *,
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, int | Decimal]],
    value_text: Callable[[int | Decimal], str] = str,
    width: int = 640,
    bar_height: int = 20,
    gap: int = 10,
    label_width: int = 250,
    value_width: int = 110,
    empty_text: str = "",
) -> SafeString:
    """A horizontal bar chart: one bar per (label, value), longest bar = largest value; the label on the left, the
    value (through ``value_text``) at the bar's end. A negative value draws no bar, only its value in red."""
    rows = list(rows)
    top = max([value for _, value in rows if value > 0], default=0)
    track = width - label_width - value_width
    height = max(1, len(rows)) * (bar_height + gap) + gap
    described = "; ".join(f"{label}: {value_text(value)}" for label, value in rows) or empty_text
    parts = [
        format_html(
            '<svg class="report-chart" role="img" aria-labelledby="{0}-t {0}-d" viewBox="0 0 {1} {2}" width="100%" '
            'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg" font-family="{3}" font-size="14">'
            '<title id="{0}-t">{4}</title><desc id="{0}-d">{5}</desc>',
            chart_id, width, height, FONT, title, described,
        )
    ]
    if not rows:
        parts.append(format_html('<text x="0" y="{}" fill="{}">{}</text>', height - gap, MUTED, empty_text))
    for index, (label, value) in enumerate(rows):
        y = gap + index * (bar_height + gap)
        length = round(track * float(value) / float(top)) if top and value > 0 else 0
        if value > 0:
            length = max(length, 2)  # a small positive value stays visible
        middle = y + bar_height / 2
        parts.append(
            format_html(
                '<g><title>{label}: {value}</title>'
                '<text x="{lx}" y="{mid}" text-anchor="end" dominant-baseline="central" fill="{ink}">{short}</text>'
                '<rect x="{x}" y="{y}" width="{track}" height="{h}" fill="{track_fill}" rx="3"/>'
                '<rect x="{x}" y="{y}" width="{length}" height="{h}" fill="{fill}" rx="3"/>'
                '<text x="{vx}" y="{mid}" dominant-baseline="central" fill="{value_fill}">{value}</text></g>',
                label=label, value=value_text(value), short=_clip(label, 34), lx=label_width - 8, mid=middle,
                ink=INK, x=label_width, y=y, track=track, h=bar_height, track_fill=TRACK, length=length,
                fill=BAR, vx=label_width + length + 6 if value > 0 else label_width + 6,
                value_fill=NEGATIVE if value < 0 else INK,
            )
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(part) for part in parts))


def progress_bar(*, title: str, value: int, goal: int, width: int = 240, height: int = 14) -> SafeString:
    """A thin progress bar (value of goal), for a figure with a target; the figure is printed beside it."""
    share = 0.0 if goal <= 0 else max(0.0, min(1.0, value / goal))
    return format_html(
        '<svg class="report-progress" role="img" aria-label="{t}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'xmlns="http://www.w3.org/2000/svg"><rect width="{w}" height="{h}" rx="{r}" fill="{track}"/>'
        '<rect width="{fill_w}" height="{h}" rx="{r}" fill="{fill}"/></svg>',
        t=title, w=width, h=height, r=height // 2, track="#d9ecdf", fill_w=round(width * share),
        fill=BAR if share >= 1 else "#7a5200",
    )


"""The programme dashboard (/shop/programme/reports/) and the periodic report's downloads. Programme staff only.

Thin: the period comes from the query (reports/periods.py), every figure from reports/selectors.py, the files from
reports/exports.py, the charts from reports/charts.py.
"""

from __future__ import annotations

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shop.money import dong_text, number_text

from ..access import programme_reports
from ..charts import bar_chart, progress_bar
from ..exports import XLSX_TYPE, report_csv_zip, report_filename, report_xlsx
from ..periods import PeriodInvalid, period_choices, period_current, period_parse
from ..selectors import period_is_closed, report_build


def _protected(view):
    for decorator in reversed(programme_reports):
        view = decorator(view)
    return view


class PeriodForm(forms.Form):
    """``period=2026-Q3`` (or 2026-H1, 2026, 2026-01-01..2026-03-31), or a custom range from two date inputs."""

    period = forms.CharField(label=gettext_lazy("Kỳ báo cáo"), required=False, max_length=40)
    start = forms.DateField(label=gettext_lazy("Từ ngày"), required=False)
    end = forms.DateField(label=gettext_lazy("Đến ngày"), required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if self.errors:
            return data
        if start or end:
            if not (start and end):
                raise forms.ValidationError(_("Chọn cả ngày bắt đầu và ngày kết thúc."))
            value = f"{start:%Y-%m-%d}..{end:%Y-%m-%d}"
        else:
            value = data.get("period") or period_current().value
        try:
            data["chosen"] = period_parse(value)
        except PeriodInvalid as invalid:
            raise forms.ValidationError(str(invalid)) from None
        return data


def _rows(table):
    return [
        {"label": row.label, "quantity": number_text(row.quantity), "amount": dong_text(row.amount),
         "negative": row.amount < 0,
         "children": [{"label": c.label, "quantity": number_text(c.quantity), "amount": dong_text(c.amount),
                       "negative": c.amount < 0} for c in row.children]}
        for row in table.rows
    ]


def _chart(chart_id: str, title: str, table, *, by: str = "amount", short=lambda label: label):
    return bar_chart(
        chart_id=chart_id,
        title=title,
        rows=[(short(row.label), getattr(row, by)) for row in table.rows],
        value_text=dong_text if by == "amount" else number_text,
        empty_text=_("Chưa có số liệu trong kỳ."),
    )


def _context(request, form, report=None) -> dict:
    today = timezone.localdate()
    chosen = form.cleaned_data.get("chosen") if form.is_bound and not form.errors else None
    choices = period_choices(today=today)
    if chosen is not None and chosen.kind != "custom" and chosen.value not in dict(choices):
        choices.insert(0, (chosen.value, f"{chosen.label} ({chosen.window_text})"))
    context = {"form": form, "choices": choices, "period": chosen, "report": report, "today": today}
    if report is None:
        return context
    cert, modern, cover = report.certification, report.modern, report.coverage
    context.update(
        closed=period_is_closed(period=chosen),
        total_amount=dong_text(report.by_channel.amount),
        total_quantity=number_text(report.by_channel.quantity),
        live_amount=dong_text(report.live_amount),
        live_sessions=[{"session": s.session, "quantity": number_text(s.quantity), "amount": dong_text(s.amount)}
                       for s in report.live_sessions],
        tables={name: _rows(getattr(report, name)) for name in ("by_channel", "by_group", "by_stars", "by_area")},
        charts={
            "by_channel": _chart("chart-channel", _("Doanh số theo kênh bán"), report.by_channel),
            "by_group": _chart("chart-group", _("Doanh số theo nhóm sản phẩm OCOP"), report.by_group),
            "by_stars": _chart("chart-stars", _("Doanh số theo hạng sao"), report.by_stars),
            "by_area": _chart("chart-area", _("Doanh số theo huyện cũ"), report.by_area,
                              short=lambda label: label.rsplit(" › ", 1)[-1]),  # the table names the province
        },
        progress={
            "new": progress_bar(title=_("Sản phẩm mới: %(n)s trên chỉ tiêu %(goal)s") % {
                "n": cert.new_products, "goal": cert.target.new_products_min},
                value=cert.new_products, goal=cert.target.new_products_min),
            "four": progress_bar(title=_("Sản phẩm 4★ trở lên: %(n)s trên chỉ tiêu %(goal)s") % {
                "n": cert.four_star_products, "goal": cert.target.four_star_products},
                value=cert.four_star_products, goal=cert.target.four_star_products),
            "modern": progress_bar(title=_("Chủ thể bán qua kênh hiện đại: %(n)s%% trên chỉ tiêu %(goal)s%%") % {
                "n": modern.share, "goal": modern.target_share}, value=modern.share, goal=modern.target_share),
            "districts": progress_bar(title=_("Huyện cũ có điểm bán: %(n)s trên %(goal)s") % {
                "n": cover.districts_covered, "goal": len(cover.districts)},
                value=cover.districts_covered, goal=len(cover.districts)),
        },
        modern_counts={channel: modern.count(channel) for channel in ("online", "livestream", "external")},
        export_query=urlencode({"period": chosen.value}),
    )
    return context


@_protected
def dashboard(request):
    form = PeriodForm(request.GET or {"period": ""})
    if not form.is_valid():
        return render(request, "reports/dashboard.html", _context(request, form), status=400)
    report = report_build(period=form.cleaned_data["chosen"])
    return render(request, "reports/dashboard.html", _context(request, form, report))


@_protected
def export(request):
    form = PeriodForm(request.GET)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("xlsx", "csv"):
        form.is_valid()
        form.add_error(None, _("Định dạng tải về phải là xlsx hoặc csv."))
    if not form.is_valid():
        return render(request, "reports/dashboard.html", _context(request, form), status=400)
    period = form.cleaned_data["chosen"]
    if fmt == "xlsx":
        response = HttpResponse(report_xlsx(period=period), content_type=XLSX_TYPE)
        name = report_filename(period=period, extension="xlsx")
    else:
        response = HttpResponse(report_csv_zip(period=period), content_type="application/zip")
        name = report_filename(period=period, extension="csv.zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("export/", export, name="export"),
]

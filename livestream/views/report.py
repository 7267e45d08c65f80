"""A session's results for programme staff, its producer's users and its host: attributed orders by path, units
and revenue per featured product (ordered and entered in the ledger), new customers, conversion from reminders;
the same rows as CSV. Anyone else gets a 404; anonymous visitors log in first."""

import csv

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from shop.spreadsheets import safe_writerow

from ..selectors import session_for_report, session_report


class SessionReportView(LoginRequiredMixin, View):
    def get(self, request, slug):
        session = session_for_report(user=request.user, slug=slug)
        report = session_report(session=session)
        return render(request, "livestream/report.html", {"session": session, "report": report})


def _whole(amount) -> int:
    return int(amount or 0)


class SessionReportCsvView(LoginRequiredMixin, View):
    """One row per featured product (and one for other products in the same orders), then the totals; whole dong,
    UTF-8 with a BOM so Excel reads the Vietnamese."""

    def get(self, request, slug):
        session = session_for_report(user=request.user, slug=slug)
        report = session_report(session=session)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = f"live-{session.slug}-{timezone.localdate():%Y%m%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response.write("\ufeff")
        writerow = safe_writerow(csv.writer(response).writerow)
        writerow([_("Sản phẩm"), _("Giá live"), _("Số đơn"), _("Số lượng đặt"), _("Giá trị đặt (₫)"),
                  _("Số lượng giá live"), _("Số lượng đã bán (sổ bán hàng)"), _("Doanh thu đã ghi sổ (₫)")])
        for row in [*report.rows, report.total]:
            writerow([
                row.title, _whole(row.live_price) if row.live_price is not None else "", row.orders, row.units,
                _whole(row.revenue), row.live_price_units, row.sold_units, _whole(row.sold_amount),
            ])
        return response

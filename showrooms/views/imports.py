"""A showroom's stock count from a CSV file (dry run, then apply) and the shelf export that serves as its template.

Thin views over ``showrooms.imports`` and ``showrooms.exports``. The dry run's file travels to the apply as a
signed hidden field (no session, no cache): the apply writes exactly the file the clerk checked, for the
showroom and user it was checked for, against the levels the clerk saw.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from .. import exports, imports
from ..access import ShowroomStaffMixin

TEMPLATE = "showrooms/imports/import.html"


class StockImportView(ShowroomStaffMixin, View):
    def get(self, request, code):
        showroom = self.showroom
        return self._render(request, showroom)

    def post(self, request, code):
        showroom = self.showroom
        if request.POST.get("token"):
            return self._apply(request, showroom)
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Vui lòng chọn tệp kiểm kê (CSV)."))
            return self._render(request, showroom, status=400)
        try:
            if upload.size > imports.MAX_BYTES:
                raise imports.CountFileError(_("Tệp quá lớn (%(size)s KB); giới hạn %(max)s KB mỗi lần nhập.")
                                             % {"size": upload.size // 1000, "max": imports.MAX_BYTES // 1000})
            data = upload.read()
            report = imports.stock_count_parse(showroom=showroom, data=data, filename=upload.name)
        except imports.CountFileError as error:
            messages.error(request, str(error))
            return self._render(request, showroom, status=400)
        token = imports.stock_count_token_sign(showroom=showroom, user=request.user, report=report, data=data) \
            if report.ok else ""
        return self._render(request, showroom, report=report, token=token, dry_run=True,
                            status=200 if report.ok else 400)

    def _apply(self, request, showroom):
        try:
            kept = imports.stock_count_token_read(token=request.POST["token"], showroom=showroom, user=request.user)
            result = imports.stock_count_apply(
                showroom=showroom, data=kept.data, actor=request.user, filename=kept.filename,
                expected_levels=kept.levels, request_key=kept.request_key,
            )
        except imports.CountRefused as refused:
            messages.error(request, str(refused))
            return self._render(request, showroom, report=refused.report, status=409)
        except imports.CountFileError as error:
            messages.error(request, str(error))
            return self._render(request, showroom, status=400)
        messages.success(request, _("Đã cập nhật %(changed)s dòng (%(unchanged)s dòng không đổi).")
                         % {"changed": result.changed, "unchanged": result.unchanged})
        return redirect("showroom-stock:import", code=showroom.code)

    def _render(self, request, showroom, *, report=None, token="", dry_run=False, status=200):
        context = {
            "showroom": showroom,
            "report": report,
            "token": token,
            "dry_run": dry_run,
            "columns": imports.COLUMNS,
            "max_rows": imports.MAX_ROWS,
            "max_kb": imports.MAX_BYTES // 1000,
        }
        return render(request, TEMPLATE, context, status=status)


class StockExportView(ShowroomStaffMixin, View):
    def get(self, request, code):
        showroom = self.showroom
        response = HttpResponse(exports.shelf_export_csv(showroom=showroom), content_type="text/csv; charset=utf-8")
        filename = exports.shelf_export_filename(showroom=showroom)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        return response

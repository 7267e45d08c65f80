"""The programme office's ledger work: external sales entered for any producer or imported from a CSV file,
closing a reporting period, the plan's yearly targets. Staff holding ``reports.add_sale`` (reports/access.py).

Thin views over reports/external.py, reports/imports.py and reports/services.period_close. The import's dry-run
file travels to its apply as a signed hidden field (no session, no cache), so the apply writes exactly the file
that was checked, for the user who checked it.
"""

import uuid

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View

from shop.money import dong_text

from .. import imports
from ..access import programme_ledger
from ..external import ExternalSaleRefused, external_sale_enter
from ..forms import ExternalSaleEntryForm, PeriodCloseForm, PlanTargetForm, producers_for_entry
from ..models import ClosedPeriod, PlanTarget, Sale
from ..services import PeriodRefused, period_close


@method_decorator(programme_ledger, name="dispatch")
class SaleEntryView(View):
    """One external sale for any producer. ``?producer=<code>`` narrows the product list to that producer's."""

    template_name = "reports/entry_sale.html"

    def get(self, request):
        producer = producers_for_entry().filter(code=request.GET.get("producer", "")).first()
        form = ExternalSaleEntryForm(producer=producer, initial={
            "key": uuid.uuid4().hex, "sold_on": timezone.localdate(), "producer": producer.code if producer else None})
        return self._render(request, form, producer)

    def post(self, request):
        producer = producers_for_entry().filter(code=request.POST.get("producer", "")).first()
        form = ExternalSaleEntryForm(request.POST, producer=producer)
        if form.is_valid():
            data = form.cleaned_data
            try:
                sale = external_sale_enter(
                    producer=data["producer"], product=data["product"], platform=data["platform"],
                    sold_on=data["sold_on"], quantity=data["quantity"], amount=data["amount"], user=request.user,
                    note=data["note"], key=data["key"],
                )
            except ExternalSaleRefused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("Đã ghi vào sổ: %(title)s × %(quantity)s, %(amount)s (%(platform)s).") % {
                    "title": sale.title, "quantity": sale.quantity, "amount": dong_text(sale.amount),
                    "platform": sale.get_platform_display()})
                return redirect(f"{reverse('reports:sale-entry')}?producer={data['producer'].code}")
        return self._render(request, form, producer, status=400)

    def _render(self, request, form, producer, status=200):
        recent = (Sale.objects.filter(channel=Sale.Channel.EXTERNAL, kind=Sale.Kind.SALE, sale_import__isnull=True)
                  .select_related("producer").order_by("-created_at", "-pk")[:10])
        return render(request, self.template_name, {"form": form, "producer": producer, "recent": recent},
                      status=status)


@method_decorator(programme_ledger, name="dispatch")
class SaleImportView(View):
    template_name = "reports/entry_import.html"

    def get(self, request):
        return self._render(request)

    def post(self, request):
        if request.POST.get("token"):
            return self._apply(request)
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Vui lòng chọn tệp doanh số (CSV)."))
            return self._render(request, status=400)
        try:
            if upload.size > imports.MAX_BYTES:
                raise imports.SaleImportFileError(imports.file_too_big_message(upload.size))
            data = upload.read()
            report = imports.sales_import_check(data=data, filename=upload.name)
        except imports.SaleImportFileError as error:
            messages.error(request, str(error))
            return self._render(request, status=400)
        token = imports.sales_import_token_sign(user=request.user, report=report, data=data) if report.ok else ""
        return self._render(request, report=report, token=token, dry_run=True,
                            status=200 if report.ok or report.already else 400)

    def _apply(self, request):
        try:
            kept = imports.sales_import_token_read(token=request.POST["token"], user=request.user)
            result = imports.sales_import_apply(data=kept.data, user=request.user, filename=kept.filename)
        except imports.SaleImportRefused as refused:
            messages.error(request, str(refused))
            return self._render(request, report=refused.report, status=409)
        except imports.SaleImportFileError as error:
            messages.error(request, str(error))
            return self._render(request, status=400)
        if result.replayed:
            messages.warning(request, imports.already_imported_message(result.sale_import))
        else:
            messages.success(request, _("Đã nhập %(n)s dòng từ tệp %(name)s vào sổ bán hàng.")
                             % {"n": result.created, "name": result.sale_import.filename})
        return redirect("reports:sale-import")

    def _render(self, request, *, report=None, token="", dry_run=False, status=200):
        recent = imports.SaleImport.objects.select_related("imported_by").order_by("-imported_at", "-pk")[:10]
        context = {
            "report": report, "token": token, "dry_run": dry_run, "columns": imports.COLUMNS, "recent": recent,
            "max_rows": imports.MAX_ROWS, "max_kb": imports.MAX_BYTES // 1000,
        }
        return render(request, self.template_name, context, status=status)


@method_decorator(programme_ledger, name="dispatch")
class SaleImportTemplateView(View):
    def get(self, request):
        response = HttpResponse(imports.sales_import_template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{imports.TEMPLATE_FILENAME}"'
        response["Cache-Control"] = "private, no-store"
        return response


@method_decorator(programme_ledger, name="dispatch")
class PeriodsView(View):
    template_name = "reports/entry_periods.html"

    def get(self, request):
        starts_on, ends_on = PeriodCloseForm.last_quarter()
        return self._render(request, PeriodCloseForm(initial={"starts_on": starts_on, "ends_on": ends_on}))

    def post(self, request):
        form = PeriodCloseForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            known = ClosedPeriod.objects.filter(starts_on=data["starts_on"], ends_on=data["ends_on"]).exists()
            try:
                period = period_close(starts_on=data["starts_on"], ends_on=data["ends_on"], user=request.user,
                                      note=data["note"])
            except PeriodRefused as refused:
                form.add_error(None, str(refused))
            else:
                if known:
                    messages.info(request, _("Kỳ %(period)s đã được khoá sổ trước đó.") % {"period": period})
                else:
                    messages.success(request, _("Đã khoá sổ kỳ %(period)s: doanh số của kỳ này ghi muộn sẽ được tính "
                                                "vào kỳ đang mở.") % {"period": period})
                return redirect("reports:periods")
        return self._render(request, form, status=400)

    def _render(self, request, form, status=200):
        periods = ClosedPeriod.objects.select_related("closed_by").order_by("-ends_on", "-pk")
        return render(request, self.template_name, {"form": form, "periods": periods}, status=status)


@method_decorator(programme_ledger, name="dispatch")
class TargetsView(View):
    """The plan's targets, one row per year: ``?year=`` picks the year to edit (this year by default). A year
    without a row shows the plan's figures and saving creates its row. A page here rather than a Wagtail snippet:
    the same people (reports.add_sale, reports/access.py) and the same place as the rest of the ledger's work, and
    no Wagtail admin access needed for it."""

    template_name = "reports/entry_targets.html"

    def get(self, request):
        year = _year(request.GET.get("year")) or timezone.localdate().year
        return self._render(request, _target_form(year))

    def post(self, request):
        year = _year(request.POST.get("year"))
        existing = PlanTarget.objects.filter(year=year).first() if year else None
        form = PlanTargetForm(request.POST, instance=existing)
        if form.is_valid():
            target = form.save()
            messages.success(request, _("Đã lưu chỉ tiêu năm %(year)s.") % {"year": target.year})
            return redirect(f"{reverse('reports:targets')}?year={target.year}")
        return self._render(request, form, status=400)

    def _render(self, request, form, status=200):
        targets = PlanTarget.objects.order_by("-year")
        return render(request, self.template_name, {"form": form, "targets": targets}, status=status)


def _year(text) -> int | None:
    try:
        year = int(str(text or "").strip())
    except ValueError:
        return None
    return year if 1 <= year <= 9999 else None


def _target_form(year: int) -> PlanTargetForm:
    existing = PlanTarget.objects.filter(year=year).first()
    if existing:
        return PlanTargetForm(instance=existing)
    defaults = getattr(settings, "OCOP_PLAN_DEFAULTS", None)
    initial = {key: value for key, value in defaults.items() if key in PlanTargetForm.base_fields} \
        if isinstance(defaults, dict) else {}
    return PlanTargetForm(initial={**initial, "year": year})


urlpatterns = [
    path("sales/new/", SaleEntryView.as_view(), name="sale-entry"),
    path("sales/import/", SaleImportView.as_view(), name="sale-import"),
    path("sales/import/template.csv", SaleImportTemplateView.as_view(), name="sale-import-template"),
    path("periods/", PeriodsView.as_view(), name="periods"),
    path("targets/", TargetsView.as_view(), name="targets"),
]

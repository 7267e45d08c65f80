"""Thin views: the shopper's order page and the producers' seller area. Every queryset is scoped by its selector."""

import csv

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View

from shop.listings.access import ProducerAreaMixin
from shop.security.ratelimits import posted_action, rate_limited
from shop.spreadsheets import safe_writerow

from . import selectors, services
from .forms import CancelForm, CashForm, ComplaintForm, ReturnForm, ShipForm
from .models import FulfilmentPart

Status = FulfilmentPart.Status


# ---------------------------------------------------------------- shopper
# Returns and complaints are rate-limited per client IP (README: Production); cancelling a part is not.
@method_decorator(rate_limited("complaint", only_if=posted_action("return", "complain")), name="post")
class OrderDetailView(View):
    template_name = "shop/orders/detail.html"

    def get(self, request, number, key):
        order = selectors.order_for_shopper(number=number, key=key)
        return self._render(request, order)

    def _render(self, request, order, return_form=None, complaint_form=None, status=200):
        payment = order.ocop_payment
        instructions = None
        if payment.method == "vietqr" and payment.status == "pending":
            from shop.payments.gateways import gateway_for

            instructions = gateway_for("vietqr").instructions(payment)
        context = {
            "order": order,
            "payment": payment,
            "instructions": instructions,
            "parts": selectors.order_parts_with_lines(order),
            "return_form": return_form or ReturnForm(),
            "complaint_form": complaint_form or ComplaintForm(order=order),
            "complaints": order.complaints.all(),
        }
        return render(request, self.template_name, context, status=status)

    def post(self, request, number, key):
        order = selectors.order_for_shopper(number=number, key=key)
        action = request.POST.get("action")
        try:
            if action == "cancel":
                part = get_object_or_404(order.parts, pk=request.POST.get("part"))
                services.part_cancel(part=part, actor=request.user, reason=_("Khách huỷ"))
                messages.success(request, _("Đã huỷ phần đơn của %(name)s.") % {"name": part.producer.name})
            elif action == "return":
                part = get_object_or_404(order.parts, pk=request.POST.get("part"))
                form = ReturnForm(request.POST, request.FILES)
                if not form.is_valid():
                    return self._render(request, order, return_form=form, status=400)
                services.return_request_create(part=part, reason=form.cleaned_data["reason"], photos=form.cleaned_data["photos"])
                messages.success(request, _("Đã gửi yêu cầu trả hàng. Ban điều phối sẽ trả lời qua email."))
            elif action == "complain":
                form = ComplaintForm(request.POST, order=order)
                if not form.is_valid():
                    return self._render(request, order, complaint_form=form, status=400)
                services.complaint_create(order=order, part=form.cleaned_data["part"], message=form.cleaned_data["message"])
                messages.success(request, _("Đã gửi khiếu nại. Ban điều phối sẽ trả lời qua email."))
        except services.PartActionRefused as refused:
            messages.error(request, str(refused))
        return redirect("orders:detail", number=order.number, key=key)


# ---------------------------------------------------------------- seller area
class SellerPartListView(ProducerAreaMixin, View):
    template_name = "shop/seller/part_list.html"

    def get(self, request):
        status = request.GET.get("status") or None
        if status not in Status.values:
            status = None
        parts = list(selectors.parts_for_seller(user=request.user, status=status)[:100])
        lines = selectors.lines_by_part(parts)
        for part in parts:
            part.line_list = lines[part.pk]
        return render(
            request, self.template_name, {"parts": parts, "statuses": Status.choices, "current_status": status}
        )


class SellerPartDetailView(ProducerAreaMixin, View):
    template_name = "shop/seller/part_detail.html"

    def get(self, request, pk):
        part = selectors.part_for_seller(user=request.user, pk=pk)
        return self._render(request, part)

    def _render(self, request, part, status=200, ship_form=None):
        lines = selectors.part_lines(part)
        return render(
            request,
            self.template_name,
            {
                "part": part,
                "lines": lines,
                "due": services.part_due(part),
                "address": part.order.shipping_address,
                "delivery": getattr(part.order, "delivery", None),
                "payment_method": part.order.ocop_payment.get_method_display(),
                "is_cod": part.order.ocop_payment.method == "cod",
                "ship_form": ship_form or ShipForm(initial={"carrier": part.carrier, "tracking_number": part.tracking_number}),
                "cash_form": CashForm(initial={"amount": services.part_due(part)}),
                "cancel_form": CancelForm(),
            },
            status=status,
        )

    def post(self, request, pk):
        part = selectors.part_for_seller(user=request.user, pk=pk)
        action = request.POST.get("action")
        try:
            if action in (Status.PACKED, Status.DELIVERED):
                services.part_advance(part=part, to=action, actor=request.user)
            elif action == Status.SHIPPED:
                form = ShipForm(request.POST)
                form.is_valid()
                services.part_advance(
                    part=part, to=Status.SHIPPED, actor=request.user,
                    carrier=form.cleaned_data.get("carrier", ""), tracking_number=form.cleaned_data.get("tracking_number", ""),
                )
            elif action == "cash":
                form = CashForm(request.POST)
                if not form.is_valid():
                    raise services.PartActionRefused(" ".join(form.errors["amount"]))
                services.part_record_cash(part=part, amount=form.cleaned_data["amount"], actor=request.user)
            elif action == "cancel":
                form = CancelForm(request.POST)
                form.is_valid()
                services.part_cancel(part=part, actor=request.user, reason=form.cleaned_data.get("reason") or _("Người bán huỷ"))
            else:
                raise services.PartActionRefused(_("Thao tác không hợp lệ."))
            messages.success(request, _("Đã cập nhật phần đơn."))
        except services.PartActionRefused as refused:
            messages.error(request, str(refused))
        return redirect("seller:part-detail", pk=part.pk)


class SellerPartExportView(ProducerAreaMixin, View):
    """The producer's own parts as CSV (opens in Excel: UTF-8 with BOM)."""

    def get(self, request):
        parts = list(selectors.parts_for_seller(user=request.user).select_related("order__shipping_address"))
        lines = selectors.lines_by_part(parts)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="don-hang-{timezone.localdate():%Y%m%d}.csv"'
        response.write("\ufeff")
        writerow = safe_writerow(csv.writer(response).writerow)
        writerow([_("Mã đơn"), _("Ngày đặt"), _("Trạng thái"), _("Sản phẩm"), _("Số lượng"), _("Thành tiền"),
                         _("Phí giao"), _("Người nhận"), _("Điện thoại"), _("Địa chỉ"), _("Mã vận đơn")])
        for part in parts:
            address = part.order.shipping_address
            for line in lines[part.pk]:
                writerow([
                    part.order.number, timezone.localtime(part.order.date_placed).strftime("%d/%m/%Y %H:%M"),
                    part.get_status_display(), line.title, line.quantity, int(line.line_price_incl_tax),
                    int(part.shipping_fee), address.first_name if address else "",
                    address.phone_number.as_national if address and address.phone_number else "",
                    ", ".join(filter(None, [address.line1, address.line2, address.line4])) if address else "",
                    part.tracking_number,
                ])
        return response

"""Programme staff's payment and after-sales screens, inside Oscar's dashboard (staff only by the app config)."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from oscar.core.loading import get_model

from shop.fulfilment.models import Complaint, ReturnRequest
from shop.fulfilment.selectors import lines_by_part
from shop.fulfilment.services import PartActionRefused, after_sales_answer, part_due
from shop.payments.bank_statement import StatementError, statement_rows
from shop.payments.models import Refund
from shop.payments.services import (
    PaymentRefused,
    payment_mark_paid,
    refund_issue,
    refund_mark_returned,
    statement_import,
)

Order = get_model("order", "Order")


class OrderPaymentView(View):
    template_name = "shop/dashboard/order_payment.html"

    def _order(self, number):
        return get_object_or_404(Order.objects.select_related("ocop_payment"), number=number)

    def get(self, request, number):
        import uuid

        order = self._order(number)
        parts = list(order.parts.select_related("producer"))
        lines = lines_by_part(parts)  # every part's lines in one query
        for part in parts:
            part.line_list = lines[part.pk]
            part.due = part_due(part, lines=part.line_list)
        return render(request, self.template_name, {
            "order": order, "payment": order.ocop_payment, "parts": parts, "refund_key": uuid.uuid4().hex,
        })

    def post(self, request, number):
        order = self._order(number)
        payment = order.ocop_payment
        action = request.POST.get("action")
        try:
            if action == "mark_paid":
                if payment.method != "vietqr":
                    raise PaymentRefused(_("Chỉ đánh dấu đã trả cho đơn chuyển khoản."))
                result = payment_mark_paid(payment=payment, amount=payment.amount, actor=request.user,
                                           note=_("Ban điều phối xác nhận đã nhận tiền"))
                messages.success(request, {
                    "paid": _("Đã ghi nhận thanh toán."),
                    "already": _("Đơn đã được ghi nhận thanh toán trước đó."),
                    "late": _("Đơn đã huỷ vì quá hạn: đã tạo yêu cầu hoàn tiền cho khách."),
                }.get(result, result))
            elif action == "refund_done":
                refund = get_object_or_404(payment.refunds, pk=request.POST.get("refund"), status="manual")
                refund_mark_returned(refund=refund, actor=request.user)
                messages.success(request, _("Đã ghi nhận: tiền đã được chuyển trả cho khách."))
            elif action == "refund":
                part = get_object_or_404(order.parts, pk=request.POST.get("part"))
                line_ids = [int(x) for x in request.POST.getlist("lines") if x.isdigit()]
                lines = list(part.lines.filter(pk__in=line_ids))
                if not lines and not request.POST.get("include_shipping"):
                    raise PaymentRefused(_("Chọn ít nhất một dòng hàng để hoàn tiền."))
                amount = sum((line.line_price_incl_tax for line in lines), Decimal(0))
                include_shipping = bool(request.POST.get("include_shipping"))
                if include_shipping:
                    if part.refunds.filter(includes_shipping=True).exclude(status="failed").exists():
                        raise PaymentRefused(_("Phí giao của phần đơn này đã được hoàn."))
                    amount += part.shipping_fee
                refund_issue(payment=payment, amount=amount, part=part, lines=lines, includes_shipping=include_shipping,
                             key=f"staff-{request.POST.get('key', '')}"[:80],
                             reason=request.POST.get("reason", "")[:255], actor=request.user)
                messages.success(request, _("Đã hoàn tiền."))
        except (PaymentRefused, PartActionRefused) as refused:
            messages.error(request, str(refused))
        return redirect("dashboard:order-payment", number=order.number)


class StatementForm(forms.Form):
    statement = forms.FileField(label=gettext_lazy("Sao kê ngân hàng (CSV)"))


class StatementImportView(View):
    template_name = "shop/dashboard/statement_import.html"

    def get(self, request):
        return render(request, self.template_name, {"form": StatementForm()})

    def post(self, request):
        form = StatementForm(request.POST, request.FILES)
        outcomes = None
        if form.is_valid():
            try:
                rows = statement_rows(form.cleaned_data["statement"].read())
            except StatementError as error:
                form.add_error("statement", str(error))
            else:
                outcomes = statement_import(rows=rows, actor=request.user)
        status = 200 if outcomes is not None else 400
        return render(request, self.template_name, {"form": form, "outcomes": outcomes}, status=status)


class AfterSalesListView(View):
    """Returns and complaints in one list, open ones first."""

    template_name = "shop/dashboard/after_sales.html"

    def get(self, request):
        returns = ReturnRequest.objects.select_related("part__order", "part__producer").prefetch_related("photos")
        complaints = Complaint.objects.select_related("order", "part__producer")
        items = [("return", r, r.part.order) for r in returns] + [("complaint", c, c.order) for c in complaints]
        items.sort(key=lambda t: (t[1].status not in ("open",), -t[1].created_at.timestamp()))
        manual = Refund.objects.filter(status=Refund.Status.MANUAL).select_related("payment__order")
        return render(request, self.template_name, {"items": items, "manual_refunds": manual})


class AfterSalesAnswerView(View):
    def post(self, request, kind, pk):
        model = {"return": ReturnRequest, "complaint": Complaint}.get(kind)
        if model is None:
            from django.http import Http404

            raise Http404
        item = get_object_or_404(model, pk=pk)
        try:
            after_sales_answer(item=item, answer=request.POST.get("answer", ""), actor=request.user,
                               accept=request.POST.get("accept") == "1")
            messages.success(request, _("Đã gửi trả lời."))
        except PartActionRefused as refused:
            messages.error(request, str(refused))
        return redirect("dashboard:after-sales")

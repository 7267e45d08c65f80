"""Oscar's order dashboard views with our whole-order action: cancelling goes through the parts, so stock,
ledger and refunds follow (Oscar's own status change would only relabel the order)."""

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from oscar.apps.dashboard.orders import views as oscar_views
from oscar.apps.order.processing import EventHandler
from oscar.apps.payment.exceptions import PaymentError
from oscar.core.loading import get_model

from shop.fulfilment.models import FulfilmentPart
from shop.fulfilment.services import PartActionRefused, order_cancel

Order = get_model("order", "Order")
Line = get_model("order", "Line")


class OcopEventHandler(EventHandler):
    def handle_order_status_change(self, order, new_status, note_msg=None):
        if new_status != "cancelled":
            raise PaymentError(_("Trạng thái đơn tự cập nhật theo các phần đơn; ở đây chỉ có thể huỷ cả đơn."))
        try:
            order_cancel(order=order, actor=self.user, reason=_("Ban điều phối huỷ đơn"))
        except PartActionRefused as refused:
            raise PaymentError(str(refused)) from refused


class OrderListView(oscar_views.OrderListView):
    handler_class = OcopEventHandler


class OrderDetailView(oscar_views.OrderDetailView):
    handler_class = OcopEventHandler

    def get_object(self, queryset=None):
        """Oscar's order for this user (its scoping kept), with what the page shows of every line and part (product,
        producer, payment, delivery) read with it: a constant number of queries whatever the order holds."""
        orders = (
            oscar_views.queryset_orders_for_user(self.request.user)
            .select_related("ocop_payment", "delivery__pickup_showroom")
            .prefetch_related(None)  # Oscar's own lines prefetch, replaced by the one below
            .prefetch_related(
                Prefetch("lines", queryset=Line.objects.select_related("product", "partner").order_by("pk")),
                Prefetch("parts", queryset=FulfilmentPart.objects.select_related("producer").order_by("pk")),
                "status_changes",
                "surcharges",
            )
        )
        try:
            return orders.get(number=self.kwargs["number"])
        except Order.DoesNotExist:
            raise Http404 from None

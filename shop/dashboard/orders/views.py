"""Oscar's order dashboard views with our whole-order action: cancelling goes through the parts, so stock,
ledger and refunds follow (Oscar's own status change would only relabel the order)."""

from django.utils.translation import gettext as _
from oscar.apps.dashboard.orders import views as oscar_views
from oscar.apps.order.processing import EventHandler
from oscar.apps.payment.exceptions import PaymentError

from shop.fulfilment.services import PartActionRefused, order_cancel


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

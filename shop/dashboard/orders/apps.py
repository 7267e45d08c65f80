"""Oscar's orders dashboard, forked: programme staff only, plus our payment and after-sales screens.

Oscar lets partner users into its order views and shows them every line of a mixed order with order-level
actions. Producers fulfil their own parts in the seller area (shop/fulfilment) instead.
"""

from django.urls import path
from oscar.apps.dashboard.orders import apps


class OrdersDashboardConfig(apps.OrdersDashboardConfig):
    name = "shop.dashboard.orders"

    def configure_permissions(self):
        self.permissions_map = {}  # every view falls back to default_permissions: ["is_staff"]

    def ready(self):
        super().ready()
        # Oscar's get_class would look for our views under the (unforked) dashboard app, so set them here.
        from . import staff_views, views

        self.order_list_view = views.OrderListView
        self.order_detail_view = views.OrderDetailView
        self.staff_views = staff_views

    def get_urls(self):
        v = self.staff_views
        urls = [
            path("payments/statement/", v.StatementImportView.as_view(), name="payment-statement"),
            path("after-sales/", v.AfterSalesListView.as_view(), name="after-sales"),
            path("after-sales/<str:kind>/<int:pk>/", v.AfterSalesAnswerView.as_view(), name="after-sales-answer"),
            path("<str:number>/payment/", v.OrderPaymentView.as_view(), name="order-payment"),
        ]
        return self.post_process_urls(urls) + super().get_urls()

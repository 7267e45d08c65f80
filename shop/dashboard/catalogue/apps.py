from oscar.apps.dashboard.catalogue import apps


class CatalogueDashboardConfig(apps.CatalogueDashboardConfig):
    name = "shop.dashboard.catalogue"

    def ready(self):
        super().ready()
        # Oscar's get_class looks for dashboard views under the (unforked) dashboard app, never here: set ours.
        from . import views

        self.stock_alert_view = views.StockAlertListView

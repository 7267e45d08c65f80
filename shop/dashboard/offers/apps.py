from oscar.apps.dashboard.offers import apps


class OffersDashboardConfig(apps.OffersDashboardConfig):
    name = "shop.dashboard.offers"

    def ready(self):
        super().ready()
        # Oscar's get_class looks for dashboard views under the (unforked) dashboard app, never here: set ours.
        from . import views

        self.list_view = views.OfferListView

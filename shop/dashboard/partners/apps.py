from oscar.apps.dashboard.partners import apps


class PartnersDashboardConfig(apps.PartnersDashboardConfig):
    name = "shop.dashboard.partners"

    def ready(self):
        super().ready()
        # Oscar's get_class looks for dashboard views under the (unforked) dashboard app, never here: set ours.
        from . import views

        self.list_view = views.PartnerListView

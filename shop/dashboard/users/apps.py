from oscar.apps.dashboard.users import apps


class UsersDashboardConfig(apps.UsersDashboardConfig):
    name = "shop.dashboard.users"

    def ready(self):
        super().ready()
        # Oscar's get_class looks for dashboard views under the (unforked) dashboard app, never here: set ours.
        from . import views

        self.alert_list_view = views.ProductAlertListView

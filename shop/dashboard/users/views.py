from oscar.apps.dashboard.users import views


class ProductAlertListView(views.ProductAlertListView):
    """Each alert's product (and a child's parent, for the title) and its user, joined."""

    def get_queryset(self):
        return super().get_queryset().select_related("product__parent", "user")

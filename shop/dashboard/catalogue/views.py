from oscar.apps.dashboard.catalogue import views


class StockAlertListView(views.StockAlertListView):
    """Each alert's stock record, its product (and a child's parent, for the title) and its partner, joined."""

    def get_queryset(self):
        return super().get_queryset().select_related(
            "stockrecord__product__parent", "stockrecord__partner"
        )

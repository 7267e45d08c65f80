from django.db.models import Prefetch
from oscar.apps.dashboard.partners import views
from oscar.core.loading import get_model

PartnerAddress = get_model("partner", "PartnerAddress")


class PartnerListView(views.PartnerListView):
    """The users and the addresses (each address's summary names its country) of every listed partner, prefetched."""

    def get_queryset(self):
        return super().get_queryset().prefetch_related(
            "users", Prefetch("addresses", queryset=PartnerAddress.objects.select_related("country"))
        )

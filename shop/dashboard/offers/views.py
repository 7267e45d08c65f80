from functools import partial

from oscar.apps.dashboard.offers import views


def _same(proxy):
    return proxy


def _keep_range(component) -> None:
    """Oscar names a benefit or condition through its proxy class (``component.proxy().name``), and the proxy is
    a copy of the instance's fields without Django's relation cache, so it reads its range again. Build the proxy
    once, hand it the range the list query joined, and let the instance return it: the text is Oscar's own."""
    proxy = component.proxy()
    if proxy is component:
        return
    if component.range_id is not None:
        proxy.range = component.range  # joined by select_related: no query
    component.proxy = partial(_same, proxy)


class OfferListView(views.OfferListView):
    def get_queryset(self):
        return super().get_queryset().select_related("benefit__range", "condition__range")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        offers = list(ctx["object_list"])
        for offer in offers:
            _keep_range(offer.benefit)
            _keep_range(offer.condition)
        ctx["object_list"] = ctx[self.context_object_name] = offers
        return ctx

"""Public producer profiles (the producers issue lets producers edit them): the producer record, its certified
products and its product stories (Wagtail story pages naming it as their producer, in the reader's language)."""

from django.shortcuts import get_object_or_404
from django.urls import path
from django.views.generic import DetailView
from oscar.core.loading import get_model

from catalogue.selectors import products_of_producer
from cms.selectors import stories_of_producer

Partner = get_model("partner", "Partner")


class ProducerDetailView(DetailView):
    template_name = "shop/producer_detail.html"
    context_object_name = "producer"

    def get_object(self, queryset=None):
        return get_object_or_404(Partner.objects.select_related("area__parent"), code=self.kwargs["code"], is_public=True)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        strategy = self.request.strategy
        ctx["products"] = [(p, strategy.fetch_for_product(p)) for p in products_of_producer(producer=self.object)]
        ctx["stories"] = stories_of_producer(producer=self.object)
        return ctx


app_name = "producers"
urlpatterns = [path("<slug:code>/", ProducerDetailView.as_view(), name="detail")]

"""Oscar's checkout, forked: one page the way Vietnamese shops do it, then a card step only for Stripe."""

from django.urls import path
from oscar.apps.checkout import apps
from oscar.core.loading import get_class


class CheckoutConfig(apps.CheckoutConfig):
    name = "shop.checkout"

    def ready(self):
        self.index_view = get_class("checkout.views", "CheckoutView")
        self.card_view = get_class("checkout.views", "CardPaymentView")
        self.thankyou_view = get_class("checkout.views", "ThankYouView")
        self.communes_view = get_class("checkout.views", "CommuneOptionsView")
        self.quote_view = get_class("checkout.views", "QuoteView")

    def get_urls(self):
        urls = [
            path("", self.index_view.as_view(), name="index"),
            path("communes/", self.communes_view.as_view(), name="communes"),
            path("quote/", self.quote_view.as_view(), name="quote"),
            path("card/", self.card_view.as_view(), name="card"),
            path("card/<str:number>/<str:key>/", self.card_view.as_view(), name="card-order"),
            path("thank-you/", self.thankyou_view.as_view(), name="thank-you"),
        ]
        return self.post_process_urls(urls)

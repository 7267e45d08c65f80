from django.apps import apps
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls

from cms.sitemaps import sitemap
from shop.fulfilment import urls as fulfilment_urls
from shop.listings import urls as listings_urls
from shop.media import media_serve
from shop.observability.health import healthz
from shop.payments.webhooks import stripe_webhook
from shop.robots import robots_txt
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("cms-admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("payments/stripe/webhook/", stripe_webhook, name="stripe-webhook"),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("healthz", healthz, name="healthz"),
    re_path(r"^sitemap(?:-(?P<section>[a-z]+))?\.xml$", sitemap, name="sitemap"),  # the index, or one section
]
if settings.OCOP_SERVE_MEDIA and settings.MEDIA_URL.startswith("/"):
    urlpatterns += [
        re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", media_serve)
    ]

urlpatterns += i18n_patterns(
    path("privacy/", include("users.privacy.urls")),
    path("shop/", include("shop.security.urls")),  # Oscar's password reset behind a rate limit
    path("shop/", include("users.privacy.account_urls")),  # Oscar's sign-up with the privacy consent
    path("ocop/", include("catalogue.certification_urls")),
    path("shop/producers/", include("shop.producers")),
    path("shop/orders/", include(fulfilment_urls.shopper)),
    path("shop/seller/", include(listings_urls.seller)),
    path("shop/programme/reports/", include("reports.urls")),
    path("shop/programme/", include(listings_urls.programme)),
    path("shop/showroom-stock/", include("showrooms.urls")),
    path("live/", include("livestream.urls")),
    path("shop/", include(apps.get_app_config("oscar").urls[0])),
    path("", include(wagtail_urls)),  # Wagtail's catch-all stays last
    prefix_default_language=False,
)

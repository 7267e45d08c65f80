"""sitemap.xml: an index of sections (pages, stories, showrooms, products), each in both languages with hreflang
alternates and x-default.

* Products are Django views: every product has a URL in each language (Vietnamese unprefixed, English under
  /en/). Only certified, browsable (public, not a variant) products are listed: the gate's own queryset.
* Wagtail pages are grouped by translation (Wagtail slugs differ per language): a group lists the live, public
  translations that exist, and only those are alternates.
* Each section costs a constant number of queries whatever its size (tested). Sections are paged by
  ``limit`` URLs (``?p=2``) and the index lists every page of every section.
* Hosts come from the request (the sites framework's example.com is never used).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.contrib.sites.requests import RequestSite
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET
from wagtail.models import Site

from catalogue.models import Product

URLS_PER_SITEMAP = 5000


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


class CachedItemsSitemap(Sitemap):
    """A sitemap bound to the request, reading its items once (Django asks for them more than once)."""

    i18n = True
    alternates = True
    x_default = True
    limit = URLS_PER_SITEMAP

    def __init__(self, request):
        self.request = request
        self._items_cache = None

    def get_domain(self, site=None):
        return RequestSite(self.request).domain

    def get_protocol(self, protocol=None):
        return self.protocol or self.request.scheme

    def items(self):
        if self._items_cache is None:
            self._items_cache = list(self.load_items())
        return self._items_cache

    def load_items(self):
        raise NotImplementedError

    def get_latest_lastmod(self):
        dates = [self.lastmod(item) for item in self.items()]
        dates = [d for d in dates if d is not None]
        return max(dates, default=None)


# ---------------------------------------------------------------- products
class ProductSitemap(CachedItemsSitemap):
    changefreq = "weekly"
    priority = 0.8

    def load_items(self):
        return (
            Product.objects.browsable()
            .certified()
            .only("pk", "slug", "date_updated", "date_created")
            .order_by("pk")
        )

    def location(self, item):
        return item.get_absolute_url()  # reversed in the language Django activates for each URL

    def lastmod(self, item):
        return item.date_updated or item.date_created


# ---------------------------------------------------------------- Wagtail pages
@dataclass
class PageTranslations:
    """One page and its translations: language code → (page, URL path on this site)."""

    by_language: dict[str, tuple] = field(default_factory=dict)

    def first(self):
        return next(iter(self.by_language.values()))


class WagtailPagesSitemap(CachedItemsSitemap):
    page_models: tuple = ()
    changefreq = "weekly"
    priority = 0.5

    def pages(self, model):
        return model.objects.live().public().select_related("locale").order_by("path")

    def load_items(self):
        site = Site.find_for_request(self.request)
        groups: dict = {}
        for model in self.page_models:
            for page in self.pages(model):
                parts = page.get_url_parts(request=self.request)
                if not parts or parts[2] is None or (site is not None and parts[0] != site.pk):
                    continue  # not routable, or another site's page
                group = groups.setdefault(page.translation_key, PageTranslations())
                group.by_language[page.locale.language_code] = (page, parts[2])
        return list(groups.values())

    def get_languages_for_item(self, item):
        return [code for code in _languages() if code in item.by_language]

    def location(self, item):
        language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        page, path = item.by_language.get(language) or item.first()
        return path

    def lastmod(self, item):
        dates = [page.last_published_at for page, _path in item.by_language.values() if page.last_published_at]
        return max(dates, default=None)


class PagesSitemap(WagtailPagesSitemap):
    """Home, the story index, information pages and the showroom index."""

    priority = 0.6

    @property
    def page_models(self):
        from cms.models import HomePage, StandardPage, StoryIndexPage
        from showrooms.pages import ShowroomIndexPage

        return (HomePage, StoryIndexPage, StandardPage, ShowroomIndexPage)


class StoriesSitemap(WagtailPagesSitemap):
    priority = 0.7

    @property
    def page_models(self):
        from cms.models import StoryPage

        return (StoryPage,)


class ShowroomsSitemap(WagtailPagesSitemap):
    """Area pages and showroom pages (a showroom that stopped operating has no public page)."""

    @property
    def page_models(self):
        from showrooms.pages import AreaIndexPage, ShowroomPage

        return (AreaIndexPage, ShowroomPage)

    def pages(self, model):
        from showrooms.pages import ShowroomPage

        pages = super().pages(model)
        if model is ShowroomPage:
            pages = pages.filter(showroom__is_active=True)
        return pages


SITEMAPS = {
    "pages": PagesSitemap,
    "stories": StoriesSitemap,
    "showrooms": ShowroomsSitemap,
    "products": ProductSitemap,
}


# ---------------------------------------------------------------- views
def _index(request):
    items = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class(request)
        pages = sitemap.paginator.num_pages if sitemap.items() else 0
        location = request.build_absolute_uri(reverse("sitemap", kwargs={"section": section}))
        lastmod = sitemap.get_latest_lastmod()
        for number in range(1, pages + 1):
            items.append(SitemapIndexItem(location if number == 1 else f"{location}?p={number}", lastmod))
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml")


def _section(request, section):
    if section not in SITEMAPS:
        raise Http404("No sitemap section %r" % section)
    sitemap = SITEMAPS[section](request)
    try:
        urls = sitemap.get_urls(page=request.GET.get("p", 1), protocol=request.scheme)
    except (EmptyPage, PageNotAnInteger):
        raise Http404("No such sitemap page")
    return TemplateResponse(request, "sitemap.xml", {"urlset": urls}, content_type="application/xml")


@require_GET
@x_robots_tag
def sitemap(request, section=None):
    """/sitemap.xml is the index; /sitemap-<section>.xml[?p=N] a section's page."""
    return _section(request, section) if section else _index(request)

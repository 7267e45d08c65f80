"""Wagtail pages. The home page reads the catalogue at render time; it never stores a copy of a product."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from catalogue.selectors import products_recently_certified


class HomePage(Page):
    intro = RichTextField(_("giới thiệu"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("trang chủ")

    def get_context(self, request, *args, **kwargs):
        ctx = super().get_context(request, *args, **kwargs)
        strategy = request.strategy
        ctx["new_products"] = [(p, strategy.fetch_for_product(p)) for p in products_recently_certified(limit=8)]
        return ctx

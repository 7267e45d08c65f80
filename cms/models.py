"""Wagtail pages and site settings (bakerydemo style). Pages tell; the catalogue sells: product blocks and a story's
products are read from the catalogue at render time, and no page stores a copy of a price.

Page tree (one per language; a translation of a page is a page, Wagtail i18n):
    HomePage › StoryIndexPage › StoryPage
             › StandardPage (› StandardPage)
             › ShowroomIndexPage (showrooms/pages.py)
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils.functional import SimpleLazyObject
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Orderable, Page
from wagtail.search import index

from livestream.choosers import product_chooser_viewset
from shop.caching.pages import CacheableServeMixin
from shop.languages import localized_field
from shop.text import fold_vietnamese

from . import selectors
from .blocks import HomeBlocks, StandardBlocks, StoryBlocks
from .slugs import VietnameseSlugMixin

STORIES_PER_PAGE = 12


class SeoMixin:
    """What the page's <head> says about it: meta description and the image shared on social networks."""

    def meta_description(self) -> str:
        return self.search_description or ""

    def share_image(self):
        """(image, alt text) shown when the page's link is shared, or None."""
        return None


class HomePage(selectors.ServedPageMixin, CacheableServeMixin, VietnameseSlugMixin, SeoMixin, Page):
    intro = RichTextField(_("giới thiệu"), blank=True)
    body = StreamField(HomeBlocks(), blank=True, verbose_name=_("các mục trên trang chủ"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("trang chủ")

    def meta_description(self) -> str:
        return self.search_description or strip_tags(self.intro).strip()

    def share_image(self):
        """The greeting's photo, shared with the home page's link."""
        hero = next((block.value for block in self.body if block.block_type == "hero"), None)
        photo = hero["photo"] if hero else None
        return (photo["image"], photo["alt_text"]) if photo and photo["image"] else None


class StoryIndexPage(selectors.ServedPageMixin, CacheableServeMixin, VietnameseSlugMixin, SeoMixin, Page):
    intro = RichTextField(_("giới thiệu"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.StoryPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("danh sách câu chuyện sản phẩm")

    def meta_description(self) -> str:
        return self.search_description or strip_tags(self.intro).strip()

    def get_context(self, request, *args, **kwargs):
        ctx = super().get_context(request, *args, **kwargs)
        stories = selectors.stories_localized()
        ctx["stories"] = Paginator(stories, STORIES_PER_PAGE).get_page(request.GET.get("page"))
        return ctx


class StoryPage(selectors.ServedPageMixin, CacheableServeMixin, VietnameseSlugMixin, SeoMixin, Page):
    """A product story: how a product is made, by whom, where its raw materials grow; linked to one or more
    catalogue products, listed under its producer's profile and on its products' pages."""

    search_section_label = _("Câu chuyện sản phẩm")
    route_select_related = ("hero_image", "producer")

    producer = models.ForeignKey(
        "partner.Partner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="story_pages",
        verbose_name=_("chủ thể OCOP"),
    )
    summary = models.TextField(
        _("tóm tắt"),
        max_length=300,
        help_text=_("Một hai câu: hiện trên thẻ câu chuyện, trong kết quả tìm kiếm và khi chia sẻ."),
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ảnh đầu trang"),
    )
    hero_image_alt = models.CharField(
        _("mô tả ảnh đầu trang (alt)"),
        max_length=250,
        blank=True,
        help_text=_("Bắt buộc khi có ảnh: tả điều ảnh cho thấy."),
    )
    body = StreamField(StoryBlocks(), verbose_name=_("nội dung"))

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("producer"),
        MultiFieldPanel([FieldPanel("hero_image"), FieldPanel("hero_image_alt")], heading=_("Ảnh đầu trang")),
        FieldPanel("body"),
        InlinePanel("story_products", heading=_("Sản phẩm của câu chuyện"), label=_("sản phẩm"), min_num=1),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("search_text_folded"),
        index.FilterField("producer_id"),
    ]
    parent_page_types = ["cms.StoryIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("câu chuyện sản phẩm")
        verbose_name_plural = _("câu chuyện sản phẩm")

    def clean(self):
        super().clean()
        if self.hero_image_id and not self.hero_image_alt.strip():
            raise ValidationError({"hero_image_alt": _("Ảnh cần có mô tả (alt) cho người không xem được ảnh.")})

    @property
    def search_text_folded(self) -> str:
        """Title, summary, producer and the body's text, folded (search finds "ca linh" in "cá linh")."""
        words = [self.title, self.summary, self.producer.name if self.producer_id and self.producer else ""]
        for block in self.body:
            if block.block_type in ("paragraph",):
                words.append(strip_tags(block.value.source))
            elif block.block_type == "quote":
                words.append(block.value["quote"])
        return fold_vietnamese(" ".join(w for w in words if w))

    def meta_description(self) -> str:
        return self.search_description or self.summary

    def share_image(self):
        return (self.hero_image, self.hero_image_alt) if self.hero_image_id else None

    def linked_product_ids(self) -> list[int]:
        return [link.product_id for link in self.story_products.all() if link.product_id]

    def body_product_ids(self) -> set[int]:
        """Products the body's product blocks already show as cards."""
        return {
            product.pk
            for block in self.body
            if block.block_type == "products"
            for product in block.value["products"]
            if product is not None
        }

    def get_context(self, request, *args, **kwargs):
        ctx = super().get_context(request, *args, **kwargs)

        def cards():
            shown = self.body_product_ids()
            remaining = [pk for pk in self.linked_product_ids() if pk not in shown]
            return selectors.product_cards(product_ids=remaining, request=request)

        ctx["cards"] = SimpleLazyObject(cards)  # read only when the page's fragment is not in the cache
        return ctx


class StoryPageProduct(Orderable):
    """A catalogue product the story is about (the story then lists on the product's page)."""

    page = ParentalKey(StoryPage, on_delete=models.CASCADE, related_name="story_products")
    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, related_name="story_links", verbose_name=_("sản phẩm")
    )

    panels = [FieldPanel("product", widget=product_chooser_viewset.widget_class)]

    class Meta(Orderable.Meta):
        verbose_name = _("sản phẩm của câu chuyện")


class StandardPage(selectors.ServedPageMixin, CacheableServeMixin, VietnameseSlugMixin, SeoMixin, Page):
    """About the programme, livestream rules, delivery and returns, terms of sale, privacy, contact."""

    intro = models.TextField(_("giới thiệu ngắn"), blank=True, max_length=400)
    body = StreamField(StandardBlocks(), verbose_name=_("nội dung"))
    show_contact_details = models.BooleanField(
        _("hiện thông tin liên hệ"), default=False, help_text=_("Thêm địa chỉ, điện thoại, email từ Cài đặt trang.")
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body"), FieldPanel("show_contact_details")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("trang thông tin")
        verbose_name_plural = _("trang thông tin")

    def meta_description(self) -> str:
        return self.search_description or self.intro


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """The footer, contacts and the operator's registration details (an e-commerce site in Vietnam shows who runs
    it: Decree 52/2013/NĐ-CP as amended by Decree 85/2021/NĐ-CP)."""

    operator_name = models.CharField(_("đơn vị vận hành"), max_length=255, blank=True)
    operator_name_en = models.CharField(_("đơn vị vận hành (tiếng Anh)"), max_length=255, blank=True)
    registration_number = models.CharField(
        _("mã số doanh nghiệp / số quyết định thành lập"), max_length=64, blank=True
    )
    registration_issuer = models.CharField(_("cơ quan cấp"), max_length=255, blank=True)
    registration_date = models.DateField(_("ngày cấp"), null=True, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    hotline = models.CharField(_("đường dây nóng"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    ecommerce_notice_url = models.URLField(
        _("liên kết thông báo website TMĐT với Bộ Công Thương"), blank=True,
        help_text=_("Địa chỉ trang xác nhận trên online.gov.vn, nếu đã thông báo."),
    )
    footer_text = models.TextField(_("lời chân trang"), blank=True)
    footer_text_en = models.TextField(_("lời chân trang (tiếng Anh)"), blank=True)
    footer_links = StreamField(
        [("page", blocks.PageChooserBlock(label=_("trang")))],
        blank=True,
        verbose_name=_("liên kết chân trang"),
    )
    facebook_url = models.URLField(_("Facebook"), blank=True)
    zalo_url = models.URLField(_("Zalo"), blank=True)
    youtube_url = models.URLField(_("YouTube"), blank=True)
    tiktok_url = models.URLField(_("TikTok"), blank=True)

    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("operator_name"), FieldPanel("operator_name_en")]),
                FieldRowPanel([FieldPanel("registration_number"), FieldPanel("registration_date")]),
                FieldPanel("registration_issuer"),
                FieldPanel("ecommerce_notice_url"),
            ],
            heading=_("Đơn vị vận hành"),
        ),
        MultiFieldPanel(
            [FieldPanel("address"), FieldRowPanel([FieldPanel("phone"), FieldPanel("hotline")]), FieldPanel("email")],
            heading=_("Liên hệ"),
        ),
        MultiFieldPanel(
            [FieldPanel("footer_text"), FieldPanel("footer_text_en"), FieldPanel("footer_links")],
            heading=_("Chân trang"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("facebook_url"), FieldPanel("zalo_url")]),
             FieldRowPanel([FieldPanel("youtube_url"), FieldPanel("tiktok_url")])],
            heading=_("Mạng xã hội"),
        ),
    ]

    class Meta:
        verbose_name = _("cài đặt trang")

    def localized_operator_name(self) -> str:
        return localized_field(self, "operator_name")

    def localized_footer_text(self) -> str:
        return localized_field(self, "footer_text")

    def footer_pages(self) -> list[Page]:
        """The footer's live, public pages in the editor's order, each in the reader's language where it has a
        live translation. A constant number of queries whatever the number of links."""
        chosen = [block.value for block in self.footer_links if block.value and block.value.live]
        if not chosen:
            return []
        active = Locale.get_active()
        keys = {page.translation_key for page in chosen}
        public = Page.objects.live().public()
        translated = {page.translation_key: page for page in public.filter(translation_key__in=keys, locale=active)}
        allowed = set(public.filter(pk__in=[page.pk for page in chosen]).values_list("pk", flat=True))
        return [translated.get(page.translation_key) or page for page in chosen if page.pk in allowed]

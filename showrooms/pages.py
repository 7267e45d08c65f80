"""The public showroom pages (Wagtail): all showrooms, one area's showrooms, one showroom.

Page tree: HomePage › ShowroomIndexPage (one per site and language) › AreaIndexPage (a former district and/or a
province) › ShowroomPage. A ShowroomPage shows one ``Showroom`` record (stock, staff and movements point at the
record, not the page), so every translation of a page shows the same showroom. The shelf is read at render
time through showrooms.selectors (certified products only, a level instead of a count); nothing commercial is
copied into a page.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.selectors import ServedPageMixin, pages_public
from cms.slugs import VietnameseSlugMixin
from shop.caching.pages import CacheableServeMixin
from shop.languages import one_per_translation
from shop.partner.strategy import request_strategy
from shop.text import fold_vietnamese

from . import hours as opening
from .models import Showroom
from .selectors import ShelfLevel, shelf_for_page

__all__ = ["ShowroomIndexPage", "AreaIndexPage", "ShowroomPage", "ShowroomPagePhoto", "ShowroomPageNearby"]

GALLERY_FILTER = "fill-960x640-c75"
THUMB_FILTER = "fill-480x320-c75"
TOURISM_GROUP = 6  # OCOP Group VI: community tourism services and tourist sites


# ---------------------------------------------------------------- reads shared by the pages and the product page
def showroom_pages_by_showroom(showroom_ids, *, request=None) -> dict[int, "ShowroomPage"]:
    """The live, public page of each showroom in the active language (or the default language when the page has
    no translation yet), in one query (and the locales, once per request)."""
    ids = list(showroom_ids)
    if not ids:
        return {}
    rows = pages_public(ShowroomPage.objects.live().filter(showroom_id__in=ids)).select_related("locale").order_by("pk")
    return one_per_translation(rows, key=lambda page: page.showroom_id, request=request)


def map_link(showroom: Showroom) -> str:
    """A plain link that opens the location in the phone's map app (a link is not a fetch)."""
    if showroom.latitude is None or showroom.longitude is None:
        return ""
    return f"https://www.google.com/maps/search/?api=1&query={showroom.latitude:f},{showroom.longitude:f}"


def map_settings() -> dict:
    """The tile server (empty: no map, only the list with coordinates and map-app links)."""
    return {
        "tile_url": getattr(settings, "SHOWROOM_MAP_TILE_URL", "") or "",
        "attribution": settings.SHOWROOM_MAP_ATTRIBUTION,
    }


def _with_status(showrooms, *, now):
    """Each showroom gets its map link and "open now" status (hours and exceptions must be prefetched)."""
    for showroom in showrooms:
        showroom.map_link = map_link(showroom)
        showroom.open_status = opening.open_status(
            now, hours=showroom.hours.all(), exceptions=showroom.exceptions.all()
        )
    return showrooms


def _listed_showrooms(queryset, *, request, now):
    """Showrooms for a list or map, with area, hours, exceptions and their page, in a constant number of queries."""
    showrooms = list(
        queryset.filter(is_active=True)
        .select_related("area", "area__parent")
        .prefetch_related("hours", "exceptions")
        .order_by("name")
    )
    pages = showroom_pages_by_showroom((s.pk for s in showrooms), request=request)
    for showroom in showrooms:
        page = pages.get(showroom.pk)
        showroom.page_url = page.get_url(request=request) if page else ""
    return _with_status(showrooms, now=now)


# ---------------------------------------------------------------- all showrooms
class ShowroomIndexPage(ServedPageMixin, CacheableServeMixin, VietnameseSlugMixin, Page):
    """Every active showroom: a map when a tile server is set, always the list with coordinates."""

    intro = RichTextField(_("giới thiệu"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["showrooms.AreaIndexPage"]
    max_count_per_parent = 1
    template = "showrooms/pages/showroom_index_page.html"

    class Meta:
        verbose_name = _("danh sách điểm bán OCOP")

    def get_context(self, request, *args, **kwargs):
        ctx = super().get_context(request, *args, **kwargs)
        ctx["areas"] = pages_public(AreaIndexPage.objects.child_of(self).live()).order_by("path")
        ctx["showrooms"] = _listed_showrooms(Showroom.objects.all(), request=request, now=timezone.now())
        ctx["map"] = map_settings()
        ctx["has_markers"] = any(showroom.latitude is not None for showroom in ctx["showrooms"])
        return ctx


# ---------------------------------------------------------------- one area
class AreaIndexPage(ServedPageMixin, CacheableServeMixin, VietnameseSlugMixin, Page):
    """An area: a former district (the label kept on communes since July 2025) and/or a province. Lists its
    showrooms; the CMS adds the area's products and stories later."""

    province = models.ForeignKey(
        "catalogue.AdministrativeUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"level": "province"},
        related_name="+",
        verbose_name=_("tỉnh/thành phố"),
    )
    former_district = models.CharField(
        _("huyện cũ (trước 7/2025)"),
        max_length=128,
        blank=True,
        help_text=_("Đúng như trong danh mục đơn vị hành chính, ví dụ: Thành phố Châu Đốc. Để trống: cả tỉnh."),
    )
    intro = RichTextField(_("giới thiệu"), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("province"), FieldPanel("former_district")], heading=_("Khu vực")),
        FieldPanel("intro"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("former_district")]
    parent_page_types = ["showrooms.ShowroomIndexPage"]
    subpage_types = ["showrooms.ShowroomPage"]
    template = "showrooms/pages/area_index_page.html"
    route_select_related = ("province",)  # read with the page when it is served (area_label)

    class Meta:
        verbose_name = _("khu vực điểm bán")

    def clean(self):
        super().clean()
        if not self.province_id and not self.former_district:
            raise ValidationError(_("Chọn tỉnh, hoặc ghi huyện cũ, hoặc cả hai."))

    @property
    def area_label(self) -> str:
        """"Thành phố Châu Đốc (huyện cũ), An Giang"."""
        parts = []
        if self.former_district:
            parts.append(_("%(name)s (huyện cũ)") % {"name": self.former_district})
        if self.province_id:
            parts.append(self.province.name)
        return ", ".join(str(p) for p in parts)

    def communes(self):
        """The communes/wards of this area (for the area's products and stories)."""
        from catalogue.models import AdministrativeUnit

        units = AdministrativeUnit.objects.filter(level="commune")
        if self.province_id:
            units = units.filter(parent_id=self.province_id)
        if self.former_district:
            units = units.filter(former_district=self.former_district)
        return units

    def get_context(self, request, *args, **kwargs):
        ctx = super().get_context(request, *args, **kwargs)
        pages = list(
            pages_public(ShowroomPage.objects.child_of(self).live())
            .filter(showroom__is_active=True)
            .select_related("showroom", "showroom__area", "showroom__area__parent")
            .prefetch_related("showroom__hours", "showroom__exceptions")
            .order_by("title")
        )
        now = timezone.now()
        for page in pages:
            page.showroom.page_url = page.get_url(request=request)
        ctx["showroom_pages"] = pages
        ctx["showrooms"] = _with_status([page.showroom for page in pages], now=now)
        ctx["index_page"] = self.get_parent()
        ctx["map"] = map_settings()
        ctx["has_markers"] = any(showroom.latitude is not None for showroom in ctx["showrooms"])
        # The area's certified products (of producers based in its communes) and its stories, read at render time.
        from cms.selectors import area_product_cards, stories_of_area

        communes = self.communes()
        ctx["cards"] = area_product_cards(communes=communes, request=request)
        ctx["stories"] = stories_of_area(communes=communes, request=request)
        return ctx


# ---------------------------------------------------------------- one showroom
class ShowroomPage(ServedPageMixin, CacheableServeMixin, VietnameseSlugMixin, Page):
    showroom = models.ForeignKey(
        Showroom,
        on_delete=models.PROTECT,
        related_name="pages",
        verbose_name=_("điểm bán"),
        help_text=_("Địa chỉ, tọa độ, giờ mở cửa và hàng trên kệ lấy từ điểm bán này (sửa ở mục Điểm bán OCOP)."),
    )
    description = RichTextField(_("giới thiệu điểm bán"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("showroom"),
        FieldPanel("description"),
        InlinePanel("photos", heading=_("Ảnh"), label=_("ảnh")),
        InlinePanel("nearby", heading=_("Du lịch gần đây"), label=_("điểm du lịch")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("description"),
        index.SearchField("search_text_folded"),
        index.FilterField("showroom_id"),
    ]
    parent_page_types = ["showrooms.AreaIndexPage"]
    subpage_types: list[str] = []
    template = "showrooms/pages/showroom_page.html"
    route_select_related = ("showroom__area__parent",)  # read with the page when it is served (showroom_full)

    class Meta:
        verbose_name = _("trang điểm bán")
        verbose_name_plural = _("trang điểm bán")

    def share_image(self):
        """The first photo, shared with the page's link (shop/templatetags/seo_tags.py)."""
        photo = next(iter(self.photos_shown), None)
        return (photo.image, photo.caption) if photo else None

    @cached_property
    def photos_shown(self) -> list["ShowroomPagePhoto"]:
        """The gallery, with the renditions the page and its shared link use: read once for both."""
        from wagtail.images import get_image_model

        from shop.templatetags.seo_tags import SHARE_RENDITION

        images = get_image_model().objects.prefetch_renditions(GALLERY_FILTER, THUMB_FILTER, SHARE_RENDITION)
        return list(self.photos.all().prefetch_related(Prefetch("image", queryset=images)))

    def clean(self):
        super().clean()
        if not self.showroom_id:
            return
        others = ShowroomPage.objects.filter(showroom_id=self.showroom_id)
        if self.locale_id:
            others = others.filter(locale_id=self.locale_id)
        if self.translation_key:
            others = others.exclude(translation_key=self.translation_key)
        if self.pk:
            others = others.exclude(pk=self.pk)
        if others.exists():
            raise ValidationError({"showroom": _("Điểm bán này đã có trang riêng.")})

    def search_text_folded(self) -> str:
        """Words without tone marks, so "diem ocop chau doc" finds this page (Wagtail search is not accent-blind)."""
        showroom = self.showroom
        text = " ".join([self.title, showroom.name, showroom.street_address, str(showroom.area)])
        return fold_vietnamese(text)

    def serve(self, request, *args, **kwargs):
        """A showroom that has stopped operating has no public page (its record and history stay)."""
        if not self.showroom_full.is_active:
            from django.http import Http404

            raise Http404
        return super().serve(request, *args, **kwargs)

    @cached_property
    def showroom_full(self) -> Showroom:
        """The showroom with its area, hours and exceptions (the area comes with the page when it is routed:
        ``route_select_related``)."""
        showroom = self.showroom
        prefetch_related_objects([showroom], "area__parent", "hours", "exceptions")
        return showroom

    def get_context(self, request, *args, **kwargs):
        from catalogue.models import Product

        ctx = super().get_context(request, *args, **kwargs)
        showroom = self.showroom_full
        now = timezone.now()
        today = now.astimezone(opening.SHOWROOM_TZ).date()
        hours, exceptions = list(showroom.hours.all()), list(showroom.exceptions.all())

        strategy = request_strategy(request)
        shelf = shelf_for_page(showroom=showroom)
        # Whatever can be taken home today first; "hết hàng" (every unit held for pickup orders) last.
        shelf.sort(key=lambda product: product.shelf_level == ShelfLevel.OUT)
        nearby = []
        entries = (
            self.nearby.all()
            .select_related("linked_page")
            .prefetch_related(
                Prefetch(
                    "product",
                    queryset=Product.objects.select_related("producer")
                    .prefetch_related("stockrecords")
                    .with_current_certificates(),
                )
            )
        )
        for entry in entries:
            if entry.product_id and entry.product.is_public:
                entry.info = strategy.fetch_for_product(entry.product)
                nearby.append(entry)
            elif entry.linked_page_id and entry.linked_page.live:
                nearby.append(entry)
        ctx.update(
            showroom=showroom,
            map=map_settings(),
            nearby=nearby,
            map_link=map_link(showroom),
            week=opening.week_table(hours, today=today),
            hours_recorded=bool(hours),
            exceptions_upcoming=opening.exceptions_upcoming(exceptions, today=today),
            open_status=opening.open_status(now, hours=hours, exceptions=exceptions),
            shelf=[(product, strategy.fetch_for_product(product)) for product in shelf],
            photos=self.photos_shown,
            area_page=self.get_parent(),
        )
        return ctx


class ShowroomPagePhoto(Orderable):
    page = ParentalKey(ShowroomPage, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="+", verbose_name=_("ảnh"))
    caption = models.CharField(_("chú thích"), max_length=255, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("ảnh điểm bán")
        verbose_name_plural = _("ảnh điểm bán")


class ShowroomPageNearby(Orderable):
    """Nearby tourism: an OCOP Group VI product (a tour, a homestay, a site) or a page (a story, a place)."""

    page = ParentalKey(ShowroomPage, on_delete=models.CASCADE, related_name="nearby")
    product = models.ForeignKey(
        "catalogue.Product",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"ocop_product_set__group__number": TOURISM_GROUP},
        verbose_name=_("sản phẩm du lịch OCOP (nhóm VI)"),
    )
    linked_page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hoặc một trang"),
    )
    note = models.CharField(
        _("ghi chú"), max_length=128, blank=True, help_text=_("Ví dụ: cách 3 km, đi xuồng 15 phút.")
    )

    panels = [
        FieldRowPanel([FieldPanel("product"), PageChooserPanel("linked_page")]),
        FieldPanel("note"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("điểm du lịch gần đây")
        verbose_name_plural = _("du lịch gần đây")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(product__isnull=False, linked_page__isnull=True)
                | models.Q(product__isnull=True, linked_page__isnull=False),
                name="nearby_product_or_page",
            )
        ]

    def clean(self):
        super().clean()
        if bool(self.product_id) == bool(self.linked_page_id):
            raise ValidationError(_("Chọn một sản phẩm du lịch OCOP hoặc một trang, không chọn cả hai."))

"""StreamField blocks for the CMS pages (bakerydemo style: one module, templates in templates/cms/blocks/).

Story blocks tell; product blocks link to the catalogue and read it at render time (price, stars, availability),
never storing a copy. Blocks that pick products automatically (newest certificates, an OCOP group) list only
certified ones, through catalogue.selectors; a block that names products keeps them, and an uncertified one shows
"not for sale" with no button (cms.selectors.product_cards). Every image block asks for alt text.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

from livestream.choosers import product_chooser_viewset
from shop.embeds import video_embed_url

from . import selectors

ProductChooserBlock = product_chooser_viewset.get_block_class(name="ProductChooserBlock", module_path="cms.blocks")

OCOP_GROUP_CHOICES = [  # the six groups of Decision 148/QĐ-TTg (catalogue/data/ocop_taxonomy_148.json)
    ("1", _("Nhóm 1: Thực phẩm")),
    ("2", _("Nhóm 2: Đồ uống")),
    ("3", _("Nhóm 3: Dược liệu và sản phẩm từ dược liệu")),
    ("4", _("Nhóm 4: Hàng thủ công mỹ nghệ")),
    ("5", _("Nhóm 5: Sinh vật cảnh")),
    ("6", _("Nhóm 6: Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch")),
]


def _request(parent_context):
    return (parent_context or {}).get("request")


def _cards(block, value, parent_context):
    """This product block's cards, read together with every other product block of the page being rendered: the
    first block to render reads them all (cms.selectors.cards_for_picks), in a constant number of queries whatever
    the number of blocks. A block rendered outside a page's StreamField reads its own."""
    from wagtail.models import Page

    request = _request(parent_context)
    page = (parent_context or {}).get("page")
    gathered = _page_cards(page, request) if isinstance(page, Page) else {}
    kept = gathered.get(id(value))
    if kept is not None and kept[0] is value:
        return kept[1]
    return selectors.cards_for_picks([block.cards_pick(value)], request=request)[0]


def _page_cards(page, request) -> dict:
    """id(block value) → (value, cards) for every product block in the page's StreamFields, kept on the page."""
    from wagtail.fields import StreamField

    gathered = page.__dict__.get("_ocop_block_cards")
    if gathered is None:
        found = [
            child
            for field in page._meta.concrete_fields
            if isinstance(field, StreamField)
            for child in getattr(page, field.attname) or ()
            if isinstance(child.block, CardsBlockMixin)
        ]
        cards = selectors.cards_for_picks([child.block.cards_pick(child.value) for child in found], request=request)
        gathered = page.__dict__["_ocop_block_cards"] = {
            id(child.value): (child.value, shown) for child, shown in zip(found, cards, strict=True)
        }
    return gathered


class CardsBlockMixin:
    """A block that shows product cards: ``cards_pick(value)`` says which (cms.selectors.CardsPick)."""

    def cards_pick(self, value) -> selectors.CardsPick:
        raise NotImplementedError


# ---------------------------------------------------------------- pictures
class ImageBlock(blocks.StructBlock):
    """One photo with the text a screen reader reads (required) and an optional caption."""

    image = ImageChooserBlock(label=_("ảnh"))
    alt_text = blocks.CharBlock(
        label=_("mô tả ảnh (alt)"),
        max_length=250,
        help_text=_("Bắt buộc: tả điều ảnh cho thấy, cho người không xem được ảnh. Ví dụ: Cô Sáu đang phơi cá linh."),
    )
    caption = blocks.CharBlock(label=_("chú thích"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Ảnh")
        template = "cms/blocks/image_block.html"


class OptionalImageBlock(blocks.StructBlock):
    """A photo that may be left out; when it is chosen its alt text is required."""

    image = ImageChooserBlock(label=_("ảnh"), required=False)
    alt_text = blocks.CharBlock(label=_("mô tả ảnh (alt)"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Ảnh (không bắt buộc)")

    def clean(self, value):
        value = super().clean(value)
        if value.get("image") and not (value.get("alt_text") or "").strip():
            raise StructBlockValidationError(
                block_errors={"alt_text": ValidationError(_("Ảnh cần có mô tả (alt) cho người không xem được ảnh."))}
            )
        return value


class GalleryBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("tiêu đề"), required=False, max_length=120)
    images = blocks.ListBlock(ImageBlock(), min_num=2, max_num=12, label=_("ảnh"))

    class Meta:
        icon = "image"
        label = _("Bộ ảnh")
        template = "cms/blocks/gallery_block.html"


class VideoBlock(blocks.StructBlock):
    """A YouTube or Vimeo video. The page shows a play button; the player (a third-party frame) loads only when the
    reader presses it, so the page stays fast and nothing is fetched from the video site before that."""

    url = blocks.URLBlock(label=_("địa chỉ video"), help_text=_("Địa chỉ video trên YouTube hoặc Vimeo."))
    title = blocks.CharBlock(label=_("tên video"), max_length=150, help_text=_("Đọc cho người dùng trình đọc màn hình."))
    caption = blocks.CharBlock(label=_("chú thích"), required=False, max_length=250)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "cms/blocks/video_block.html"

    def clean(self, value):
        value = super().clean(value)
        if not video_embed_url(value.get("url") or ""):
            raise StructBlockValidationError(
                block_errors={"url": ValidationError(_("Chỉ nhận địa chỉ một video YouTube hoặc Vimeo."))}
            )
        return value

    def get_context(self, value, parent_context=None):
        ctx = super().get_context(value, parent_context=parent_context)
        ctx["embed_url"] = video_embed_url(value.get("url") or "")
        return ctx


# ---------------------------------------------------------------- words
class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("lời kể"))
    name = blocks.CharBlock(label=_("người nói"), max_length=120)
    role = blocks.CharBlock(label=_("vai trò"), required=False, max_length=120, help_text=_("Ví dụ: Giám đốc HTX"))

    class Meta:
        icon = "openquote"
        label = _("Lời của chủ thể")
        template = "cms/blocks/quote_block.html"


class TimelineStepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("bước"), max_length=120)
    text = blocks.TextBlock(label=_("mô tả"), required=False)
    photo = OptionalImageBlock(label=_("ảnh"))

    class Meta:
        icon = "arrow-right"
        label = _("Bước")


class TimelineBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("tiêu đề"), required=False, max_length=120, default=_("Sản phẩm được làm ra thế nào"))
    steps = blocks.ListBlock(TimelineStepBlock(), min_num=2, max_num=20, label=_("các bước"))

    class Meta:
        icon = "list-ol"
        label = _("Quy trình làm ra sản phẩm")
        template = "cms/blocks/timeline_block.html"


class RawMaterialAreaBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("vùng nguyên liệu"), max_length=150, help_text=_("Ví dụ: Cánh đồng lúa Tà Pạ, Tri Tôn"))
    description = blocks.RichTextBlock(label=_("mô tả"), features=["bold", "italic", "link", "ol", "ul"])
    photo = OptionalImageBlock(label=_("ảnh"))
    area_page = blocks.PageChooserBlock(
        label=_("trang khu vực"), required=False, page_type=["showrooms.AreaIndexPage"],
        help_text=_("Liên kết tới trang khu vực (điểm bán, sản phẩm, câu chuyện của vùng)."),
    )

    class Meta:
        icon = "site"
        label = _("Vùng nguyên liệu")
        template = "cms/blocks/raw_material_area_block.html"


# ---------------------------------------------------------------- products
class ProductCardsBlock(CardsBlockMixin, blocks.StructBlock):
    """Products named by the editor, shown as cards with the current price, stars and availability. A product that
    has lost its certificate stays, marked "not for sale", with no add-to-basket button."""

    heading = blocks.CharBlock(label=_("tiêu đề"), required=False, max_length=120)
    products = blocks.ListBlock(ProductChooserBlock(), min_num=1, max_num=12, label=_("sản phẩm"))

    class Meta:
        icon = "tag"
        label = _("Thẻ sản phẩm")
        template = "cms/blocks/product_cards_block.html"

    def cards_pick(self, value) -> selectors.CardsPick:
        chosen = tuple(product.pk for product in value.get("products") or [] if product is not None)
        return selectors.CardsPick(product_ids=chosen, certified_only=False)

    def get_context(self, value, parent_context=None):
        ctx = super().get_context(value, parent_context=parent_context)
        ctx["cards"] = _cards(self, value, parent_context)
        return ctx


class StaffPicksBlock(ProductCardsBlock):
    """The programme's picks for the home page: only the certified ones show (the list is the editor's, the gate
    is the catalogue's)."""

    class Meta:
        icon = "pick"
        label = _("Sản phẩm chọn lọc")
        template = "cms/blocks/product_cards_block.html"

    def cards_pick(self, value) -> selectors.CardsPick:
        # Not ProductCardsBlock's cards filtered afterwards: the picks go through the gate's queryset
        # (catalogue.selectors.products_for_cards: browsable and certified), the one definition.
        chosen = tuple(product.pk for product in value.get("products") or [] if product is not None)
        return selectors.CardsPick(product_ids=chosen, certified_only=True)


class NewestCertifiedBlock(CardsBlockMixin, blocks.StructBlock):
    heading = blocks.CharBlock(label=_("tiêu đề"), max_length=120, default=_("Mới được chứng nhận"))
    count = blocks.IntegerBlock(label=_("số sản phẩm"), min_value=2, max_value=24, default=8)

    class Meta:
        icon = "date"
        label = _("Sản phẩm mới được chứng nhận")
        template = "cms/blocks/product_cards_block.html"

    def cards_pick(self, value) -> selectors.CardsPick:
        return selectors.CardsPick(newest=value["count"])

    def get_context(self, value, parent_context=None):
        ctx = super().get_context(value, parent_context=parent_context)
        ctx["cards"] = _cards(self, value, parent_context)
        return ctx


class GroupProductsBlock(CardsBlockMixin, blocks.StructBlock):
    heading = blocks.CharBlock(label=_("tiêu đề"), required=False, max_length=120)
    group = blocks.ChoiceBlock(label=_("nhóm OCOP"), choices=OCOP_GROUP_CHOICES)
    count = blocks.IntegerBlock(label=_("số sản phẩm"), min_value=2, max_value=24, default=8)

    class Meta:
        icon = "folder-open-inverse"
        label = _("Sản phẩm một nhóm OCOP")
        template = "cms/blocks/product_cards_block.html"

    def cards_pick(self, value) -> selectors.CardsPick:
        return selectors.CardsPick(newest=value["count"], group_number=int(value["group"]))

    def get_context(self, value, parent_context=None):
        ctx = super().get_context(value, parent_context=parent_context)
        ctx["cards"] = _cards(self, value, parent_context)
        ctx["more_url"] = selectors.group_url(group_number=int(value["group"]))
        return ctx


# ---------------------------------------------------------------- home page sections
class HeroBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("tiêu đề"), max_length=120)
    text = blocks.TextBlock(label=_("lời giới thiệu"), required=False)
    photo = OptionalImageBlock(label=_("ảnh nền"))
    link_page = blocks.PageChooserBlock(label=_("trang liên kết"), required=False)
    link_label = blocks.CharBlock(label=_("chữ trên nút"), required=False, max_length=60)

    class Meta:
        icon = "title"
        label = _("Lời chào đầu trang")
        template = "cms/blocks/hero_block.html"


class OcopGroupsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("tiêu đề"), max_length=120, default=_("Nhóm sản phẩm OCOP"))

    class Meta:
        icon = "list-ul"
        label = _("Các nhóm sản phẩm OCOP")
        template = "cms/blocks/ocop_groups_block.html"


class LiveSessionsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("tiêu đề"), max_length=120, default=_("Livestream bán hàng"))
    count = blocks.IntegerBlock(label=_("số phiên sắp tới"), min_value=1, max_value=12, default=3)

    class Meta:
        icon = "media"
        label = _("Phiên livestream đang phát và sắp tới")
        template = "cms/blocks/live_sessions_block.html"

    def get_context(self, value, parent_context=None):
        ctx = super().get_context(value, parent_context=parent_context)
        ctx["live"], ctx["upcoming"] = selectors.live_sessions_for_home(limit=value["count"])
        return ctx


class ShowroomAreasBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("tiêu đề"), max_length=120, default=_("Điểm bán theo khu vực"))

    class Meta:
        icon = "site"
        label = _("Khu vực và điểm bán")
        template = "cms/blocks/showroom_areas_block.html"

    def get_context(self, value, parent_context=None):
        ctx = super().get_context(value, parent_context=parent_context)
        ctx["areas"] = selectors.areas_with_showrooms(request=_request(parent_context))
        return ctx


class LatestStoriesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("tiêu đề"), max_length=120, default=_("Câu chuyện sản phẩm"))
    count = blocks.IntegerBlock(label=_("số câu chuyện"), min_value=1, max_value=12, default=3)

    class Meta:
        icon = "doc-full"
        label = _("Câu chuyện mới nhất")
        template = "cms/blocks/story_cards_block.html"

    def get_context(self, value, parent_context=None):
        ctx = super().get_context(value, parent_context=parent_context)
        ctx["stories"] = selectors.stories_latest(limit=value["count"], request=_request(parent_context))
        ctx["more_url"] = selectors.story_index_url(request=_request(parent_context))
        return ctx


class TextSectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("tiêu đề"), required=False, max_length=120)
    text = blocks.RichTextBlock(label=_("nội dung"), features=["bold", "italic", "link", "ol", "ul"])

    class Meta:
        icon = "pilcrow"
        label = _("Đoạn chữ")
        template = "cms/blocks/text_section_block.html"


RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul", "hr", "document-link"]


class StoryBlocks(blocks.StreamBlock):
    """What a product story is made of."""

    paragraph = blocks.RichTextBlock(label=_("Đoạn văn"), features=RICH_TEXT_FEATURES, template="cms/blocks/paragraph_block.html")
    image = ImageBlock()
    gallery = GalleryBlock()
    video = VideoBlock()
    quote = QuoteBlock()
    timeline = TimelineBlock()
    raw_material_area = RawMaterialAreaBlock()
    products = ProductCardsBlock()

    class Meta:
        block_counts = {"products": {"max_num": 4}}


class HomeBlocks(blocks.StreamBlock):
    """The home page's sections, in the order the editor arranges them."""

    hero = HeroBlock()
    staff_picks = StaffPicksBlock()
    newest_certified = NewestCertifiedBlock()
    group_products = GroupProductsBlock()
    ocop_groups = OcopGroupsBlock()
    live_sessions = LiveSessionsBlock()
    showroom_areas = ShowroomAreasBlock()
    latest_stories = LatestStoriesBlock()
    text = TextSectionBlock()


class StandardBlocks(blocks.StreamBlock):
    """Plain pages: about the programme, delivery and returns, terms, privacy, contact."""

    paragraph = blocks.RichTextBlock(label=_("Đoạn văn"), features=RICH_TEXT_FEATURES, template="cms/blocks/paragraph_block.html")
    image = ImageBlock()
    quote = QuoteBlock()
    video = VideoBlock()


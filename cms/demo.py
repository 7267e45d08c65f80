"""Demo CMS content: twelve product stories (five also in English), the home page's sections, six standard pages in
both languages and the site settings (footer, contacts, the operator, clearly marked as sample data).

Called by catalogue.demo.load_demo_data() after the catalogue, showrooms and live sessions exist. Idempotent and
deterministic: pages are found by slug under their parent, translations by Page.get_translation_or_none, images by
title in the "Câu chuyện" collection; what exists is left as it is (an editor's changes survive a second run). The
home page is arranged only while it still holds the sections a new site starts with. Pictures are drawn with
Pillow (no outside file), each marked "Hình minh họa" and described by its alt text as an illustration.

Stories link catalogue products by title and never copy a price: the cards read the catalogue when the page is
shown, so a product whose certificate has lapsed appears "not for sale" (the mắm cá linh story shows one).
"""

from __future__ import annotations

import datetime as dt
import io
import math
from typing import Callable, NamedTuple

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Site

from catalogue.demo import UPC_PREFIX, demo_font
from catalogue.models import Product

from .models import HomePage, SiteSettings, StandardPage, StoryIndexPage, StoryPage, StoryPageProduct
from .services import home_sections_default, site_structure_ensure

Partner = get_model("partner", "Partner")

COLLECTION_NAME = "Câu chuyện"
ILLUSTRATION = "Hình minh họa"
HERO_SIZE = (1200, 675)
GALLERY_SIZE = (800, 600)
HOME_HERO_SIZE = (1200, 500)
JPEG_QUALITY = 80

INDEX_SLUG, INDEX_SLUG_EN = "cau-chuyen", "stories"
INDEX_TITLE, INDEX_TITLE_EN = "Câu chuyện sản phẩm", "Product stories"
INDEX_INTRO = (
    "<p>Người làm ra sản phẩm OCOP kể về nghề của mình: con cá linh mùa nước nổi, giọt nước thốt nốt trên ngọn "
    "cây, tấm lụa nhuộm trái mặc nưa. Mỗi câu chuyện dẫn tới sản phẩm, với giá và hạng sao hiện tại.</p>"
)
INDEX_INTRO_EN = (
    "<p>The makers of An Giang's OCOP products tell the story of their craft: linh fish of the flood season, palm "
    "sap from the treetops, silk dyed with ebony fruit. Each story leads to its products, with today's price and "
    "star rating.</p>"
)

DEMO_EMAIL = "lienhe@demo.ocop.vn"
DEMO_PHONE = "0296 3000 000"
DEMO_HOTLINE = "1800 0000"


# ---------------------------------------------------------------- the stories (pure data)
class StoryText(NamedTuple):
    """One language of a story. Paragraphs are rich text (HTML); a gallery lists (alt, caption) per picture."""

    title: str
    slug: str
    summary: str
    hero_alt: str
    paragraphs: tuple[str, ...]
    quote: str
    quote_role: str
    timeline_heading: str
    steps: tuple[tuple[str, str], ...]
    area_name: str
    area_text: str
    products_heading: str
    gallery_heading: str = ""
    gallery: tuple[tuple[str, str], ...] = ()
    video_title: str = ""
    video_caption: str = ""


class Story(NamedTuple):
    name: str  # drawn on the hero picture and used in the images' titles
    producer_code: str
    products: tuple[str, ...]  # catalogue titles; the first is the story's product
    person: str  # who speaks in the quote
    scene: str  # the hero picture
    vi: StoryText
    en: StoryText | None = None
    gallery_scenes: tuple[str, ...] = ()
    video_url: str = ""
    area_slug: str = ""  # a showrooms.AreaIndexPage slug (showrooms.demo.AREAS)


MAM_CA_LINH = Story(
    name="Mắm cá linh Châu Đốc",
    producer_code="htx-nong-nghiep-chau-doc",
    products=("Mắm cá linh Châu Đốc hũ 500g", "Mắm cá lóc Châu Đốc hũ 500g"),
    person="Nguyễn Văn Thành",
    scene="jars",
    gallery_scenes=("river", "jars", "market"),
    video_url="https://www.youtube.com/watch?v=Q7cMamLinh2",
    area_slug="chau-doc",
    vi=StoryText(
        title="Mắm cá linh Châu Đốc: vị mùa nước nổi trong khạp sành",
        slug="mam-ca-linh-chau-doc",
        summary=(
            "Khi nước lũ tràn về đầu nguồn, cá linh theo con nước xuống Châu Đốc. Hợp tác xã Nông nghiệp Châu Đốc "
            "ủ mắm bằng muối, thính gạo rang và đường thốt nốt như các lò mắm lâu năm vẫn làm."
        ),
        hero_alt="Hình minh họa: những khạp sành ủ mắm xếp hàng dưới mái hiên, kèm tên sản phẩm.",
        paragraphs=(
            "<p>Mỗi năm, vào khoảng tháng Bảy, tháng Tám âm lịch, nước từ thượng nguồn sông Mê Kông đổ về, đồng "
            "ruộng đầu nguồn An Giang ngập trắng. Theo con nước là đàn cá linh từ Biển Hồ (Campuchia) xuôi xuống, "
            "và người Châu Đốc bắt đầu mùa làm mắm. Cá linh đầu mùa còn non, thịt mềm, xương nhỏ; cuối mùa cá "
            "lớn hơn, chắc thịt, hợp để ủ mắm.</p>",
            "<p>Châu Đốc vẫn được gọi vui là “xứ mắm”: quanh chợ Châu Đốc, sạp mắm nối sạp mắm, mỗi nhà một bí "
            "quyết. Các hộ thành viên của Hợp tác xã Nông nghiệp Châu Đốc góp cá, góp công và theo một quy trình "
            "chung: cá được làm sạch ngay trong ngày, ướp muối rồi nén trong khạp sành, đợi đến khi thịt cá chín "
            "đều mới trộn thính và đường thốt nốt.</p>",
            "<p>Mắm cá linh ăn được nhiều cách: kho với thịt ba rọi, chưng trứng, nấu lẩu mắm, hay ăn sống với dưa "
            "leo, khế chua và rau đồng mùa nước nổi như bông điên điển, bông súng. Mắm nên để nơi thoáng mát, đậy "
            "kín nắp và dùng muỗng khô khi lấy.</p>",
        ),
        quote=(
            "Con cá linh về theo mùa nước, hết mùa là hết. Mình làm mắm là giữ cái vị của mùa nước nổi, để người "
            "ở xa cũng ăn được quanh năm."
        ),
        quote_role="Giám đốc Hợp tác xã Nông nghiệp Châu Đốc",
        timeline_heading="Từ con cá linh đến hũ mắm",
        steps=(
            ("Chọn cá", "Cá linh mua trong ngày từ ghe đánh bắt ở đầu nguồn, chọn con còn tươi, đều cỡ."),
            ("Làm sạch", "Cá được cắt vây, làm sạch, rửa qua nước muối loãng rồi để thật ráo."),
            ("Ướp muối và nén", "Cá trộn muối hột, xếp vào khạp sành, nén chặt, đậy kín và ủ vài tháng cho thịt "
             "cá chín đều."),
            ("Trộn thính và đường thốt nốt", "Mắm được trộn thính gạo rang và đường thốt nốt, ủ thêm cho ngấu và "
             "dậy mùi thơm."),
            ("Vô hũ", "Mắm được cho vào hũ sạch, dán nhãn ghi ngày sản xuất và hạn dùng."),
        ),
        area_name="Vùng nước nổi đầu nguồn sông Hậu, Châu Đốc",
        area_text=(
            "<p>Cá linh được đánh bắt trên sông Hậu và những cánh đồng ngập nước quanh Châu Đốc, An Phú, Tân Châu "
            "vào mùa nước nổi. Điểm OCOP Châu Đốc, cạnh chợ Châu Đốc, có bán mắm của hợp tác xã và cho nếm thử "
            "trước khi mua.</p>"
        ),
        products_heading="Mắm của hợp tác xã",
        gallery_heading="Mùa làm mắm",
        gallery=(
            ("Hình minh họa: chiếc xuồng trên sông Hậu nước đỏ phù sa giữa mùa nước nổi.",
             "Mùa nước nổi trên sông Hậu"),
            ("Hình minh họa: hàng khạp sành đậy nắp, nơi cá linh được ủ muối.", "Khạp ủ mắm"),
            ("Hình minh họa: sạp mắm với những thau mắm dưới mái che sọc đỏ.", "Sạp mắm ở chợ Châu Đốc"),
        ),
        video_title="Làm mắm cá linh ở Châu Đốc",
        video_caption="Video giới thiệu của hợp tác xã, mở trên YouTube.",
    ),
    en=StoryText(
        title="Châu Đốc fermented linh fish: the flood season in a clay jar",
        slug="chau-doc-fermented-linh-fish",
        summary=(
            "When the floodwaters reach the head of the delta, linh fish come down with them to Châu Đốc. The Châu "
            "Đốc Agricultural Cooperative ferments them with salt, roasted rice powder and palm sugar, as the "
            "town's long-standing mắm makers do."
        ),
        hero_alt="Illustration: clay jars of fermenting fish lined up under the eaves, with the product's name.",
        paragraphs=(
            "<p>Every year, around the seventh and eighth lunar months, water from the upper Mekong spills over the "
            "fields at the head of An Giang. Shoals of linh fish come down with it from the Tonlé Sap in Cambodia, "
            "and Châu Đốc begins its mắm season. Early in the season the fish are young, soft and fine-boned; later "
            "they grow larger and firmer, which suits fermentation.</p>",
            "<p>Châu Đốc is fondly called the land of mắm: around its market, stall after stall sells fermented "
            "fish, each family with its own recipe. The members of the Châu Đốc Agricultural Cooperative pool their "
            "fish and their labour and follow one shared process: the fish are cleaned on the day they are bought, "
            "salted and pressed in clay jars, and only when the flesh has cured evenly are roasted rice powder and "
            "palm sugar mixed in.</p>",
            "<p>Mắm cá linh is eaten many ways: braised with pork belly, steamed with eggs, in a mắm hot pot, or raw "
            "with cucumber, sour star fruit and the flood-season greens of the region such as sesbania flowers and "
            "water lily stems. Keep the jar closed in a cool place and use a dry spoon.</p>",
        ),
        quote=(
            "Linh fish come with the floodwater, and when the season ends they are gone. Making mắm keeps the taste "
            "of the flood season, so that people far away can have it all year round."
        ),
        quote_role="Director, Châu Đốc Agricultural Cooperative",
        timeline_heading="From linh fish to a jar of mắm",
        steps=(
            ("Choosing the fish", "Linh fish are bought the same day from the boats at the head of the river; only "
             "fresh fish of even size are kept."),
            ("Cleaning", "The fins are trimmed, the fish cleaned, rinsed in light brine and left to drain well."),
            ("Salting and pressing", "The fish are mixed with coarse salt, packed into clay jars, pressed down, "
             "sealed and left for a few months until the flesh has cured evenly."),
            ("Roasted rice and palm sugar", "The cured fish are mixed with roasted rice powder and palm sugar and "
             "left to mature until fragrant."),
            ("Into the jar", "The mắm goes into clean jars, labelled with the production and best-before dates."),
        ),
        area_name="The flooded plains at the head of the Hậu River, Châu Đốc",
        area_text=(
            "<p>Linh fish are caught on the Hậu River and in the flooded fields around Châu Đốc, An Phú and Tân "
            "Châu during the flood season. The Châu Đốc OCOP showroom, next to Châu Đốc market, sells the "
            "cooperative's mắm and lets you taste before you buy.</p>"
        ),
        products_heading="The cooperative's mắm",
        gallery_heading="The mắm season",
        gallery=(
            ("Illustration: a boat on the silt-red Hậu River in the flood season.", "Flood season on the Hậu River"),
            ("Illustration: a row of covered clay jars where linh fish cure in salt.", "Fermenting jars"),
            ("Illustration: a mắm stall with basins of fermented fish under a red-striped awning.",
             "A mắm stall at Châu Đốc market"),
        ),
        video_title="Making linh fish mắm in Châu Đốc",
        video_caption="The cooperative's introduction video, opens on YouTube.",
    ),
)

DUONG_THOT_NOT = Story(
    name="Đường thốt nốt Tri Tôn",
    producer_code="htx-thot-not-tri-ton",
    products=("Đường thốt nốt Tri Tôn túi 1kg", "Nước thốt nốt tươi đóng chai 330ml"),
    person="Chau Sóc Khang",
    scene="palms",
    gallery_scenes=("palms", "ladder", "pan"),
    vi=StoryText(
        title="Đường thốt nốt Tri Tôn: vị ngọt từ ngọn cây Bảy Núi",
        slug="duong-thot-not-tri-ton",
        summary=(
            "Mùa khô, người Khmer ở Tri Tôn leo lên ngọn thốt nốt lấy nước, rồi nấu thành đường trên bếp củi. "
            "Hợp tác xã Thốt nốt Tri Tôn giữ cách làm ấy và đưa đường thốt nốt đến với người mua ở xa."
        ),
        hero_alt="Hình minh họa: hàng cây thốt nốt trên bờ ruộng dưới chân núi, bên dưới là tên sản phẩm.",
        paragraphs=(
            "<p>Những hàng thốt nốt đứng giữa đồng ruộng là hình ảnh quen thuộc của vùng Bảy Núi. Với đồng bào "
            "Khmer ở Tri Tôn, Tịnh Biên, cây thốt nốt gắn với đời sống từ lâu: trái để ăn, lá để lợp nhà, đan giỏ, "
            "và nhất là nước từ bông thốt nốt để nấu đường.</p>",
            "<p>Mùa lấy nước bắt đầu khi trời vào mùa khô. Người leo cây buộc những cây tre dọc thân làm thang, "
            "trèo lên ngọn cắt bông và treo ống hứng nước. Sáng sớm, nước thốt nốt được mang xuống và nấu ngay "
            "trong ngày, vì để lâu nước sẽ chua.</p>",
            "<p>Đường thốt nốt của hợp tác xã có màu vàng nâu, vị ngọt thanh và thoảng mùi khói bếp. Đường dùng nấu "
            "chè, kho cá, làm bánh bò hay pha nước uống. Nên để đường nơi khô ráo, đậy kín để đường không chảy "
            "nước.</p>",
        ),
        quote=(
            "Leo thốt nốt cực lắm, nhưng cây còn cho nước ngọt thì mình còn giữ nghề. Nấu đường ngon là nhờ canh "
            "lửa, không vội được."
        ),
        quote_role="Giám đốc Hợp tác xã Thốt nốt Tri Tôn",
        timeline_heading="Từ ngọn cây đến túi đường",
        steps=(
            ("Leo cây, cắt bông", "Người leo cây dùng thang tre buộc dọc thân, cắt đầu bông thốt nốt cho nước rỉ ra."),
            ("Hứng nước", "Ống hứng treo dưới bông qua đêm; sáng sớm nước được mang xuống."),
            ("Lọc và nấu", "Nước được lọc sạch, nấu trong chảo gang trên bếp củi, khuấy đều nhiều giờ liền."),
            ("Sên đường", "Khi nước sánh lại, người nấu sên đến khi đường đặc, đổ khuôn hoặc đánh tơi thành "
             "đường cát."),
            ("Đóng gói", "Đường nguội được đóng túi, dán nhãn, ghi ngày sản xuất."),
        ),
        area_name="Những hàng thốt nốt ở Tri Tôn",
        area_text=(
            "<p>Cây thốt nốt mọc trên bờ ruộng quanh các phum, sóc của đồng bào Khmer ở Tri Tôn và Tịnh Biên, dưới "
            "chân các ngọn núi vùng Bảy Núi. Hợp tác xã thu mua nước thốt nốt của các hộ thành viên quanh ấp Tô "
            "Thuận.</p>"
        ),
        products_heading="Sản phẩm thốt nốt của hợp tác xã",
        gallery_heading="Một ngày nấu đường",
        gallery=(
            ("Hình minh họa: hàng cây thốt nốt trên bờ ruộng lúc sáng sớm.", "Thốt nốt trên bờ ruộng"),
            ("Hình minh họa: thang tre buộc dọc thân một cây thốt nốt cao.", "Thang tre lên ngọn cây"),
            ("Hình minh họa: chảo gang nấu nước thốt nốt trên bếp củi đỏ lửa.", "Nấu đường trên bếp củi"),
        ),
    ),
    en=StoryText(
        title="Tri Tôn palm sugar: sweetness from the treetops of Bảy Núi",
        slug="tri-ton-palm-sugar",
        summary=(
            "In the dry season, Khmer farmers in Tri Tôn climb the sugar palms for their sap and boil it into sugar "
            "over wood fires. The Tri Tôn Palm Sugar Cooperative keeps that craft alive and brings the sugar to "
            "buyers far away."
        ),
        hero_alt="Illustration: sugar palms along the rice-field banks below the mountains, with the product's name.",
        paragraphs=(
            "<p>Rows of sugar palms standing among the rice fields are the signature of the Bảy Núi (Seven "
            "Mountains) region. For the Khmer people of Tri Tôn and Tịnh Biên the palm has long been part of daily "
            "life: its fruit is eaten, its leaves thatch roofs and become baskets, and above all the sap of its "
            "flowers is boiled into sugar.</p>",
            "<p>Tapping begins when the dry season sets in. Climbers lash bamboo poles along the trunk as a ladder, "
            "climb to the crown, cut the flower stalks and hang tubes to collect the sap. Early in the morning the "
            "sap is brought down and boiled the same day, because it soon turns sour.</p>",
            "<p>The cooperative's palm sugar is golden brown, gently sweet, with a faint scent of wood smoke. It goes "
            "into sweet soups, braised fish, steamed rice cakes and drinks. Keep it dry and tightly closed so that "
            "it does not weep.</p>",
        ),
        quote=(
            "Climbing the palms is hard work, but as long as the trees give sweet sap we keep the craft. Good sugar "
            "comes from watching the fire; you cannot hurry it."
        ),
        quote_role="Director, Tri Tôn Palm Sugar Cooperative",
        timeline_heading="From the treetop to a bag of sugar",
        steps=(
            ("Climbing and cutting", "With a bamboo ladder lashed to the trunk, the climber cuts the tip of the "
             "flower stalk so that the sap runs."),
            ("Collecting the sap", "Tubes hang under the flowers overnight; the sap comes down early in the morning."),
            ("Filtering and boiling", "The sap is filtered and boiled in a cast-iron pan over a wood fire, stirred "
             "for hours."),
            ("Reducing", "As it thickens it is stirred until dense, then poured into moulds or beaten into granules."),
            ("Packing", "The cooled sugar is bagged, labelled and dated."),
        ),
        area_name="The sugar palms of Tri Tôn",
        area_text=(
            "<p>Sugar palms grow on the field banks around the Khmer hamlets of Tri Tôn and Tịnh Biên, at the foot "
            "of the Bảy Núi mountains. The cooperative buys the sap of its member households around Tô Thuận "
            "hamlet.</p>"
        ),
        products_heading="The cooperative's palm products",
        gallery_heading="A day of sugar making",
        gallery=(
            ("Illustration: sugar palms on a field bank in the early morning.", "Palms on the field banks"),
            ("Illustration: a bamboo ladder lashed along the trunk of a tall sugar palm.",
             "A bamboo ladder to the crown"),
            ("Illustration: a cast-iron pan of palm sap boiling over a glowing wood fire.", "Boiling over a wood fire"),
        ),
    ),
)

GAO_NANG_NHEN = Story(
    name="Gạo Nàng Nhen Bảy Núi",
    producer_code="htx-lua-gao-nang-nhen-bay-nui",
    products=("Gạo Nàng Nhen thơm túi 5kg", "Gạo lứt Nàng Nhen túi 2kg"),
    person="Néang Sa Phia",
    scene="paddy",
    vi=StoryText(
        title="Gạo Nàng Nhen: một vụ lúa mùa dưới chân núi",
        slug="gao-nang-nhen-bay-nui",
        summary=(
            "Nàng Nhen là giống lúa mùa thơm của đồng bào Khmer vùng Bảy Núi, mỗi năm chỉ trồng một vụ. Hợp tác "
            "xã ở An Cư giữ giống lúa và cách canh tác cũ để hạt gạo giữ được mùi thơm riêng."
        ),
        hero_alt="Hình minh họa: ruộng lúa chín vàng dưới chân núi, xa xa là hàng thốt nốt, kèm tên sản phẩm.",
        paragraphs=(
            "<p>Trên những thửa ruộng chân núi ở Tịnh Biên, Tri Tôn, đồng bào Khmer trồng lúa Nàng Nhen từ nhiều "
            "đời. Đây là giống lúa mùa: gieo khi mùa mưa đến, gặt khi trời vào mùa khô, mỗi năm một vụ. Cây lúa "
            "cao, thời gian sinh trưởng dài, năng suất không bằng các giống lúa ngắn ngày.</p>",
            "<p>Bù lại, gạo Nàng Nhen hạt nhỏ, nấu cơm mềm, dẻo vừa và thơm. Các thành viên hợp tác xã canh tác "
            "theo lịch mùa mưa, không dùng phân bón hóa học và tự để giống cho vụ sau.</p>",
            "<p>Lúa được xay theo từng đợt nhỏ để gạo luôn mới. Khi nấu, chỉ nên vo nhẹ và cho ít nước hơn gạo "
            "thường một chút; cơm Nàng Nhen ngon nhất khi ăn với cá kho, canh chua hay mắm của vùng Bảy Núi.</p>",
        ),
        quote=(
            "Lúa Nàng Nhen trồng lâu, một năm có một vụ, nhưng ai ăn cơm rồi cũng nhớ mùi thơm. Giữ giống lúa này "
            "là giữ cái nghề của ông bà."
        ),
        quote_role="Giám đốc Hợp tác xã Lúa gạo Nàng Nhen Bảy Núi",
        timeline_heading="Một năm của hạt gạo Nàng Nhen",
        steps=(
            ("Gieo mạ đầu mùa mưa", "Khi những cơn mưa đầu mùa làm mềm đất, bà con gieo mạ từ hạt giống tự để."),
            ("Cấy và chăm lúa", "Mạ được cấy xuống ruộng chân núi; lúa lớn nhờ nước mưa, được làm cỏ bằng tay."),
            ("Gặt lúa chín", "Cuối năm, khi trời vào mùa khô, lúa chín vàng được gặt và phơi khô."),
            ("Xay xát, đóng túi", "Lúa được xay theo từng đợt nhỏ, đóng túi hút chân không để giữ gạo mới."),
        ),
        area_name="Ruộng lúa chân núi ở An Cư, Tịnh Biên",
        area_text=(
            "<p>Ruộng của các hộ thành viên nằm quanh ấp Văn Trà, xã An Cư, nơi những thửa ruộng lúa mùa xen với "
            "hàng thốt nốt dưới chân núi.</p>"
        ),
        products_heading="Gạo của hợp tác xã",
    ),
)

KHO_CA_DONG = Story(
    name="Khô cá đồng Vĩnh Hậu",
    producer_code="hkd-ba-ba-kho-ca",
    products=("Khô cá linh gói 250g", "Khô cá chạch gói 250g"),
    person="Nguyễn Thị Ba",
    scene="drying",
    vi=StoryText(
        title="Khô cá đồng bên dòng Bình Di",
        slug="kho-ca-dong-vinh-hau",
        summary=(
            "Ba thế hệ trong gia đình bà Nguyễn Thị Ba làm khô cá đồng mùa nước nổi ở Vĩnh Hậu. Cá linh, cá chạch "
            "được làm sạch, ướp vừa ăn và phơi trên giàn tre ngay bờ sông."
        ),
        hero_alt="Hình minh họa: giàn tre phơi cá dưới nắng bên bờ sông, kèm tên sản phẩm.",
        paragraphs=(
            "<p>Vĩnh Hậu nằm ở vùng biên giới đầu nguồn, bên dòng Bình Di, nơi nước lũ về sớm mỗi năm. Khi con "
            "nước lên, cá đồng theo nước vào ruộng, vào kênh, và những giàn phơi cá lại phủ kín sân nhà, bờ "
            "sông.</p>",
            "<p>Gia đình bà Ba làm khô từ thời bà ngoại. Cá mua của bà con đánh bắt trong vùng, làm sạch ngay khi "
            "còn tươi, ướp muối và chút đường vừa đủ để thịt cá ngọt, không mặn gắt. Khô chỉ phơi bằng nắng tự "
            "nhiên và được đóng gói khi vừa đủ khô, không dùng chất bảo quản.</p>",
            "<p>Khô cá linh nướng than hay chiên giòn đều ngon, ăn với cơm trắng hoặc làm món nhắm. Khô cá chạch "
            "thịt dày hơn, hợp chiên giòn chấm nước mắm me. Sau khi mở gói, nên cất khô trong ngăn mát tủ "
            "lạnh.</p>",
        ),
        quote=(
            "Khô ngon là nhờ cá tươi với cái nắng. Trời âm u là tôi không phơi, thà bán ít chứ không để khô bị "
            "hôi."
        ),
        quote_role="Chủ hộ kinh doanh Bà Ba Khô Cá",
        timeline_heading="Một mẻ khô cá",
        steps=(
            ("Mua cá sáng sớm", "Cá được mua từ xuồng của bà con vừa đánh bắt về, chọn con còn tươi."),
            ("Làm sạch", "Cá được làm sạch vảy, bỏ ruột và rửa kỹ bằng nước sạch."),
            ("Ướp", "Cá ướp muối, đường theo tỉ lệ của gia đình, để thấm vài giờ."),
            ("Phơi nắng", "Cá xếp lên giàn tre, phơi nắng tự nhiên, trở mặt đều tay."),
            ("Đóng gói", "Khô vừa đủ nắng được cân, đóng gói và dán nhãn."),
        ),
        area_name="Đồng nước nổi Vĩnh Hậu, ven sông Bình Di",
        area_text=(
            "<p>Cá linh, cá chạch, cá rô được bà con đánh bắt trên sông Bình Di và những cánh đồng ngập nước quanh "
            "Vĩnh Hậu vào mùa nước nổi.</p>"
        ),
        products_heading="Khô cá của gia đình bà Ba",
    ),
)

BANH_BO_THOT_NOT = Story(
    name="Bánh bò thốt nốt Tịnh Biên",
    producer_code="hkd-banh-bo-thot-not-tinh-bien",
    products=("Bánh bò thốt nốt hộp 10 cái", "Bánh thốt nốt sấy giòn gói 200g"),
    person="Lê Thị Út",
    scene="cakes",
    vi=StoryText(
        title="Bánh bò thốt nốt của cô Út ở Tịnh Biên",
        slug="banh-bo-thot-not-co-ut",
        summary=(
            "Mỗi sáng, bếp nhà cô Lê Thị Út ở Tịnh Biên ra lò những mẻ bánh bò vàng ươm, thơm mùi đường thốt nốt "
            "và nước cốt dừa. Bột được xay từ gạo và ủ từ đêm hôm trước."
        ),
        hero_alt="Hình minh họa: khay bánh bò thốt nốt vàng nâu trên bàn gỗ, kèm tên sản phẩm.",
        paragraphs=(
            "<p>Bánh bò thốt nốt là món quà quê quen thuộc của khách đi Bảy Núi. Ở Tịnh Biên, nhiều nhà làm bánh "
            "bằng đường thốt nốt nấu ngay tại địa phương, vì đường cho bánh màu vàng nâu và vị ngọt thanh mà "
            "đường cát trắng không có.</p>",
            "<p>Cô Út học làm bánh từ mẹ. Gạo được ngâm rồi xay thành bột nước, ủ men cho bột nở; đường thốt nốt "
            "nấu tan với nước cốt dừa rồi mới trộn vào bột. Mẻ bánh ngon là khi bánh nở đều, cắt ra thấy những "
            "thớ bánh xốp như rễ tre.</p>",
            "<p>Bánh bò làm mới mỗi sáng và ngon nhất trong ngày; muốn để lâu hơn, hãy cất bánh trong ngăn mát và "
            "hấp lại trước khi ăn. Bánh thốt nốt sấy giòn để được lâu, hợp làm quà mang đi xa.</p>",
        ),
        quote=(
            "Đường thốt nốt phải là đường nấu ở đây thì bánh mới thơm. Tôi làm bánh mỗi sáng, bán hết thì thôi, "
            "không để bánh qua đêm."
        ),
        quote_role="Chủ hộ kinh doanh Bánh bò thốt nốt Cô Út",
        timeline_heading="Một mẻ bánh bò",
        steps=(
            ("Ngâm và xay gạo", "Gạo được ngâm mềm rồi xay thành bột nước thật mịn."),
            ("Ủ bột", "Bột trộn men, ủ qua đêm cho lên men và nở."),
            ("Nấu đường thốt nốt", "Đường thốt nốt nấu tan với nước cốt dừa, để nguội rồi trộn vào bột."),
            ("Nướng bánh", "Bột được đổ vào khuôn, nướng đến khi bánh nở đều, mặt vàng nâu."),
        ),
        area_name="Đường thốt nốt Tịnh Biên, Tri Tôn",
        area_text=(
            "<p>Đường làm bánh được mua của các hộ nấu đường thốt nốt quanh Tịnh Biên và Tri Tôn, nơi những hàng "
            "thốt nốt mọc trên bờ ruộng dưới chân núi.</p>"
        ),
        products_heading="Bánh của cô Út",
    ),
)

TRA_KHO_QUA = Story(
    name="Trà khổ qua rừng Thất Sơn",
    producer_code="cong-ty-duoc-lieu-that-son",
    products=("Trà khổ qua rừng túi lọc hộp 25 gói",),
    person="Lương Minh Khoa",
    scene="tea",
    vi=StoryText(
        title="Trà khổ qua rừng dưới chân Núi Cấm",
        slug="tra-kho-qua-rung-nui-cam",
        summary=(
            "Khổ qua rừng trồng trên vùng đất dưới chân Núi Cấm được thu hái, rửa sạch và sấy lạnh để làm trà túi "
            "lọc. Vị đắng nhẹ, hậu ngọt, pha nhanh cho mỗi ngày."
        ),
        hero_alt="Hình minh họa: ấm trà và tách trà bên những lá khổ qua xanh, kèm tên sản phẩm.",
        paragraphs=(
            "<p>Khổ qua rừng là loại dây leo trái nhỏ, vị đắng hơn khổ qua thường. Ở vùng Thất Sơn, người dân quen "
            "hái dây lá khổ qua rừng phơi khô, nấu nước uống. Công ty TNHH Dược liệu Thất Sơn trồng khổ qua rừng "
            "trên vùng đất dưới chân Núi Cấm và làm thành trà túi lọc để việc pha uống tiện hơn.</p>",
            "<p>Dây lá được thu hái khi đủ độ, rửa sạch, cắt khúc rồi sấy ở nhiệt độ thấp (sấy lạnh) để giữ màu "
            "xanh và mùi thơm của lá. Trà được nghiền vừa, đóng vào túi lọc, mỗi túi pha một ấm nhỏ.</p>",
            "<p>Trà có vị đắng nhẹ, hậu ngọt, uống nóng hay để nguội đều được. Sản phẩm là thực phẩm dùng hằng "
            "ngày, không phải là thuốc và không có tác dụng thay thế thuốc chữa bệnh.</p>",
        ),
        quote=(
            "Mình muốn người uống biết ly trà đến từ đâu: từ luống khổ qua dưới chân Núi Cấm, hái lúc sáng sớm, "
            "sấy ngay trong ngày."
        ),
        quote_role="Giám đốc Công ty TNHH Dược liệu Thất Sơn",
        timeline_heading="Từ luống khổ qua đến túi trà",
        steps=(
            ("Trồng và chăm", "Khổ qua rừng leo trên giàn tre, được làm cỏ và tưới nước bằng tay."),
            ("Thu hái", "Dây, lá và trái non được hái vào buổi sáng."),
            ("Rửa và cắt", "Nguyên liệu được rửa sạch, để ráo và cắt khúc ngắn."),
            ("Sấy lạnh", "Khổ qua được sấy ở nhiệt độ thấp cho khô đều mà vẫn giữ màu xanh."),
            ("Đóng túi lọc", "Trà được nghiền vừa, đóng túi lọc và hộp, ghi ngày sản xuất."),
        ),
        area_name="Vùng trồng dược liệu dưới chân Núi Cấm",
        area_text=(
            "<p>Vùng trồng của công ty nằm ở ấp Vồ Đầu, xã Núi Cấm, trên đất dốc thoải dưới chân ngọn núi cao nhất "
            "vùng Bảy Núi.</p>"
        ),
        products_heading="Trà khổ qua rừng",
    ),
)

RUOU_NEP = Story(
    name="Rượu nếp Hòa Lạc",
    producer_code="hkd-ruou-nep-hoa-lac",
    products=("Rượu nếp Hòa Lạc 40 độ chai 500ml", "Cơm rượu nếp than hũ 500g"),
    person="Nguyễn Văn Tiền",
    scene="wine",
    vi=StoryText(
        title="Rượu nếp Hòa Lạc: lò rượu nhà ông Năm Tiền",
        slug="ruou-nep-hoa-lac",
        summary=(
            "Ở Hòa Lạc, Phú Tân, lò rượu gia đình ông Nguyễn Văn Tiền nấu rượu từ nếp của vùng và men lá, chưng "
            "cất hai lần cho rượu êm. Rượu chỉ bán cho người từ đủ 18 tuổi."
        ),
        hero_alt="Hình minh họa: chum sành và chai rượu nếp trên kệ gỗ, kèm tên sản phẩm.",
        paragraphs=(
            "<p>Phú Tân là vùng trồng nếp lâu đời của An Giang. Nếp ở đây dẻo, thơm, là nguyên liệu của bánh phồng "
            "Phú Mỹ, của bánh tét ngày Tết và của những lò rượu nhỏ nằm dọc các con kênh ở Hòa Lạc.</p>",
            "<p>Lò rượu của gia đình ông Năm Tiền dùng nếp Phú Tân và men lá. Cơm nếp nấu xong được để nguội, rắc "
            "men, ủ cho lên men rồi mới đem chưng cất. Rượu được chưng hai lần, bỏ phần rượu đầu và rượu cuối, chỉ "
            "giữ phần giữa cho rượu trong, êm và thơm mùi nếp.</p>",
            "<p>Rượu nếp thường có mặt trong bữa cơm gia đình, ngày giỗ, ngày Tết. Hãy uống có chừng mực và không "
            "lái xe sau khi uống rượu. Theo quy định, chợ chỉ bán rượu cho người từ đủ 18 tuổi.</p>",
        ),
        quote=(
            "Nấu rượu không khó, cái khó là kiên nhẫn. Nếp phải ủ đủ ngày, lửa chưng phải đều thì rượu mới êm."
        ),
        quote_role="Chủ hộ kinh doanh Rượu nếp Năm Tiền",
        timeline_heading="Từ hạt nếp đến chai rượu",
        steps=(
            ("Nấu cơm nếp", "Nếp Phú Tân được vo sạch, nấu chín rồi trải ra nia cho nguội."),
            ("Rắc men, ủ", "Cơm nếp trộn men lá, ủ trong khạp vài ngày cho lên men."),
            ("Chưng cất lần đầu", "Cơm rượu được chưng trên bếp; hơi rượu đi qua ống làm lạnh và ngưng thành rượu."),
            ("Chưng lần hai", "Rượu được chưng lại lần nữa, chỉ giữ phần rượu giữa."),
            ("Để rượu nghỉ, đóng chai", "Rượu để nghỉ trong chum sành rồi mới lọc và đóng chai."),
        ),
        area_name="Vùng nếp Phú Tân",
        area_text=(
            "<p>Nếp được mua của nông dân quanh Hòa Lạc, Phú Tân, vùng đất phù sa nằm giữa sông Tiền và sông "
            "Hậu.</p>"
        ),
        products_heading="Sản phẩm của lò rượu",
    ),
)

LUA_TAN_CHAU = Story(
    name="Lụa Tân Châu",
    producer_code="htx-det-lua-tan-chau",
    products=("Khăn lụa tơ tằm Tân Châu", "Lãnh Mỹ A Tân Châu cuộn 2m"),
    person="Trần Thị Kim Loan",
    scene="silk",
    gallery_scenes=("loom", "silk", "scarves"),
    vi=StoryText(
        title="Lụa Tân Châu và sắc đen lãnh Mỹ A",
        slug="lua-tan-chau-lanh-my-a",
        summary=(
            "Ở Tân Châu, khung dệt vẫn dệt lụa tơ tằm, và tấm lãnh Mỹ A vẫn được nhuộm bằng trái mặc nưa, phơi "
            "nắng nhiều lần cho đen bóng. Hợp tác xã Dệt lụa Tân Châu giữ nghề bên dòng sông Tiền."
        ),
        hero_alt="Hình minh họa: những tấm lụa đen phơi trên giàn tre dưới nắng, kèm tên sản phẩm.",
        paragraphs=(
            "<p>Tân Châu nằm bên bờ sông Tiền, nơi nghề trồng dâu, nuôi tằm, dệt lụa đã có từ lâu đời. Lãnh Mỹ A, "
            "tấm lụa đen bóng và mịn, từng là niềm tự hào của phụ nữ Nam Bộ trong những chiếc quần lãnh, áo bà "
            "ba.</p>",
            "<p>Màu đen của lãnh Mỹ A không đến từ thuốc nhuộm hóa học mà từ trái mặc nưa. Trái được giã lấy nước; "
            "vải ngâm vào nước mặc nưa rồi đem phơi nắng, cứ thế lặp lại nhiều lần cho đến khi mặt lụa đen đều và "
            "bóng. Công đoạn này cần nắng tốt và người thợ nhiều kinh nghiệm.</p>",
            "<p>Ngoài lãnh Mỹ A, các thành viên hợp tác xã dệt khăn lụa tơ tằm nhiều màu và may áo bà ba bằng "
            "lụa. Lụa tơ tằm nên giặt tay bằng nước lạnh, không vắt mạnh và phơi nơi râm mát.</p>",
        ),
        quote=(
            "Một tấm lãnh phải nhuộm, phơi nhiều lần mới đen được như vậy. Nghề này cần kiên nhẫn, và tôi muốn con "
            "cháu mình còn giữ được."
        ),
        quote_role="Giám đốc Hợp tác xã Dệt lụa Tân Châu",
        timeline_heading="Từ sợi tơ đến tấm lãnh",
        steps=(
            ("Chọn tơ", "Sợi tơ tằm được chọn đều, se và hồ cho chắc trước khi lên khung."),
            ("Dệt", "Người thợ dệt trên khung, canh từng đường sợi cho mặt vải phẳng và mịn."),
            ("Nhuộm mặc nưa", "Vải được ngâm trong nước trái mặc nưa rồi phơi nắng, lặp lại nhiều lần."),
            ("Hoàn thiện", "Vải đã đen đều được giặt, phơi, làm mặt cho bóng rồi cắt và cuộn."),
        ),
        area_name="Làng nghề dệt ven sông Tiền, Tân Châu",
        area_text=(
            "<p>Làng nghề dệt nằm dọc bờ sông Tiền ở Tân Châu, nơi khung dệt và những giàn phơi lụa nhuộm mặc nưa "
            "nằm ngay trong xóm.</p>"
        ),
        products_heading="Lụa của hợp tác xã",
        gallery_heading="Ở xưởng dệt",
        gallery=(
            ("Hình minh họa: khung dệt tay bằng gỗ với những sợi tơ căng thẳng.", "Khung dệt tay"),
            ("Hình minh họa: những tấm lụa đen nhuộm mặc nưa phơi trên giàn tre.", "Phơi lãnh sau khi nhuộm"),
            ("Hình minh họa: khăn lụa tơ tằm nhiều màu xếp trên kệ gỗ.", "Khăn lụa tơ tằm"),
        ),
    ),
    en=StoryText(
        title="Tân Châu silk and the deep black of lãnh Mỹ A",
        slug="tan-chau-silk-lanh-my-a",
        summary=(
            "In Tân Châu, looms still weave mulberry silk, and lãnh Mỹ A is still dyed with ebony fruit and dried in "
            "the sun again and again until it shines black. The Tân Châu Silk Weaving Cooperative keeps the craft "
            "alive on the banks of the Tiền River."
        ),
        hero_alt="Illustration: lengths of black silk drying on bamboo rails in the sun, with the product's name.",
        paragraphs=(
            "<p>Tân Châu lies on the Tiền River, where growing mulberry, raising silkworms and weaving silk go back a "
            "long way. Lãnh Mỹ A, a smooth, glossy black silk, was once the pride of southern Vietnamese women, worn "
            "as silk trousers and áo bà ba blouses.</p>",
            "<p>The black of lãnh Mỹ A comes not from chemical dye but from the fruit of the mặc nưa ebony tree. The "
            "fruit is crushed for its juice; the cloth is soaked in it and laid out in the sun, over and over, until "
            "the silk is evenly black and lustrous. It takes good sunshine and an experienced hand.</p>",
            "<p>Besides lãnh Mỹ A, the cooperative's members weave silk scarves in many colours and sew silk áo bà "
            "ba. Wash silk by hand in cold water, do not wring it, and dry it in the shade.</p>",
        ),
        quote=(
            "A length of lãnh has to be dyed and sun-dried many times to turn that black. The craft takes patience, "
            "and I want our children to carry it on."
        ),
        quote_role="Director, Tân Châu Silk Weaving Cooperative",
        timeline_heading="From thread to lãnh",
        steps=(
            ("Choosing the thread", "Even silk thread is chosen, twisted and sized before it goes on the loom."),
            ("Weaving", "The weaver works at the loom, keeping every thread true so the cloth is flat and smooth."),
            ("Ebony-fruit dyeing", "The cloth is soaked in mặc nưa juice and dried in the sun, many times over."),
            ("Finishing", "The evenly black cloth is washed, dried and polished to a shine, then cut and rolled."),
        ),
        area_name="The weaving village on the Tiền River, Tân Châu",
        area_text=(
            "<p>The weaving village runs along the Tiền River in Tân Châu, where looms and the racks of ebony-dyed "
            "silk stand among the houses.</p>"
        ),
        products_heading="The cooperative's silk",
        gallery_heading="At the weaving workshop",
        gallery=(
            ("Illustration: a wooden hand loom with taut silk threads.", "A hand loom"),
            ("Illustration: black ebony-dyed silk drying on bamboo rails.", "Drying lãnh after dyeing"),
            ("Illustration: silk scarves in many colours stacked on a wooden shelf.", "Silk scarves"),
        ),
    ),
)

THO_CAM_CHAM = Story(
    name="Thổ cẩm Chăm Châu Phong",
    producer_code="tht-det-tho-cam-cham-chau-phong",
    products=("Khăn choàng Chăm Châu Phong",),
    person="Sa Ly Mah",
    scene="weave",
    area_slug="chau-doc",
    vi=StoryText(
        title="Khung dệt Chăm bên sông Hậu",
        slug="tho-cam-cham-chau-phong",
        summary=(
            "Ở Châu Phong, bên kia sông Hậu nhìn sang Châu Đốc, phụ nữ Chăm dệt khăn, xà rông trên khung dệt tay "
            "với hoa văn truyền từ bà, từ mẹ. Tổ hợp tác giúp các chị đưa sản phẩm đến người mua ở xa."
        ),
        hero_alt="Hình minh họa: tấm thổ cẩm đỏ với các dải hoa văn hình thoi, kèm tên sản phẩm.",
        paragraphs=(
            "<p>Cộng đồng người Chăm ở An Giang sống dọc sông Hậu, quanh các thánh đường Hồi giáo ở Châu Phong. Bên "
            "cạnh buôn bán và đánh cá, nghề dệt vẫn được nhiều gia đình gìn giữ trong những ngôi nhà sàn ven "
            "sông.</p>",
            "<p>Tổ hợp tác Dệt thổ cẩm Chăm Châu Phong tập hợp những phụ nữ còn dệt tay. Khung dệt làm bằng gỗ; "
            "người dệt vừa đạp go vừa luồn thoi, mỗi tấm khăn mất nhiều ngày. Hoa văn hình thoi, ô vuông và các dải "
            "màu được dệt theo mẫu riêng của từng nhà.</p>",
            "<p>Khăn choàng, xà rông và túi thổ cẩm là món quà mang dấu ấn văn hóa Chăm. Khách đến Châu Đốc có thể "
            "qua đò sang Châu Phong xem dệt tại nhà; trên chợ, sản phẩm được gửi đi từ tổ hợp tác.</p>",
        ),
        quote=(
            "Tôi học dệt từ hồi mười mấy tuổi, ngồi bên mẹ mà học. Giờ tôi dạy lại cho con gái, để hoa văn của "
            "mình không mất."
        ),
        quote_role="Tổ trưởng Tổ hợp tác Dệt thổ cẩm Chăm Châu Phong",
        timeline_heading="Một tấm khăn thổ cẩm",
        steps=(
            ("Chuẩn bị sợi", "Sợi được nhuộm màu, phơi khô rồi quấn vào ống."),
            ("Mắc khung", "Sợi dọc được mắc lên khung dệt gỗ theo số sợi của từng mẫu."),
            ("Dệt hoa văn", "Người dệt đạp go, luồn thoi, nhặt từng sợi để tạo hoa văn."),
            ("Hoàn thiện", "Tấm vải được cắt, kết tua, may thành khăn, xà rông hoặc túi."),
        ),
        area_name="Làng Chăm Châu Phong, bên kia sông Hậu",
        area_text=(
            "<p>Châu Phong nằm đối diện Châu Đốc qua sông Hậu; từ bến đò Châu Đốc, khách qua sông một chặng ngắn là "
            "tới làng. Điểm OCOP Châu Đốc cũng giới thiệu tour làng Chăm Châu Phong.</p>"
        ),
        products_heading="Khăn thổ cẩm của tổ hợp tác",
    ),
)

MAT_ONG_U_MINH = Story(
    name="Mật ong U Minh Thượng",
    producer_code="htx-ong-mat-u-minh-thuong",
    products=("Mật ong U Minh Thượng chai 500ml", "Phấn hoa tràm U Minh hũ 200g"),
    person="Nguyễn Thị Diễm",
    scene="honey",
    vi=StoryText(
        title="Gác kèo ong trong rừng tràm U Minh Thượng",
        slug="mat-ong-u-minh-thuong",
        summary=(
            "Người U Minh Thượng không nuôi ong trong thùng mà gác kèo trong rừng tràm để ong rừng về làm tổ. Hợp "
            "tác xã khai thác mật theo mùa, chừa lại phần tổ non để đàn ong còn quay về."
        ),
        hero_alt="Hình minh họa: thân tràm và tầng sáp ong vàng óng trong rừng, kèm tên sản phẩm.",
        paragraphs=(
            "<p>Rừng tràm U Minh Thượng là vùng đất ngập nước ở phía nam tỉnh, nơi mùa hoa tràm nở trắng cũng là "
            "mùa của ong rừng. Từ lâu, người dân ở đây có nghề gác kèo: dựng những cây kèo nghiêng dưới tán tràm, "
            "chọn chỗ có bóng râm và hướng gió hợp để đàn ong rừng tìm đến làm tổ.</p>",
            "<p>Khi tổ đủ mật, người gác kèo dùng bó khói xua ong rồi chỉ cắt phần tàng mật, chừa phần tổ có ong "
            "non. Cách lấy mật này giữ cho đàn ong sống và quay về kèo ở mùa sau. Mật được lọc, để lắng rồi đóng "
            "chai, không pha trộn.</p>",
            "<p>Mật ong tràm có màu vàng sậm và mùi thơm riêng của hoa tràm. Để lâu, mật có thể kết tinh; đó là "
            "hiện tượng tự nhiên, chỉ cần ngâm chai vào nước ấm cho mật tan lại. Không cho trẻ dưới một tuổi dùng "
            "mật ong.</p>",
        ),
        quote=(
            "Lấy mật thì phải chừa tổ cho ong. Làm tận thì mùa sau ong không về, rừng cũng buồn."
        ),
        quote_role="Giám đốc Hợp tác xã Ong mật U Minh Thượng",
        timeline_heading="Một mùa mật tràm",
        steps=(
            ("Gác kèo", "Trước mùa hoa, người gác kèo dựng kèo dưới tán tràm, phát quang vừa đủ cho ong bay."),
            ("Chờ ong về", "Đàn ong rừng chọn kèo làm tổ; người gác kèo thăm kèo và giữ yên cho ong."),
            ("Lấy mật", "Khi tổ đủ mật, dùng khói xua ong, cắt phần tàng mật và chừa phần tổ non."),
            ("Lọc và đóng chai", "Mật được lọc, để lắng rồi đóng chai, ghi ngày khai thác."),
        ),
        area_name="Rừng tràm U Minh Thượng",
        area_text=(
            "<p>Kèo ong của các thành viên nằm trong rừng tràm quanh ấp Cạnh Đền 3, xã U Minh Thượng, trên vùng "
            "đất than bùn ngập nước theo mùa.</p>"
        ),
        products_heading="Sản phẩm từ ong rừng tràm",
    ),
)

NUOC_MAM_PHU_QUOC = Story(
    name="Nước mắm Phú Quốc",
    producer_code="cong-ty-nuoc-mam-dao-ngoc",
    products=("Nước mắm cá cơm Phú Quốc 40 độ đạm chai 500ml", "Tham quan nhà thùng nước mắm Phú Quốc"),
    person="Trần Quang Vinh",
    scene="sea",
    area_slug="phu-quoc",
    vi=StoryText(
        title="Nước mắm Phú Quốc: cá cơm, muối và thùng gỗ",
        slug="nuoc-mam-phu-quoc",
        summary=(
            "Ở Dương Đông, nhà thùng của Công ty Nước mắm Cá cơm Đảo Ngọc ủ cá cơm than với muối trong những thùng "
            "gỗ lớn và rút nước mắm sau nhiều tháng. Khách có thể đến tận nhà thùng xem cách làm."
        ),
        hero_alt="Hình minh họa: biển Phú Quốc lúc chiều, ghe đánh cá và những thùng gỗ trên bờ, kèm tên sản phẩm.",
        paragraphs=(
            "<p>Nghề làm nước mắm ở Phú Quốc gắn với con cá cơm đánh bắt ở vùng biển quanh đảo. Cá cơm than được "
            "trộn muối ngay trên ghe khi vừa lên lưới, nên vẫn còn rất tươi khi vào thùng ủ. Nhờ vậy, nước mắm có "
            "màu cánh gián và vị ngọt hậu.</p>",
            "<p>Tại nhà thùng ở Dương Đông, cá và muối được xếp vào những thùng gỗ lớn, gài nén và ủ nhiều tháng. "
            "Khi cá đã ngấu, người thợ rút lấy nước mắm nhĩ, phần nước mắm đầu tiên và đậm nhất. Độ đạm ghi trên "
            "nhãn, như 40 độ đạm, cho biết số gam đạm có trong một lít nước mắm.</p>",
            "<p>Nước mắm nhĩ hợp để chấm; loại độ đạm vừa phải dùng nêm nếm hằng ngày. Lưu ý: nhiều hãng bay không "
            "nhận chở nước mắm; khách du lịch có thể nhờ Điểm OCOP Phú Quốc gửi hàng về nhà, hoặc đặt trên chợ để "
            "được giao tận nơi.</p>",
        ),
        quote="Nước mắm ngon là nhờ cá tươi và thời gian. Không có cách nào làm nhanh mà vẫn ngon được.",
        quote_role="Giám đốc Công ty TNHH Nước mắm Cá cơm Đảo Ngọc",
        timeline_heading="Từ con cá cơm đến chai nước mắm",
        steps=(
            ("Đánh bắt cá cơm", "Ghe ra khơi quanh đảo đánh bắt cá cơm than theo mùa."),
            ("Trộn muối trên ghe", "Cá vừa lên lưới được trộn muối ngay trên ghe để giữ tươi."),
            ("Ủ trong thùng gỗ", "Cá muối được xếp vào thùng gỗ, gài nén và ủ nhiều tháng."),
            ("Rút nước mắm nhĩ", "Khi cá đã ngấu, nước mắm nhĩ được rút ra từ vòi dưới đáy thùng."),
            ("Lọc, đóng chai", "Nước mắm được lọc trong, đóng chai và ghi độ đạm trên nhãn."),
        ),
        area_name="Biển quanh đảo Phú Quốc",
        area_text=(
            "<p>Cá cơm được đánh bắt ở vùng biển quanh đảo Phú Quốc; nhà thùng nằm ở Dương Đông, gần sông Dương "
            "Đông và chợ đêm.</p>"
        ),
        products_heading="Nước mắm và chuyến thăm nhà thùng",
    ),
    en=StoryText(
        title="Phú Quốc fish sauce: anchovies, salt and wooden vats",
        slug="phu-quoc-fish-sauce",
        summary=(
            "In Dương Đông, the Đảo Ngọc anchovy fish sauce house ferments anchovies with salt in large wooden vats "
            "and draws the sauce off after many months. Visitors can come to the fish sauce house and see how it "
            "is made."
        ),
        hero_alt="Illustration: the sea off Phú Quốc in the late afternoon, a fishing boat and wooden vats on the "
                 "shore, with the product's name.",
        paragraphs=(
            "<p>Fish sauce making on Phú Quốc depends on the anchovies caught in the waters around the island. The "
            "anchovies are mixed with salt on the boat as soon as they come out of the net, so they are still very "
            "fresh when they go into the vats. That gives the sauce its amber colour and lingering sweetness.</p>",
            "<p>At the fish sauce house in Dương Đông, fish and salt are layered into large wooden vats, weighed "
            "down and left for many months. When the fish has fully fermented, the first and richest sauce, nước "
            "mắm nhĩ, is drawn off. The protein figure on the label, such as 40°N, gives the grams of nitrogen in "
            "one litre of sauce.</p>",
            "<p>Nước mắm nhĩ is best for dipping; a sauce of moderate strength is for everyday seasoning. Note that "
            "many airlines will not carry fish sauce: travellers can have the Phú Quốc OCOP showroom ship it home, "
            "or order it on the market for delivery.</p>",
        ),
        quote="Good fish sauce comes from fresh fish and time. There is no way to make it fast and still make it good.",
        quote_role="Director, Đảo Ngọc Anchovy Fish Sauce Company",
        timeline_heading="From anchovy to a bottle of fish sauce",
        steps=(
            ("Catching anchovies", "Boats fish for anchovies around the island in season."),
            ("Salting on board", "The fish are mixed with salt on the boat as soon as they are landed."),
            ("Fermenting in wooden vats", "The salted fish are packed into wooden vats, weighed down and left for "
             "many months."),
            ("Drawing the first sauce", "When the fish has fermented, the first sauce runs from a tap at the "
             "bottom of the vat."),
            ("Filtering and bottling", "The sauce is filtered clear, bottled, and labelled with its protein "
             "content."),
        ),
        area_name="The sea around Phú Quốc",
        area_text=(
            "<p>The anchovies are caught in the waters around Phú Quốc; the fish sauce house is in Dương Đông, near "
            "the Dương Đông river and the night market.</p>"
        ),
        products_heading="Fish sauce and a visit to the vats",
    ),
)

RUNG_TRAM_TRA_SU = Story(
    name="Rừng tràm Trà Sư",
    producer_code="htx-du-lich-tra-su",
    products=("Tour rừng tràm Trà Sư nửa ngày", "Homestay ven rừng tràm Trà Sư một đêm"),
    person="Lê Thị Mỹ Hạnh",
    scene="forest",
    gallery_scenes=("forest", "birds", "tower"),
    video_url="https://www.youtube.com/watch?v=Tr4SuRungTr",
    area_slug="chau-doc",
    vi=StoryText(
        title="Một buổi chèo xuồng ở rừng tràm Trà Sư",
        slug="rung-tram-tra-su",
        summary=(
            "Người dân quanh rừng tràm Trà Sư chèo xuồng đưa khách qua thảm bèo xanh, lên tháp ngắm chim và nấu "
            "những món mùa nước nổi. Đây là dịch vụ đặt trước và trải nghiệm tại chỗ, không phải hàng gửi đi."
        ),
        hero_alt="Hình minh họa: xuồng ba lá trên kênh phủ bèo xanh dưới tán rừng tràm, kèm tên sản phẩm.",
        paragraphs=(
            "<p>Rừng tràm Trà Sư nằm ở Tịnh Biên, gần chân núi, là khu rừng ngập nước theo mùa, nổi tiếng với thảm "
            "bèo tấm phủ xanh mặt kênh và những đàn chim, cò về làm tổ. Rừng đẹp nhất vào mùa nước nổi, khi nước "
            "dâng cao dưới tán tràm.</p>",
            "<p>Hợp tác xã Du lịch cộng đồng Trà Sư tập hợp những gia đình sống ven rừng: người chèo xuồng, người "
            "nấu ăn, người nuôi ong lấy mật tràm. Khách đi xuồng máy vào rừng rồi đổi sang xuồng ba lá để vào những "
            "lối nhỏ, nghe người chèo kể chuyện rừng, chuyện mùa nước.</p>",
            "<p>Tour nửa ngày cần đặt trước ít nhất một ngày; giá tính cho một khách, gồm xuồng và áo phao. Nên mặc "
            "áo dài tay, mang nón và thuốc chống muỗi. Khách muốn ở lại có thể đặt homestay ven rừng của hợp tác "
            "xã.</p>",
        ),
        quote=(
            "Khách tới đây, mình muốn họ thấy rừng của mình như người ở đây vẫn thấy: yên, mát, có chim, có cá, có "
            "mùa nước."
        ),
        quote_role="Giám đốc Hợp tác xã Du lịch cộng đồng Trà Sư",
        timeline_heading="Một buổi ở Trà Sư",
        steps=(
            ("Đón khách ở bến", "Người của hợp tác xã đón khách, phát áo phao và dặn dò trước khi đi."),
            ("Xuồng máy vào rừng", "Xuồng máy chạy trên kênh chính dưới hàng tràm, qua thảm bèo xanh."),
            ("Xuồng ba lá vào lối nhỏ", "Khách đổi sang xuồng ba lá; người chèo đưa vào những lối kênh hẹp."),
            ("Ngắm chim", "Khách lên tháp quan sát ngắm rừng và chim, cò từ trên cao."),
            ("Bữa cơm đồng quê", "Trước khi về, khách có thể dùng bữa với cá đồng, rau đồng do bà con nấu "
             "(đặt riêng)."),
        ),
        area_name="Rừng tràm Trà Sư, Tịnh Biên",
        area_text=(
            "<p>Rừng tràm nằm ở phường Thới Sơn, cách Châu Đốc khoảng 20 km về phía Tịnh Biên. Điểm OCOP Núi Sam, "
            "trên đường từ Châu Đốc đi Tịnh Biên, có thông tin về tour.</p>"
        ),
        products_heading="Đặt tour và homestay",
        gallery_heading="Trà Sư qua tranh vẽ",
        gallery=(
            ("Hình minh họa: xuồng ba lá giữa kênh phủ bèo xanh dưới tán tràm.", "Kênh phủ bèo tấm"),
            ("Hình minh họa: đàn cò trắng bay trên ngọn rừng tràm lúc chiều.", "Cò về tổ lúc chiều"),
            ("Hình minh họa: tháp quan sát nhô lên trên tán rừng tràm.", "Tháp ngắm chim"),
        ),
        video_title="Chèo xuồng ở rừng tràm Trà Sư",
        video_caption="Video giới thiệu của hợp tác xã, mở trên YouTube.",
    ),
    en=StoryText(
        title="A morning by boat in the Trà Sư cajuput forest",
        slug="tra-su-cajuput-forest",
        summary=(
            "Families living around the Trà Sư cajuput forest paddle visitors across carpets of green duckweed, up "
            "to a bird-watching tower, and cook flood-season dishes. This is a visit you book ahead and enjoy on "
            "the spot, not a parcel."
        ),
        hero_alt="Illustration: a small wooden boat on a duckweed-covered canal under cajuput trees, with the "
                 "product's name.",
        paragraphs=(
            "<p>The Trà Sư cajuput forest lies in Tịnh Biên, near the foot of the mountains. It is a seasonally "
            "flooded forest, known for the duckweed that turns its canals green and for the flocks of storks and "
            "other birds that nest there. It is most beautiful in the flood season, when the water rises under the "
            "trees.</p>",
            "<p>The Trà Sư Community Tourism Cooperative brings together the families who live by the forest: "
            "boatmen, cooks, and beekeepers who gather cajuput honey. Visitors ride a motorboat into the forest, "
            "then change to a small rowing boat to reach the narrow channels, listening to the boatman's stories "
            "of the forest and the floods.</p>",
            "<p>The half-day tour must be booked at least one day ahead; the price is per person and includes the "
            "boats and life jackets. Wear long sleeves and bring a hat and insect repellent. To stay the night, "
            "book the cooperative's homestay by the forest.</p>",
        ),
        quote=(
            "When visitors come, we want them to see our forest the way we do: calm, cool, full of birds and fish, "
            "and of the flood season."
        ),
        quote_role="Director, Trà Sư Community Tourism Cooperative",
        timeline_heading="A morning at Trà Sư",
        steps=(
            ("Welcome at the landing", "The cooperative meets visitors, hands out life jackets and explains the "
             "trip."),
            ("By motorboat into the forest", "The motorboat runs along the main canal under the cajuput trees, "
             "through the duckweed."),
            ("By rowing boat into the channels", "Visitors change to a small rowing boat that takes them into the "
             "narrow channels."),
            ("Bird watching", "From the observation tower visitors look out over the forest and its birds."),
            ("A country meal", "Before leaving, visitors can eat field fish and wild greens cooked by local "
             "families (booked separately)."),
        ),
        area_name="Trà Sư cajuput forest, Tịnh Biên",
        area_text=(
            "<p>The forest is in Thới Sơn ward, about 20 km from Châu Đốc towards Tịnh Biên. The Núi Sam OCOP "
            "showroom, on the road from Châu Đốc to Tịnh Biên, has information about the tour.</p>"
        ),
        products_heading="Book the tour and homestay",
        gallery_heading="Trà Sư in pictures",
        gallery=(
            ("Illustration: a small boat on a duckweed-covered canal under the cajuput trees.", "Duckweed canals"),
            ("Illustration: white storks flying over the forest canopy in the evening.", "Storks coming home"),
            ("Illustration: an observation tower rising above the cajuput canopy.", "The bird-watching tower"),
        ),
        video_title="Boating in the Trà Sư cajuput forest",
        video_caption="The cooperative's introduction video, opens on YouTube.",
    ),
)

#: In publishing order: the last three are the home page's latest stories.
STORIES: tuple[Story, ...] = (
    GAO_NANG_NHEN,
    KHO_CA_DONG,
    BANH_BO_THOT_NOT,
    TRA_KHO_QUA,
    RUOU_NEP,
    THO_CAM_CHAM,
    MAT_ONG_U_MINH,
    NUOC_MAM_PHU_QUOC,
    DUONG_THOT_NOT,
    LUA_TAN_CHAU,
    RUNG_TRAM_TRA_SU,
    MAM_CA_LINH,
)

#: The programme's picks for the home page, in order of preference; the first six certified ones are shown.
STAFF_PICKS = (
    "Đường thốt nốt Tri Tôn túi 1kg",
    "Nước mắm cá cơm Phú Quốc 40 độ đạm chai 500ml",
    "Mật ong U Minh Thượng chai 500ml",
    "Gạo Nàng Nhen thơm túi 5kg",
    "Khăn lụa tơ tằm Tân Châu",
    "Mắm cá lóc Châu Đốc hũ 500g",
    "Bánh bò thốt nốt hộp 10 cái",
    "Trà khổ qua rừng túi lọc hộp 25 gói",
    "Khô cá linh gói 250g",
)
STAFF_PICKS_COUNT = 6


# ---------------------------------------------------------------- the home page (pure data)
class HomeText(NamedTuple):
    title: str
    intro: str
    hero_heading: str
    hero_text: str
    hero_alt: str
    hero_link_label: str
    staff_picks: str
    newest: str
    groups: str
    live: str
    areas: str
    stories: str


HOME_VI = HomeText(
    title="Chợ OCOP An Giang",
    intro="<p>Đặc sản An Giang được chứng nhận OCOP từ 3 sao trở lên.</p>",
    hero_heading="Chợ OCOP An Giang",  # the home page's h1 is the market's name (as on a new site)
    hero_text=(
        "Đặc sản An Giang, từ tay người làm ra: sản phẩm OCOP từ 3 sao trở lên. Xem giấy chứng nhận, đọc câu "
        "chuyện người làm ra, đặt hàng trực tuyến, xem livestream hay ghé điểm bán gần nhất."
    ),
    hero_alt="Hình minh họa: cánh đồng, hàng thốt nốt và dòng sông dưới chân núi An Giang lúc bình minh.",
    hero_link_label="Đọc câu chuyện sản phẩm",
    staff_picks="Sản phẩm chọn lọc",
    newest="Mới được chứng nhận",
    groups="Nhóm sản phẩm OCOP",
    live="Livestream bán hàng",
    areas="Điểm bán theo khu vực",
    stories="Câu chuyện sản phẩm",
)
HOME_EN = HomeText(
    title="An Giang OCOP Market",
    intro="<p>An Giang specialities certified under the OCOP programme with 3 stars or more.</p>",
    hero_heading="An Giang OCOP Market",
    hero_text=(
        "An Giang specialities, from the hands that make them: OCOP products rated 3 stars and above. Check the "
        "certificate, read the makers' stories, order online, join a livestream or visit the nearest showroom."
    ),
    hero_alt="Illustration: rice fields, sugar palms and a river below the mountains of An Giang at sunrise.",
    hero_link_label="Read the product stories",
    staff_picks="Staff picks",
    newest="Newly certified",
    groups="OCOP product groups",
    live="Livestream sales",
    areas="Showrooms by area",
    stories="Product stories",
)


# ---------------------------------------------------------------- standard pages (pure data)
class StandardText(NamedTuple):
    title: str
    slug: str
    intro: str
    body: tuple[str, ...]  # rich text paragraphs (HTML); "{name}" placeholders are filled by _standard_values()


class StandardDef(NamedTuple):
    key: str
    vi: StandardText
    en: StandardText
    show_contact_details: bool = False


OPERATOR_VI = "Văn phòng Điều phối Chương trình nông thôn mới tỉnh An Giang"
OPERATOR_EN = "An Giang Provincial Office for the New Rural Development Programme"

STANDARD_PAGES: tuple[StandardDef, ...] = (
    StandardDef(
        key="about",
        vi=StandardText(
            title="Về chương trình OCOP",
            slug="ve-chuong-trinh-ocop",
            intro=(
                "Chương trình Mỗi xã một sản phẩm (OCOP) đánh giá, phân hạng và công nhận những sản phẩm đặc trưng "
                "của địa phương. Chợ OCOP An Giang đưa các sản phẩm ấy đến gần người mua hơn."
            ),
            body=(
                "<h2>OCOP là gì</h2>"
                "<p>OCOP (One Commune One Product, “Mỗi xã một sản phẩm”) là chương trình quốc gia phát triển những "
                "sản phẩm đặc trưng của từng địa phương, do hợp tác xã, tổ hợp tác, doanh nghiệp nhỏ và hộ kinh "
                "doanh làm ra. Sản phẩm được đánh giá, phân hạng theo bộ tiêu chí ban hành kèm Quyết định số "
                "148/QĐ-TTg của Thủ tướng Chính phủ và các quyết định sửa đổi, bổ sung.</p>",
                "<h2>Hạng sao OCOP</h2>"
                "<p>Mỗi sản phẩm được chấm theo thang 100 điểm và xếp hạng từ 1 đến 5 sao:</p>"
                "<ul><li>1 sao: dưới 30 điểm;</li><li>2 sao: từ 30 đến 49 điểm;</li>"
                "<li>3 sao: từ 50 đến 69 điểm;</li><li>4 sao: từ 70 đến 89 điểm;</li>"
                "<li>5 sao: từ 90 đến 100 điểm.</li></ul>"
                "<p>Chỉ sản phẩm đạt từ 3 sao trở lên mới được công nhận là sản phẩm OCOP và được cấp giấy chứng "
                "nhận. Từ tháng 7/2025, Ủy ban nhân dân tỉnh công nhận sản phẩm 3 sao và 4 sao; sản phẩm 5 sao do "
                "cấp trung ương công nhận. Giấy chứng nhận có hiệu lực 36 tháng; khi hết hạn, sản phẩm phải được "
                "đánh giá lại mới tiếp tục mang biểu trưng OCOP.</p>",
                "<h2>Sáu nhóm sản phẩm</h2>"
                "<p>Sản phẩm OCOP gồm sáu nhóm: thực phẩm; đồ uống; dược liệu và sản phẩm từ dược liệu; hàng thủ "
                "công mỹ nghệ; sinh vật cảnh; dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch. Sản "
                "phẩm du lịch là dịch vụ: bạn đặt trước và trải nghiệm tại chỗ, không nhận qua bưu kiện.</p>",
                "<h2>Chợ OCOP An Giang</h2>"
                "<p>Chợ là kênh bán hàng chung của các chủ thể OCOP trong tỉnh. Mỗi sản phẩm ghi rõ hạng sao, số "
                "quyết định công nhận và thời hạn giấy chứng nhận; mỗi chủ thể có trang giới thiệu riêng. Ngoài "
                "bán trực tuyến, chợ có lịch livestream bán hàng, các điểm giới thiệu và bán sản phẩm OCOP theo "
                "khu vực, và những câu chuyện về người làm ra sản phẩm.</p>"
                "<p>Sản phẩm chưa được công nhận, hoặc có giấy chứng nhận đã hết hạn hay bị thu hồi, có thể vẫn "
                "hiện trên chợ để bạn tham khảo nhưng được ghi “không bán” và không thể đặt mua. Mã QR trên tem "
                "sản phẩm dẫn tới trang tra cứu giấy chứng nhận: chủ thể, hạng sao, cơ quan công nhận và thời hạn "
                "hiệu lực.</p>",
                "<h2>An Giang sau khi hợp nhất</h2>"
                "<p>Từ ngày 01/7/2025, tỉnh An Giang và tỉnh Kiên Giang hợp nhất thành tỉnh An Giang, và cấp huyện "
                "không còn. Trên chợ, chủ thể và điểm bán được ghi theo xã, phường, đặc khu hiện nay, kèm tên "
                "huyện, thị xã, thành phố cũ để bạn dễ hình dung.</p>"
                "<p>Chợ do {operator} vận hành. Trên bản trình diễn này, thông tin về đơn vị vận hành là dữ liệu "
                "mẫu.</p>",
            ),
        ),
        en=StandardText(
            title="About the OCOP programme",
            slug="about-ocop",
            intro=(
                "The One Commune One Product (OCOP) programme assesses, rates and recognises the signature products "
                "of each locality. The An Giang OCOP Market brings those products closer to buyers."
            ),
            body=(
                "<h2>What OCOP is</h2>"
                "<p>OCOP (One Commune One Product, “Mỗi xã một sản phẩm”) is Vietnam's national programme for the "
                "signature products of each locality, made by cooperatives, cooperative groups, small enterprises "
                "and household businesses. Products are assessed and rated against the criteria issued with the "
                "Prime Minister's Decision No. 148/QĐ-TTg and the decisions amending it.</p>",
                "<h2>OCOP stars</h2>"
                "<p>Each product is scored out of 100 and rated from 1 to 5 stars:</p>"
                "<ul><li>1 star: below 30 points;</li><li>2 stars: 30 to 49 points;</li>"
                "<li>3 stars: 50 to 69 points;</li><li>4 stars: 70 to 89 points;</li>"
                "<li>5 stars: 90 to 100 points.</li></ul>"
                "<p>Only products rated 3 stars or more are recognised as OCOP products and receive a certificate. "
                "Since July 2025 the provincial People's Committee recognises 3- and 4-star products, and 5-star "
                "products are recognised at national level. A certificate is valid for 36 months; after that the "
                "product must be assessed again before it may carry the OCOP mark.</p>",
                "<h2>Six product groups</h2>"
                "<p>OCOP products fall into six groups: food; beverages; medicinal herbs and herbal products; "
                "handicrafts; ornamental plants and animals; community tourism, eco-tourism and tourist sites. "
                "Tourism products are services: you book them and enjoy them on the spot, they are never sent by "
                "post.</p>",
                "<h2>The An Giang OCOP Market</h2>"
                "<p>The market is a shared sales channel for the province's OCOP producers. Every product shows its "
                "star rating, recognition decision number and certificate validity; every producer has its own "
                "profile. Besides online sales, the market runs livestream sales, showrooms in each area that "
                "introduce and sell OCOP products, and stories about the people who make them.</p>"
                "<p>A product that has not been recognised, or whose certificate has expired or been revoked, may "
                "still appear on the market for reference, but it is marked “not for sale” and cannot be ordered. "
                "The QR code on a product's label leads to the certificate check page: producer, stars, recognising "
                "authority and validity.</p>",
                "<h2>An Giang after the merger</h2>"
                "<p>On 1 July 2025 An Giang and Kiên Giang provinces merged into the new An Giang province, and "
                "districts were abolished. On the market, producers and showrooms are listed by their current "
                "commune, ward or special zone, with the former district, town or city alongside for "
                "orientation.</p>"
                "<p>The market is run by the {operator_en}. On this demonstration site the operator's details are "
                "sample data.</p>",
            ),
        ),
    ),
    StandardDef(
        key="live_rules",
        vi=StandardText(
            title="Quy định bán hàng livestream",
            slug="quy-dinh-ban-hang-livestream",
            intro=(
                "Tóm tắt những điều người dẫn, chủ thể OCOP và người mua cần biết về các phiên livestream bán hàng "
                "trên chợ."
            ),
            body=(
                "<p>Các phiên livestream trên chợ tuân theo Luật Thương mại điện tử số 122/2025/QH15 (có hiệu lực "
                "từ ngày 01/7/2026) và quy định của chợ. Bản đầy đủ ở trang <a href=\"{live_rules_url}\">Quy định "
                "livestream bán hàng</a>; dưới đây là những điểm chính.</p>",
                "<ul>"
                "<li><b>Ai được bán:</b> chủ thể OCOP đã được chợ duyệt và được Ban điều phối cho phép tổ chức "
                "livestream; Ban điều phối cũng tổ chức các phiên chung.</li>"
                "<li><b>Sản phẩm được bán:</b> chỉ sản phẩm có giấy chứng nhận OCOP còn hiệu lực; sản phẩm hết hạn "
                "hoặc bị thu hồi chứng nhận được ghi “không bán”.</li>"
                "<li><b>Giấy tờ chất lượng:</b> trước khi phát, chủ thể cung cấp cho người dẫn và cho chợ giấy tờ "
                "chứng minh điều kiện kinh doanh và chất lượng sản phẩm.</li>"
                "<li><b>Người dẫn:</b> chợ xác minh danh tính của mỗi người dẫn trước phiên đầu tiên; trang của mỗi "
                "phiên ghi rõ người dẫn và chủ thể tổ chức.</li>"
                "<li><b>Giá live:</b> chỉ áp dụng trong thời gian phiên đang phát và có thể giới hạn số suất; ngoài "
                "thời gian đó, sản phẩm bán theo giá thường.</li>"
                "<li><b>Khiếu nại:</b> mỗi trang phiên live có mẫu khiếu nại; Ban điều phối xem xét cùng chủ thể và "
                "trả lời bạn.</li>"
                "<li><b>Bản ghi:</b> bản ghi mỗi phiên được lưu 3 năm kể từ ngày phát.</li>"
                "</ul>",
                "<p>Đơn hàng đặt trong phiên live được giao, đổi trả và hoàn tiền như mọi đơn hàng khác của chợ. Xem "
                "<a href=\"{live_index_url}\">lịch livestream</a> để biết các phiên sắp tới.</p>",
            ),
        ),
        en=StandardText(
            title="Livestream selling rules",
            slug="livestream-rules",
            intro=(
                "A summary of what hosts, OCOP producers and buyers need to know about livestream sales on the "
                "market."
            ),
            body=(
                "<p>Livestream sessions on the market follow the Law on E-commerce No. 122/2025/QH15 (in force from "
                "1 July 2026) and the market's own rules. The full text is on the <a href=\"{live_rules_url}\">"
                "livestream selling rules</a> page; here are the main points.</p>",
                "<ul>"
                "<li><b>Who may sell:</b> OCOP producers approved by the market and allowed by the coordination "
                "office to run livestreams; the office also runs joint sessions.</li>"
                "<li><b>What may be sold:</b> only products holding a valid OCOP certificate; a product whose "
                "certificate has expired or been revoked is marked “not for sale”.</li>"
                "<li><b>Quality documents:</b> before going live, the producer gives the host and the market "
                "documents proving its business conditions and the quality of its products.</li>"
                "<li><b>Hosts:</b> the market verifies each host's identity before their first session; each "
                "session's page names the host and the organising producer.</li>"
                "<li><b>Live prices:</b> apply only while the session is on air and may be limited in number; at "
                "other times the product sells at its regular price.</li>"
                "<li><b>Complaints:</b> every session page has a complaint form; the coordination office looks into "
                "it with the producer and answers you.</li>"
                "<li><b>Recordings:</b> each session's recording is kept for 3 years from the day it was "
                "broadcast.</li>"
                "</ul>",
                "<p>Orders placed during a livestream are delivered, returned and refunded like any other order on "
                "the market. See the <a href=\"{live_index_url}\">livestream schedule</a> for upcoming "
                "sessions.</p>",
            ),
        ),
    ),
    StandardDef(
        key="delivery",
        vi=StandardText(
            title="Giao hàng và đổi trả",
            slug="giao-hang-va-doi-tra",
            intro=(
                "Cách chợ giao hàng, các cách thanh toán, nhận hàng tại điểm bán, và đổi trả trong {return_days} "
                "ngày kể từ khi nhận hàng."
            ),
            body=(
                "<h2>Giao hàng</h2><ul>"
                "<li>Mỗi chủ thể OCOP tự đóng gói và gửi phần hàng của mình. Một đơn có sản phẩm của nhiều chủ thể "
                "có thể đến thành nhiều kiện, vào những ngày khác nhau; bạn theo dõi từng kiện trong trang đơn "
                "hàng.</li>"
                "<li>Phí giao hàng tính cho từng kiện, theo tỉnh, thành nơi nhận và khối lượng; phí hiện đầy đủ "
                "trước khi bạn đặt hàng. Đơn đạt mức giá trị chợ công bố ở bước thanh toán được miễn phí giao "
                "hàng.</li>"
                "<li>Sản phẩm du lịch (tour, homestay, vé tham quan) không phải hàng gửi đi: bạn chọn ngày đến khi "
                "đặt và sử dụng dịch vụ tại chỗ.</li>"
                "<li>Rượu chỉ bán cho người từ đủ 18 tuổi.</li></ul>",
                "<h2>Thanh toán</h2><ul>"
                "<li><b>Thanh toán khi nhận hàng:</b> trả tiền mặt cho người giao hàng.</li>"
                "<li><b>Chuyển khoản VietQR:</b> quét mã QR bằng ứng dụng ngân hàng; số tiền và nội dung chuyển "
                "khoản đã được điền sẵn. Đơn được xử lý khi chợ nhận được tiền; nếu sau {transfer_hours} giờ vẫn "
                "chưa nhận được, đơn sẽ tự hủy.</li>"
                "<li><b>Thẻ quốc tế:</b> thanh toán bằng thẻ qua cổng Stripe, dành cho khách ở nước ngoài và khách "
                "du lịch; chợ không nhận và không lưu số thẻ của bạn.</li></ul>",
                "<h2>Nhận hàng tại điểm bán</h2>"
                "<p>Bạn có thể chọn nhận hàng tại một điểm OCOP còn hàng trên kệ. Hàng được giữ cho bạn "
                "{pickup_days} ngày kể từ khi điểm bán xác nhận đơn; sau thời gian đó, đơn chưa nhận sẽ bị hủy để "
                "hàng trở lại kệ, và tiền bạn đã trả trước được hoàn lại.</p>",
                "<h2>Đổi trả</h2><ul>"
                "<li>Bạn có thể yêu cầu trả hàng trong vòng {return_days} ngày kể từ khi nhận hàng, ngay trong "
                "trang đơn hàng: ghi lý do và gửi kèm ảnh nếu có.</li>"
                "<li>Chợ nhận trả hàng khi sản phẩm hư hỏng, sai hoặc thiếu so với đơn, hết hạn sử dụng hoặc không "
                "đúng mô tả. Thực phẩm đã mở bao bì chỉ được trả khi có lỗi về chất lượng.</li>"
                "<li>Ban điều phối xem xét cùng chủ thể và trả lời bạn. Khi yêu cầu được chấp nhận, chợ hoàn tiền "
                "cho bạn và báo cách hoàn tiền trong câu trả lời.</li></ul>",
            ),
        ),
        en=StandardText(
            title="Delivery and returns",
            slug="delivery-and-returns",
            intro=(
                "How the market delivers, the ways to pay, collecting at a showroom, and returns within "
                "{return_days} days of delivery."
            ),
            body=(
                "<h2>Delivery</h2><ul>"
                "<li>Each OCOP producer packs and sends its own part of your order. An order with products from "
                "several producers may arrive as several parcels on different days; you can follow each parcel on "
                "your order page.</li>"
                "<li>Shipping is charged per parcel, by destination province and weight, and is shown in full "
                "before you place the order. Orders above the value shown at checkout ship free.</li>"
                "<li>Tourism products (tours, homestays, entry tickets) are not parcels: you choose the date of "
                "your visit when you book and use the service on the spot.</li>"
                "<li>Alcoholic drinks are sold only to people aged 18 and over.</li></ul>",
                "<h2>Payment</h2><ul>"
                "<li><b>Cash on delivery:</b> pay the courier in cash.</li>"
                "<li><b>VietQR bank transfer:</b> scan the QR code with your banking app; the amount and the "
                "transfer reference are filled in for you. The order is processed once the money arrives; if it "
                "has not arrived after {transfer_hours} hours, the order is cancelled automatically.</li>"
                "<li><b>International card:</b> pay by card through Stripe, for buyers abroad and travellers; the "
                "market never receives or stores your card number.</li></ul>",
                "<h2>Collecting at a showroom</h2>"
                "<p>You can choose to collect your order at an OCOP showroom that has the goods on its shelf. The "
                "goods are held for you for {pickup_days} days after the showroom confirms the order; after that an "
                "uncollected order is cancelled, the goods go back on the shelf, and anything you paid in advance "
                "is refunded.</p>",
                "<h2>Returns</h2><ul>"
                "<li>You can ask to return goods within {return_days} days of delivery, from your order page: give "
                "the reason and attach photos if you have them.</li>"
                "<li>Returns are accepted when a product is damaged, wrong or missing from the order, past its "
                "use-by date, or not as described. Opened food can be returned only for a quality defect.</li>"
                "<li>The coordination office looks into the request with the producer and answers you. When a "
                "return is accepted, the market refunds you and tells you how in its answer.</li></ul>",
            ),
        ),
    ),
    StandardDef(
        key="terms",
        vi=StandardText(
            title="Điều khoản mua bán",
            slug="dieu-khoan-mua-ban",
            intro=(
                "Những điều khoản áp dụng khi bạn mua sản phẩm trên Chợ OCOP An Giang. Vui lòng đọc trước khi đặt "
                "hàng."
            ),
            body=(
                "<h2>1. Các bên</h2>"
                "<p>Chợ OCOP An Giang là website thương mại điện tử do {operator} vận hành (trên bản trình diễn "
                "này, thông tin đơn vị vận hành là dữ liệu mẫu). Người bán là các chủ thể OCOP: hợp tác xã, tổ hợp "
                "tác, doanh nghiệp và hộ kinh doanh có sản phẩm được công nhận. Hợp đồng mua bán được lập giữa bạn "
                "và chủ thể bán sản phẩm; chợ cung cấp nơi giao dịch, nhận tiền thanh toán và tiếp nhận khiếu "
                "nại.</p>",
                "<h2>2. Sản phẩm và giá</h2>"
                "<p>Giá niêm yết bằng đồng Việt Nam. Mỗi sản phẩm ghi hạng sao OCOP và thời hạn giấy chứng nhận; "
                "chỉ sản phẩm có giấy chứng nhận còn hiệu lực mới được bán. Thông tin sản phẩm do chủ thể cung cấp "
                "và chịu trách nhiệm; màu sắc trên ảnh có thể khác đôi chút so với sản phẩm thật.</p>",
                "<h2>3. Đặt hàng</h2>"
                "<p>Đơn hàng được xác lập khi bạn hoàn tất bước đặt hàng và nhận được mã đơn. Khi đặt hàng, chợ kiểm "
                "tra lại tồn kho, giá và giấy chứng nhận của từng sản phẩm; nếu một sản phẩm không còn đủ điều "
                "kiện, đơn không được tạo và bạn được báo rõ lý do.</p>",
                "<h2>4. Thanh toán và giao hàng</h2>"
                "<p>Cách thanh toán, phí và cách giao hàng, nhận hàng tại điểm bán được nêu ở trang "
                "<a linktype=\"page\" id=\"{delivery_id}\">Giao hàng và đổi trả</a>.</p>",
                "<h2>5. Hủy đơn</h2>"
                "<p>Bạn có thể liên hệ chợ để hủy đơn trước khi chủ thể gửi hàng. Đơn đã thanh toán mà bị hủy được "
                "hoàn tiền.</p>",
                "<h2>6. Đổi trả và khiếu nại</h2>"
                "<p>Bạn có thể yêu cầu trả hàng trong {return_days} ngày kể từ khi nhận hàng và gửi khiếu nại ngay "
                "trong trang đơn hàng. Ban điều phối tiếp nhận, xem xét cùng chủ thể và trả lời bạn.</p>",
                "<h2>7. Sản phẩm có điều kiện</h2>"
                "<p>Rượu chỉ bán cho người từ đủ 18 tuổi. Sản phẩm du lịch cộng đồng là dịch vụ, được đặt trước và "
                "sử dụng tại chỗ vào ngày bạn chọn.</p>",
                "<h2>8. Giải quyết tranh chấp</h2>"
                "<p>Tranh chấp được ưu tiên giải quyết bằng thương lượng, hòa giải. Nếu không thành, các bên có thể "
                "đề nghị cơ quan có thẩm quyền giải quyết theo pháp luật Việt Nam, trong đó có pháp luật về bảo vệ "
                "quyền lợi người tiêu dùng và thương mại điện tử.</p>",
            ),
        ),
        en=StandardText(
            title="Terms of sale",
            slug="terms-of-sale",
            intro="The terms that apply when you buy on the An Giang OCOP Market. Please read them before you order.",
            body=(
                "<h2>1. The parties</h2>"
                "<p>The An Giang OCOP Market is an e-commerce website run by the {operator_en} (on this "
                "demonstration site the operator's details are sample data). The sellers are OCOP producers: "
                "cooperatives, cooperative groups, enterprises and household businesses with recognised products. "
                "The contract of sale is between you and the producer selling the product; the market provides the "
                "place of sale, receives payment and takes complaints.</p>",
                "<h2>2. Products and prices</h2>"
                "<p>Prices are in Vietnamese dong. Every product shows its OCOP star rating and certificate "
                "validity; only products with a valid certificate are sold. Product information is provided by the "
                "producer, who is responsible for it; colours in photos may differ slightly from the real "
                "product.</p>",
                "<h2>3. Ordering</h2>"
                "<p>An order is made when you complete checkout and receive an order number. At that moment the "
                "market checks the stock, price and certificate of every product again; if a product no longer "
                "qualifies, the order is not created and you are told why.</p>",
                "<h2>4. Payment and delivery</h2>"
                "<p>Payment methods, shipping and collecting at a showroom are described on the "
                "<a linktype=\"page\" id=\"{delivery_id}\">Delivery and returns</a> page.</p>",
                "<h2>5. Cancelling an order</h2>"
                "<p>You can contact the market to cancel an order before the producer sends it. A paid order that "
                "is cancelled is refunded.</p>",
                "<h2>6. Returns and complaints</h2>"
                "<p>You can ask to return goods within {return_days} days of delivery and send a complaint from your "
                "order page. The coordination office looks into it with the producer and answers you.</p>",
                "<h2>7. Restricted products</h2>"
                "<p>Alcoholic drinks are sold only to people aged 18 and over. Community tourism products are "
                "services, booked ahead and used on the spot on the date you choose.</p>",
                "<h2>8. Disputes</h2>"
                "<p>Disputes are settled first by negotiation and mediation. Failing that, either party may bring "
                "the matter to the competent authority under Vietnamese law, including the law on consumer "
                "protection and e-commerce.</p>",
            ),
        ),
    ),
    StandardDef(
        key="privacy",
        vi=StandardText(
            title="Chính sách bảo mật",
            slug="chinh-sach-bao-mat",
            intro=(
                "Chợ OCOP An Giang xử lý dữ liệu cá nhân của bạn theo Nghị định số 13/2023/NĐ-CP về bảo vệ dữ liệu "
                "cá nhân. Trang này cho biết chúng tôi thu thập gì, để làm gì, lưu bao lâu và bạn có những quyền "
                "gì."
            ),
            body=(
                "<h2>1. Dữ liệu chúng tôi thu thập</h2><ul>"
                "<li>Khi bạn đặt hàng: họ tên, số điện thoại, địa chỉ giao hàng và email.</li>"
                "<li>Khi bạn tạo tài khoản: email, họ tên và mật khẩu (mật khẩu được lưu dưới dạng mã băm, không ai "
                "đọc được).</li>"
                "<li>Khi bạn gửi khiếu nại hoặc yêu cầu trả hàng: nội dung và ảnh bạn gửi.</li>"
                "<li>Khi bạn đăng ký nhắc lịch livestream: email của bạn.</li>"
                "<li>Dữ liệu cần để website hoạt động: cookie phiên làm việc, giỏ hàng và ngôn ngữ bạn chọn.</li>"
                "</ul>"
                "<p>Chúng tôi không thu thập dữ liệu cá nhân nhạy cảm. Khi bạn trả bằng thẻ, số thẻ được nhập trực "
                "tiếp vào cổng thanh toán Stripe; chợ không nhận và không lưu số thẻ.</p>",
                "<h2>2. Mục đích xử lý</h2><ul>"
                "<li>Xử lý và giao đơn hàng, liên lạc với bạn về đơn hàng;</li>"
                "<li>nhận thanh toán, hoàn tiền, giải quyết đổi trả và khiếu nại;</li>"
                "<li>gửi nhắc lịch livestream khi bạn yêu cầu;</li>"
                "<li>thực hiện nghĩa vụ theo pháp luật về kế toán, thuế và thương mại điện tử.</li></ul>"
                "<p>Chúng tôi không bán dữ liệu cá nhân và không dùng dữ liệu của bạn để quảng cáo khi chưa có sự "
                "đồng ý của bạn.</p>",
                "<h2>3. Ai nhận dữ liệu của bạn</h2>"
                "<p>Chỉ những bên cần để thực hiện đơn hàng: chủ thể OCOP bán sản phẩm cho bạn và đơn vị vận chuyển "
                "(họ tên, số điện thoại, địa chỉ giao hàng); nhân viên điểm bán nơi bạn nhận hàng; ngân hàng hoặc "
                "cổng thanh toán bạn chọn. Mỗi chủ thể chỉ thấy phần đơn hàng của mình. Chúng tôi chỉ cung cấp dữ "
                "liệu cho cơ quan nhà nước khi có yêu cầu theo quy định của pháp luật.</p>",
                "<h2>4. Thời gian lưu trữ</h2><ul>"
                "<li>Dữ liệu tài khoản: cho đến khi bạn yêu cầu xóa tài khoản.</li>"
                "<li>Dữ liệu đơn hàng và thanh toán: trong thời hạn pháp luật về kế toán, thuế yêu cầu lưu chứng "
                "từ.</li>"
                "<li>Khiếu nại, yêu cầu trả hàng: cho đến khi giải quyết xong và hết thời hạn lưu theo quy "
                "định.</li>"
                "<li>Bản ghi các phiên livestream: 3 năm kể từ ngày phát.</li></ul>",
                "<h2>5. Quyền của bạn</h2>"
                "<p>Theo Nghị định số 13/2023/NĐ-CP, bạn có quyền được biết về việc xử lý dữ liệu của mình; đồng ý "
                "hoặc rút lại sự đồng ý; xem và nhận bản sao dữ liệu; yêu cầu chỉnh sửa dữ liệu chưa đúng; yêu cầu "
                "xóa dữ liệu hoặc hạn chế xử lý; phản đối việc xử lý; khiếu nại, tố cáo và yêu cầu bồi thường theo "
                "quy định của pháp luật.</p>"
                "<p>Bạn tự xem và sửa họ tên, địa chỉ, số điện thoại trong trang tài khoản. Với các yêu cầu khác, "
                "hãy gửi email tới <a href=\"mailto:{email}\">{email}</a> hoặc gọi {phone}. Chúng tôi có thể hỏi "
                "thêm thông tin để xác minh bạn là chủ của dữ liệu, và trả lời trong thời hạn pháp luật quy định. "
                "Dữ liệu mà pháp luật buộc phải lưu (như chứng từ kế toán) chỉ được xóa khi hết thời hạn lưu.</p>",
                "<h2>6. Bảo vệ dữ liệu</h2>"
                "<p>Dữ liệu được truyền qua kết nối mã hóa (HTTPS); chỉ người có nhiệm vụ mới được truy cập. Khi có "
                "thay đổi quan trọng trong chính sách này, chúng tôi thông báo trên website trước khi áp dụng.</p>",
            ),
        ),
        en=StandardText(
            title="Privacy policy",
            slug="privacy-policy",
            intro=(
                "The An Giang OCOP Market processes your personal data under Decree No. 13/2023/NĐ-CP on personal "
                "data protection. This page explains what we collect, why, how long we keep it, and your rights."
            ),
            body=(
                "<h2>1. What we collect</h2><ul>"
                "<li>When you order: your name, phone number, delivery address and email.</li>"
                "<li>When you create an account: your email, name and password (stored as a hash that nobody can "
                "read).</li>"
                "<li>When you send a complaint or a return request: what you write and the photos you attach.</li>"
                "<li>When you ask for a livestream reminder: your email.</li>"
                "<li>What the website needs to work: the session cookie, your basket and your chosen language.</li>"
                "</ul>"
                "<p>We do not collect sensitive personal data. When you pay by card, the card number is entered "
                "directly into Stripe's payment form; the market never receives or stores it.</p>",
                "<h2>2. Why we process it</h2><ul>"
                "<li>To process and deliver your order and contact you about it;</li>"
                "<li>to take payment, refund, and handle returns and complaints;</li>"
                "<li>to send livestream reminders you asked for;</li>"
                "<li>to meet our obligations under accounting, tax and e-commerce law.</li></ul>"
                "<p>We do not sell personal data and do not use your data for advertising without your "
                "consent.</p>",
                "<h2>3. Who receives your data</h2>"
                "<p>Only those needed to fulfil your order: the OCOP producer selling to you and the courier (name, "
                "phone number, delivery address); the staff of the showroom where you collect; the bank or payment "
                "provider you choose. Each producer sees only its own part of an order. We give data to public "
                "authorities only when the law requires it.</p>",
                "<h2>4. How long we keep it</h2><ul>"
                "<li>Account data: until you ask us to delete your account.</li>"
                "<li>Order and payment data: for as long as accounting and tax law requires records to be kept.</li>"
                "<li>Complaints and return requests: until resolved and the legal retention period has passed.</li>"
                "<li>Livestream recordings: 3 years from the broadcast.</li></ul>",
                "<h2>5. Your rights</h2>"
                "<p>Under Decree No. 13/2023/NĐ-CP you have the right to be informed about the processing of your "
                "data; to give or withdraw consent; to see your data and get a copy; to have incorrect data "
                "corrected; to have data erased or its processing restricted; to object to processing; and to "
                "complain, denounce and claim damages as the law provides.</p>"
                "<p>You can see and correct your name, addresses and phone number in your account. For anything "
                "else, email <a href=\"mailto:{email}\">{email}</a> or call {phone}. We may ask for information to "
                "confirm that the data is yours, and we answer within the time the law sets. Data the law requires "
                "us to keep (such as accounting records) is erased only when that period ends.</p>",
                "<h2>6. Keeping data safe</h2>"
                "<p>Data travels over encrypted connections (HTTPS), and only staff who need it have access. When "
                "this policy changes in an important way, we announce it on the website before it applies.</p>",
            ),
        ),
    ),
    StandardDef(
        key="contact",
        show_contact_details=True,
        vi=StandardText(
            title="Liên hệ",
            slug="lien-he",
            intro=(
                "Cần hỏi về đơn hàng, sản phẩm, hay muốn đưa sản phẩm OCOP của bạn lên chợ? Hãy liên hệ Ban điều "
                "phối."
            ),
            body=(
                "<p>Về một đơn hàng cụ thể, cách nhanh nhất là gửi khiếu nại hoặc yêu cầu trả hàng ngay trong trang "
                "đơn hàng: Ban điều phối thấy đủ thông tin đơn và trả lời bạn qua email. Xem thêm "
                "<a linktype=\"page\" id=\"{delivery_id}\">Giao hàng và đổi trả</a>, "
                "<a linktype=\"page\" id=\"{terms_id}\">Điều khoản mua bán</a> và "
                "<a linktype=\"page\" id=\"{privacy_id}\">Chính sách bảo mật</a>.</p>",
                "<p>Chủ thể OCOP trong tỉnh muốn mở gian hàng, tham gia livestream hoặc gửi hàng tại các điểm bán, "
                "hãy gọi điện hoặc gửi email, kèm tên chủ thể và số quyết định công nhận OCOP.</p>",
                "<p>Giờ làm việc: sáng từ 7 giờ 30 đến 11 giờ 30, chiều từ 13 giờ 30 đến 17 giờ, thứ Hai đến thứ "
                "Sáu (trừ ngày lễ).</p>",
            ),
        ),
        en=StandardText(
            title="Contact",
            slug="contact",
            intro=(
                "Questions about an order or a product, or want to bring your OCOP product to the market? Contact "
                "the coordination office."
            ),
            body=(
                "<p>For a particular order, the quickest way is to send a complaint or a return request from the "
                "order page itself: the coordination office sees the whole order and answers you by email. See also "
                "<a linktype=\"page\" id=\"{delivery_id}\">Delivery and returns</a>, "
                "<a linktype=\"page\" id=\"{terms_id}\">Terms of sale</a> and "
                "<a linktype=\"page\" id=\"{privacy_id}\">Privacy policy</a>.</p>",
                "<p>OCOP producers in the province who want to open a stall, join a livestream or stock a showroom "
                "can call or email, with the producer's name and its OCOP recognition decision number.</p>",
                "<p>Office hours: 7:30 to 11:30 and 13:30 to 17:00, Monday to Friday (except public holidays).</p>",
            ),
        ),
    ),
)


class SettingsData(NamedTuple):
    operator_name: str
    operator_name_en: str
    registration_number: str
    registration_issuer: str
    registration_date: dt.date
    address: str
    phone: str
    hotline: str
    email: str
    footer_text: str
    footer_text_en: str


SITE_SETTINGS = SettingsData(
    operator_name=OPERATOR_VI,
    operator_name_en=OPERATOR_EN,
    registration_number="0000/QĐ-UBND (số mẫu)",
    registration_issuer="Ủy ban nhân dân tỉnh An Giang (dữ liệu mẫu)",
    registration_date=dt.date(2025, 7, 1),
    address="Số 00 đường Tôn Đức Thắng, phường Long Xuyên, tỉnh An Giang (địa chỉ mẫu)",
    phone=DEMO_PHONE,
    hotline=DEMO_HOTLINE,
    email=DEMO_EMAIL,
    footer_text=(
        "Chợ OCOP An Giang: sản phẩm OCOP từ 3 sao trở lên của tỉnh An Giang. Đây là bản trình diễn: tên đơn vị "
        "vận hành, số quyết định, địa chỉ, điện thoại và email là dữ liệu mẫu, không dùng để liên hệ hay giao "
        "dịch."
    ),
    footer_text_en=(
        "An Giang OCOP Market: An Giang province's OCOP products rated 3 stars and above. This is a demonstration "
        "site: the operator's name, decision number, address, phone and email are sample data, not for contact "
        "or trade."
    ),
)


# ---------------------------------------------------------------- pictures (pure: bytes from parameters)
SKY_TOP, SKY_LOW, SUN = (252, 228, 186), (240, 162, 100), (255, 238, 170)
BROWN, DARK_BROWN, GOLD = (150, 92, 50), (86, 52, 30), (226, 170, 70)
LEAF, OLIVE, WATER = (118, 142, 62), (92, 104, 52), (170, 128, 88)
Painter = Callable[[ImageDraw.ImageDraw, int, int, int], None]


def _mix(a, b, t: float):
    return tuple(int(x + (y - x) * t) for x, y in zip(a, b))


def _gradient(draw, box, top, bottom) -> None:
    x0, y0, x1, y1 = (int(v) for v in box)
    span = max(1, y1 - y0)
    for y in range(y0, y1):
        draw.line([(x0, y), (x1, y)], fill=_mix(top, bottom, (y - y0) / span))


def _sky(draw, w, h, horizon, v) -> None:
    _gradient(draw, (0, 0, w, horizon), SKY_TOP if v % 2 == 0 else (250, 206, 160), SKY_LOW)
    r, cx, cy = h * 0.08, w * (0.8 - 0.28 * (v % 3)), horizon * 0.42
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=SUN)


def _mountains(draw, w, horizon, colour=(160, 110, 112)) -> None:
    draw.polygon([(0, horizon), (w * .14, horizon * .6), (w * .27, horizon * .78), (w * .42, horizon * .52),
                  (w * .6, horizon)], fill=colour)
    draw.polygon([(w * .48, horizon), (w * .7, horizon * .66), (w * .84, horizon * .76), (w, horizon * .58),
                  (w, horizon)], fill=_mix(colour, (60, 40, 50), .25))


def _palm(draw, x, base, height, colour=(70, 56, 40)) -> None:
    top = base - height
    draw.line([(x, base), (x + height * .02, top)], fill=colour, width=max(4, int(height * .035)))
    cx = x + height * .02
    for angle in range(0, 360, 24):
        rad = math.radians(angle)
        length = height * (.2 if math.sin(rad) < 0 else .24)
        draw.line([(cx, top), (cx + math.cos(rad) * length, top + math.sin(rad) * length * .55)], fill=colour,
                  width=max(3, int(height * .022)))
    draw.ellipse((cx - height * .05, top - height * .04, cx + height * .05, top + height * .05), fill=colour)


def _boat(draw, x, y, size, colour=DARK_BROWN, person=True) -> None:
    draw.polygon([(x - size, y), (x + size, y), (x + size * .8, y + size * .22), (x - size * .8, y + size * .22)],
                 fill=colour)
    if person:
        draw.rectangle((x - size * .08, y - size * .32, x + size * .08, y), fill=(60, 70, 90))
        draw.polygon([(x - size * .2, y - size * .3), (x + size * .2, y - size * .3), (x, y - size * .5)],
                     fill=(236, 206, 140))


def _jar(draw, x, base, size, colour=(124, 70, 40)) -> None:
    draw.ellipse((x - size * .5, base - size * 1.1, x + size * .5, base), fill=colour)
    draw.ellipse((x - size * .3, base - size * .95, x - size * .1, base - size * .45), fill=_mix(colour, SUN, .25))
    draw.rectangle((x - size * .28, base - size * 1.22, x + size * .28, base - size * 1.02), fill=colour)
    draw.ellipse((x - size * .34, base - size * 1.3, x + size * .34, base - size * 1.14), fill=_mix(colour, BROWN, .5))


def _trunks(draw, w, top, bottom, v, colour=(214, 200, 176)) -> None:
    for n, x in enumerate(range(int(w * .04), w, int(w * .09))):
        dx = ((n * 37 + v * 11) % 23) - 11
        draw.rectangle((x + dx, top, x + dx + max(6, w // 120), bottom), fill=colour)


def _canopy(draw, w, y, colour=OLIVE) -> None:
    for n, x in enumerate(range(-40, w + 80, 70)):
        r = 60 + (n * 29) % 35
        draw.ellipse((x - r, y - r * .8, x + r, y + r * .5), fill=colour)


def scene_river(draw, w, h, v):
    horizon = int(h * .45)
    _sky(draw, w, h, horizon, v)
    draw.rectangle((0, horizon - h * .05, w, horizon), fill=(104, 120, 66))
    for x in range(20, w, 60):
        draw.ellipse((x - 26, horizon - h * .1, x + 26, horizon - h * .02), fill=(88, 108, 56))
    _gradient(draw, (0, horizon, w, h), (190, 146, 100), WATER)
    for n in range(14):
        y = horizon + (h - horizon) * (n + 1) / 16
        x = (n * 173 + v * 90) % w
        draw.line([(x, y), (x + w * .08, y)], fill=(214, 178, 130), width=3)
    _boat(draw, w * .45, h * .72, w * .14)


def scene_jars(draw, w, h, v):
    _gradient(draw, (0, 0, w, h * .7), (222, 168, 112), (196, 132, 84))
    draw.rectangle((0, 0, w, h * .1), fill=(120, 70, 40))
    draw.rectangle((0, h * .7, w, h), fill=(150, 100, 66))
    count = 5 if v == 0 else 4
    for n in range(count):
        x = w * (n + .5) / count
        colour = _mix((124, 70, 40), (90, 60, 50), n / 5)
        _jar(draw, x, h * (.86 + .04 * (n % 2)), min(w / (count + 1.2), h * .42), colour)


def scene_market(draw, w, h, v):
    _gradient(draw, (0, 0, w, h), (246, 226, 196), (224, 190, 150))
    stripe = w / 12
    for n in range(12):
        draw.rectangle((n * stripe, 0, (n + 1) * stripe, h * .22), fill=(196, 58, 40) if n % 2 else (250, 232, 204))
        draw.pieslice((n * stripe, h * .16, (n + 1) * stripe, h * .28), 0, 180,
                      fill=(196, 58, 40) if n % 2 else (250, 232, 204))
    draw.rectangle((0, h * .58, w, h), fill=(140, 88, 50))
    for n in range(5):
        x, y = w * (n + .5) / 5, h * .6
        draw.ellipse((x - w * .085, y - h * .06, x + w * .085, y + h * .06), fill=(236, 230, 220))
        draw.ellipse((x - w * .07, y - h * .045, x + w * .07, y + h * .04),
                     fill=_mix((150, 96, 52), (200, 150, 70), n / 4))


def scene_palms(draw, w, h, v):
    horizon = int(h * .58)
    _sky(draw, w, h, horizon, v)
    _mountains(draw, w, horizon)
    _gradient(draw, (0, horizon, w, h), (200, 178, 90), (150, 140, 70))
    for n, x in enumerate((.1, .22, .37, .55, .7, .86)):
        height = h * (.42 + .08 * ((n + v) % 3))
        _palm(draw, w * x, horizon + h * .08, height)


def scene_ladder(draw, w, h, v):
    horizon = int(h * .72)
    _sky(draw, w, h, horizon, v + 1)
    _gradient(draw, (0, horizon, w, h), (200, 178, 90), (150, 140, 70))
    x, base, height = w * .5, horizon + h * .12, h * .78
    _palm(draw, x, base, height)
    pole = x + w * .04
    draw.line([(pole, base), (pole + height * .015, base - height * .9)], fill=(120, 92, 46), width=7)
    for n in range(12):
        y = base - height * .9 * (n + 1) / 13
        draw.line([(x, y), (pole + 4, y)], fill=(120, 92, 46), width=5)


def scene_pan(draw, w, h, v):
    _gradient(draw, (0, 0, w, h), (96, 56, 34), (58, 34, 24))
    draw.rectangle((w * .16, h * .56, w * .84, h), fill=(150, 80, 52))
    for row in range(4):
        y = h * (.62 + row * .1)
        draw.line([(w * .16, y), (w * .84, y)], fill=(120, 62, 40), width=3)
    draw.rectangle((w * .3, h * .62, w * .7, h * .86), fill=(40, 24, 18))
    for n in range(6):
        x = w * (.31 + n * .065)
        draw.polygon([(x, h * .86), (x + w * .032, h * (.6 + .04 * (n % 2))), (x + w * .065, h * .86)],
                     fill=(250, 150, 40) if n % 2 else (255, 214, 90))
    draw.ellipse((w * .14, h * .34, w * .86, h * .62), fill=(44, 38, 36))
    draw.ellipse((w * .2, h * .37, w * .8, h * .55), fill=(188, 116, 42))
    for n in range(3):
        x = w * (.38 + n * .12)
        draw.arc((x - 30, h * .08, x + 30, h * .34), 200, 340, fill=(240, 226, 210), width=4)


def scene_paddy(draw, w, h, v):
    horizon = int(h * .46)
    _sky(draw, w, h, horizon, v)
    _mountains(draw, w, horizon, (150, 118, 110))
    rows = 9
    for n in range(rows):
        y0 = horizon + (h - horizon) * (n / rows) ** 1.4
        y1 = horizon + (h - horizon) * ((n + 1) / rows) ** 1.4
        draw.rectangle((0, y0, w, y1), fill=(226, 186, 78) if n % 2 else (204, 168, 66))
        draw.line([(0, y1), (w, y1)], fill=(140, 120, 60), width=2)
    for x in (.12, .8, .9):
        _palm(draw, w * x, horizon + 6, h * .2)


def scene_drying(draw, w, h, v):
    horizon = int(h * .4)
    _sky(draw, w, h, horizon, v)
    _gradient(draw, (0, horizon, w, h), (214, 186, 140), (176, 140, 96))
    for row in range(3):
        y = h * (.45 + row * .17)
        draw.line([(w * .05, y), (w * .95, y)], fill=(150, 120, 70), width=6)
        for n in range(11):
            x = w * (.09 + n * .08)
            draw.ellipse((x - w * .03, y + 4, x + w * .03, y + h * .06), fill=(222, 200, 158))
            draw.polygon([(x + w * .03, y + h * .03), (x + w * .045, y + 4), (x + w * .045, y + h * .06)],
                         fill=(200, 176, 132))


def scene_cakes(draw, w, h, v):
    _gradient(draw, (0, 0, w, h), (240, 222, 194), (214, 180, 138))
    draw.ellipse((w * .1, h * .12, w * .9, h * .98), fill=(190, 140, 84))
    draw.ellipse((w * .13, h * .16, w * .87, h * .94), fill=(214, 170, 108))
    for row in range(3):
        for col in range(5 - (row % 2)):
            x, y = w * (.25 + col * .125 + .0625 * (row % 2)), h * (.33 + row * .2)
            r = min(w, h) * .075
            draw.ellipse((x - r, y - r, x + r, y + r), fill=(226, 164, 64))
            draw.ellipse((x - r * .7, y - r * .8, x + r * .7, y + r * .3), fill=(244, 196, 96))


def scene_tea(draw, w, h, v):
    _gradient(draw, (0, 0, w, h), (240, 222, 192), (214, 184, 146))
    draw.rectangle((0, h * .72, w, h), fill=(160, 108, 70))
    draw.ellipse((w * .22, h * .34, w * .5, h * .76), fill=(150, 80, 50))
    draw.polygon([(w * .22, h * .5), (w * .12, h * .38), (w * .14, h * .36), (w * .25, h * .56)], fill=(150, 80, 50))
    draw.arc((w * .44, h * .42, w * .56, h * .64), 270, 90, fill=(150, 80, 50), width=10)
    draw.ellipse((w * .3, h * .29, w * .42, h * .37), fill=(120, 64, 40))
    draw.rectangle((w * .6, h * .56, w * .74, h * .74), fill=(250, 244, 232))
    draw.ellipse((w * .6, h * .53, w * .74, h * .59), fill=(170, 150, 70))
    for n in range(6):
        x, y = w * (.7 + .045 * n), h * (.2 + .07 * (n % 3))
        draw.polygon([(x, y), (x + w * .05, y - h * .05), (x + w * .1, y), (x + w * .05, y + h * .05)], fill=LEAF)


def scene_wine(draw, w, h, v):
    _gradient(draw, (0, 0, w, h), (214, 160, 108), (176, 118, 74))
    draw.rectangle((0, h * .78, w, h), fill=(120, 74, 44))
    for n, x in enumerate((.18, .4)):
        _jar(draw, w * x, h * .82, h * .4, (96 + 20 * n, 60, 40))
    draw.rounded_rectangle((w * .62, h * .36, w * .74, h * .8), radius=18, fill=(236, 226, 196))
    draw.rectangle((w * .66, h * .2, w * .7, h * .38), fill=(236, 226, 196))
    draw.rectangle((w * .655, h * .17, w * .705, h * .22), fill=(150, 60, 40))
    draw.rectangle((w * .63, h * .5, w * .73, h * .62), fill=(196, 58, 40))


def scene_loom(draw, w, h, v):
    _gradient(draw, (0, 0, w, h), (226, 196, 150), (196, 160, 116))
    draw.rectangle((w * .1, h * .1, w * .9, h * .16), fill=BROWN)
    draw.rectangle((w * .1, h * .84, w * .9, h * .9), fill=BROWN)
    for x0 in (.1, .86):
        draw.rectangle((w * x0, h * .1, w * (x0 + .04), h * .95), fill=BROWN)
    for x in range(int(w * .16), int(w * .86), 8):
        draw.line([(x, h * .16), (x, h * .84)], fill=(244, 236, 218), width=2)
    draw.rectangle((w * .16, h * .55, w * .86, h * .84), fill=(40, 34, 34))
    for x in range(int(w * .16), int(w * .86), 24):
        draw.line([(x, h * .55), (x + 12, h * .84)], fill=(70, 64, 64), width=2)


def scene_silk(draw, w, h, v):
    horizon = int(h * .62)
    _sky(draw, w, h, horizon, v)
    _gradient(draw, (0, horizon, w, h), (196, 170, 120), (160, 130, 90))
    for rail in (.18, .24):
        draw.line([(0, h * rail), (w, h * rail)], fill=(176, 150, 96), width=6)
    for n in range(7):
        x = w * (.06 + n * .135)
        draw.rectangle((x, h * .2, x + w * .1, h * (.72 + .04 * (n % 2))), fill=(28, 24, 26))
        draw.line([(x + w * .03, h * .22), (x + w * .03, h * .7)], fill=(90, 86, 88), width=3)


def scene_scarves(draw, w, h, v):
    _gradient(draw, (0, 0, w, h), (236, 214, 180), (210, 178, 136))
    colours = [(180, 40, 50), (230, 150, 60), (120, 60, 120), (240, 200, 90), (60, 90, 140), (200, 90, 60)]
    for shelf in range(3):
        y = h * (.3 + shelf * .26)
        draw.rectangle((w * .06, y, w * .94, y + 12), fill=BROWN)
        for n in range(6):
            for layer in range(3):
                x = w * (.09 + n * .145)
                top = y - (layer + 1) * h * .05
                draw.rectangle((x, top, x + w * .12, top + h * .045), fill=colours[(n + layer + shelf) % 6])


def scene_weave(draw, w, h, v):
    _gradient(draw, (0, 0, w, h), (150, 40, 44), (118, 30, 36))
    colours = [(244, 200, 90), (250, 240, 220), (40, 60, 100), (220, 120, 50)]
    size = w / 16
    for band in range(4):
        y = h * (.12 + band * .2)
        draw.rectangle((0, y - 6, w, y - 2), fill=colours[(band + 1) % 4])
        for n in range(17):
            x = n * size
            draw.polygon([(x, y + size * .5), (x + size * .5, y), (x + size, y + size * .5), (x + size * .5, y + size)],
                         fill=colours[(band + n) % 4])
        draw.rectangle((0, y + size + 2, w, y + size + 6), fill=colours[(band + 2) % 4])


def scene_honey(draw, w, h, v):
    _gradient(draw, (0, 0, w, h), (196, 180, 110), (120, 112, 66))
    _trunks(draw, w, 0, h, v)
    r = min(w, h) * .055
    for row in range(5):
        for col in range(6):
            cx = w * .38 + col * r * 1.75 + (r * .87 if row % 2 else 0)
            cy = h * .3 + row * r * 1.5
            points = [(cx + r * math.cos(math.radians(a)), cy + r * math.sin(math.radians(a)))
                      for a in range(30, 390, 60)]
            draw.polygon(points, fill=(232, 164, 40) if (row + col) % 3 else (246, 196, 80), outline=(150, 96, 30))


def scene_sea(draw, w, h, v):
    horizon = int(h * .5)
    _sky(draw, w, h, horizon, v)
    draw.polygon([(w * .05, horizon), (w * .2, horizon - h * .07), (w * .36, horizon)], fill=(96, 112, 80))
    _gradient(draw, (0, horizon, w, h * .78), (86, 146, 160), (52, 108, 134))
    draw.rectangle((0, h * .78, w, h), fill=(232, 204, 156))
    _boat(draw, w * .55, h * .64, w * .1, (150, 60, 40))
    for n in range(3):
        x = w * (.12 + n * .1)
        draw.rectangle((x, h * .7, x + w * .08, h * .92), fill=(130, 80, 46))
        for hoop in (.75, .87):
            draw.line([(x, h * hoop), (x + w * .08, h * hoop)], fill=(70, 44, 30), width=4)


def scene_forest(draw, w, h, v):
    _gradient(draw, (0, 0, w, h * .3), SKY_TOP, (236, 200, 140))
    _trunks(draw, w, h * .2, h * .66, v)
    _canopy(draw, w, h * .2)
    _gradient(draw, (0, h * .64, w, h), (140, 176, 62), (108, 150, 48))
    for n in range(18):
        x, y = (n * 211 + v * 70) % w, h * (.68 + .3 * ((n * 7) % 10) / 10)
        draw.ellipse((x - 10, y - 3, x + 10, y + 3), fill=(168, 200, 86))
    _boat(draw, w * .42, h * .8, w * .12, (96, 60, 34))


def scene_birds(draw, w, h, v):
    horizon = int(h * .7)
    _sky(draw, w, h, horizon, v + 1)
    _canopy(draw, w, horizon, (86, 96, 50))
    draw.rectangle((0, horizon + 20, w, h), fill=(86, 96, 50))
    for n in range(9):
        x, y = w * (.15 + .08 * n), h * (.22 + .05 * ((n * 3) % 5))
        draw.line([(x - 18, y - 8), (x, y), (x + 18, y - 8)], fill=(250, 250, 246), width=4)


def scene_tower(draw, w, h, v):
    horizon = int(h * .66)
    _sky(draw, w, h, horizon, v)
    x0, x1, top = w * .44, w * .56, h * .18
    draw.line([(x0, h), (x0 + w * .02, top)], fill=DARK_BROWN, width=8)
    draw.line([(x1, h), (x1 - w * .02, top)], fill=DARK_BROWN, width=8)
    for n in range(6):
        y = top + (h - top) * n / 6
        draw.line([(x0, y), (x1, y + (h - top) / 6)], fill=BROWN, width=4)
    draw.rectangle((x0 - w * .02, top - h * .06, x1 + w * .02, top), fill=DARK_BROWN)
    draw.polygon([(x0 - w * .04, top - h * .06), (x1 + w * .04, top - h * .06), (w * .5, top - h * .15)],
                 fill=(170, 60, 40))
    _canopy(draw, w, horizon, OLIVE)
    draw.rectangle((0, horizon + 20, w, h), fill=OLIVE)


def scene_landscape(draw, w, h, v):
    horizon = int(h * .52)
    _sky(draw, w, h, horizon, v)
    _mountains(draw, w, horizon)
    _gradient(draw, (0, horizon, w, h * .8), (214, 184, 84), (176, 156, 70))
    for x in (.08, .16, .3, .62, .74, .9):
        _palm(draw, w * x, horizon + h * .06, h * .34)
    _gradient(draw, (0, h * .8, w, h), (196, 150, 104), WATER)
    _boat(draw, w * .6, h * .86, w * .06)


SCENES: dict[str, Painter] = {
    name.removeprefix("scene_"): painter for name, painter in globals().items() if name.startswith("scene_")
}


def _label(draw, xy, text, size) -> None:
    font = demo_font(size)
    x, y = xy
    width = draw.textlength(text, font=font)
    draw.rounded_rectangle((x - 10, y - 6, x + width + 10, y + size + 8), radius=8, fill=(60, 36, 24))
    draw.text((x, y), text, font=font, fill=(252, 236, 210))


def picture_bytes(*, scene: str, size: tuple[int, int], variant: int = 0, name: str = "") -> bytes:
    """A drawn JPEG: the scene, a small "Hình minh họa" label and, when given, the product's name in a band below."""
    w, h = size
    image = PILImage.new("RGB", size, SKY_TOP)
    draw = ImageDraw.Draw(image)
    SCENES[scene](draw, w, h, variant)
    _label(draw, (18, 16), ILLUSTRATION, max(14, h // 40))
    if name:
        band = int(h * .18)
        draw.rectangle((0, h - band, w, h), fill=(70, 40, 26))
        draw.rectangle((0, h - band, w, h - band + 6), fill=GOLD)
        for font_size in (int(band * .48), int(band * .4), int(band * .32)):
            font = demo_font(font_size)
            if draw.textlength(name, font=font) <= w - 80:
                break
        width = draw.textlength(name, font=font)
        draw.text(((w - width) / 2, h - band / 2 - font_size * .6), name, font=font, fill=(255, 244, 222))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=JPEG_QUALITY)
    return buffer.getvalue()


# ---------------------------------------------------------------- builders (database)
class _Counts:
    def __init__(self):
        self.stories = self.pages = self.translations = self.images = self.settings = 0


def _collection() -> Collection:
    root = Collection.get_first_root_node()
    return root.get_children().filter(name=COLLECTION_NAME).first() or root.add_child(name=COLLECTION_NAME)


def _image(*, title: str, filename: str, build: Callable[[], bytes], collection, counts: _Counts):
    """The image with this title in the collection, drawn and stored the first time."""
    Image = get_image_model()
    image = Image.objects.filter(title=title, collection=collection).first()
    if image is None:
        image = Image.objects.create(title=title, file=ContentFile(build(), name=filename), collection=collection)
        counts.images += 1
    return image


def _child(parent, model, slug: str):
    return model.objects.child_of(parent).filter(slug=slug).first()


def _publish(page) -> None:
    page.save_revision().publish()


def _translate(page, *, locale, title: str, slug: str, counts: _Counts, **fields):
    """The page's translation into ``locale`` (its parents translated first when needed), published; an existing
    translation is returned untouched."""
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    translated = page.copy_for_translation(locale, copy_parents=True, alias=False).specific
    translated.title, translated.slug = title, slug
    for name, value in fields.items():
        setattr(translated, name, value)
    _publish(translated)
    counts.translations += 1
    return translated


def _products_by_title(titles) -> dict[str, Product]:
    products = {p.title: p for p in Product.objects.filter(upc__startswith=UPC_PREFIX, title__in=set(titles))}
    missing = sorted(set(titles) - products.keys())
    if missing:
        raise LookupError(f"Demo products not found (catalogue/demo.py changed?): {', '.join(missing)}")
    return products


def story_body(*, story: Story, text: StoryText, gallery: list, products: list, area_page) -> list:
    """The body blocks: two paragraphs, a gallery, the producer's words, the timeline, a paragraph, a video, the
    raw-material area, any further paragraphs, the product cards."""
    no_photo = {"image": None, "alt_text": ""}
    blocks: list = [("paragraph", p) for p in text.paragraphs[:2]]
    if gallery:
        blocks.append(("gallery", {"heading": text.gallery_heading, "images": [
            {"image": image, "alt_text": alt, "caption": caption}
            for image, (alt, caption) in zip(gallery, text.gallery, strict=True)
        ]}))
    blocks.append(("quote", {"quote": text.quote, "name": story.person, "role": text.quote_role}))
    blocks.append(("timeline", {"heading": text.timeline_heading, "steps": [
        {"title": title, "text": description, "photo": no_photo} for title, description in text.steps
    ]}))
    blocks += [("paragraph", p) for p in text.paragraphs[2:3]]
    if story.video_url:
        blocks.append(("video", {"url": story.video_url, "title": text.video_title, "caption": text.video_caption}))
    blocks.append(("raw_material_area", {
        "name": text.area_name, "description": text.area_text, "photo": no_photo, "area_page": area_page,
    }))
    blocks += [("paragraph", p) for p in text.paragraphs[3:]]
    blocks.append(("products", {"heading": text.products_heading, "products": products}))
    return blocks


def _story_images(story: Story, *, collection, counts: _Counts):
    hero = _image(
        title=f"{story.name} – ảnh đầu trang câu chuyện", filename=f"cau-chuyen-{story.vi.slug}.jpg",
        build=lambda: picture_bytes(scene=story.scene, size=HERO_SIZE, name=story.name),
        collection=collection, counts=counts,
    )
    gallery = [
        _image(
            title=f"{story.name} – bộ ảnh {n}", filename=f"cau-chuyen-{story.vi.slug}-{n}.jpg",
            build=lambda scene=scene, n=n: picture_bytes(scene=scene, size=GALLERY_SIZE, variant=n),
            collection=collection, counts=counts,
        )
        for n, scene in enumerate(story.gallery_scenes, start=1)
    ]
    return hero, gallery


def stories_create(*, index, collection, english_index, counts: _Counts) -> list[StoryPage]:
    """The Vietnamese stories under the index (found by slug), then the English ones under its translation."""
    from showrooms.pages import AreaIndexPage

    products = _products_by_title(title for story in STORIES for title in story.products)
    producers = {p.code: p for p in Partner.objects.filter(code__in=[s.producer_code for s in STORIES])}
    areas = {page.slug: page for page in AreaIndexPage.objects.filter(locale=index.locale)}
    english = Locale.objects.get(language_code="en")
    pages = []
    for story in STORIES:
        hero, gallery = _story_images(story, collection=collection, counts=counts)
        chosen = [products[title] for title in story.products]
        area_page = areas.get(story.area_slug) if story.area_slug else None
        page = _child(index, StoryPage, story.vi.slug)
        if page is None:
            page = StoryPage(
                title=story.vi.title, slug=story.vi.slug, summary=story.vi.summary, locale=index.locale,
                producer=producers.get(story.producer_code), hero_image=hero, hero_image_alt=story.vi.hero_alt,
                body=story_body(story=story, text=story.vi, gallery=gallery, products=chosen, area_page=area_page),
            )
            for product in chosen:
                page.story_products.add(StoryPageProduct(product=product))
            index.add_child(instance=page)
            _publish(page)
            counts.stories += 1
        pages.append(page)
    for story, page in zip(STORIES, pages):
        if story.en is None or english_index is None:
            continue
        hero, gallery = _story_images(story, collection=collection, counts=counts)
        area_page = areas.get(story.area_slug) if story.area_slug else None
        _translate(
            page, locale=english, title=story.en.title, slug=story.en.slug, counts=counts,
            summary=story.en.summary, hero_image_alt=story.en.hero_alt,
            body=story_body(story=story, text=story.en, gallery=gallery,
                            products=[products[title] for title in story.products], area_page=area_page),
        )
    return pages


def _standard_values(*, pages: dict[str, StandardPage]) -> dict:
    values = {
        "operator": OPERATOR_VI, "operator_en": OPERATOR_EN, "email": DEMO_EMAIL, "phone": DEMO_PHONE,
        "return_days": settings.ORDER_RETURN_DAYS, "pickup_days": settings.SHOWROOM_PICKUP_DAYS,
        "transfer_hours": settings.PAYMENT_TRANSFER_EXPIRY_HOURS,
    }
    values.update({f"{key}_id": page.pk for key, page in pages.items()})
    return values


def _urls(language: str) -> dict:
    with translation.override(language):
        return {"live_rules_url": reverse("livestream:rules"), "live_index_url": reverse("livestream:index")}


def standard_pages_create(*, home, counts: _Counts) -> dict[str, StandardPage]:
    """The six Vietnamese standard pages under the home page, in footer order (found by slug)."""
    pages: dict[str, StandardPage] = {}
    for definition in STANDARD_PAGES:
        page = _child(home, StandardPage, definition.vi.slug)
        if page is None:
            values = {**_standard_values(pages=pages), **_urls("vi")}
            page = StandardPage(
                title=definition.vi.title, slug=definition.vi.slug, intro=definition.vi.intro.format(**values),
                body=[("paragraph", paragraph.format(**values)) for paragraph in definition.vi.body],
                show_contact_details=definition.show_contact_details, locale=home.locale,
            )
            home.add_child(instance=page)
            _publish(page)
            counts.pages += 1
        pages[definition.key] = page
    return pages


def standard_pages_translate(*, pages: dict[str, StandardPage], counts: _Counts) -> None:
    english = Locale.objects.get(language_code="en")
    values = {**_standard_values(pages=pages), **_urls("en")}
    for definition in STANDARD_PAGES:
        _translate(
            pages[definition.key], locale=english, title=definition.en.title, slug=definition.en.slug,
            counts=counts, intro=definition.en.intro.format(**values),
            body=[("paragraph", paragraph.format(**values)) for paragraph in definition.en.body],
        )


def story_index_ensure(*, home, counts: _Counts) -> StoryIndexPage:
    index = StoryIndexPage.objects.child_of(home).first()
    if index is None:
        index = StoryIndexPage(title=INDEX_TITLE, slug=INDEX_SLUG, intro=INDEX_INTRO, locale=home.locale)
        home.add_child(instance=index)
        _publish(index)
        counts.pages += 1
    return index


def home_sections(*, text: HomeText, photo, index, picks: list[Product]) -> list:
    return [
        ("hero", {"heading": text.hero_heading, "text": text.hero_text,
                  "photo": {"image": photo, "alt_text": text.hero_alt},
                  "link_page": index, "link_label": text.hero_link_label}),
        ("staff_picks", {"heading": text.staff_picks, "products": picks}),
        ("newest_certified", {"heading": text.newest, "count": 8}),
        ("ocop_groups", {"heading": text.groups}),
        ("live_sessions", {"heading": text.live, "count": 3}),
        ("showroom_areas", {"heading": text.areas}),
        ("latest_stories", {"heading": text.stories, "count": 3}),
    ]


def _home_is_default(home: HomePage) -> bool:
    """Still the sections a new site starts with (cms.services.home_sections_default), no photo chosen."""
    kinds = [block.block_type for block in home.body]
    if kinds != [name for name, _value in home_sections_default()]:
        return False
    return not home.body[0].value["photo"]["image"]


def staff_picks() -> list[Product]:
    products = _products_by_title(STAFF_PICKS)
    certified = set(
        Product.objects.certified().filter(pk__in=[p.pk for p in products.values()]).values_list("pk", flat=True)
    )
    return [products[title] for title in STAFF_PICKS if products[title].pk in certified][:STAFF_PICKS_COUNT]


def home_arrange(*, home: HomePage, index, collection, counts: _Counts) -> HomePage:
    photo = _image(
        title="Trang chủ – ảnh đầu trang", filename="trang-chu.jpg",
        build=lambda: picture_bytes(scene="landscape", size=HOME_HERO_SIZE),
        collection=collection, counts=counts,
    )
    if _home_is_default(home):
        home.body = home_sections(text=HOME_VI, photo=photo, index=index, picks=staff_picks())
        _publish(home)
    english = Locale.objects.get(language_code="en")
    if home.get_translation_or_none(english) is None:
        picks = [block.value for block in home.body if block.block_type == "staff_picks"]
        _translate(
            home, locale=english, title=HOME_EN.title, slug=f"{home.slug}-en", counts=counts, intro=HOME_EN.intro,
            body=home_sections(
                text=HOME_EN, photo=photo, index=index,
                picks=list(picks[0]["products"]) if picks else staff_picks(),
            ),
        )
    return home


def site_settings_fill(*, pages: dict[str, StandardPage], counts: _Counts) -> None:
    """The default site's settings, filled once (an operator already named is left alone)."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return
    current = SiteSettings.for_site(site)
    if current.operator_name:
        return
    for name, value in SITE_SETTINGS._asdict().items():
        setattr(current, name, value)
    current.footer_links = [("page", pages[definition.key]) for definition in STANDARD_PAGES]
    current.save()
    counts.settings += 1


EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
EDITOR_IMAGE_PERMISSIONS = ("add_image", "change_image", "choose_image")


def programme_staff_editing_allow(*, home, collection) -> None:
    """Programme staff edit, translate and publish pages (the whole tree, both languages) and use the images;
    they edit the site settings. Idempotent."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupCollectionPermission, GroupPagePermission

    from catalogue.demo import PROGRAMME_GROUP

    group = Group.objects.filter(name=PROGRAMME_GROUP).first()
    if group is None:
        return
    root = home.get_parent()
    for codename in EDITOR_PAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
    root_collection = collection.get_parent()
    for codename in EDITOR_IMAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailimages", codename=codename)
        GroupCollectionPermission.objects.get_or_create(group=group, collection=root_collection, permission=permission)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="cms", codename="change_sitesettings"),
        Permission.objects.get(content_type__app_label="simple_translation", codename="submit_translation"),
    )


@transaction.atomic
def cms_demo_create() -> dict:
    """Load the demo pages. Idempotent. Returns what was created and what exists."""
    counts = _Counts()
    home = site_structure_ensure()
    english = Locale.objects.get(language_code="en")
    collection = _collection()
    programme_staff_editing_allow(home=home, collection=collection)
    index = story_index_ensure(home=home, counts=counts)
    standard = standard_pages_create(home=home, counts=counts)
    site_settings_fill(pages=standard, counts=counts)
    home = HomePage.objects.get(pk=home.pk)  # the tree changed under it
    home_arrange(home=home, index=index, collection=collection, counts=counts)
    english_index = _translate(
        index, locale=english, title=INDEX_TITLE_EN, slug=INDEX_SLUG_EN, counts=counts, intro=INDEX_INTRO_EN
    )
    stories_create(index=index, collection=collection, english_index=english_index, counts=counts)
    standard_pages_translate(pages=standard, counts=counts)
    default = Locale.get_default()
    cms_models = (HomePage, StoryIndexPage, StandardPage, StoryPage)
    return {
        "created": {
            "stories": counts.stories,
            "cms pages": counts.pages,
            "translations": counts.translations,
            "cms images": counts.images,
            "site settings": counts.settings,
        },
        "totals": {
            "stories": StoryPage.objects.filter(locale=default).count(),
            "cms pages": sum(m.objects.filter(locale=default).count() for m in (StoryIndexPage, StandardPage)),
            "translations": sum(m.objects.filter(locale=english).count() for m in cms_models),
            "cms images": get_image_model().objects.filter(collection=collection).count(),
            "site settings": int(SiteSettings.objects.exclude(operator_name="").exists()),
        },
    }

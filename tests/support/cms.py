"""Pages for CMS tests: the site's home, the story index, stories (with a generated photo), standard pages, and
their English translations. Built through Wagtail's tree API, published like an editor would."""

from __future__ import annotations

import io

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.models import Locale

from cms.models import StandardPage, StoryIndexPage, StoryPage, StoryPageProduct
from cms.services import site_structure_ensure


def make_image(title="Ảnh thử", *, size=(1200, 800), colour=(170, 90, 40)) -> Image:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "JPEG")
    return Image.objects.create(title=title, file=ImageFile(io.BytesIO(buffer.getvalue()), name="thu.jpg"))


def story_index(home=None) -> StoryIndexPage:
    home = home or site_structure_ensure()
    index = StoryIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(instance=StoryIndexPage(title="Câu chuyện sản phẩm", slug="cau-chuyen"))
    return index


def make_story(*, title="Mắm cá linh mùa nước nổi", products=(), producer=None, body=None, slug=None,
               summary="Cá linh về theo con nước, được ủ mắm theo cách của bà.", hero_image=None, live=True,
               index=None) -> StoryPage:
    index = index or story_index()
    body = body if body is not None else [("paragraph", "<p>Mùa nước nổi, cá linh theo dòng Mê Kông về An Giang.</p>")]
    story = StoryPage(
        title=title, slug=slug or None, summary=summary, producer=producer, body=body,
        hero_image=hero_image, hero_image_alt="Cá linh phơi trên nong tre" if hero_image else "", live=live,
    )
    for product in products:
        story.story_products.add(StoryPageProduct(product=product))
    index.add_child(instance=story)
    if live:
        story.save_revision().publish()
    return story


def make_standard_page(*, title="Giao hàng và đổi trả", slug="giao-hang-doi-tra", body=None, home=None, **fields):
    home = home or site_structure_ensure()
    body = body if body is not None else [("paragraph", "<p>Giao hàng trong 2–5 ngày.</p>")]
    page = home.add_child(instance=StandardPage(title=title, slug=slug, body=body, **fields))
    page.save_revision().publish()
    return page


def translate(page, *, title, slug=None, **fields):
    """The page's English translation (its parents translated first when needed), published."""
    english = Locale.objects.get(language_code="en")
    translation = page.copy_for_translation(english, copy_parents=True, alias=False)
    translation.title = title
    translation.slug = slug or translation.slug
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return translation.specific.__class__.objects.get(pk=translation.pk)


def home_with_every_section():
    """The home page with each of its automatic sections (for the pages' query budgets)."""
    home = site_structure_ensure()
    home.body = [("newest_certified", {"heading": "Mới chứng nhận", "count": 24}),
                 ("group_products", {"heading": "Nhóm thực phẩm", "group": "1", "count": 24}),
                 ("live_sessions", {"heading": "Livestream bán hàng", "count": 12}),
                 ("showroom_areas", {"heading": "Điểm bán theo khu vực"}),
                 ("latest_stories", {"heading": "Câu chuyện sản phẩm", "count": 12})]
    home.save_revision().publish()
    return home

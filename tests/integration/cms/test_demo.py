"""The demo pages (cms/demo.py): twelve stories linked to products, five in English, the home page arranged in both
languages, six standard pages in both languages, the site settings; loaded twice, created once. Every picture has
its alt text and every body passes the blocks' own validation (what an editor saving the page would meet)."""

import pytest
from django.utils import translation
from wagtail.images import get_image_model
from wagtail.models import Locale, Page

from catalogue.demo import load_demo_data
from catalogue.models import Product
from cms.demo import (
    COLLECTION_NAME, HOME_EN, HOME_VI, STAFF_PICKS, STANDARD_PAGES, STORIES, SCENES, picture_bytes,
)
from cms.models import HomePage, SiteSettings, StandardPage, StoryIndexPage, StoryPage


# ---------------------------------------------------------------- the plan (no database)
def test_story_texts_fit_the_fields_and_the_brief():
    assert len(STORIES) == 12
    assert len({story.vi.slug for story in STORIES}) == 12
    assert sum(story.en is not None for story in STORIES) == 5
    assert sum(bool(story.video_url) for story in STORIES) in (1, 2)
    for story in STORIES:
        assert story.scene in SCENES and all(scene in SCENES for scene in story.gallery_scenes)
        for text in (story.vi, story.en):
            if text is None:
                continue
            assert len(text.summary) <= 300 and len(text.hero_alt) <= 250 and text.hero_alt.strip()
            assert 2 <= len(text.paragraphs) <= 4
            assert 3 <= len(text.steps) <= 5
            assert len(text.gallery) == len(story.gallery_scenes)
            assert all(alt.strip() and len(alt) <= 250 for alt, _caption in text.gallery)
            assert all(len(title) <= 120 for title, _text in text.steps) and len(text.area_name) <= 150
            assert len(text.quote_role) <= 120 and len(text.products_heading) <= 120
            assert bool(story.video_url) == bool(text.video_title)
    for definition in STANDARD_PAGES:
        assert len(definition.vi.intro) <= 400 and len(definition.en.intro) <= 400


def test_pictures_are_jpegs_of_the_asked_size():
    from io import BytesIO

    from PIL import Image

    data = picture_bytes(scene="jars", size=(1200, 675), name="Mắm cá linh Châu Đốc")
    image = Image.open(BytesIO(data))
    assert image.format == "JPEG" and image.size == (1200, 675)
    assert picture_bytes(scene="forest", size=(800, 600), variant=2) == picture_bytes(
        scene="forest", size=(800, 600), variant=2
    )


# ---------------------------------------------------------------- loaded (one load, then a second one)
def _image_alts(page):
    """(image, alt) for every picture on a story: the hero and every image inside the body."""
    pairs = [(page.hero_image, page.hero_image_alt)] if page.hero_image_id else []
    for block in page.body:
        value = block.value
        if block.block_type == "image":
            pairs.append((value["image"], value["alt_text"]))
        elif block.block_type == "gallery":
            pairs += [(item["image"], item["alt_text"]) for item in value["images"]]
        elif block.block_type == "timeline":
            pairs += [(step["photo"]["image"], step["photo"]["alt_text"]) for step in value["steps"]]
        elif block.block_type == "raw_material_area":
            pairs.append((value["photo"]["image"], value["photo"]["alt_text"]))
    return [(image, alt) for image, alt in pairs if image is not None]


@pytest.mark.django_db
def test_demo_pages_loaded_twice_created_once(client):
    first = load_demo_data()
    assert first["created"]["stories"] == 12 and first["created"]["cms images"] > 12
    pages, images = Page.objects.count(), get_image_model().objects.count()
    second = load_demo_data()
    assert Page.objects.count() == pages and get_image_model().objects.count() == images
    assert {k: second["created"][k] for k in ("stories", "cms pages", "translations", "cms images", "site settings")} \
        == dict.fromkeys(("stories", "cms pages", "translations", "cms images", "site settings"), 0)
    assert first["totals"] == second["totals"]

    vi, en = Locale.objects.get(language_code="vi"), Locale.objects.get(language_code="en")

    # Stories: twelve live in Vietnamese, each with products; five translated and live; one uncertified product.
    stories = list(StoryPage.objects.filter(locale=vi).live().prefetch_related("story_products"))
    assert len(stories) == 12
    assert all(story.story_products.exists() and story.producer_id and story.hero_image_id for story in stories)
    translated = [s for s in stories if (t := s.get_translation_or_none(en)) is not None and t.live]
    assert len(translated) >= 5
    linked = Product.objects.filter(story_links__page__in=stories).distinct()
    assert linked.exclude(pk__in=Product.objects.certified().values("pk")).exists(), "a 'not for sale' card"
    for story in StoryPage.objects.all():
        story.body.stream_block.clean(story.body)  # the blocks' validation (alt required, video URL, counts)
        kinds = [block.block_type for block in story.body]
        assert {"paragraph", "quote", "timeline", "raw_material_area", "products"} <= set(kinds)
        for image, alt in _image_alts(story):
            assert alt.strip(), (story.title, image.title)
            assert image.collection.name == COLLECTION_NAME
    area_links = [
        block.value["area_page"] for story in stories for block in story.body
        if block.block_type == "raw_material_area" and block.value["area_page"]
    ]
    assert area_links, "some stories link a showroom area page"

    # Standard pages: six under the home page in each language, all live; the contact page shows the details.
    home = HomePage.objects.get(locale=vi)
    home_en = home.get_translation(en)
    for definition in STANDARD_PAGES:
        page = StandardPage.objects.child_of(home).get(slug=definition.vi.slug)
        english = page.get_translation(en)
        assert page.live and english.live and english.slug == definition.en.slug
        assert english.get_parent().pk == home_en.pk
        page.body.stream_block.clean(page.body)
    assert StandardPage.objects.get(locale=vi, slug="lien-he").show_contact_details

    # The home pages: the sections in order, headings in each language, a photo with alt text.
    for page, text in ((home, HOME_VI), (home_en.specific, HOME_EN)):
        kinds = [block.block_type for block in page.body]
        assert kinds == ["hero", "staff_picks", "newest_certified", "ocop_groups", "live_sessions",
                         "showroom_areas", "latest_stories"]
        hero = page.body[0].value
        assert hero["heading"] == text.hero_heading and hero["photo"]["image"] and hero["photo"]["alt_text"]
        assert page.body[1].value["heading"] == text.staff_picks
        assert 5 <= len(page.body[1].value["products"]) <= 6
        page.body.stream_block.clean(page.body)
    assert StoryIndexPage.objects.get(locale=vi).get_translation(en).live

    # Site settings: the operator, sample registration, footer links in the reader's language.
    site_settings = SiteSettings.objects.get()
    assert site_settings.operator_name and site_settings.operator_name_en and site_settings.registration_date
    assert "mẫu" in site_settings.registration_number and "mẫu" in site_settings.footer_text
    assert "sample" in site_settings.footer_text_en
    assert len(site_settings.footer_links) == 6
    with translation.override("en"):
        assert [p.slug for p in site_settings.footer_pages()] == [d.en.slug for d in STANDARD_PAGES]

    # Rendered: both home pages show a staff pick and story cards; stories and standard pages answer.
    certified_picks = set(Product.objects.certified().filter(title__in=STAFF_PICKS).values_list("title", flat=True))
    for url in ("/", "/en/"):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert 'data-testid="story-card"' in html, url
        assert any(title in html for title in certified_picks), url
    story = next(s for s in stories if s.get_translation_or_none(en))
    for page in (story, story.get_translation(en), *StandardPage.objects.all()):
        assert client.get(page.url).status_code == 200, page.url
    uncertified = next(
        s for s in stories if s.story_products.exclude(product__in=Product.objects.certified()).exists()
    )
    assert client.get(uncertified.url).status_code == 200

    # Programme staff edit and translate the demo's pages in Wagtail; a producer cannot open the editor.
    from django.contrib.auth import get_user_model

    from catalogue.demo import PRODUCER, PROGRAMME

    users = get_user_model().objects
    client.force_login(users.get(email=PROGRAMME.email))
    assert client.get(f"/cms-admin/pages/{story.pk}/edit/").status_code == 200
    assert client.get("/cms-admin/settings/cms/sitesettings/").status_code in (200, 302)
    client.force_login(users.get(email=PRODUCER.email))
    assert client.get(f"/cms-admin/pages/{story.pk}/edit/").status_code in (302, 403)

"""Blocks and story pages, validated the way Wagtail validates them: alt text on every chosen image (a hero image,
an image block, an optional photo once chosen, inside galleries and timelines), YouTube and Vimeo only for videos,
and a video rendered as a link until pressed."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from wagtail.blocks.struct_block import StructBlockValidationError

from cms.blocks import GalleryBlock, ImageBlock, OptionalImageBlock, StoryBlocks, TimelineBlock, VideoBlock
from tests.support.cms import make_image, make_story

pytestmark = pytest.mark.django_db

ALT_MESSAGE = "Ảnh cần có mô tả (alt) cho người không xem được ảnh."


@pytest.fixture(autouse=True)
def _vietnamese():
    """The messages below are the Vietnamese msgids (an /en/ request elsewhere leaves English active)."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def image():
    return make_image()


def cleaned(block, raw):
    """What the admin form does with a block's submitted value: to Python, then clean."""
    return block.clean(block.to_python(raw))


def error_fields(error) -> set[str]:
    return set(error.value.block_errors)


# ---------------------------------------------------------------- the hero image
def test_a_story_with_a_hero_image_needs_its_alt_text(image):
    story = make_story(hero_image=image)  # the builder gives it alt text
    story.full_clean()

    for missing in ("", "   "):
        story.hero_image_alt = missing
        with pytest.raises(ValidationError) as error:
            story.full_clean()
        assert error.value.message_dict["hero_image_alt"] == [ALT_MESSAGE]


def test_a_story_without_a_hero_image_needs_no_alt_text():
    story = make_story()
    assert story.hero_image is None and story.hero_image_alt == ""
    story.full_clean()


# ---------------------------------------------------------------- image blocks
@pytest.mark.parametrize("alt_text", ["", "   "])
def test_an_image_block_without_alt_text_fails(image, alt_text):
    with pytest.raises(StructBlockValidationError) as error:
        cleaned(ImageBlock(), {"image": image.pk, "alt_text": alt_text, "caption": ""})
    assert error_fields(error) == {"alt_text"}


def test_an_image_block_with_alt_text_passes(image):
    value = cleaned(ImageBlock(), {"image": image.pk, "alt_text": "Cá linh phơi trên nong tre", "caption": ""})
    assert value["image"] == image and value["alt_text"] == "Cá linh phơi trên nong tre"


def test_an_optional_image_with_an_image_and_no_alt_text_fails(image):
    with pytest.raises(StructBlockValidationError) as error:
        cleaned(OptionalImageBlock(), {"image": image.pk, "alt_text": "  "})
    assert error_fields(error) == {"alt_text"}
    assert error.value.block_errors["alt_text"].messages == [ALT_MESSAGE]


def test_an_optional_image_left_out_needs_no_alt_text(image):
    assert cleaned(OptionalImageBlock(), {"image": None, "alt_text": ""})["image"] is None
    assert cleaned(OptionalImageBlock(), {"image": image.pk, "alt_text": "Ruộng lúa Tà Pạ"})["image"] == image


def test_a_gallery_and_a_timeline_refuse_a_photo_without_alt_text(image):
    with pytest.raises(ValidationError):
        cleaned(GalleryBlock(), {"heading": "", "images": [
            {"image": image.pk, "alt_text": "Chum mắm", "caption": ""},
            {"image": image.pk, "alt_text": "", "caption": ""},
        ]})
    with pytest.raises(ValidationError):
        cleaned(TimelineBlock(), {"heading": "", "steps": [
            {"title": "Đánh bắt", "text": "", "photo": {"image": image.pk, "alt_text": ""}},
            {"title": "Ủ mắm", "text": "", "photo": {"image": None, "alt_text": ""}},
        ]})


def test_a_story_body_with_an_image_lacking_alt_text_fails_as_a_whole(image):
    body = StoryBlocks()
    value = body.to_python([
        {"type": "paragraph", "value": "<p>Chuyện làng nghề.</p>"},
        {"type": "image", "value": {"image": image.pk, "alt_text": "", "caption": ""}},
    ])
    with pytest.raises(ValidationError):
        body.clean(value)


# ---------------------------------------------------------------- videos
@pytest.mark.parametrize("url, embed", [
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://www.youtube.com/shorts/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
    ("https://player.vimeo.com/video/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
])
def test_the_video_block_accepts_youtube_and_vimeo(url, embed):
    block = VideoBlock()
    value = cleaned(block, {"url": url, "title": "Làm mắm cá linh", "caption": ""})
    assert block.get_context(value)["embed_url"] == embed


@pytest.mark.parametrize("url", [
    "https://example.com/video.mp4",
    "https://www.facebook.com/watch?v=123456789",
    "https://www.tiktok.com/@htx/video/7234567890123456789",
    "https://www.youtube.com/",
    "https://www.youtube.com/watch?v=short",
    "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
    "https://evil.example/youtu.be/dQw4w9WgXcQ",
    "https://vimeo.com/channels/staffpicks",
])
def test_the_video_block_refuses_other_addresses(url):
    with pytest.raises(StructBlockValidationError) as error:
        cleaned(VideoBlock(), {"url": url, "title": "Video", "caption": ""})
    assert error_fields(error) == {"url"}


def test_the_video_block_refuses_what_is_not_an_address():
    with pytest.raises(ValidationError):
        cleaned(VideoBlock(), {"url": "javascript:alert(1)", "title": "Video", "caption": ""})


def test_the_video_block_renders_a_link_with_the_player_address_and_no_frame():
    block = VideoBlock()
    value = block.to_python({"url": "https://vimeo.com/76979871", "title": "Mùa nước nổi", "caption": "Châu Đốc"})
    html = block.render(value)
    assert "<iframe" not in html
    assert 'href="https://vimeo.com/76979871"' in html
    assert 'data-embed-url="https://player.vimeo.com/video/76979871?dnt=1"' in html
    assert "Mùa nước nổi" in html and "<figcaption>Châu Đốc</figcaption>" in html

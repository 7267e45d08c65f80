"""shop/embeds.py: video addresses turned into privacy-enhanced player addresses, parsed only (nothing fetched);
anything that is not a YouTube or Vimeo video gives ""."""

import pytest

from shop.embeds import video_embed_url, vimeo_embed_url, youtube_embed_url

YOUTUBE = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"


@pytest.mark.parametrize("url", [
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
    "http://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ",
    "https://music.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://youtu.be/dQw4w9WgXcQ",
    "https://youtu.be/dQw4w9WgXcQ?si=abc",
    "https://www.youtube.com/embed/dQw4w9WgXcQ",
    "https://www.youtube.com/live/dQw4w9WgXcQ?feature=shared",
    "https://www.youtube.com/shorts/dQw4w9WgXcQ",
    "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    "HTTPS://WWW.YOUTUBE.COM/watch?v=dQw4w9WgXcQ",
])
def test_youtube_addresses_give_the_privacy_enhanced_player(url):
    assert youtube_embed_url(url) == YOUTUBE
    assert video_embed_url(url) == YOUTUBE


@pytest.mark.parametrize("url", [
    "",
    "not a url",
    "https://www.youtube.com/",
    "https://www.youtube.com/watch",
    "https://www.youtube.com/watch?v=",
    "https://www.youtube.com/watch?v=tooShort",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ<script>",
    "https://www.youtube.com/channel/UCabcdefghijk",
    "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
    "https://evil.example/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com@evil.example/watch?v=dQw4w9WgXcQ",
    "https://notyoutu.be/dQw4w9WgXcQ",
    "javascript:alert(1)//youtu.be/dQw4w9WgXcQ",
    "http://[::1",
])
def test_other_addresses_are_not_youtube_videos(url):
    assert youtube_embed_url(url) == ""


@pytest.mark.parametrize("url", [
    "https://vimeo.com/76979871",
    "https://www.vimeo.com/76979871",
    "https://player.vimeo.com/video/76979871",
    "https://vimeo.com/channels/staffpicks/76979871",
    "https://vimeo.com/76979871?share=copy",
])
def test_vimeo_addresses_give_the_player_with_tracking_off(url):
    assert vimeo_embed_url(url) == "https://player.vimeo.com/video/76979871?dnt=1"
    assert video_embed_url(url) == "https://player.vimeo.com/video/76979871?dnt=1"


@pytest.mark.parametrize("url", [
    "https://vimeo.com/",
    "https://vimeo.com/channels/staffpicks",
    "https://vimeo.com/123",
    "https://vimeo.com.evil.example/76979871",
    "https://evil.example/vimeo.com/76979871",
    "https://vimeo.com/76979871abc",
])
def test_other_addresses_are_not_vimeo_videos(url):
    assert vimeo_embed_url(url) == ""


@pytest.mark.parametrize("url", [
    "https://www.facebook.com/watch?v=123456789",
    "https://www.tiktok.com/@htx/video/7234567890123456789",
    "https://example.com/video.mp4",
    "ftp://youtube.example/dQw4w9WgXcQ",
])
def test_only_youtube_and_vimeo_are_videos(url):
    assert video_embed_url(url) == ""

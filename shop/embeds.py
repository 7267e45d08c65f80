"""Video addresses turned into privacy-enhanced embed addresses (live sessions, story video blocks). Nothing is
fetched: the address is parsed, and the player loads only when the viewer asks for it."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")


def youtube_embed_url(url: str) -> str:
    """The embed address of a YouTube video or live stream (watch?v=, youtu.be/, /live/, /embed/, /shorts/), in
    privacy-enhanced mode; "" when the address is not a YouTube video."""
    try:
        parts = urlsplit(url or "")
    except ValueError:
        return ""
    host = (parts.hostname or "").lower()
    for prefix in ("www.", "m.", "music."):
        host = host.removeprefix(prefix)
    video = ""
    if host == "youtu.be":
        video = parts.path.strip("/").split("/")[0]
    elif host in ("youtube.com", "youtube-nocookie.com"):
        segments = parts.path.strip("/").split("/")
        if segments[0] == "watch":
            video = parse_qs(parts.query).get("v", [""])[0]
        elif len(segments) >= 2 and segments[0] in ("embed", "live", "shorts", "v"):
            video = segments[1]
    return f"https://www.youtube-nocookie.com/embed/{video}" if _YOUTUBE_ID.match(video) else ""


_VIMEO_ID = re.compile(r"^[0-9]{6,12}$")


def vimeo_embed_url(url: str) -> str:
    """``https://vimeo.com/123456789`` -> the player address with tracking off; "" when not a Vimeo video."""
    try:
        parts = urlsplit(url or "")
    except ValueError:
        return ""
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("player.")
    if host != "vimeo.com":
        return ""
    segments = [s for s in parts.path.split("/") if s]
    video = segments[-1] if segments else ""
    return f"https://player.vimeo.com/video/{video}?dnt=1" if _VIMEO_ID.match(video) else ""


def video_embed_url(url: str) -> str:
    """The embed address of a YouTube or Vimeo video, else ""."""
    return youtube_embed_url(url) or vimeo_embed_url(url)

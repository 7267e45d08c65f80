"""HTML sanitising for stored rich text (product descriptions, producer stories)."""

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h2", "h3", "h4", "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}


def sanitize_html(html: str) -> str:
    """No script, event handler or javascript: link survives; links get rel="noopener noreferrer"."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )


def rich_text_clean(text: str) -> str:
    """What a producer typed, ready to store: plain text keeps its paragraphs and line breaks (and its "&"),
    anything with tags is sanitised."""
    from django.utils.html import escape, linebreaks

    text = (text or "").strip()
    if not text:
        return ""
    if "<" not in text:
        return linebreaks(escape(text))  # escaped, then sanitised like everything else
    return sanitize_html(text)

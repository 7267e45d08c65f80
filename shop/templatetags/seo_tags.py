"""What a page's <head> tells search engines and social networks: title, meta description, canonical URL,
OpenGraph/Twitter tags, and a product's JSON-LD.

base.html wraps its title, description and head_meta lines in ``{% seo_head %}…{% endseo_head %}``: the tag
renders them in order, tidies the title and description blocks (whitespace collapsed, description cut near 160
characters, an empty one replaced by the page's default) and keeps both in ``seo`` so head_meta.html can repeat
them as og:title/og:description without a second definition. On a product page the description is always ours
(the sanitised product description): Oscar's block only strips tags, leaving script text and glued words.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.http import QueryDict
from django.template.loader_tags import BlockNode
from django.utils.html import escape
from django.utils.http import escape_leading_slashes
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from shop.languages import path_is_served, request_path
from shop.partner.strategy import request_strategy
from catalogue.structured_data import json_ld_script, plain_text, product_description, product_json_ld, truncate_text

register = template.Library()

DESCRIPTION_MAX = 160
SHARE_RENDITION = "fill-1200x630|format-jpeg"  # the size Facebook, Zalo and X show large
PRODUCT_SHARE_SIZE = "1200x1200"  # a product photo is fitted, never cropped
OG_LOCALES = {"vi": "vi_VN", "en": "en_US"}
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")


# ---------------------------------------------------------------- what the page is
def wagtail_page(context):
    from wagtail.models import Page

    page = context.get("page")
    return page if isinstance(page, Page) else None


def detail_product(context):
    """The product of Oscar's product page (only there: other pages may carry a `product` too)."""
    from catalogue.models import Product

    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    product = context.get("product")
    if isinstance(product, Product) and match is not None and match.view_name == "catalogue:detail":
        return product
    return None


def _text(rendered: str) -> str:
    """Rendered (escaped) block output as plain text on one line."""
    text = html.unescape(str(rendered))
    if _ENTITY.search(text):  # stored HTML whose entities were escaped once more on the way out
        text = html.unescape(text)
    return re.sub(r"\s+", " ", text).strip()


def _shorten(text: str, limit: int = DESCRIPTION_MAX) -> str:
    return truncate_text(text, limit)


def description_default(context) -> str:
    """A Wagtail page's meta_description(), else its search description, else for a product a sentence about
    it, else the shop's tagline."""
    page = wagtail_page(context)
    if page is not None:
        described = page.meta_description() if callable(getattr(page, "meta_description", None)) else ""
        text = plain_text(described or page.search_description or "")
        if text:
            return text
    product = detail_product(context)
    if product is not None:
        described = product_description(product)
        if described:
            return described
        certificate = product.current_certificate()
        producer = product.producer.name if product.producer_id else ""
        if certificate is not None and producer:
            return _("%(title)s: sản phẩm OCOP %(stars)s sao của %(producer)s.") % {
                "title": product.get_title(), "stars": certificate.stars, "producer": producer}
        if certificate is not None:
            return _("%(title)s: sản phẩm OCOP %(stars)s sao.") % {"title": product.get_title(),
                                                                    "stars": certificate.stars}
    return str(context.get("shop_tagline") or settings.OSCAR_SHOP_TAGLINE)


@register.simple_tag(takes_context=True)
def default_description(context):
    return _shorten(description_default(context))


# ---------------------------------------------------------------- {% seo_head %}
class SeoHeadNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        seo = {"title": "", "description": ""}
        with context.push(seo=seo):
            bits = []
            for node in self.nodelist:
                output = node.render_annotated(context)
                if isinstance(node, BlockNode) and node.name == "title":
                    seo["title"] = _text(output) or str(context.get("shop_name") or settings.OSCAR_SHOP_NAME)
                    output = escape(seo["title"])
                elif isinstance(node, BlockNode) and node.name == "description":
                    if detail_product(context) is not None:  # Oscar's block: striptags on unsanitised HTML
                        output = ""
                    seo["description"] = _shorten(_text(output) or description_default(context))
                    output = escape(seo["description"])
                bits.append(str(output))
            return "".join(bits)


@register.tag
def seo_head(parser, token):
    """``{% seo_head %}<title>{% block title %}…{% endblock %}</title>…{% endseo_head %}``"""
    nodelist = parser.parse(("endseo_head",))
    parser.delete_first_token()
    return SeoHeadNode(nodelist)


# ---------------------------------------------------------------- canonical URL, OpenGraph
def canonical_of(url: str, request) -> str:
    """``url`` absolute, without its query string except a listing's page number (page 2 is its own page):
    tracking parameters, sort orders and facets all name the same page."""
    parts = urlsplit(escape_leading_slashes(url))
    absolute = request.build_absolute_uri(parts.path)
    page = QueryDict(parts.query).get("page", "")
    if page.isdigit() and int(page) > 1:
        absolute += f"?page={int(page)}"
    return absolute


def canonical_url(request) -> str:
    """The page's canonical URL; none for a path no view answered (a 404 from the resolver)."""
    return canonical_of(request_path(request), request) if path_is_served(request) else ""


def _wagtail_share_image(page, request) -> dict | None:
    shared = page.share_image() if callable(getattr(page, "share_image", None)) else None
    if shared is None:
        return None
    image, alt = shared
    try:
        rendition = image.get_rendition(SHARE_RENDITION)
    except Exception:  # a missing or unreadable file: no preview rather than a broken page
        return None
    return {"url": request.build_absolute_uri(rendition.url), "width": rendition.width, "height": rendition.height,
            "alt": alt or image.default_alt_text, "type": "image/jpeg"}


def _product_share_image(product, request) -> dict | None:
    image = product.primary_image()
    if isinstance(image, dict) or not image.original:  # Oscar's "missing image" placeholder
        return None
    alt = image.caption or product.get_title()
    try:
        from oscar.core.thumbnails import get_thumbnailer

        thumbnail = get_thumbnailer().generate_thumbnail(
            image.original, size=PRODUCT_SHARE_SIZE, upscale=False, format="JPEG", quality=85
        )
        if thumbnail and thumbnail.url and thumbnail.width:
            return {"url": request.build_absolute_uri(thumbnail.url), "width": thumbnail.width,
                    "height": thumbnail.height, "alt": alt, "type": "image/jpeg"}
    except Exception:  # fall back to the original, size unknown
        pass
    return {"url": request.build_absolute_uri(image.original.url), "width": None, "height": None, "alt": alt,
            "type": ""}


@register.simple_tag(takes_context=True)
def share_meta(context) -> dict:
    """Everything head_meta.html prints, for the page being rendered (URLs only when there is a request: a
template rendered without one, such as an e-mail, gets no canonical URL or image)."""
    request = context.get("request")
    seo = context.get("seo") or {}
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    meta = {
        "type": "website",
        "title": seo.get("title") or str(context.get("shop_name") or settings.OSCAR_SHOP_NAME),
        "description": seo.get("description") or _shorten(description_default(context)),
        "url": canonical_url(request) if request is not None else "",
        "image": None,
        "site_name": str(context.get("shop_name") or settings.OSCAR_SHOP_NAME),
        "locale": OG_LOCALES.get(language, language),
        "language": language,
        "default_language": settings.LANGUAGE_CODE,
        "published": None,
        "modified": None,
    }
    if request is None:
        return meta
    page = wagtail_page(context)
    product = detail_product(context)
    if page is not None:
        from cms.models import StoryPage

        meta["title"] = page.seo_title or page.title
        meta["image"] = _wagtail_share_image(page, request)
        if isinstance(page, StoryPage):
            meta["type"] = "article"
            meta["published"] = page.first_published_at
            meta["modified"] = page.last_published_at
    elif product is not None:
        meta["type"] = "product"
        meta["title"] = product.get_meta_title()
        meta["image"] = _product_share_image(product, request)
    return meta


@register.filter
def og_locale(code) -> str:
    code = str(code or "").split("-")[0]
    return OG_LOCALES.get(code, code)


@register.filter(name="canonical_of")
def canonical_of_filter(url, request) -> str:
    """A language alternate's URL (a path) as the canonical URL of that page."""
    return canonical_of(str(url), request) if url else ""


# ---------------------------------------------------------------- JSON-LD
@register.simple_tag(takes_context=True)
def product_structured_data(context, product):
    """The product's schema.org JSON-LD, priced by the request's strategy."""
    request = context.get("request")
    if request is None:
        return ""
    info = request_strategy(request).fetch_for_product(product)
    return json_ld_script(product_json_ld(product=product, info=info, request=request))


# ---------------------------------------------------------------- footer
@register.simple_tag(takes_context=True)
def footer_settings(context):
    """The site's cms.SiteSettings (operator, registration, contacts), or None where there is no Wagtail site
    for the request: the footer of an error page must never fail."""
    from wagtail.models import Site

    from cms.models import SiteSettings

    request = context.get("request")
    if request is None or Site.find_for_request(request) is None:
        return None
    return SiteSettings.for_request(request)

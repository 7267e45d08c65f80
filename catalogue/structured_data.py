"""schema.org Product/Offer JSON-LD for a product page (what search engines read about a product).

The gate decides the offer: a certified product gets an Offer (InStock when the strategy lets it be bought,
OutOfStock otherwise); a product without a current OCOP certificate is not for sale, so it gets no Offer at all
(no price and no availability a search engine could show as a shopping result) and no OCOP rating.
"""

from __future__ import annotations

import html
import json
import re

import nh3
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from shop.money import round_to_dong

SCHEMA = "https://schema.org/"
IN_STOCK = SCHEMA + "InStock"
OUT_OF_STOCK = SCHEMA + "OutOfStock"
DESCRIPTION_MAX = 300  # characters of plain text
GTIN_LENGTHS = (8, 12, 13, 14)
MAX_IMAGES = 3

# The characters json_script escapes: nothing in the data can close the <script> element or open a comment.
_BLOCK_TAG = re.compile(r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|blockquote|table)\b[^>]*>", re.I)
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def plain_text(value: str, *, limit: int | None = None) -> str:
    """Stored rich text as one line of plain text: tags dropped, entities decoded, whitespace collapsed, and cut
    at a word boundary (with "…") when longer than ``limit``."""
    spaced = _BLOCK_TAG.sub(r" \g<0>", value or "")  # "</p><p>" and "<br>" part words
    text = html.unescape(nh3.clean(spaced, tags=set()))  # every tag dropped, script and style with their content
    text = re.sub(r"\s+", " ", text).strip()
    return truncate_text(text, limit) if limit else text


def product_description(product, *, limit: int | None = None) -> str:
    """The product's meta description (a variant's parent's), else its description, as plain text."""
    meta = product.meta_description or (product.parent.meta_description if product.is_child else "")
    return plain_text(meta or product.description, limit=limit)


def truncate_text(text: str, limit: int) -> str:
    """``text`` cut at a word boundary, with "…", when longer than ``limit`` characters."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:–-") + "…"


def whole_dong(amount) -> str:
    """A price as schema.org wants it for VND: digits only, no fraction ("120000")."""
    return str(round_to_dong(amount))


def gtin_property(upc: str) -> tuple[str, str] | None:
    """("gtin13", "8938505974123") when the product code is a GTIN-8/12/13/14, else None."""
    code = (upc or "").strip()
    if code.isascii() and code.isdigit() and len(code) in GTIN_LENGTHS:
        return f"gtin{len(code)}", code
    return None


def product_image_urls(product, *, request) -> list[str]:
    """Absolute URLs of the product's photos, primary first (Oscar's placeholder is never listed)."""
    urls = []
    for image in list(product.get_all_images())[:MAX_IMAGES]:
        if image.original:
            urls.append(request.build_absolute_uri(image.original.url))
    return urls


def _producer(product, *, request) -> dict | None:
    producer = product.producer if product.producer_id else None
    if producer is None:
        return None
    data = {"@type": "Organization", "name": producer.name}
    if producer.is_public and producer.code:  # the public profile exists only then
        data["url"] = request.build_absolute_uri(reverse("producers:detail", kwargs={"code": producer.code}))
    return data


def _certification(certificate, *, request) -> tuple[list[dict], dict]:
    """The OCOP rating as PropertyValues (rating and last valid day) and as a schema.org Certification."""
    properties = [
        {"@type": "PropertyValue", "name": gettext("Hạng OCOP"), "value": certificate.stars, "minValue": 3,
         "maxValue": 5, "unitText": gettext("sao")},
        {"@type": "PropertyValue", "name": gettext("Chứng nhận OCOP có hiệu lực đến"),
         "value": certificate.expires_on.isoformat()},
    ]
    certification = {
        "@type": "Certification",
        "name": gettext("Chứng nhận OCOP %(stars)s sao") % {"stars": certificate.stars},
        "certificationIdentification": certificate.decision_number,
        "certificationRating": {"@type": "Rating", "ratingValue": certificate.stars, "bestRating": 5, "worstRating": 3},
        "validFrom": certificate.issued_on.isoformat(),
        "expires": certificate.expires_on.isoformat(),
        "url": request.build_absolute_uri(certificate.get_absolute_url()),
    }
    if certificate.issuing_authority:
        certification["issuedBy"] = {"@type": "Organization", "name": certificate.issuing_authority}
    return properties, certification


def _offer(product, info, *, url: str, certificate, request) -> dict | None:
    """An Offer only for a certified product with a price (see the module docstring)."""
    if certificate is None or info is None or not info.price.exists:
        return None
    price = info.price.incl_tax if info.price.is_tax_known else info.price.excl_tax
    offer = {
        "@type": "Offer",
        "url": url,
        "price": whole_dong(price),
        "priceCurrency": info.price.currency or "VND",
        "availability": IN_STOCK if info.availability.is_available_to_buy else OUT_OF_STOCK,
        "itemCondition": SCHEMA + "NewCondition",
        # The price holds while the certificate does: after its last valid day the product is not for sale.
        "priceValidUntil": certificate.expires_on.isoformat(),
        "seller": {"@type": "Organization", "name": str(settings.OSCAR_SHOP_NAME),
                   "url": request.build_absolute_uri("/")},
    }
    return offer


def product_json_ld(*, product, info, request) -> dict:
    """The Product (with its Offer when for sale) as a JSON-LD dict; ``info`` is the request strategy's
    PurchaseInfo for the product (``request.strategy.fetch_for_product(product)``)."""
    url = request.build_absolute_uri(product.get_absolute_url())
    data: dict = {"@context": "https://schema.org", "@type": "Product", "@id": url + "#product",
                  "name": product.get_title(), "url": url}
    description = product_description(product, limit=DESCRIPTION_MAX)
    if description:
        data["description"] = description
    images = product_image_urls(product, request=request)
    if images:
        data["image"] = images
    sku = info.stockrecord.partner_sku if info is not None and info.stockrecord is not None else ""
    if sku or product.upc:
        data["sku"] = sku or product.upc
    gtin = gtin_property(product.upc)
    if gtin:
        data[gtin[0]] = gtin[1]
    producer = _producer(product, request=request)
    if producer:
        data["brand"] = producer
        data["manufacturer"] = producer
    certificate = product.current_certificate()
    if certificate is not None:
        data["additionalProperty"], data["hasCertification"] = _certification(certificate, request=request)
    offer = _offer(product, info, url=url, certificate=certificate, request=request)
    if offer:
        data["offers"] = offer
    return data


def json_ld_script(data: dict) -> SafeString:
    """``<script type="application/ld+json">`` with <, > and & escaped the way json_script does it."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')

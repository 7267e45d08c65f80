from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from catalogue.models import OcopGroup
from shop.caching import store
from shop.html import sanitize_html
from shop.languages import localized_field

register = template.Library()


@register.simple_tag
def ocop_group_links():
    key = f"ocop-group-links:{get_language()}"
    links = store.read(key)
    if links is None:
        groups = OcopGroup.objects.filter(taxonomy__is_current=True).select_related("category")
        links = [
            {"number": g.number, "label": localized_field(g), "url": g.category.get_absolute_url()}
            for g in groups
            if g.category_id
        ]
        store.write(key, links, 300)
    return links


@register.inclusion_tag("shop/partials/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to this page in each language (plain links, no form): a Wagtail page's translation, else the same
    URL under the other language's prefix (shop/languages.py)."""
    from shop.languages import language_alternates

    request = context.get("request")
    alternates = language_alternates(request, page=context.get("page")) if request is not None else []
    return {"alternates": alternates, "current": get_language()}


@register.filter
def localized_name(obj):
    return localized_field(obj)


@register.filter
def star_icons(stars):
    """3 → "★★★" for badges (the number is also given in text for screen readers)."""
    try:
        return "★" * int(stars)
    except (TypeError, ValueError):
        return ""


@register.filter
def sanitized(html):
    """Render stored rich text safely, whatever was stored (Oscar renders descriptions with |safe)."""
    return mark_safe(sanitize_html(html or ""))


@register.simple_tag(takes_context=True)
def facet_url(context, name, value=None):
    """The listing URL with one facet selected (or cleared when value is None)."""
    return query_with(context, **{name: value})


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters changed (and the page reset unless it is changed)."""
    params = context["request"].GET.copy()
    if "page" not in changes:
        params.pop("page", None)
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def dong(value):
    """Whole dong in the active language: 250.000 ₫ (vi), ₫250,000 (en)."""
    from shop.money import dong_text

    if value in (None, ""):
        return ""
    return dong_text(value)


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key, "")


@register.filter
def for_cards(products):
    """These products ready for product cards in a constant number of queries, in the same order; only those
    for sale (an automatic list shows certified products only)."""
    from catalogue.models import Product
    from catalogue.selectors import products_for_cards

    ids = [product.pk for product in products]
    if not ids:
        return []
    ready = products_for_cards(Product.objects.filter(pk__in=ids)).in_bulk()
    return [ready[pk] for pk in ids if pk in ready]

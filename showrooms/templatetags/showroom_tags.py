"""Showroom pieces for other apps' templates: the product page's "see and buy in person" section."""

from django import template

from ..selectors import ShelfLevel, showrooms_for_product

register = template.Library()

LEVEL_BADGES = {
    ShelfLevel.IN_STOCK: "badge-success",
    ShelfLevel.FEW_LEFT: "badge-warning",
    ShelfLevel.OUT: "badge-secondary",
}


@register.filter
def level_badge(level) -> str:
    """Bootstrap badge class for a public shelf level (colour as well as the words)."""
    try:
        return LEVEL_BADGES[ShelfLevel(level)]
    except ValueError:
        return "badge-light"


@register.inclusion_tag("showrooms/partials/product_showrooms.html", takes_context=True)
def product_showrooms(context, product):
    """Active showrooms that carry a certified product, each with its page (if any) and its level, never a count.
    Two queries whatever the number of showrooms. An uncertified product cannot be sold at a counter either, so
    it lists none."""
    from ..pages import showroom_pages_by_showroom

    if product is None or not product.is_certified():
        return {"rows": []}
    pairs = showrooms_for_product(product)
    pages = showroom_pages_by_showroom(showroom.pk for showroom, _level in pairs)
    request = context.get("request")
    rows = [
        {
            "showroom": showroom,
            "level": level,
            "url": pages[showroom.pk].get_url(request=request) if showroom.pk in pages else "",
        }
        for showroom, level in pairs
    ]
    return {"rows": rows}

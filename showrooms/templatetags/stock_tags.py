"""Template helpers of the showroom stock screen (showroom_tags.py belongs to the public showroom pages)."""

from django import template

from ..selectors import showrooms_of_user

register = template.Library()

UNDO_TAG = "stock-undo"  # a confirmation's extra tags: "stock-undo:<showroom code>:<movement pk>"
MINUS = "\u2212"


@register.filter
def signed(value) -> str:
    """+10, −2 (a true minus sign, as on a receipt)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return ""
    return f"+{number}" if number > 0 else f"{MINUS}{-number}" if number < 0 else "0"


@register.filter
def works_at_showroom(user) -> bool:
    """The header's link to the stock screen: showroom staff, and programme staff who may change shelf stock."""
    return showrooms_of_user(user).exists()


@register.filter
def stock_undo(message):
    """The movement a confirmation may undo, as {"code": ..., "movement": ...}; None for other messages."""
    for tag in (getattr(message, "extra_tags", "") or "").split():
        prefix, _, rest = tag.partition(":")
        code, _, pk = rest.partition(":")
        if prefix == UNDO_TAG and code and pk.isdigit():
            return {"code": code, "movement": int(pk)}
    return None

"""``{% page_ancestors page as ancestors %}``: the page's ancestors, root first, read once per request and shared
with the page's view-restriction check, hreflang links and language switcher (cms.selectors.page_ancestors)."""

from django import template

from cms import selectors

register = template.Library()


@register.simple_tag
def page_ancestors(page):
    return selectors.page_ancestors(page)

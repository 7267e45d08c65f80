"""``{% language_alternates as alternates %}``: the current page in every language (shop/languages.py).

Each item has ``code``, ``name``, ``url`` (a path) and ``exists`` (False when the page has no translation in that
language and ``url`` is a fallback: print hreflang links only for ``exists``). On a Wagtail page (a ``page`` in
the context) the alternates are the page's translations; anywhere else, the same URL in the other language."""

from django import template

from shop.languages import language_alternates as alternates_for

register = template.Library()


@register.simple_tag(takes_context=True)
def language_alternates(context):
    request = context.get("request")
    if request is None:
        return []
    return alternates_for(request, page=context.get("page"))

"""Stories where products and producers are shown."""

from django import template

from cms import selectors

register = template.Library()


@register.inclusion_tag("cms/partials/product_stories.html", takes_context=True)
def product_stories(context, product):
    """The stories that tell about this product, on its page."""
    request = context.get("request")
    return {"stories": selectors.stories_of_product(product=product, request=request), "request": request}

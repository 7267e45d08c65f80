"""``{% storefront_cache "name" vary... %}…{% endstorefront_cache %}``: a fragment cached for every visitor under
the storefront's version token (shop/caching/fragments.py). Put nothing inside that differs between visitors."""

from django import template

from shop.caching.fragments import fragment_cached

register = template.Library()


class StorefrontCacheNode(template.Node):
    def __init__(self, nodelist, name, varies):
        self.nodelist, self.name, self.varies = nodelist, name, varies

    def render(self, context):
        name = self.name.resolve(context)
        parts = [v.resolve(context) for v in self.varies]
        return fragment_cached(context.get("request"), name, parts, lambda: self.nodelist.render(context))


@register.tag("storefront_cache")
def storefront_cache(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("storefront_cache needs a fragment name")
    nodelist = parser.parse(("endstorefront_cache",))
    parser.delete_first_token()
    return StorefrontCacheNode(nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]])

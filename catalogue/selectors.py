"""Reads for pages that show products: every automatic pick goes through the gate."""

from .models import Product


def products_for_cards(queryset=None):
    """Certified, browsable products with everything a product card needs, in a constant number of queries."""
    queryset = queryset if queryset is not None else Product.objects.all()
    return (
        queryset.browsable()
        .certified()
        .select_related("producer", "product_class", "ocop_product_set__group")
        .prefetch_related("stockrecords", "images")
        .with_current_certificates()
    )


def products_recently_certified(*, limit: int = 8):
    return products_for_cards().order_by("-certificates__issued_on", "-pk").distinct()[:limit]


def products_of_producer(*, producer):
    return products_for_cards(Product.objects.filter(producer=producer)).order_by("title")

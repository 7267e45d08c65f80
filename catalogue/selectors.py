"""Reads for pages that show products: every automatic pick goes through the gate."""

from django.db.models import OuterRef, Subquery

from .models import Certificate, Product


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


def products_newest_certified_first(queryset):
    """Ordered by the issue date of each product's current certificate, newest first, one row per product.
    (Ordering by ``-certificates__issued_on`` joins every certificate: a renewed product came back once per
    certificate, and a revoked or expired certificate decided the order.)"""
    current = Certificate.objects.valid_on().filter(product=OuterRef("pk")).order_by("-issued_on", "-pk").values("issued_on")[:1]
    return queryset.annotate(current_issued_on=Subquery(current)).order_by("-current_issued_on", "-pk")


def products_recently_certified(*, limit: int = 8):
    return products_newest_certified_first(products_for_cards())[:limit]


def products_of_producer(*, producer):
    return products_for_cards(Product.objects.filter(producer=producer)).order_by("title")

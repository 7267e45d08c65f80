"""What Oscar's shopper pages (account, wish lists, offers) render, read for all their rows at once.

Each filter takes what an Oscar template already has in its context (a page of orders, an order, a wish list's
lines, the offers), reads the relations its rows show in one query per relation, and hands the same objects back:
the template overriding Oscar's block wraps ``{{ block.super }}`` in ``{% with %}`` and Oscar's markup renders
unchanged, in a constant number of queries however many rows there are."""

from functools import partial

from django import template
from django.core.paginator import Page
from django.db.models import Exists, F, OuterRef, Prefetch, Window, prefetch_related_objects
from django.db.models.functions import RowNumber
from django.forms.models import BaseModelFormSet
from oscar.core.loading import get_model

register = template.Library()

OFFER_PRODUCTS_SHOWN = 12  # Oscar's offer list shows a range's first 12 products (offer.products|slice:":12")


def _rows(objects) -> list:
    """The model instances behind ``objects``: a queryset (read once, its cache kept), a list, a page of a paginated
    list (its rows made a list, kept on the page) or a model formset (its forms' instances)."""
    if isinstance(objects, Page):
        objects.object_list = list(objects.object_list)
        return objects.object_list
    if isinstance(objects, BaseModelFormSet):
        return list(objects.get_queryset())  # the queryset the formset's forms take their instances from
    return list(objects or [])


@register.filter
def prefetched(objects, lookups: str):
    """``objects`` with ``lookups`` (comma-separated, as for ``prefetch_related``) read in one query each, for
    all of them. A queryset comes back as a list of its rows; a page or a formset comes back itself.

    ``{% with orders=orders|prefetched:"lines" %}{{ block.super }}{% endwith %}``"""
    rows = _rows(objects)
    prefetch_related_objects(rows, *[lookup.strip() for lookup in lookups.split(",") if lookup.strip()])
    return objects if isinstance(objects, (Page, BaseModelFormSet)) else rows


# ---------------------------------------------------------------- an order's lines (the account's order page)
@register.filter
def with_line_details(order, user):
    """The order with what each line shows read once for all lines: its product, its options (the description) and
    whether ``user`` may still review the product (Oscar's ``is_review_permitted``)."""
    if order is None:
        return order
    prefetch_related_objects([order], "lines__product", "lines__attributes__option")
    products = [line.product for line in order.lines.all() if line.product is not None]
    _reviews_answer(products, user)
    return order


def _reviews_answer(products, user) -> None:
    """Answer ``product.has_review_by(user)`` for these products with one query. Oscar asks it once a product
    (``is_review_permitted``, one ``EXISTS`` each) and the model offers no prefetch to consult, so each product
    gets the answer for this user; any other user is asked the model's way."""
    if not products or not getattr(user, "is_authenticated", False):
        return
    ProductReview = get_model("reviews", "ProductReview")
    reviewed = set(ProductReview.objects.filter(user=user, product__in=products).values_list("product_id", flat=True))
    for product in products:
        product.has_review_by = partial(_has_review_by, product, user.pk, product.pk in reviewed)


def _has_review_by(product, user_pk, answer: bool, user) -> bool:
    if getattr(user, "is_authenticated", False) and user.pk == user_pk:
        return answer
    return type(product).has_review_by(product, user)


# ---------------------------------------------------------------- wish lists: product cards for every line
def _card_products():
    """Products with what a product card reads (the relations of ``catalogue.selectors.products_for_cards``),
    certified or not: a wish list keeps what the shopper saved, and its card says "Không bán" when it is not for
    sale."""
    Product = get_model("catalogue", "Product")
    return (
        Product.objects.select_related("producer", "product_class", "ocop_product_set__group")
        .prefetch_related("stockrecords", "images")
        .with_current_certificates()
    )


@register.filter
def lines_for_cards(lines):
    """Wish list lines (a page of them, a queryset or a list) with each product ready for its card."""
    prefetch_related_objects(_rows(lines), Prefetch("product", queryset=_card_products()))
    return lines


# ---------------------------------------------------------------- offers: each offer's first products, as cards
@register.simple_tag
def offers_with_products(offers):
    """``[(offer, products)]``: each offer with the first products of its range for sale, ready for cards, in a
    constant number of queries for the ranges the site makes (products named one by one, as live prices are).

    The products are Oscar's ``offer.products`` (the range's products, discountable and browsable) in its order,
    then only those for sale (``catalogue.selectors.products_for_cards``: an automatic list shows certified products
    only). A range that also picks products by class or category, or takes all products, or is a custom class,
    keeps Oscar's own reading of the range (a few queries for that offer)."""
    from catalogue.selectors import products_for_cards

    offers = _rows(offers)
    Condition = get_model("offer", "Condition")
    prefetch_related_objects(offers, Prefetch("condition", queryset=Condition.objects.select_related("range")))
    ranges = {offer.condition.range_id: offer.condition.range for offer in offers if offer.has_products}
    named_only = _ranges_of_named_products(list(ranges.values()))
    picked = _first_named_products(named_only)
    wanted = {pk for pks in picked.values() for pk in pks}
    by_pk = products_for_cards(_product_model().objects.filter(pk__in=wanted)).in_bulk()

    listed = []
    for offer in offers:
        if not offer.has_products:
            listed.append((offer, []))
        elif offer.condition.range_id in named_only:
            pks = picked.get(offer.condition.range_id, [])
            listed.append((offer, [by_pk[pk] for pk in pks if pk in by_pk]))
        else:
            listed.append((offer, list(products_for_cards(offer.products())[:OFFER_PRODUCTS_SHOWN])))
    return listed


def _product_model():
    return get_model("catalogue", "Product")


def _ranges_of_named_products(ranges) -> set:
    """The ranges whose products are exactly those named in them (minus those excluded): no class, no category,
    not every product, no custom class. Two queries, whatever the number of ranges."""
    Range = get_model("offer", "Range")
    candidates = [r.pk for r in ranges if not r.includes_all_products and not r.proxy_class]
    if not candidates:
        return set()
    with_classes = set(Range.classes.through.objects.filter(range_id__in=candidates).values_list("range_id", flat=True))
    with_categories = set(
        Range.included_categories.through.objects.filter(range_id__in=candidates).values_list("range_id", flat=True)
    )
    return set(candidates) - with_classes - with_categories


def _first_named_products(range_ids) -> dict[int, list[int]]:
    """For each range, the pks of its first products as Oscar lists them (``offer.products``: named in the range,
    not excluded from it, discountable and browsable, in the products' default order), at most
    ``OFFER_PRODUCTS_SHOWN`` a range and only products for sale: one query."""
    if not range_ids:
        return {}
    Range = get_model("offer", "Range")
    RangeProduct = get_model("offer", "RangeProduct")
    Product = _product_model()
    for_sale = Product.objects.browsable().certified().filter(is_discountable=True)
    excluded = Range.excluded_products.through.objects.filter(
        range_id=OuterRef("range_id"), product_id=OuterRef("product_id"))
    order = [_order_by_product(field) for field in [*Product._meta.ordering, "-pk"]]
    rows = (
        RangeProduct.objects.filter(range_id__in=range_ids, product__in=for_sale)
        .exclude(Exists(excluded))
        .annotate(position=Window(RowNumber(), partition_by=[F("range_id")], order_by=order))
        .filter(position__lte=OFFER_PRODUCTS_SHOWN)
        .order_by("range_id", "position")
        .values_list("range_id", "product_id")
    )
    picked: dict[int, list[int]] = {}
    for range_id, product_id in rows:
        picked.setdefault(range_id, []).append(product_id)
    return picked


def _order_by_product(field: str):
    descending = field.startswith("-")
    expression = F(f"product__{field.lstrip('-')}")
    return expression.desc() if descending else expression.asc()

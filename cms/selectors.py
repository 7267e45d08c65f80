"""Reads for the CMS pages: product cards read from the catalogue at render time, stories in the reader's language.

Every list here costs a constant number of queries whatever its length. Automatic product picks go through
catalogue.selectors.products_for_cards (the gate); named products (a story's cards) are loaded whatever their
certificate and shown as "not for sale" when they hold none.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from wagtail.models import Locale

from shop.languages import one_per_translation
from shop.partner.strategy import request_strategy
from catalogue.models import OcopGroup, Product
from catalogue.selectors import products_for_cards, products_newest_certified_first, products_recently_certified


@dataclass(frozen=True)
class ProductCard:
    product: Product
    info: object  # Oscar's PurchaseInfo: price and availability from the request's strategy (the card template
    # reads the certificate from the product: prefetched by every loader here)


def _cards(products, *, request) -> list[ProductCard]:
    strategy = request_strategy(request)
    return [ProductCard(product=product, info=strategy.fetch_for_product(product)) for product in products]


def _in_editor_order(products, product_ids) -> list[Product]:
    by_id = {product.pk: product for product in products}
    return [by_id[pk] for pk in dict.fromkeys(product_ids) if pk in by_id]


def product_cards(*, product_ids: list[int], request) -> list[ProductCard]:
    """Cards for products an editor named, in the editor's order; products since deleted or hidden are left out.
    An uncertified one stays (its card says "not for sale")."""
    if not product_ids:
        return []
    loaded = (
        Product.objects.filter(pk__in=product_ids, is_public=True)
        .select_related("producer", "product_class", "ocop_product_set__group")
        .prefetch_related("stockrecords", "images", "certificates")
        .with_current_certificates()
    )
    return _cards(_in_editor_order(loaded, product_ids), request=request)


def certified_product_cards(*, product_ids: list[int], request) -> list[ProductCard]:
    """Cards for the named products that pass the gate (products_for_cards), in the editor's order: a pick that
    promotes (the home page's staff picks) shows only certified products."""
    if not product_ids:
        return []
    loaded = products_for_cards(Product.objects.filter(pk__in=product_ids))
    return _cards(_in_editor_order(loaded, product_ids), request=request)


def newest_certified_cards(*, limit: int, request) -> list[ProductCard]:
    """The most recently certified products (by their current certificate), certified only."""
    return _cards(products_recently_certified(limit=limit), request=request)


def _current_group(number: int):
    return OcopGroup.objects.filter(taxonomy__is_current=True, number=number).select_related("category").first()


def group_cards(*, group_number: int, limit: int, request) -> list[ProductCard]:
    products = products_for_cards().filter(
        ocop_product_set__group__taxonomy__is_current=True, ocop_product_set__group__number=group_number
    )
    return _cards(products_newest_certified_first(products)[:limit], request=request)


def group_url(*, group_number: int) -> str:
    group = _current_group(group_number)
    return group.category.get_absolute_url() if group and group.category_id else ""


def area_product_cards(*, communes, request, limit: int = 12) -> list[ProductCard]:
    """Certified products of the producers based in these communes (an area page's products)."""
    products = products_for_cards().filter(producer__area__in=communes)
    return _cards(products_newest_certified_first(products)[:limit], request=request)


# ---------------------------------------------------------------- stories
def _story_model():
    from .models import StoryPage

    return StoryPage


def stories_localized(queryset=None):
    """Live, public stories, one per translation: the reader's language where the story has been translated,
    else the original (Vietnamese). A constant number of queries (the page, view restrictions, renditions)."""
    StoryPage = _story_model()
    queryset = queryset if queryset is not None else StoryPage.objects.all()
    queryset = queryset.live().public()
    active, default = Locale.get_active(), Locale.get_default()
    if active.pk == default.pk:
        queryset = queryset.filter(locale=active)
    else:
        translated = StoryPage.objects.live().public().filter(locale=active).values("translation_key")
        queryset = queryset.filter(Q(locale=active) | (Q(locale=default) & ~Q(translation_key__in=translated)))
    return (
        queryset.select_related("producer", "hero_image", "locale")
        .prefetch_related("hero_image__renditions")
        .order_by("-first_published_at", "-pk")
    )


def stories_latest(*, limit: int):
    return list(stories_localized()[:limit])


def stories_of_producer(*, producer, limit: int = 12):
    return list(stories_localized().filter(producer=producer)[:limit])


def stories_of_product(*, product, limit: int = 6):
    """Stories that link the product (or its parent) in their product list."""
    owners = [product.pk] + ([product.parent_id] if product.parent_id else [])
    return list(stories_localized().filter(story_products__product_id__in=owners).distinct()[:limit])


def stories_of_area(*, communes, limit: int = 6):
    """Stories of producers based in these communes."""
    return list(stories_localized().filter(producer__area__in=communes)[:limit])


def story_index_url(*, request=None) -> str:
    from .models import StoryIndexPage

    index = StoryIndexPage.objects.live().public().filter(locale=Locale.get_active()).first()
    index = index or StoryIndexPage.objects.live().public().filter(locale=Locale.get_default()).first()
    return index.get_url(request=request) if index else ""


# ---------------------------------------------------------------- home page sections
def live_sessions_for_home(*, limit: int):
    """(sessions on air, the next ones) for the home page: the /live/ page's lists (a cancelled session that was
    still to come stays, marked cancelled), the coming ones cut to ``limit``."""
    from livestream.selectors import sessions_for_index

    live, upcoming, _past = sessions_for_index(now=timezone.now())
    return live, upcoming[:limit]


def areas_with_showrooms(*, request=None) -> list:
    """Area pages in the reader's language (else the original), each with its number of open showrooms (a
    showroom counts once per area, whichever language its page is in: an English area page whose showroom pages
    are not translated yet still counts them). A constant number of queries: a showroom page's parent in the tree
    is its area."""
    from showrooms.pages import AreaIndexPage, ShowroomPage

    active, default = Locale.get_active(), Locale.get_default()
    locales = {active.pk, default.pk}
    areas_all = list(AreaIndexPage.objects.live().public().filter(locale__in=locales).order_by("path"))
    area_key_of_path = {page.path: page.translation_key for page in areas_all}
    chosen = one_per_translation(areas_all)
    showrooms_of: dict[object, set[int]] = {}
    showroom_pages = (
        ShowroomPage.objects.live().public().filter(locale__in=locales, showroom__is_active=True)
        .values_list("path", "showroom_id")
    )
    for path, showroom_id in showroom_pages:
        area_key = area_key_of_path.get(path[: -ShowroomPage.steplen])
        if area_key is not None:
            showrooms_of.setdefault(area_key, set()).add(showroom_id)
    areas = list(chosen.values())
    for page in areas:
        page.showroom_count = len(showrooms_of.get(page.translation_key, ()))
    return areas

"""Reads for the CMS pages: product cards read from the catalogue at render time, stories in the reader's language,
and what every served page needs around it (its route, ancestors, view restrictions and translations).

Every list here costs a constant number of queries whatever its length. Automatic product picks go through
catalogue.selectors.products_for_cards (the gate); named products (a story's cards) are loaded whatever their
certificate and shown as "not for sale" when they hold none.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import BooleanField, Exists, ExpressionWrapper, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Length, Substr
from django.http import Http404
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction
from wagtail.url_routing import RouteResult

from shop.languages import locale_active, locale_default, one_per_translation
from shop.partner.strategy import request_strategy
from catalogue.models import Product
from catalogue.selectors import products_for_cards, products_newest_certified_first


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
    return cards_for_picks([CardsPick(product_ids=tuple(product_ids), certified_only=False)], request=request)[0]


def certified_product_cards(*, product_ids: list[int], request) -> list[ProductCard]:
    """Cards for the named products that pass the gate (products_for_cards), in the editor's order: a pick that
    promotes (the home page's staff picks) shows only certified products."""
    return cards_for_picks([CardsPick(product_ids=tuple(product_ids))], request=request)[0]


def newest_certified_cards(*, limit: int, request) -> list[ProductCard]:
    """The most recently certified products (by their current certificate), certified only."""
    return cards_for_picks([CardsPick(newest=limit)], request=request)[0]


def group_cards(*, group_number: int, limit: int, request) -> list[ProductCard]:
    return cards_for_picks([CardsPick(newest=limit, group_number=group_number)], request=request)[0]


def group_url(*, group_number: int) -> str:
    """The OCOP group's listing, from the group menu every page shows (cached: shop_tags.ocop_group_links)."""
    from shop.templatetags.shop_tags import ocop_group_links

    return next((link["url"] for link in ocop_group_links() if link["number"] == group_number), "")


def area_product_cards(*, communes, request, limit: int = 12) -> list[ProductCard]:
    """Certified products of the producers based in these communes (an area page's products)."""
    products = products_for_cards().filter(producer__area__in=communes)
    return _cards(products_newest_certified_first(products)[:limit], request=request)


# ---------------------------------------------------------------- product blocks, read together
@dataclass(frozen=True)
class CardsPick:
    """What one product block shows: the products an editor named (``product_ids``, in the editor's order; with
    ``certified_only`` only those that pass the gate, else an uncertified one stays, "not for sale"), or the
    ``newest`` N most recently certified products (of one OCOP group when ``group_number`` is set)."""

    product_ids: tuple[int, ...] = ()
    certified_only: bool = True
    newest: int = 0
    group_number: int | None = None


def _in_group(number: int) -> Q:
    return Q(ocop_product_set__group__taxonomy__is_current=True, ocop_product_set__group__number=number)


def _newest_pick(pick: CardsPick):
    products = products_for_cards()
    if pick.group_number is not None:
        products = products.filter(_in_group(pick.group_number))
    return products_newest_certified_first(products)[: pick.newest]


def cards_for_picks(picks: list[CardsPick], *, request) -> list[list[ProductCard]]:
    """Cards for several product blocks (a page's blocks), each block's list in order: the products that pass the
    gate read together in one products_for_cards read, the named ones shown whatever their certificate in one more.
    A constant number of queries whatever the number of blocks and of products.

    The gated read holds each newest pick's products (a subquery each) and is itself ordered newest certified first,
    so a pick's products are the first N of it that belong to the pick: N most recent overall, or of the group."""
    results: list[list[Product]] = [[] for _pick in picks]
    gated = [(i, pick) for i, pick in enumerate(picks) if pick.newest or pick.certified_only]
    named = [(i, pick) for i, pick in enumerate(picks) if not (pick.newest or pick.certified_only)]
    wanted = [Q(pk__in=_newest_pick(pick).values("pk")) for _i, pick in gated if pick.newest]
    gated_ids = [pk for _i, pick in gated if not pick.newest for pk in pick.product_ids]
    if gated_ids:
        wanted.append(Q(pk__in=gated_ids))
    if wanted:
        groups = {pick.group_number for _i, pick in gated if pick.newest and pick.group_number is not None}
        flags = {f"in_group_{n}": ExpressionWrapper(_in_group(n), output_field=BooleanField()) for n in groups}
        condition = Q()
        for part in wanted:
            condition |= part
        loaded = list(products_newest_certified_first(products_for_cards(Product.objects.filter(condition)))
                      .annotate(**flags))
        for i, pick in gated:
            if not pick.newest:
                results[i] = _in_editor_order(loaded, pick.product_ids)
            elif pick.group_number is None:
                results[i] = loaded[: pick.newest]
            else:
                results[i] = [p for p in loaded if getattr(p, f"in_group_{pick.group_number}")][: pick.newest]
    named_ids = [pk for _i, pick in named for pk in pick.product_ids]
    if named_ids:
        loaded = list(
            Product.objects.filter(pk__in=named_ids, is_public=True)
            .select_related("producer", "product_class", "ocop_product_set__group")
            .prefetch_related("stockrecords", "images")
            .with_current_certificates()
        )
        for i, pick in named:
            results[i] = _in_editor_order(loaded, pick.product_ids)
    return [_cards(products, request=request) for products in results]


# ---------------------------------------------------------------- stories
def _story_model():
    from .models import StoryPage

    return StoryPage


def stories_localized(queryset=None, *, request=None):
    """Live, public stories, one per translation: the reader's language where the story has been translated,
    else the original (Vietnamese). A constant number of queries (the pages, renditions; the locales once per
    request when ``request`` is given)."""
    StoryPage = _story_model()
    queryset = queryset if queryset is not None else StoryPage.objects.all()
    queryset = pages_public(queryset.live())
    active, default = locale_active(request), locale_default(request)
    if active.pk == default.pk:
        queryset = queryset.filter(locale=active)
    else:
        translated = pages_public(StoryPage.objects.live().filter(locale=active)).values("translation_key")
        queryset = queryset.filter(Q(locale=active) | (Q(locale=default) & ~Q(translation_key__in=translated)))
    return (
        queryset.select_related("producer", "hero_image", "locale")
        .prefetch_related("hero_image__renditions")
        .order_by("-first_published_at", "-pk")
    )


def stories_latest(*, limit: int, request=None):
    return list(stories_localized(request=request)[:limit])


def stories_of_producer(*, producer, limit: int = 12, request=None):
    return list(stories_localized(request=request).filter(producer=producer)[:limit])


def stories_of_product(*, product, limit: int = 6, request=None):
    """Stories that link the product (or its parent) in their product list."""
    owners = [product.pk] + ([product.parent_id] if product.parent_id else [])
    return list(stories_localized(request=request).filter(story_products__product_id__in=owners).distinct()[:limit])


def stories_of_area(*, communes, limit: int = 6, request=None):
    """Stories of producers based in these communes."""
    return list(stories_localized(request=request).filter(producer__area__in=communes)[:limit])


def story_index_url(*, request=None) -> str:
    """The story index in the reader's language, else the original's: one query."""
    from .models import StoryIndexPage

    active, default = locale_active(request), locale_default(request)
    in_either = StoryIndexPage.objects.live().filter(locale__in={active.pk, default.pk})
    indexes = list(pages_public(in_either).order_by("path"))
    index = next((page for page in indexes if page.locale_id == active.pk), None)
    index = index or next((page for page in indexes if page.locale_id == default.pk), None)
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
    are not translated yet still counts them). One query: a showroom page's parent in the tree is its area, and an
    area's count is taken over the showroom pages under any of its translations."""
    from showrooms.pages import AreaIndexPage, ShowroomPage

    locales = {locale_active(request).pk, locale_default(request).pk}
    translations = pages_public(
        AreaIndexPage.objects.live().filter(locale__in=locales, translation_key=OuterRef(OuterRef("translation_key")))
    ).values("path")
    showroom_pages = (
        pages_public(ShowroomPage.objects.live().filter(locale__in=locales, showroom__is_active=True))
        .annotate(parent_path=Substr("path", 1, Length("path") - ShowroomPage.steplen))
        .filter(parent_path__in=translations)
        .order_by()
        .values(count=_CountDistinct("showroom_id"))
    )
    areas_all = (
        pages_public(AreaIndexPage.objects.live().filter(locale__in=locales))
        .annotate(showroom_count=Subquery(showroom_pages, output_field=IntegerField()))
        .order_by("path")
    )
    return list(one_per_translation(areas_all, request=request).values())


class _CountDistinct(Func):
    """COUNT(DISTINCT …) as a plain expression: a subquery's one row, with no GROUP BY."""

    function = "COUNT"
    template = "%(function)s(DISTINCT %(expressions)s)"
    output_field = IntegerField()


# ---------------------------------------------------------------- the page being served
# Serving a page reads its route, its view restrictions (Wagtail's check before serving, then again for the hreflang
# links and the language switcher), its ancestors (breadcrumbs) and its translations and theirs (the switcher's
# fallbacks). The page object Wagtail routes is the one its view, its template and the page chrome share for the
# request, so each of these is read once, in as few queries as the tree allows, and kept on that object.
ROUTE_MAX_SEGMENTS = 12  # a longer path is routed segment by segment, like Wagtail does


def _restriction_at(page_path):
    """A view restriction on the page at ``page_path`` (an expression naming a page's path) or on one of its
    ancestors: a restriction's page path is a prefix of it."""
    return PageViewRestriction.objects.filter(page__path=Substr(page_path, 1, Length("page__path")))


def pages_public(queryset):
    """``queryset.public()`` in one SQL query: Wagtail's ``public()`` first reads every view restriction of the site
    (one query per list on the page); the same test as a subquery costs none."""
    return queryset.exclude(Exists(_restriction_at(OuterRef("path"))))


def _restricted_at_or_above():
    """True for a page under a view restriction: its own or an ancestor's, or for an alias (or an alias's
    descendant), its source page's (as ``Page.get_view_restrictions``)."""
    via_alias = Page.objects.filter(
        path=Substr(OuterRef("path"), 1, Length("path")), alias_of__view_restrictions__isnull=False
    )
    return ExpressionWrapper(
        Exists(_restriction_at(OuterRef("path"))) | Exists(via_alias), output_field=BooleanField()
    )


def _paths_to(page) -> list[str]:
    """The tree paths of the page's ancestors and of the page, root first (no query: a path is its ancestors')."""
    if not page.path:
        return []
    return [page.path[:end] for end in range(page.steplen, len(page.path) + 1, page.steplen)]


@dataclass
class PageFamily:
    """A page's ancestors and itself (its chain), with every translation of each of them, as plain ``Page`` rows
    with their ``locale``, each marked ``restricted_here`` (a view restriction set on it, or for an alias on its
    source page) and ``restricted`` (a view restriction at or above it)."""

    page: Page
    rows: list[Page]
    by_key: dict = field(init=False)

    def __post_init__(self):
        self.by_key = {(row.translation_key, row.locale.language_code): row for row in self.rows}

    def chain(self) -> list[Page]:
        """The ancestors and the page, root first (an unsaved page being previewed: its ancestors)."""
        path, pk = self.page.path, self.page.pk
        return sorted((row for row in self.rows if path.startswith(row.path) and (row.path != path or row.pk == pk)),
                      key=lambda row: row.depth)

    def ancestors(self) -> list[Page]:
        return [row for row in self.chain() if row.path != self.page.path]

    def translation(self, translation_key, language_code: str):
        """The page with that translation key in that language (a chain row itself in its own language), or None."""
        return self.by_key.get((translation_key, language_code))

    def locales(self) -> dict:
        """The locales met (the page's, its translations'), by language code."""
        return {row.locale.language_code: row.locale for row in self.rows}

    def locale_code(self) -> str:
        row = next((row for row in self.rows if row.locale_id == self.page.locale_id), None)
        return (row.locale if row is not None else self.page.locale).language_code


def page_family(page) -> PageFamily:
    """The page's chain and every translation of it, for the view-restriction check before serving, the
    breadcrumbs, the hreflang links and the language switcher (and its fallbacks): one query, kept on the page
    object."""
    family = page.__dict__.get("_ocop_family")
    if family is None:
        paths = _paths_to(page)
        keys = Page.objects.filter(path__in=paths).values("translation_key")
        own = PageViewRestriction.objects.filter(page_id=Coalesce(OuterRef("alias_of_id"), OuterRef("pk")))
        rows = (
            Page.objects.filter(
                Q(translation_key__in=keys) | Q(translation_key=page.translation_key) | Q(path__in=paths)
            )
            .select_related("locale")
            .annotate(restricted_here=Exists(own), restricted=_restricted_at_or_above())
        )
        family = page.__dict__["_ocop_family"] = PageFamily(page=page, rows=list(rows))
    return family


def page_ancestors(page) -> list[Page]:
    """The page's ancestors, root first (``page.get_ancestors()``, read once per page object)."""
    return page_family(page).ancestors()


def page_view_restrictions(page):
    """``page.get_view_restrictions()`` from the page's family: no query when nothing restricts the page."""
    targets = [row.alias_of_id or row.pk for row in page_family(page).chain() if row.restricted_here]
    if not targets:
        return PageViewRestriction.objects.none()
    return PageViewRestriction.objects.filter(page_id__in=targets)


def page_route(page, request, path_components):
    """``Page.route`` in two queries whatever the depth: the pages along the rest of the path in one, the page
    found in its specific type in another (with its class's ``route_select_related``), where Wagtail reads two per
    URL segment. A page on the way whose type routes on its own (a routable page) takes over the rest of the path;
    a path longer than ROUTE_MAX_SEGMENTS goes the usual way."""
    if not path_components:
        if not page.live:
            raise Http404
        page.__dict__["_ocop_served"] = True  # the page this request serves: its restrictions are read once
        if request is not None:
            request.__dict__["_ocop_served_page"] = page  # its family knows the locales (shop.languages.locales)
        return RouteResult(page)
    if len(path_components) > ROUTE_MAX_SEGMENTS:
        return Page.route(page, request, path_components)
    wanted = Q()
    for step, slug in enumerate(path_components, start=1):
        wanted |= Q(depth=page.depth + step, slug=slug)
    rows = Page.objects.filter(wanted, path__startswith=page.path)
    found = {(row.path[: -page.steplen], row.slug): row for row in rows}
    parent = page
    for step, slug in enumerate(path_components):
        child = found.get((parent.path, slug))
        if child is None:
            raise Http404
        child._cached_parent_obj = parent  # treebeard's get_parent() reads it: no query for the parent
        remaining = path_components[step + 1:]
        model = child.specific_class
        if model is None or model.route not in _PLAIN_ROUTES:
            return child.specific.route(request, remaining)  # a page type with its own routing
        if not remaining:
            related = getattr(model, "route_select_related", ())
            specific = model._default_manager.select_related(*related).get(pk=child.pk) if related else child.specific
            specific._cached_parent_obj = parent
            return specific.route(request, [])
        parent = child
    raise Http404  # not reached: the loop returns


class ServedPageMixin:
    """For Wagtail page types: the page is routed in two queries whatever its depth (``page_route``), and while it
    is served its view restrictions come from its chain, read once and shared with the breadcrumbs, the hreflang
    links and the language switcher. ``route_select_related``: relations read with the page when it is routed."""

    route_select_related: tuple[str, ...] = ()

    def route(self, request, path_components):
        return page_route(self, request, path_components)

    def get_view_restrictions(self):
        if self.__dict__.get("_ocop_served"):
            return page_view_restrictions(self)
        return super().get_view_restrictions()


_PLAIN_ROUTES = {Page.route, ServedPageMixin.route}

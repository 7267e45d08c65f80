"""Oscar's browse and search views, replaced: listings come from catalogue.search (not haystack)."""

from urllib.parse import unquote, urlencode

from django.http import HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from oscar.core.loading import get_model

from catalogue.search import SORTS, SearchQuery, search
from catalogue.search.pages import pages_search
from catalogue.search.text import MAX_QUERY_CHARS

from shop.caching.pages import CacheablePageMixin

from .forms import BrowseForm

Category = get_model("catalogue", "Category")

FILTERS = ("group", "stars", "area", "price_band", "in_stock", "at_showroom")  # what a shopper can clear
PAGES_PER_SECTION = 3


def search_text(form: BrowseForm, data: dict) -> str:
    """The text searched: a text too long for the form is cut rather than dropped (dropping it would list every
    product as if nothing had been typed); NUL characters, which PostgreSQL refuses, are removed."""
    if "q" in form.errors:
        return form.data.get("q", "").replace("\x00", "")[:MAX_QUERY_CHARS].strip()
    return (data.get("q") or "").strip()


def page_sections(text: str, request) -> list[tuple[str, list[dict]]]:
    """Showroom and story pages matching the text, grouped in their sections (best section first)."""
    sections: dict[str, list[dict]] = {}
    for hit in pages_search(text, limit=PAGES_PER_SECTION):
        sections.setdefault(str(hit.label), []).append(
            {"title": hit.page.title, "url": hit.page.get_url(request=request), "description": hit.page.search_description}
        )
    return list(sections.items())


class ProductListingView(CacheablePageMixin, TemplateView):
    template_name = "shop/search/browse.html"
    page_size = 24
    summary = _("Tất cả sản phẩm OCOP")

    def get_search_query(self, form: BrowseForm) -> SearchQuery:
        data = form.cleaned_or_default()
        return SearchQuery(
            text=search_text(form, data),
            group=data.get("group"),
            stars=data.get("stars"),
            area=data.get("area") or "",
            price_band=data.get("price") or "",
            in_stock=bool(data.get("in_stock")),
            at_showroom=bool(data.get("at_showroom")),
            sort=data.get("sort") or "",
            page=data.get("page") or 1,
            page_size=self.page_size,
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = BrowseForm(self.request.GET)
        query = self.get_search_query(form)
        # Read only when the page's listing fragment is rendered, not when it comes from the cache.
        result = SimpleLazyObject(lambda: search(query))
        strategy = self.request.strategy
        params = self.request.GET.copy()
        has_text = bool(query.text)
        ctx.update(
            summary=self.summary,
            form=form,
            query=query,
            result=result,
            products=SimpleLazyObject(lambda: [(product, strategy.fetch_for_product(product)) for product in result.hits]),
            # relevance only means something for a text query
            sorts={key: label for key, label in SORTS.items() if has_text or key != "relevance"},
            params=params,
            # pages beside the products: on the first page of a text search only
            page_sections=SimpleLazyObject(
                lambda: page_sections(query.text, self.request) if has_text and query.page == 1 else []
            ),
            has_filters=any(getattr(query, name) for name in FILTERS),
            without_filters=self.request.path + (f"?{urlencode({'q': query.text})}" if has_text else ""),
        )
        return ctx


class CatalogueView(ProductListingView):
    pass


class FacetedSearchView(ProductListingView):
    summary = _("Kết quả tìm kiếm")


class ProductCategoryView(ProductListingView):
    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category, pk=kwargs["pk"], is_public=True)
        expected = self.category.get_absolute_url()
        if unquote(expected) != unquote(request.path):
            return HttpResponsePermanentRedirect(expected)
        return super().get(request, *args, **kwargs)

    def get_search_query(self, form):
        query = super().get_search_query(form)
        ids = tuple(self.category.get_descendants_and_self().values_list("pk", flat=True))
        return SearchQuery(**{**query.__dict__, "category_ids": ids})

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(summary=self.category.name, category=self.category)
        return ctx

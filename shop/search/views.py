"""Oscar's browse and search views, replaced: listings come from catalogue.search (not haystack)."""

from urllib.parse import unquote

from django.http import HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from oscar.core.loading import get_model

from catalogue.search import SORTS, SearchQuery, search

from .forms import BrowseForm

Category = get_model("catalogue", "Category")


class ProductListingView(TemplateView):
    template_name = "shop/search/browse.html"
    page_size = 24
    summary = _("Tất cả sản phẩm OCOP")

    def get_search_query(self, form: BrowseForm) -> SearchQuery:
        data = form.cleaned_or_default()
        return SearchQuery(
            text=(data.get("q") or "").strip(),
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
        result = search(query)
        strategy = self.request.strategy
        ctx.update(
            summary=self.summary,
            form=form,
            query=query,
            result=result,
            products=[(product, strategy.fetch_for_product(product)) for product in result.hits],
            sorts=SORTS,
            params=self.request.GET.copy(),
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

"""What a search asks and what it answers, independent of the engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

# (key, label, min inclusive, max exclusive) in whole dong
PRICE_BANDS = [
    ("under-100k", _("Dưới 100.000 ₫"), None, Decimal(100_000)),
    ("100k-200k", _("100.000 – 200.000 ₫"), Decimal(100_000), Decimal(200_000)),
    ("200k-500k", _("200.000 – 500.000 ₫"), Decimal(200_000), Decimal(500_000)),
    ("500k-plus", _("Từ 500.000 ₫"), Decimal(500_000), None),
]
SORTS = {
    "relevance": _("Phù hợp nhất"),
    "newest": _("Mới nhất"),
    "price-asc": _("Giá tăng dần"),
    "price-desc": _("Giá giảm dần"),
    "stars": _("Hạng sao cao nhất"),
}


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    group: int | None = None  # OcopGroup.number
    category_ids: tuple[int, ...] = ()  # an Oscar category and its descendants
    stars: int | None = None
    area: str = ""  # a former-district label
    price_band: str = ""
    in_stock: bool = False  # can be bought online now
    at_showroom: bool = False  # on a showroom's shelf now
    sort: str = ""  # empty: relevance for a text query, newest otherwise
    page: int = 1
    page_size: int = 24

    @property
    def effective_sort(self) -> str:
        if self.sort in SORTS and not (self.sort == "relevance" and not self.text.strip()):
            return self.sort
        return "relevance" if self.text.strip() else "newest"


@dataclass(frozen=True)
class Suggestions:
    """What the search box's dropdown offers: a few products, producers and pages, each (label, url)."""

    products: list = field(default_factory=list)
    producers: list = field(default_factory=list)
    pages: list = field(default_factory=list)


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchResult:
    hits: list
    total: int
    page: int
    page_size: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

"""Pages the search box and the results page offer beside products (showrooms now, stories with the CMS issue),
through Wagtail's own search on fields folded by shop.text.fold_vietnamese.

Which pages: every page type whose ``search_fields`` index a ``search_text_folded`` field or method (its words
folded by fold_vietnamese). Wagtail's database backend does not fold Vietnamese (SQLite's FTS5 keeps "đ", and
drops only some stacked marks), so the query is folded the same way and matched, whole words, against that field;
a page type without it is never offered (the home page, an index page). A page type names its section with a
``search_section_label`` class attribute; showroom pages are "Điểm bán", story pages "Câu chuyện sản phẩm".

The index follows the pages: Wagtail (modelsearch) re-indexes a page on every save (publishing a revision saves
the page's live content), through django-tasks, which runs the update inline with the default immediate backend.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.utils.translation import gettext_lazy as _

from .text import query_words

FOLDED_FIELD = "search_text_folded"
MIN_CHARS = 2  # fewer letters than this match too much to be useful
SECTION_LABELS = {"showrooms.showroompage": _("Điểm bán")}
STORY_LABEL = _("Câu chuyện sản phẩm")


@dataclass(frozen=True)
class PageHit:
    page: object  # a wagtail Page (not specific): title, url_path, search_description
    label: str  # its section: "Điểm bán", "Câu chuyện sản phẩm"


@cache
def searchable_page_models() -> tuple:
    """Page classes whose search fields index the folded text (computed once: classes do not change at runtime)."""
    from wagtail.models import get_page_models
    from wagtail.search import index

    found = []
    for model in get_page_models():
        if model._meta.abstract or not hasattr(model, FOLDED_FIELD):
            continue
        if any(isinstance(f, index.SearchField) and f.field_name == FOLDED_FIELD for f in model.get_search_fields()):
            found.append(model)
    return tuple(found)


def section_label(model) -> str:
    label = getattr(model, "search_section_label", None)
    if label:
        return label
    key = model._meta.label_lower
    if key in SECTION_LABELS:
        return SECTION_LABELS[key]
    if "story" in key:
        return STORY_LABEL
    return str(model._meta.verbose_name).capitalize()


def _folded_query(text: str) -> str:
    words = query_words(text or "")
    if sum(len(w) for w in words) < MIN_CHARS:
        return ""
    return " ".join(words)


def _hits(text: str, *, per_section: int, fetch: int) -> list[PageHit]:
    """Live, public pages of the searchable types matching every folded word, best first, one per translation
    (the active language's page preferred), at most ``per_section`` of each section."""
    from wagtail.models import Locale, Page

    folded = _folded_query(text)
    models = searchable_page_models()
    if not folded or not models or per_section <= 0:
        return []
    pages = Page.objects.live().public().type(*models)
    results = list(pages.search(folded, operator="and")[:fetch])
    try:
        active = Locale.get_active().pk
    except Locale.DoesNotExist:  # no locale yet (an empty site)
        active = None
    chosen: dict = {}
    for page in results:  # relevance order; keep the active language's translation in the first one's place
        current = chosen.get(page.translation_key)
        if current is None:
            chosen[page.translation_key] = page
        elif page.locale_id == active and current.locale_id != active:
            chosen[page.translation_key] = page
    hits, per_label = [], {}
    for page in chosen.values():
        label = section_label(page.specific_class or Page)
        if per_label.get(label, 0) >= per_section:
            continue
        per_label[label] = per_label.get(label, 0) + 1
        hits.append(PageHit(page=page, label=label))
    return hits


def pages_suggest(text: str, *, limit: int = 5) -> list[tuple[str, str]]:
    """(title, url) of live pages matching every word typed (whole words, accents optional), best first."""
    return [(hit.page.title, hit.page.get_url()) for hit in _hits(text, per_section=limit, fetch=limit * 3)][:limit]


def pages_search(text: str, *, limit: int = 3) -> list[PageHit]:
    """The results page's page sections: up to ``limit`` pages of each section, best first."""
    return _hits(text, per_section=limit, fetch=limit * 2 * max(1, len(searchable_page_models())))

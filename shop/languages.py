"""The same page in every language of the site, for the language switcher and for hreflang links.

Vietnamese is unprefixed and English lives under /en/ (``i18n_patterns(prefix_default_language=False)``).
A Django view answers in both languages at the same path, so its alternate is the current URL, query string kept,
translated by ``django.urls.translate_url``. A Wagtail page's alternate is its translation in the other locale: a
different page, with its own slug. When that translation does not exist (or is not live), the alternate is the
nearest ancestor that has one, at worst that language's home, and is marked ``exists=False``: it is somewhere to
go, not the same content, so it must never be announced as an hreflang alternate.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils import translation
from django.utils.http import escape_leading_slashes


@dataclass(frozen=True)
class Alternate:
    code: str  # language code, as in settings.LANGUAGES ("vi", "en")
    name: str  # the language's own name ("Tiếng Việt", "English")
    url: str  # a path (with the query string for Django views), never an absolute URL
    exists: bool  # the same content exists in that language (False: a fallback page)


def language_alternates(request, *, page=None) -> list[Alternate]:
    """One Alternate per language in settings.LANGUAGES order. ``page`` is the Wagtail page being served, if any."""
    from wagtail.models import Page

    if not isinstance(page, Page):
        page = None
    key = ("page", page.pk) if page is not None else ("path", request_path(request))
    cache = request.__dict__.setdefault("_language_alternates", {})
    if key not in cache:
        cache[key] = _page_alternates(request, page) if page is not None else _view_alternates(request)
    return cache[key]


def path_is_served(request) -> bool:
    """Whether a view answers the request's path (False for a 404 from the resolver); the resolver's own match when
    Django made one."""
    if getattr(request, "resolver_match", None) is not None:
        return True
    try:
        resolve(request.path_info)
    except Resolver404:
        return False
    return True


def request_path(request) -> str:
    """The request's path and query string, safe to print as a link: a path starting with "//" would be read as
    another host's address, so the second slash is escaped."""
    return escape_leading_slashes(request.get_full_path())


def localized_field(obj, field: str = "name") -> str:
    """A record that carries a Vietnamese value and an English one (``name``/``name_en``): the English one on
    English pages when it is filled in."""
    english = getattr(obj, f"{field}_en", "")
    return english if (translation.get_language() or settings.LANGUAGE_CODE).startswith("en") and english else getattr(obj, field)


# ---------------------------------------------------------------- Django views
def _view_alternates(request) -> list[Alternate]:
    if not path_is_served(request):  # a 404 page: each language's home, not announced
        return [_home_alternate(code, name) for code, name in settings.LANGUAGES]
    full_path = request_path(request)
    current = translation.get_language()
    alternates = []
    for code, name in settings.LANGUAGES:
        url = translate_url(full_path, code)
        if url == full_path and code != current:
            url = _swap_prefix(full_path, code) or url
        alternates.append(Alternate(code=code, name=name, url=url, exists=True))
    return alternates


def _home_alternate(code: str, name: str) -> Alternate:
    with translation.override(code):
        return Alternate(code=code, name=name, url=reverse("wagtail_serve", args=("",)), exists=False)


def _language_prefix(code: str) -> str:
    return "" if code == settings.LANGUAGE_CODE else f"/{code}"


def _swap_prefix(full_path: str, code: str) -> str | None:
    """For a URL translate_url cannot reverse (an unnamed pattern): move the path under the other language's
    prefix, if the result resolves to the same view there."""
    parts = urlsplit(full_path)
    path = parts.path
    current_prefix = _language_prefix(translation.get_language())
    if current_prefix and path.startswith(current_prefix + "/"):
        path = path[len(current_prefix):]
    candidate = _language_prefix(code) + path
    try:
        here = resolve(parts.path)
        with translation.override(code):
            there = resolve(candidate)
    except Resolver404:
        return None
    if here.func is not there.func:
        return None
    return urlunsplit(("", "", candidate, parts.query, parts.fragment))


# ---------------------------------------------------------------- Wagtail pages
def _page_alternates(request, page) -> list[Alternate]:
    """The page's translations, and its ancestors' for the fallbacks, read in one query (cms.selectors.page_family,
    shared with the page's view-restriction check and breadcrumbs)."""
    from cms.selectors import page_family

    found = page_family(page)
    request.__dict__.setdefault("_ocop_served_page", page)  # its family knows the locales (``locales``)
    here = found.locale_code()
    restricted = any(row.restricted for row in found.chain())  # each row says "at or above"
    ancestors = [row for row in reversed(found.ancestors()) if row.depth > 1]  # nearest first, below the root
    alternates = []
    for code, name in settings.LANGUAGES:
        if code == here:
            same = page.get_url(request=request) if page.live and not restricted else None
        else:
            same = _live_url(found.translation(page.translation_key, code), request)
        if same:
            alternates.append(Alternate(code=code, name=name, url=same, exists=True))
            continue
        alternates.append(Alternate(code=code, name=name, url=_fallback_url(request, found, ancestors, code),
                                    exists=False))
    return alternates


def _live_url(target, request) -> str | None:
    """The URL of a translation if live and routable; a draft or a page behind a login is not announced (the
    sitemap and lists agree)."""
    if target is None or not target.live or target.restricted:
        return None
    return target.get_url(request=request)


def _fallback_url(request, found, ancestors, code: str) -> str:
    """The nearest ancestor (``ancestors``: nearest first) with a live translation in that language (the ancestor
    itself when it is in that language), else that language's home."""
    for ancestor in ancestors:
        url = _live_url(found.translation(ancestor.translation_key, code), request)
        if url:
            return url
    with translation.override(code):
        return reverse("wagtail_serve", args=("",))


# ---------------------------------------------------------------- locales, read once per request
def request_memo(request, key, compute):
    """``compute()`` once per request (kept on the request); every time when there is no request."""
    if request is None:
        return compute()
    memo = request.__dict__.setdefault("_ocop_memo", {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def locales(request=None) -> dict:
    """Every Wagtail Locale by its language code, read once per request."""
    from wagtail.models import Locale

    return request_memo(request, "locales", lambda: {locale.language_code: locale for locale in Locale.objects.all()})


def _locales_known(request) -> dict:
    """The locales the page being served already read with its family (cms.selectors.page_family: the page's own,
    its translations'), so that the locale of a page's own language costs no query."""
    page = request.__dict__.get("_ocop_served_page")
    if page is None:
        return {}
    from cms.selectors import page_family

    return page_family(page).locales()


def locale_default(request=None):
    """``Locale.get_default()``, read once per request."""
    from wagtail.models import Locale

    if request is None:
        return Locale.get_default()
    return _locale_for(request, settings.LANGUAGE_CODE) or Locale.get_default()


def locale_active(request=None):
    """``Locale.get_active()`` (the locale of the active language, else the default one), read once per request."""
    from wagtail.models import Locale

    if request is None:
        return Locale.get_active()
    return _locale_for(request, translation.get_language()) or locale_default(request)


def _locale_for(request, language_code):
    from wagtail.coreutils import get_supported_content_language_variant

    try:
        code = get_supported_content_language_variant(language_code)
    except LookupError:
        return None
    return _locales_known(request).get(code) or locales(request).get(code)


def one_per_translation(pages, *, key=lambda page: page.translation_key, request=None) -> dict:
    """Pages grouped by ``key`` (a translation, a showroom), one each: the page in the active language where there
    is one, else the first met. The list pages use it so a reader never sees a page and its translation twice."""
    active = locale_active(request).pk
    chosen: dict = {}
    for page in pages:
        current = chosen.get(key(page))
        if current is None or (page.locale_id == active and current.locale_id != active):
            chosen[key(page)] = page
    return chosen

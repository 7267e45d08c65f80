"""/robots.txt: crawl the storefront, keep out of back offices and per-visitor pages, and find the sitemap.

Paths come from reverse() in every language (Vietnamese unprefixed, English under /en/), so they follow the URL
configuration instead of being typed twice.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_GET

# Outside i18n_patterns: one path each.
BACK_OFFICES = ("admin:index", "wagtailadmin_home")
# Inside i18n_patterns: one path per language, the whole area each URL belongs to ("/shop/basket/"): Oscar's
# dashboard, basket, checkout, account, order pages (secret links), the producer area, the programme's screens
# and the showroom stock screen.
PRIVATE_AREAS = (
    ("dashboard:index", {}),
    ("basket:summary", {}),
    ("checkout:index", {}),
    ("customer:summary", {}),
    ("orders:detail", {"number": "0", "key": "0"}),
    ("seller:home", {}),
    ("programme:changes", {}),
    ("showroom-stock:choose", {}),
)
EXTRA_PATHS = ("/i18n/", "/payments/")  # the language switch (POST) and payment webhooks


def _path(name: str, kwargs: dict | None = None) -> str | None:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def _area_root(path: str) -> str:
    """/en/shop/programme/changes/ → /en/shop/programme/: the area (language prefix and two segments)."""
    parts = [p for p in path.split("/") if p]
    prefix = parts[:1] if parts and parts[0] in {code for code, _name in settings.LANGUAGES} else []
    return "/" + "/".join(prefix + parts[len(prefix):][:2]) + "/"


def disallowed_paths() -> list[str]:
    paths = [path for path in (_path(name) for name in BACK_OFFICES) if path]
    paths.extend(EXTRA_PATHS)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for name, kwargs in PRIVATE_AREAS:
                path = _path(name, kwargs)
                if path:
                    paths.append(_area_root(path))
    return list(dict.fromkeys(paths))


def robots_text(request) -> str:
    lines = ["User-agent: *", "Allow: /"]
    lines += [f"Disallow: {path}" for path in disallowed_paths()]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}", ""]
    return "\n".join(lines)


@require_GET
@cache_page(60 * 60)
def robots_txt(request):
    return HttpResponse(robots_text(request), content_type="text/plain; charset=utf-8")

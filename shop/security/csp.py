"""Which Content-Security-Policy a response gets (django-csp 4; the policy itself is in settings, "security headers").

- The storefront (everything but the back offices) gets ``CONTENT_SECURITY_POLICY`` *enforced*. Its pages carry no
  inline script and no inline style of their own: Oscar's page scripts start from shop/static/shop/js/init.js.
- The back offices (``OCOP_CSP_REPORT_ONLY_PATHS``: Oscar's dashboard and the programme pages built on its layout,
  Wagtail's admin, Django's admin) carry inline scripts of their own that cannot take a nonce: they get the same
  policy *report-only* (the browser says what it would block, and blocks nothing), plus an enforced policy that
  cannot break a script: no framing by other sites, no plugins, no ``<base>`` elsewhere.
- Widened at request time, so settings changed later (production's MEDIA_URL on object storage) or per test count:
  a MEDIA_URL or STATIC_URL on another origin (img-src; static also script/style/font), the showroom map's tile
  server (img-src), and Stripe.js on the card payment step alone.
- ``frame-ancestors`` follows X-Frame-Options: DENY gives 'none'; a view that allows same-origin framing (Wagtail's
  preview panel) gets 'self'; a view exempt from X-Frame-Options is exempt here too.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from csp.constants import NONE, SELF
from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages

# Stripe's Payment Element on the card step (shop/checkout/views.py CardPaymentView, both of its addresses): the
# script, its frames (card fields, 3-D Secure) and the API it calls, as Stripe's integration security guide lists
# them (its newer builds also load from subdomains of js.stripe.com). No other page may load Stripe.
STRIPE = {
    "script-src": ["https://js.stripe.com", "https://*.js.stripe.com"],
    "frame-src": ["https://js.stripe.com", "https://*.js.stripe.com", "https://hooks.stripe.com"],
    "connect-src": ["https://api.stripe.com"],
}
CARD_STEP_VIEWS = frozenset({"checkout:card", "checkout:card-order"})

# Enforced on the back offices alongside the report-only storefront policy: nothing any admin script needs.
BACK_OFFICE_ENFORCED = {"frame-ancestors": [NONE], "object-src": [NONE], "base-uri": [SELF]}


def media_storage_origin() -> str:
    """Where the media storage's links point when it is not this site: S3-compatible storage signs absolute links of
    its own while MEDIA_URL stays relative. Signing is local (no network call); empty for files on disk."""
    storage = storages["default"]
    if isinstance(storage, FileSystemStorage):
        return ""
    return origin(storage.url("csp-origin-probe"))


def origin(url: str) -> str:
    """``https://cdn.example.vn/media/`` -> ``https://cdn.example.vn``; "" for a path on this site (or nothing). A
    tile server's ``{s}`` subdomain (a, b, c) becomes ``*``; any other placeholder in the host cannot be allowed."""
    try:
        parts = urlsplit(url or "")
    except ValueError:
        return ""
    host = parts.netloc.replace("{s}", "*")
    if not host or "{" in host or "}" in host or "*" in host[1:]:
        return ""
    if parts.scheme in ("http", "https"):
        return f"{parts.scheme}://{host}"
    if not parts.scheme and url.startswith("//"):  # protocol-relative
        return f"https://{host}"
    return ""


def unprefixed(path: str) -> str:
    """The path without its language prefix (/en/shop/dashboard/ -> /shop/dashboard/)."""
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if path.startswith(prefix):
            return path[len(prefix) - 1:]
    return path


def is_back_office(path: str) -> bool:
    return unprefixed(path).startswith(tuple(settings.OCOP_CSP_REPORT_ONLY_PATHS))


def widened(request) -> dict[str, list[str]]:
    """What this request's storefront policy adds to the settings' policy."""
    extra: dict[str, list[str]] = {}

    def add(directive, *sources):
        extra.setdefault(directive, []).extend(source for source in sources if source)

    # Uploaded photos on object storage or a media host (MEDIA_URL absolute, or the storage's own links: S3).
    add("img-src", origin(settings.MEDIA_URL), media_storage_origin())
    # Collected static files on a CDN (STATIC_URL absolute): every script, style sheet, font and icon comes from there.
    static = origin(settings.STATIC_URL)
    for directive in ("script-src", "style-src", "img-src", "font-src"):
        add(directive, static)
    # The showroom map's tiles (showrooms/static/showrooms/map.js lays them out as <img>), only when a server is set.
    add("img-src", origin(getattr(settings, "SHOWROOM_MAP_TILE_URL", "")))
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name in CARD_STEP_VIEWS:
        for directive, sources in STRIPE.items():
            add(directive, *sources)
    return {directive: sources for directive, sources in extra.items() if sources}


def frame_ancestors(response) -> dict[str, list[str] | None]:
    """A ``replace`` that makes frame-ancestors say what X-Frame-Options says (see the module's docstring)."""
    if getattr(response, "xframe_options_exempt", False):
        return {"frame-ancestors": None}
    if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
        return {"frame-ancestors": [SELF]}
    return {}


def _merged(*updates: dict | None) -> dict | None:
    merged: dict = {}
    for update in updates:
        for directive, sources in (update or {}).items():
            if sources is None:
                merged[directive] = None
                continue
            sources = [sources] if isinstance(sources, str) else list(sources)
            merged[directive] = [*(merged.get(directive) or []), *sources]
    return merged or None


class StorefrontCSPMiddleware(CSPMiddleware):
    """The enforced policy on the storefront; the back offices get it report-only."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        back_office = is_back_office(request.path_info)
        if back_office and not report_only:
            if parts.config is None:
                parts.config = {**BACK_OFFICE_ENFORCED, **_report_uri()}
            parts.replace = _merged(parts.replace, frame_ancestors(response))
            return parts
        if report_only and not back_office:
            return parts  # the storefront's policy is enforced: no second, report-only copy
        if report_only and parts.config is None:
            parts.config = default_config(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
        parts.update = _merged(parts.update, widened(request))
        parts.replace = _merged(parts.replace, frame_ancestors(response))
        return parts


def _report_uri() -> dict[str, list[str]]:
    uri = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"].get("report-uri")
    return {"report-uri": list(uri)} if uri else {}

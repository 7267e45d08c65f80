"""The whole-page cache for anonymous visitors: what may be stored, under which key, and how it is served.

A request may be answered from the cache when it is a GET or HEAD with none of the cookies that make a page
personal (a session: signed in, a basket, messages, a live-session link remembered; Oscar's anonymous basket).
A response is stored only when its view said the page may be cached (``page_cacheable``), it is a plain 200,
and it set no cookie but Oscar's recently-viewed list.

Keys carry the language, the full path with its query string, today's date in Vietnam (a certificate that
expires tonight is gone from every page tomorrow), the storefront version token and, for pages that show
live-price units left, the live token (``versions``). A page that shows the visitor's recently viewed products
(the product page) is keyed by that cookie too: the entry under the plain key then only says so.

CSRF tokens never enter the cache: the stored copy holds a placeholder that each response replaces with the
visitor's own token (``csrf_placeholders_fill``). One-time form keys (a hidden input marked ``data-one-time``, so
that a form sent twice is taken once) get the same treatment, with a fresh key in each response: two visitors of
one cached page never share a key. A CSP nonce (``nonce="…"`` on a script or style element) is kept out the same
way: each response gets the nonce of its own request, which the CSP middleware then puts in that response's policy.
(Storefront templates carry no inline script, so no page needs one today; a fragment cache must never hold one.)
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation

from catalogue import certification

from .versions import LIVE, STOREFRONT, versions_read

CSRF_PLACEHOLDER = b"__ocop_csrf_token__"
ONCE_PLACEHOLDER = b"__ocop_one_time_key__"
NONCE_PLACEHOLDER = b"__ocop_csp_nonce__"
_CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_ONE_TIME_INPUT = re.compile(rb'(<input type="hidden" name="[^"]+" value=")[^"]*("[^>]*\bdata-one-time\b)')
_NONCE_ATTRIBUTE = re.compile(rb'(<(?:script|style|link)\b[^>]*?\snonce=")[^"]*(")', re.IGNORECASE)
STORED_HEADERS = ("Content-Type", "Content-Language", "X-Frame-Options", "Link", "Cache-Control")


def history_cookie() -> str:
    return settings.OSCAR_RECENTLY_VIEWED_COOKIE_NAME


def personal_cookies() -> tuple[str, ...]:
    return (settings.SESSION_COOKIE_NAME, settings.OSCAR_BASKET_COOKIE_OPEN, "messages")


# ---------------------------------------------------------------- what views say
def page_cacheable(response, *, live: bool = False, history_product_id: int | None = None, until=None):
    """Let the page cache keep this response for anonymous visitors. ``live``: it shows live-price units left;
    ``history_product_id``: it shows the visitor's recently viewed products and records this product in them;
    ``until``: an aware datetime at which the page changes by the clock alone (a live-price window opening or
    closing), after which it is rendered again."""
    response.page_cache = True
    response.page_cache_live = live
    response.page_cache_history_product = history_product_id
    response.page_cache_until = until.timestamp() if until is not None else None
    return response


class CacheablePageMixin:
    """For class-based views whose GET page is the same for every anonymous visitor."""

    page_cache_live = False

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            page_cacheable(response, live=self.page_cache_live)
        return response


# ---------------------------------------------------------------- requests, keys, entries
def request_cacheable(request) -> bool:
    if request.method not in ("GET", "HEAD") or settings.OCOP_PAGE_CACHE_SECONDS <= 0:
        return False
    if request.path_info == "/healthz":  # a probe every few seconds: never worth a cache lookup
        return False
    if any(name in request.COOKIES for name in personal_cookies()):
        return False
    return "live=" not in request.META.get("QUERY_STRING", "")


@dataclass
class PageKeys:
    tokens: dict[str, str]
    base: str
    history: str = ""

    def with_history(self) -> str:
        return f"{self.base}:h:{hashlib.blake2b(self.history.encode(), digest_size=8).hexdigest()}"


def storefront_key(kind: str, token: str, digest: str) -> str:
    """What every cached page and fragment is keyed by besides its own address: the storefront token, today in
    Vietnam (expiry at midnight) and the language."""
    return f"{kind}:{token}:{certification.ocop_today().isoformat()}:{translation.get_language()}:{digest}"


def page_keys(request) -> PageKeys:
    tokens = versions_read(STOREFRONT, LIVE)
    # the host too: pages carry absolute addresses (canonical, OpenGraph) built from it
    address = hashlib.blake2b(f"{request.get_host()}{request.get_full_path()}".encode(), digest_size=16).hexdigest()
    base = storefront_key("page", tokens[STOREFRONT], address)
    return PageKeys(tokens=tokens, base=base, history=request.COOKIES.get(history_cookie(), ""))


@dataclass
class Entry:
    """A stored page: its body with CSRF placeholders, the headers worth keeping, what else it depends on."""

    content: bytes
    headers: list[tuple[str, str]] = field(default_factory=list)
    live: str = ""  # the live token it was rendered under, when it shows live-price units
    history_product: int | None = None
    until: float | None = None  # a POSIX time at which the page changes by the clock alone

    def usable(self, tokens: dict[str, str]) -> bool:
        if self.live and self.live != tokens[LIVE]:
            return False
        return self.until is None or time.time() < self.until

    def response(self, request) -> HttpResponse:
        response = HttpResponse(csrf_placeholders_fill(self.content, request))
        for name, value in self.headers:
            response[name] = value
        if self.history_product:
            from oscar.apps.customer.history import CustomerHistoryManager

            CustomerHistoryManager.update(_ProductId(self.history_product), request, response)
        response["X-Page-Cache"] = "hit"
        return response


@dataclass(frozen=True)
class _ProductId:
    id: int


VARIES_ON_HISTORY = "varies-on-history"


def entry_from_response(response, tokens: dict[str, str]) -> Entry:
    return Entry(
        content=csrf_placeholders_make(response.content),
        headers=[(name, response[name]) for name in STORED_HEADERS if response.has_header(name)],
        live=tokens[LIVE] if getattr(response, "page_cache_live", False) else "",
        history_product=getattr(response, "page_cache_history_product", None),
        until=getattr(response, "page_cache_until", None),
    )


def response_storable(response) -> bool:
    if not getattr(response, "page_cache", False) or response.status_code != 200 or response.streaming:
        return False
    return all(name == history_cookie() for name in response.cookies)


# ---------------------------------------------------------------- CSRF tokens, one-time keys, CSP nonces kept out of the cache
def csrf_placeholders_make(content: bytes) -> bytes:
    content = _CSRF_INPUT.sub(rb"\g<1>" + CSRF_PLACEHOLDER + rb"\g<2>", content)
    content = _NONCE_ATTRIBUTE.sub(rb"\g<1>" + NONCE_PLACEHOLDER + rb"\g<2>", content)
    return _ONE_TIME_INPUT.sub(rb"\g<1>" + ONCE_PLACEHOLDER + rb"\g<2>", content)


def csrf_placeholders_fill(content: bytes, request) -> bytes:
    """The visitor's own CSRF token in place of every placeholder (the CSRF middleware then sets its cookie), and
    a fresh one-time key in place of each one-time placeholder, and this request's CSP nonce in place of a nonce."""
    if CSRF_PLACEHOLDER in content:
        content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    if NONCE_PLACEHOLDER in content:
        content = content.replace(NONCE_PLACEHOLDER, str(request.csp_nonce).encode())
    while ONCE_PLACEHOLDER in content:
        content = content.replace(ONCE_PLACEHOLDER, secrets.token_urlsafe(16).encode(), 1)
    return content


class CacheableServeMixin:
    """For Wagtail page models: a published page is the same for every anonymous visitor. (Private pages never
    reach ``serve`` for them: Wagtail sends them to the login first; previews come with a signed-in session.)"""

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if request.method in ("GET", "HEAD") and not getattr(request, "is_preview", False):
            page_cacheable(response)
        return response

"""Security headers on every kind of response (shop/security/csp.py, settings "security headers"): the storefront's
Content-Security-Policy is enforced and allows no inline script or style; the back offices carry theirs report-only;
the Stripe origins only on the card step; nosniff, no framing, a referrer policy and an opener policy everywhere."""

import re

import pytest
from django.test import Client

from tests.support.catalogue import make_certified_product
from tests.support.checkout import service_basket, service_place

pytestmark = pytest.mark.django_db
CSP = "Content-Security-Policy"
CSP_RO = "Content-Security-Policy-Report-Only"


@pytest.fixture(autouse=True)
def _site_settings():
    """The site's settings row exists, as on any running site (the first page ever served creates it)."""
    from wagtail.models import Site

    from cms.models import SiteSettings

    SiteSettings.for_site(Site.objects.get(is_default_site=True))


def policy(header: str) -> dict[str, list[str]]:
    """'default-src 'self'; img-src 'self' data:' -> {"default-src": ["'self'"], "img-src": ["'self'", "data:"]}"""
    directives = {}
    for part in filter(None, (p.strip() for p in header.split(";"))):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_common_headers(response, label):
    assert response["X-Content-Type-Options"] == "nosniff", label
    assert response["X-Frame-Options"] == "DENY", label
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", label
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", label
    assert policy(response[CSP])["frame-ancestors"] == ["'none'"], label


def assert_storefront_policy(response, label):
    enforced = policy(response[CSP])
    assert enforced["default-src"] == ["'self'"], label
    assert enforced["script-src"] == ["'self'"], label  # no 'unsafe-inline', no nonce: the page asked for none
    assert enforced["style-src"] == ["'self'"], label
    assert enforced["object-src"] == ["'none'"] and enforced["form-action"] == ["'self'"], label
    assert "'unsafe-inline'" not in response[CSP] and "'unsafe-eval'" not in response[CSP], label
    assert "stripe" not in response[CSP], label
    assert CSP_RO not in response, label  # enforced, not merely reported


# ---------------------------------------------------------------- every kind of response
def test_a_storefront_page_and_its_cached_copy_carry_the_enforced_policy_and_the_other_headers():
    make_certified_product(title="Mắm cá linh Châu Đốc")
    first = Client().get("/shop/catalogue/")
    second = Client().get("/shop/catalogue/")
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    for label, response in (("rendered", first), ("from the cache", second)):
        assert response.status_code == 200
        assert_common_headers(response, label)
        assert_storefront_policy(response, label)


def test_the_home_page_a_product_page_and_the_english_pages_are_the_storefront():
    product = make_certified_product(title="Gạo Nàng Nhen")
    for url in ("/", "/en/", product.get_absolute_url(), "/shop/basket/", "/en/shop/basket/"):
        response = Client().get(url)
        assert response.status_code == 200, url
        assert_common_headers(response, url)
        assert_storefront_policy(response, url)


def test_json_answers_and_a_404_carry_the_headers_too():
    for url, status in (("/shop/search/suggest/?q=mam", 200), ("/shop/khong-co-trang-nay/", 404)):
        response = Client().get(url)
        assert response.status_code == status, url
        assert_common_headers(response, url)
        assert_storefront_policy(response, url)


@pytest.mark.parametrize(
    "url", ["/shop/dashboard/", "/en/shop/dashboard/", "/shop/programme/changes/", "/cms-admin/", "/django-admin/"]
)
def test_the_back_offices_report_the_storefront_policy_and_enforce_only_what_cannot_break_their_scripts(
    client, django_user_model, url
):
    client.force_login(django_user_model.objects.create_superuser(email="admin@example.vn", password="pw-1234567"))
    response = client.get(url)
    assert response.status_code == 200, url
    assert_common_headers(response, url)
    enforced = policy(response[CSP])
    assert enforced == {"frame-ancestors": ["'none'"], "object-src": ["'none'"], "base-uri": ["'self'"]}, url
    reported = policy(response[CSP_RO])
    assert reported["script-src"][0] == "'self'" and "'unsafe-inline'" not in response[CSP_RO], url
    assert reported["default-src"] == ["'self'"], url


def test_the_back_office_login_pages_are_report_only_too(client):
    for url in ("/cms-admin/login/", "/django-admin/login/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_common_headers(response, url)
        assert "script-src" not in response[CSP] and "script-src" in response[CSP_RO], url


def test_a_page_that_may_be_framed_by_its_own_site_says_so_in_both_headers(client, rf):
    """Wagtail's preview panel frames the preview from the same origin (xframe_options_sameorigin_override)."""
    from django.http import HttpResponse

    from shop.security.csp import StorefrontCSPMiddleware

    def view(request):
        response = HttpResponse("preview")
        response["X-Frame-Options"] = "SAMEORIGIN"
        return response

    for path in ("/cms-admin/pages/3/edit/preview/", "/shop/some-page/"):
        request = rf.get(path)
        middleware = StorefrontCSPMiddleware(view)
        response = middleware(request)
        assert policy(response[CSP])["frame-ancestors"] == ["'self'"], path


# ---------------------------------------------------------------- what the storefront's policy is widened for
def test_stripe_is_allowed_on_the_card_step_and_on_no_other_page(client, settings, monkeypatch):
    settings.STRIPE_SECRET_KEY, settings.STRIPE_PUBLISHABLE_KEY = "sk_test_x", "pk_test_x"
    monkeypatch.setattr("shop.checkout.views.stripe_intent_ensure", lambda payment: {"client_secret": "pi_1_secret_2"})
    product = make_certified_product(title="Khô cá lóc Tri Tôn")
    order = service_place(service_basket([(product, 1)]), method="stripe")

    card = client.get(f"/shop/checkout/card/{order.number}/{order.verification_hash()}/")
    assert card.status_code == 200 and b"https://js.stripe.com/v3/" in card.content
    on_card = policy(card[CSP])
    assert on_card["script-src"] == ["'self'", "https://js.stripe.com", "https://*.js.stripe.com"]
    assert on_card["frame-src"][-3:] == ["https://js.stripe.com", "https://*.js.stripe.com", "https://hooks.stripe.com"]
    assert on_card["connect-src"] == ["'self'", "https://api.stripe.com"]
    again = client.get("/shop/checkout/card/")  # the same step from the session
    assert "https://js.stripe.com" in policy(again[CSP])["script-src"]

    for url in ("/shop/basket/", "/shop/catalogue/", product.get_absolute_url(), "/shop/checkout/thank-you/"):
        response = client.get(url)
        assert "stripe" not in response.get(CSP, ""), url


def test_media_on_another_origin_and_the_map_tile_server_are_allowed_images_only_when_set(client, settings):
    assert policy(client.get("/shop/basket/")[CSP])["img-src"] == ["'self'", "data:"]
    settings.MEDIA_URL = "https://media.ocop.example.vn/uploads/"
    settings.SHOWROOM_MAP_TILE_URL = "https://tiles.example.vn/{z}/{x}/{y}.png"
    images = policy(client.get("/shop/basket/")[CSP])["img-src"]
    assert images == ["'self'", "data:", "https://media.ocop.example.vn", "https://tiles.example.vn"]
    assert "tiles.example.vn" not in policy(client.get("/shop/basket/")[CSP])["script-src"]
    settings.SHOWROOM_MAP_TILE_URL = "https://{s}.tile.example.vn/{z}/{x}/{y}.png"  # subdomains a, b, c
    assert policy(client.get("/shop/basket/")[CSP])["img-src"][-1] == "https://*.tile.example.vn"


def test_static_files_on_a_cdn_are_allowed_as_scripts_styles_fonts_and_images(client, settings):
    settings.STATIC_URL = "https://static.ocop.example.vn/s/"
    enforced = policy(client.get("/shop/basket/")[CSP])
    for directive in ("script-src", "style-src", "font-src", "img-src"):
        assert "https://static.ocop.example.vn" in enforced[directive], directive
    assert "https://static.ocop.example.vn" not in enforced["connect-src"]


def test_the_video_players_we_embed_may_be_framed_and_nothing_else(client):
    frames = policy(client.get("/shop/basket/")[CSP])["frame-src"]
    assert frames == ["'self'", "https://www.youtube-nocookie.com", "https://player.vimeo.com"]


# ---------------------------------------------------------------- what storefront pages contain
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*type=\"application/ld\+json\")[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"""<[a-z][^>]*\sstyle=["']([^"']*)["']""", re.IGNORECASE)


def test_storefront_pages_hold_no_inline_script_no_handler_and_no_style_but_oscars_hidden_boxes(client):
    product = make_certified_product(title="Mắm cá linh Châu Đốc")
    client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})
    pages = ["/", "/shop/catalogue/", product.get_absolute_url(), "/shop/basket/", "/shop/checkout/",
             "/shop/accounts/login/", "/live/", "/shop/search/?q=mam"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), (url, INLINE_SCRIPT.search(html).group(0))
        assert not INLINE_HANDLER.search(html), (url, INLINE_HANDLER.search(html).group(0))
        # the one inline style the policy allows (by its hash): Oscar's basket hides its checkboxes
        assert set(STYLE_ATTRIBUTE.findall(html)) <= {"display:none"}, url
        assert 'src="/static/shop/js/init.js"' in html, url


def test_the_one_style_attribute_allowed_is_the_one_oscars_basket_writes():
    import base64
    import hashlib

    from django.conf import settings

    allowed = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src-attr"]
    digest = base64.b64encode(hashlib.sha256(b"display:none").digest()).decode()
    assert allowed == ["'unsafe-hashes'", f"'sha256-{digest}'"]

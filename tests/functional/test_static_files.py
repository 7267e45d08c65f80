"""Static files in production: `collectstatic` with production's storage (WhiteNoise's CompressedManifestStaticFilesStorage)
writes content-hashed copies and their gzip (and brotli, when the brotli package is installed) versions, WhiteNoise
serves a hashed file compressed and cacheable for a year or more ("immutable"), and a storefront page stays within
its weight budget for CSS and JavaScript. No server: WhiteNoise runs as Django middleware in the test client."""

from __future__ import annotations

import gzip
import importlib
import re
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client, override_settings

from tests.support.catalogue import make_certified_product

ONE_YEAR = 365 * 24 * 60 * 60
SITE_CSS = "shop/css/site.css"
# What a storefront page may make a phone download, compressed: Oscar's Bootstrap build and jQuery are most of it.
PAGE_BUDGET_GZIP = 125 * 1024
SITE_CSS_BUDGET_GZIP = 14 * 1024


def brotli_installed() -> bool:
    return importlib.util.find_spec("brotli") is not None or importlib.util.find_spec("brotlicffi") is not None


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """Production's settings module, read with a throwaway secret key (it refuses to load without one)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_SECRET_KEY", "x" * 64)
        sys.modules.pop("config.settings.production", None)
        module = importlib.import_module("config.settings.production")
    sys.modules.pop("config.settings.production", None)
    return module


@pytest.fixture(scope="module")
def collected(production, tmp_path_factory):
    """`collectstatic` into a temporary STATIC_ROOT with production's storage; the settings stay on for the tests."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=str(root), STORAGES=production.STORAGES, MIDDLEWARE=production.MIDDLEWARE, DEBUG=False):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


def test_production_collects_with_whitenoise_and_serves_through_its_middleware(production):
    assert production.STORAGES["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    # right after SecurityMiddleware, so static files get the security headers too
    security = production.MIDDLEWARE.index("django.middleware.security.SecurityMiddleware")
    assert production.MIDDLEWARE[security + 1] == "whitenoise.middleware.WhiteNoiseMiddleware"


def test_collectstatic_writes_hashed_and_compressed_copies_of_site_css(collected):
    hashed_name = staticfiles_storage.stored_name(SITE_CSS)
    assert re.fullmatch(r"shop/css/site\.[0-9a-f]{12}\.css", hashed_name), hashed_name
    hashed = collected / hashed_name
    source = (Path(settings.BASE_DIR) / "shop" / "static" / SITE_CSS).read_bytes()
    assert hashed.read_bytes() == source
    compressed = Path(f"{hashed}.gz")
    assert gzip.decompress(compressed.read_bytes()) == source
    assert compressed.stat().st_size < len(source) / 3
    assert Path(f"{hashed}.br").exists() == brotli_installed()


def test_whitenoise_serves_the_hashed_file_gzipped_and_cacheable_for_a_year(collected):
    url = staticfiles_storage.url(SITE_CSS)
    assert re.fullmatch(r"/static/shop/css/site\.[0-9a-f]{12}\.css", url), url
    response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert response["Content-Encoding"] == ("br" if brotli_installed() else "gzip")
    cache = response["Cache-Control"]
    max_age = int(re.search(r"max-age=(\d+)", cache).group(1))
    assert max_age >= ONE_YEAR and "immutable" in cache and "public" in cache, cache
    assert "Accept-Encoding" in response["Vary"]
    if response["Content-Encoding"] == "gzip":
        body = gzip.decompress(b"".join(response.streaming_content))
        assert body == (collected / staticfiles_storage.stored_name(SITE_CSS)).read_bytes()


def test_the_unhashed_name_is_only_cached_briefly(collected):
    """An old page asking for /static/shop/css/site.css must not keep a stale copy for a year."""
    response = Client().get("/static/" + SITE_CSS)

    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]


@pytest.mark.django_db
def test_a_storefront_page_stays_within_its_css_and_javascript_budget(collected):
    """Every stylesheet and script the catalogue page loads comes from our static files, hashed, and all of them
    together weigh at most PAGE_BUDGET_GZIP compressed. The sizes are printed (pytest -s) for the record."""
    make_certified_product()
    html = Client().get("/shop/catalogue/").content.decode()
    assets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html) + re.findall(r'<script src="([^"]+)"', html)
    assert any("site." in url for url in assets) and any("jquery" in url for url in assets), assets

    sizes = {}
    for url in assets:
        assert url.startswith(settings.STATIC_URL) and re.search(r"\.[0-9a-f]{12}\.(css|js)$", url), url
        path = collected / url.removeprefix(settings.STATIC_URL)
        sizes[url] = (path.stat().st_size, Path(f"{path}.gz").stat().st_size)
    total_raw, total_gzip = (sum(size[i] for size in sizes.values()) for i in (0, 1))
    print("\nCSS and JavaScript of /shop/catalogue/ (bytes, gzip):")
    for url, (raw, compressed) in sizes.items():
        print(f"  {url}: {raw:,} / {compressed:,}")
    print(f"  total: {total_raw:,} / {total_gzip:,}")

    site_css = next(size for url, size in sizes.items() if "/shop/css/site." in url)
    assert site_css[1] <= SITE_CSS_BUDGET_GZIP, f"site.css is {site_css[1]:,} bytes gzipped"
    assert total_gzip <= PAGE_BUDGET_GZIP, f"the page loads {total_gzip:,} bytes of CSS and JavaScript (gzip): {sizes}"
    blocking = [tag for tag in re.findall(r"<script\b[^>]*\bsrc=[^>]*>", html) if not re.search(r"\b(defer|async)\b", tag)]
    assert not blocking, f"scripts that hold up the page: {blocking}"

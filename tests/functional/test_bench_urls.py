"""The load benchmark's wiring: the ceiling view under config.bench_urls, and config.settings.bench itself."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
@pytest.mark.urls("config.bench_urls")
def test_the_ceiling_answers_a_fixed_string_through_the_middleware(client):
    response = client.get("/_bench/ceiling/")
    assert response.status_code == 200
    assert response.content == b"ok"
    # the same middleware as every page: security headers, clickjacking, language negotiation
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Accept-Language" in response["Vary"]
    assert response.wsgi_request.basket is not None  # Oscar's basket middleware ran


@pytest.mark.django_db
@pytest.mark.urls("config.bench_urls")
def test_the_project_urls_are_all_there_under_the_bench_urls(client):
    assert reverse("bench-ceiling") == "/_bench/ceiling/"
    assert reverse("search:search") == "/shop/search/"
    assert reverse("basket:add", kwargs={"pk": 1}) == "/shop/basket/add/1/"
    assert client.get("/robots.txt").status_code == 200


def test_the_bench_settings_import_with_the_environment_they_set():
    """Production settings refuse to start without DJANGO_SECRET_KEY: the bench module brings a throwaway one and
    makes the site servable over plain HTTP on loopback (run in a process of its own: it sets os.environ)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "REDIS_URL"}
    env["DATABASE_URL"] = "sqlite:////tmp/bench-settings-check.sqlite3"
    code = (
        "import json, config.settings.bench as s; print(json.dumps({"
        "'debug': s.DEBUG, 'key': len(s.SECRET_KEY), 'ssl': s.SECURE_SSL_REDIRECT, "
        "'session_secure': s.SESSION_COOKIE_SECURE, 'csrf_secure': s.CSRF_COOKIE_SECURE, 'hosts': s.ALLOWED_HOSTS, "
        "'urls': s.ROOT_URLCONF, 'conn_max_age': s.DATABASES['default']['CONN_MAX_AGE'], "
        "'static': s.STORAGES['staticfiles']['BACKEND'], 'middleware': s.MIDDLEWARE, 'static_root': s.STATIC_ROOT, "
        "'sessions': s.SESSION_ENGINE}))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    settings = json.loads(result.stdout.strip().splitlines()[-1])
    assert settings["debug"] is False
    assert settings["key"] >= 50
    assert settings["ssl"] is False and settings["session_secure"] is False and settings["csrf_secure"] is False
    assert settings["hosts"] == ["127.0.0.1", "localhost"]
    assert settings["urls"] == "config.bench_urls"
    assert settings["conn_max_age"] > 0
    # otherwise production's: WhiteNoise serving the manifest, database sessions with cached copies
    assert settings["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings["middleware"]
    assert settings["static_root"].endswith("var/bench/static")
    assert settings["sessions"] == "shop.caching.sessions"  # cached_db with short cache copies

"""Production settings (config/settings/production.py) pass Django's deployment checklist with nothing to report, and
refuse to start without a real secret key. Each run is a fresh process with only the environment an operator sets."""

from __future__ import annotations

import importlib
import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def operator_env(**overrides: str) -> dict[str, str]:
    """The machine's environment without anything of ours or Django's (no DJANGO_*, no database or cache address):
    production reads only what the operator gives it."""
    ours = ("DJANGO_", "DATABASE_URL", "REDIS_URL", "OCOP_", "STRIPE_", "SENTRY_", "TEST_SQLITE_NAME")
    env = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    env.update(overrides)
    return env


def random_key(length: int = 64) -> str:
    return "".join(secrets.choice(string.ascii_letters + string.digits + "!@#%^&*(-_=+)") for _ in range(length))


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=operator_env(**env), capture_output=True, text=True,
                          timeout=180)


def check_deploy(**env: str) -> subprocess.CompletedProcess:
    return run(["manage.py", "check", "--deploy", "--fail-level", "WARNING", "--settings=config.settings.production"],
               **{"DJANGO_SECRET_KEY": random_key(), "DJANGO_ALLOWED_HOSTS": "ocop.example.vn", **env})


def test_check_deploy_reports_nothing_with_production_settings():
    result = check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_would_say_so_if_an_operator_turned_a_protection_off():
    result = check_deploy(DJANGO_SECURE_SSL_REDIRECT="false", DJANGO_SECURE_HSTS_SECONDS="0")
    assert result.returncode != 0
    assert "security.W008" in result.stderr and "security.W004" in result.stderr  # no HTTPS redirect, no HSTS


@pytest.mark.parametrize(
    "secret",
    [None, "", "ngắn-quá", random_key(49), "django-insecure-" + random_key(50)],
    ids=["missing", "empty", "short", "49 characters", "django's placeholder"],
)
def test_production_refuses_to_start_without_a_real_secret_key(monkeypatch, secret):
    from django.core.exceptions import ImproperlyConfigured

    if secret is None:
        monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("DJANGO_SECRET_KEY", secret)
    sys.modules.pop("config.settings.production", None)
    try:
        with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY must be set") as refused:
            importlib.import_module("config.settings.production")
    finally:
        sys.modules.pop("config.settings.production", None)
    if secret:
        assert secret not in str(refused.value)  # the refusal never repeats the key it was given


@pytest.mark.parametrize("backend", ["console", "filebased"])
def test_production_refuses_to_print_mail_into_logs_or_files(monkeypatch, backend):
    """Order emails carry addresses and password-reset links: production sends them, never prints them."""
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("DJANGO_SECRET_KEY", random_key())
    monkeypatch.setenv("DJANGO_EMAIL_BACKEND", f"django.core.mail.backends.{backend}.EmailBackend")
    sys.modules.pop("config.settings.production", None)
    try:
        with pytest.raises(ImproperlyConfigured, match="DJANGO_EMAIL_BACKEND must send mail"):
            importlib.import_module("config.settings.production")
    finally:
        sys.modules.pop("config.settings.production", None)


def test_production_takes_a_real_secret_key_and_never_debugs(monkeypatch):
    key = random_key()
    monkeypatch.setenv("DJANGO_SECRET_KEY", key)
    monkeypatch.setenv("DJANGO_DEBUG", "true")
    sys.modules.pop("config.settings.production", None)
    try:
        production = importlib.import_module("config.settings.production")
    finally:
        sys.modules.pop("config.settings.production", None)
    assert production.SECRET_KEY == key and production.DEBUG is False
    assert production.SESSION_COOKIE_SECURE and production.SESSION_COOKIE_HTTPONLY and production.CSRF_COOKIE_SECURE
    assert production.MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") == (
        production.MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
    )


@pytest.mark.parametrize("limits", ["complaint=10 / h", "complain=10/h", "register=mười/h"])
def test_a_mistyped_rate_limit_stops_the_start_instead_of_switching_the_limit_off(monkeypatch, limits):
    from django.core.exceptions import ImproperlyConfigured

    from shop.security.ratelimits import DEFAULT_RATES

    monkeypatch.setenv("OCOP_RATE_LIMITS", limits)
    sys.modules.pop("config.settings.base", None)
    try:
        with pytest.raises(ImproperlyConfigured, match="OCOP_RATE_LIMITS"):
            importlib.import_module("config.settings.base")
        monkeypatch.setenv("OCOP_RATE_LIMITS", ",".join(f"{group}=3/m" for group in DEFAULT_RATES))
        assert importlib.import_module("config.settings.base").OCOP_RATE_LIMITS == dict.fromkeys(DEFAULT_RATES, "3/m")
    finally:
        sys.modules.pop("config.settings.base", None)

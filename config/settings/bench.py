"""Settings for the load benchmark (bench/load_bench.py, `make bench`): production settings, servable over plain
HTTP on loopback. Never for a real deployment: the secret key has a throwaway default and cookies are not Secure."""

import os

# Production refuses to start without a 50+ character key; the bench brings its own unless one is set.
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret-" + "0" * 50)
os.environ.setdefault("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")  # orders mail no one

from .production import *  # noqa: E402,F401,F403
from .production import BASE_DIR, DATABASES, env  # noqa: E402

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ROOT_URLCONF = "config.bench_urls"  # the project's URLs plus /_bench/ceiling/

# Workers keep their database connection between requests, as a tuned deployment would.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# collectstatic writes the manifest WhiteNoise serves from here (a bench-only folder).
STATIC_ROOT = env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "var" / "bench" / "static"))
# Thousands of order confirmations: built and then dropped (production's console backend would flood the log).
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.dummy.EmailBackend")

# Configured as a real deployment would be (load_demo_data places VietQR orders): dev settings' demonstration account.
VIETQR_BANK_BIN = env("VIETQR_BANK_BIN", default="970436")
VIETQR_BANK_NAME = env("VIETQR_BANK_NAME", default="Vietcombank")
VIETQR_ACCOUNT_NUMBER = env("VIETQR_ACCOUNT_NUMBER", default="0011000000000")
VIETQR_ACCOUNT_NAME = env("VIETQR_ACCOUNT_NAME", default="BAN DIEU PHOI OCOP (DEMO)")

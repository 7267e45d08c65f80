from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import BASE_DIR, MIDDLEWARE, REDIS_URL, env

# ---------------------------------------------------------------- hardening (README: Production; `manage.py check
# --deploy --fail-level WARNING` reports nothing: tests/integration/security/test_check_deploy.py)
DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
# (`check --deploy` also flags a key of fewer than 5 distinct characters)
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure-"):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random string of 50+ characters in production, e.g. "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
    )

# Mail goes to a mail server. The console backend (the development default) would print order emails, addresses
# and password-reset links into the container logs, past the log masking (Decree 13).
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
if any(f".{kind}." in EMAIL_BACKEND for kind in ("console", "filebased")):
    raise ImproperlyConfigured(
        "DJANGO_EMAIL_BACKEND must send mail in production (SMTP: set DJANGO_EMAIL_HOST and its account), "
        "not print it to the logs or files."
    )

# HTTPS only. The proxy in front (nginx, a load balancer) must set X-Forwarded-Proto itself, never pass on a client's.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probes inside the network ask over plain HTTP
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Cookies only over HTTPS, out of reach of scripts where nothing needs to read them, not sent by other sites' POSTs.
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_SAMESITE = "Lax"
# Left readable: Oscar's dashboard script takes the token from it (dashboard.js getCsrfToken); Django's documentation
# says hiding it gains nothing, and `check --deploy` does not ask for it.
CSRF_COOKIE_HTTPONLY = False
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
OSCAR_BASKET_COOKIE_SECURE = True
OSCAR_RECENTLY_VIEWED_COOKIE_SECURE = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded media on S3-compatible object storage (AWS, MinIO, Viettel IDC, FPT Cloud...) when a bucket is named:
# every object private, every URL signed and short-lived (return photos and certificate scans are media too), and
# the app stops serving MEDIA_URL itself. Keys left empty: boto3 looks for credentials itself (an instance role).
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME and env("AWS_S3_CUSTOM_DOMAIN", default=""):
    raise ImproperlyConfigured(
        "AWS_S3_CUSTOM_DOMAIN is not supported: links on a CDN domain are not signed, so the private media in the "
        "bucket (return photos, certificate scans) would be public. Leave it empty."
    )
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default="") or None,
            "addressing_style": env("AWS_S3_ADDRESSING_STYLE", default="") or None,  # "path" for most MinIO setups
            "location": env("AWS_LOCATION", default=""),  # a folder inside the bucket
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": env.int("AWS_QUERYSTRING_EXPIRE", default=3600),
            "signature_version": "s3v4",
            "file_overwrite": False,
        },
    }
    OCOP_SERVE_MEDIA = False

# WhiteNoise serves the collected, compressed and cache-busted static files right after SecurityMiddleware (so they
# get its headers too: nosniff, the referrer and opener policies, HSTS).
_SECURITY = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
MIDDLEWARE = [*MIDDLEWARE[:_SECURITY], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[_SECURITY:]]

# Cached pages and their version tokens must be shared by every worker process (shop/caching/): without Redis,
# one machine's workers share a file cache.
if not REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env("DJANGO_FILE_CACHE_DIR", default="") or str(BASE_DIR / "var" / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }

from shop.observability.sentry import sentry_init  # noqa: E402

sentry_init()  # errors to Sentry (or GlitchTip) when SENTRY_DSN is set; otherwise nothing starts

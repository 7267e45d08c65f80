"""Settings shared by every environment. Everything that varies comes from the environment."""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from oscar.defaults import *  # noqa: F401,F403  (Oscar's defaults first, then ours)

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# ---------------------------------------------------------------- apps
OSCAR_FORKS = {
    "oscar.apps.catalogue.apps.CatalogueConfig": "catalogue.apps.CatalogueConfig",
    "oscar.apps.partner.apps.PartnerConfig": "shop.partner.apps.PartnerConfig",
    "oscar.apps.search.apps.SearchConfig": "shop.search.apps.SearchConfig",
    "oscar.apps.checkout.apps.CheckoutConfig": "shop.checkout.apps.CheckoutConfig",
    "oscar.apps.dashboard.orders.apps.OrdersDashboardConfig": "shop.dashboard.orders.apps.OrdersDashboardConfig",
    # The applicator: live-price offers tried only when their product is in the basket (shop/offer/applicator.py)
    "oscar.apps.offer.apps.OfferConfig": "shop.offer.apps.OfferConfig",
    # List views that read their rows' relations in the list's own queries (constant queries per page):
    "oscar.apps.dashboard.catalogue.apps.CatalogueDashboardConfig":
        "shop.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig":
        "shop.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig": "shop.dashboard.users.apps.UsersDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig": "shop.dashboard.offers.apps.OffersDashboardConfig",
}
_OSCAR_APPS = [OSCAR_FORKS.get(app, app) for app in __import__("oscar").INSTALLED_APPS]
_DJANGO_APPS = [app for app in _OSCAR_APPS if app.startswith("django.")]
_OSCAR_ONLY = [app for app in _OSCAR_APPS if not app.startswith("django.")]

INSTALLED_APPS = [
    "users.apps.UsersConfig",
    "cms.apps.CmsConfig",
    "showrooms.apps.ShowroomsConfig",
    "livestream.apps.LivestreamConfig",
    "reports.apps.ReportsConfig",
    "shop.apps.ShopConfig",
    "shop.fulfilment.apps.FulfilmentConfig",
    "shop.payments.apps.PaymentsConfig",
    "shop.listings.apps.ListingsConfig",
    *_DJANGO_APPS,
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    *_OSCAR_ONLY,
    "sorl.thumbnail",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "shop.observability.middleware.RequestIdMiddleware",  # first: every log line of the request carries its id
    "django.middleware.security.SecurityMiddleware",
    "shop.security.csp.StorefrontCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "shop.caching.middleware.PageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "oscar.apps.basket.middleware.BasketMiddleware",
    "livestream.middleware.LiveLinkMiddleware",
    "shop.dashboard.middleware.StaffOnlyDashboardMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",  # a rate-limited request gets RATELIMIT_VIEW (429)
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: turns a lockout into our lockout page
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "oscar.apps.search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.apps.communication.notifications.context_processors.notifications",
                "oscar.core.context_processors.metadata",
                "wagtail.contrib.settings.context_processors.settings",
                "livestream.context_processors.live_now",
            ],
        },
    }
]

# ---------------------------------------------------------------- data
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # A database host that does not answer fails a request (and /healthz) in seconds instead of hanging it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DJANGO_DB_CONNECT_TIMEOUT", default=5))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several worker processes on one SQLite file: a transaction takes the write lock when it starts (no
    # "database is locked" when two upgrade from reading to writing at once), waits up to 20 s for it, and
    # readers do not block the writer (WAL).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"  # fixed before the first migration (Oscar reads it at migrate time)
AUTH_USER_MODEL = "users.User"
SITE_ID = 1

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # Django's Redis cache with an outage read as a miss (shop/caching/store.py): the site keeps selling.
    CACHES = {"default": {"BACKEND": "shop.caching.store.SafeRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "shop.caching.sessions"  # Django's cached_db, the cache copy kept 5 minutes at most
# Whole storefront pages kept for anonymous visitors (shop/caching/): seconds a page may be served without a
# re-render. Any change a shopper could see makes cached pages stale at once; this only bounds what changes with
# the clock alone (a showroom's "open now"). 0 turns the page cache off. The cache must be shared by every
# process serving pages (REDIS_URL) when there is more than one.
OCOP_PAGE_CACHE_SECONDS = env.int("OCOP_PAGE_CACHE_SECONDS", default=60)
# Fragments the same for every visitor (a listing's products and facets, a product's photos and description),
# for signed-in and basket-holding shoppers too; invalidated the same way. 0 turns them off.
OCOP_FRAGMENT_CACHE_SECONDS = env.int("OCOP_FRAGMENT_CACHE_SECONDS", default=60)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked (username, IP) pair before any password check
    "shop.security.auth_backends.EmailBackend",  # Oscar's, timed the same for unknown and known emails
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = reverse_lazy("customer:login")
LOGIN_REDIRECT_URL = reverse_lazy("customer:summary")

# ---------------------------------------------------------------- languages, time, money
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

OSCAR_DEFAULT_CURRENCY = "VND"
OSCAR_SLUG_FUNCTION = "shop.text.vi_slugify"
OSCAR_OFFER_ROUNDING_FUNCTION = "shop.money.round_to_dong"
OSCAR_SHOP_NAME = _("Chợ OCOP An Giang")
OSCAR_SHOP_TAGLINE = _("Sản phẩm OCOP được chứng nhận 3 sao trở lên")
OSCAR_HOMEPAGE = "/"
OSCAR_PRODUCTS_PER_PAGE = 24
OSCAR_ALLOW_ANON_CHECKOUT = True
OSCAR_ALLOW_ANON_REVIEWS = False

# ---------------------------------------------------------------- OCOP
OCOP_CERTIFICATE_VALIDITY_MONTHS = 36
# Printed QR codes point here (unprefixed, no language), e.g. https://ocop.angiang.gov.vn
OCOP_PUBLIC_BASE_URL = env("OCOP_PUBLIC_BASE_URL", default="http://127.0.0.1:8000")
OCOP_EXPIRING_SOON_DAYS = 90

# ---------------------------------------------------------------- search
# Oscar imports haystack; product search does not use it (catalogue/search/).
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"
# Product search engine (catalogue/search/): "database" (the default, no server) or "elasticsearch". A URL alone
# does not switch; after switching (or renaming a producer or OCOP product set) run `manage.py search_index --rebuild`.
OCOP_SEARCH_ENGINE = env("OCOP_SEARCH_ENGINE", default="database")
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="")
ELASTICSEARCH_INDEX = env("ELASTICSEARCH_INDEX", default="ocop-products")  # an alias: rebuilds swap the index behind it
# Reindex changed products through django-tasks (a worker) instead of inline after the commit.
OCOP_SEARCH_TASKS = env.bool("OCOP_SEARCH_TASKS", default=False)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# ---------------------------------------------------------------- Wagtail
WAGTAIL_SITE_NAME = "OCOP"
# Rich text without Wagtail's "embed" (an iframe from any provider the CSP's frame-src does not allow): videos go in
# the video block, which uses privacy-enhanced players (shop/embeds.py).
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {
        "WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea",
        "OPTIONS": {"features": ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "hr", "link", "document-link", "image"]},
    }
}
# Staff reset passwords through the storefront's rate-limited form (shop/security/urls.py), not a second one.
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_ALLOW_UNICODE_SLUGS = False  # "Đường thốt nốt" -> duong-thot-not, never a percent-encoded address (cms/slugs.py)
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default=OCOP_PUBLIC_BASE_URL)

# ---------------------------------------------------------------- orders and payments (README: Payments)
# Order status is derived from the producers' parts and the payment (shop/fulfilment/services.py).
OSCAR_INITIAL_ORDER_STATUS = "awaiting_payment"
# Staff may only cancel a whole order from Oscar's dashboard (shop/dashboard/orders/views.py); the rest follows.
OSCAR_ORDER_STATUS_PIPELINE = {
    "awaiting_payment": ("cancelled",),
    "processing": ("cancelled",),
    "completed": (),
    "cancelled": (),
}
OSCAR_ORDER_STATUS_CASCADE = {}
# Bank transfer by VietQR: shown when a bank BIN and account are set.
VIETQR_BANK_BIN = env("VIETQR_BANK_BIN", default="")
VIETQR_BANK_NAME = env("VIETQR_BANK_NAME", default="")
VIETQR_ACCOUNT_NUMBER = env("VIETQR_ACCOUNT_NUMBER", default="")
VIETQR_ACCOUNT_NAME = env("VIETQR_ACCOUNT_NAME", default="")
PAYMENT_TRANSFER_EXPIRY_HOURS = env.int("PAYMENT_TRANSFER_EXPIRY_HOURS", default=24)
# Card payments by Stripe: shown when both keys are set. STRIPE_API_BASE points the client elsewhere (tests).
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")
PAYMENT_CARD_EXPIRY_MINUTES = env.int("PAYMENT_CARD_EXPIRY_MINUTES", default=30)
# A shopper may ask to return a delivered part within this many days.
ORDER_RETURN_DAYS = env.int("ORDER_RETURN_DAYS", default=7)

# ---------------------------------------------------------------- files
STATIC_URL = "/static/"
# "or": an empty variable in .env means the default, never the folder ""
STATIC_ROOT = env("DJANGO_STATIC_ROOT", default="") or str(BASE_DIR / "var" / "static")
MEDIA_URL = "/media/"
MEDIA_ROOT = env("DJANGO_MEDIA_ROOT", default="") or str(BASE_DIR / "var" / "media")
# The app serves MEDIA_URL itself (shop/media.py) unless a web server or object storage does (set it to false then).
OCOP_SERVE_MEDIA = env.bool("OCOP_SERVE_MEDIA", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# sorl-thumbnail (Oscar's product page gallery, basket): WebP, a third smaller than JPEG at the same look; keeps alpha.
THUMBNAIL_FORMAT = "WEBP"
THUMBNAIL_QUALITY = 82

# ---------------------------------------------------------------- email
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="OCOP <no-reply@localhost>")
OSCAR_FROM_EMAIL = DEFAULT_FROM_EMAIL

# Logging (README: Logging, health and errors; shop/observability/logging.py): on stderr, every line stamped with
# its request id and with phone numbers, email addresses and personal fields masked. DJANGO_LOG_FORMAT: "json" (one
# object per line: the default under config.settings.production) or "text" (the default elsewhere).
_PRODUCTION_SETTINGS = env.str("DJANGO_SETTINGS_MODULE", default="").endswith(".production")
DJANGO_LOG_FORMAT = env("DJANGO_LOG_FORMAT", default="json" if _PRODUCTION_SETTINGS else "text")
DJANGO_LOG_LEVEL = env("DJANGO_LOG_LEVEL", default="WARNING")
# One access line per request on the "ocop.request" logger (method, path without query, status, duration, request
# id); off by default: turn it on here or use the proxy's access log. The client's IP only with OCOP_LOG_CLIENT_IP.
DJANGO_LOG_REQUESTS = env.bool("DJANGO_LOG_REQUESTS", default=False)
OCOP_LOG_CLIENT_IP = env.bool("OCOP_LOG_CLIENT_IP", default=False)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact": {"()": "shop.observability.logging.RedactPersonalDataFilter"},
        "request_context": {"()": "shop.observability.logging.RequestContextFilter"},
    },
    "formatters": {
        "json": {"()": "shop.observability.logging.JsonFormatter"},
        "text": {"()": "shop.observability.logging.TextFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",  # stderr
            "formatter": "json" if DJANGO_LOG_FORMAT == "json" else "text",
            "filters": ["redact", "request_context"],
        }
    },
    "root": {"handlers": ["console"], "level": DJANGO_LOG_LEVEL},
    "loggers": {
        # Django's own loggers write through ours (its default handlers would print them a second time, unmasked)
        "django": {"handlers": [], "level": DJANGO_LOG_LEVEL, "propagate": True},
        "ocop.request": {"level": "INFO"},
    },
}
PHONENUMBER_DEFAULT_REGION = "VN"

# Oscar's dashboard (programme staff): our payment and after-sales screens join the Fulfilment menu.
OSCAR_DASHBOARD_NAVIGATION = [dict(item) for item in OSCAR_DASHBOARD_NAVIGATION]  # noqa: F405
for _item in OSCAR_DASHBOARD_NAVIGATION:
    if any(child.get("url_name") == "dashboard:order-list" for child in _item.get("children", [])):
        _item["children"] = list(_item["children"]) + [
            {"label": _("Đối soát sao kê ngân hàng"), "url_name": "dashboard:payment-statement"},
            {"label": _("Trả hàng và khiếu nại"), "url_name": "dashboard:after-sales"},
        ]
OSCAR_DASHBOARD_NAVIGATION.append(
    {
        "label": _("Chương trình OCOP"),
        "icon": "fas fa-star",
        "children": [
            {"label": _("Thay đổi sản phẩm chờ duyệt"), "url_name": "programme:changes"},
            {"label": _("Chủ thể: duyệt, mời người dùng"), "url_name": "programme:producers"},
            {"label": _("Nhập danh sách OCOP của tỉnh"), "url_name": "programme:registry"},
            {"label": _("Báo cáo và chỉ tiêu"), "url_name": "reports:dashboard"},
        ],
    }
)

# Uploaded photos (catalogue/images.py): refused above these, before decoding.
OCOP_IMAGE_MAX_BYTES = env.int("OCOP_IMAGE_MAX_BYTES", default=10 * 1024 * 1024)
OCOP_IMAGE_MAX_PIXELS = env.int("OCOP_IMAGE_MAX_PIXELS", default=40_000_000)
OSCAR_DASHBOARD_DEFAULT_ACCESS_FUNCTION = "shop.dashboard.access.dashboard_access"
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no avatars fetched from gravatar.com (and no staff email hashes sent there)

# Showrooms: how long a clerk may undo their own last stock change; the public map's tile server (empty: a list
# with coordinates and "open in a map app" links, nothing fetched).
SHOWROOM_UNDO_MINUTES = env.int("SHOWROOM_UNDO_MINUTES", default=5)
SHOWROOM_PICKUP_DAYS = env.int("SHOWROOM_PICKUP_DAYS", default=7)  # then an uncollected pickup order is cancelled
SHOWROOM_MAP_TILE_URL = env("SHOWROOM_MAP_TILE_URL", default="")  # e.g. https://tiles.example.vn/{z}/{x}/{y}.png
SHOWROOM_MAP_ATTRIBUTION = env("SHOWROOM_MAP_ATTRIBUTION", default="")  # what the tile server's licence asks to show

# Livestream: how early staff may start a session, how long before the start reminders go out.
LIVESTREAM_EARLY_START_MINUTES = env.int("LIVESTREAM_EARLY_START_MINUTES", default=30)
LIVESTREAM_REMINDER_MINUTES = env.int("LIVESTREAM_REMINDER_MINUTES", default=30)


# ---------------------------------------------------------------- security headers (README: Production)
# django-csp 4: enforced on the storefront, whose pages carry no inline script and no inline style of their own
# (Oscar's page scripts start from shop/static/shop/js/init.js); report-only on the back offices below, which carry
# inline scripts of their own. shop/security/csp.py chooses, and widens at request time for a MEDIA_URL or
# STATIC_URL on another origin, the showroom map's tile server, and Stripe.js on the card payment step alone.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],  # a nonce only if a page asks for one (none of the storefront's does)
        "style-src": [SELF],
        # Oscar's basket template hides its "save for later"/"delete" checkboxes and the voucher form with
        # style="display:none" (AJAX re-renders it too): that one attribute value is allowed, nothing else inline.
        "style-src-attr": ["'unsafe-hashes'", "'sha256-aqNNdDLnnrDOnTNdkJpYlAxKVJtLt9CtFLklmInuUAE='"],
        "img-src": [SELF, "data:"],  # data: Bootstrap's form icons in styles.css
        "font-src": [SELF],
        "connect-src": [SELF],
        # Video players, loaded when the viewer asks (shop/embeds.py): YouTube in privacy-enhanced mode for live
        # sessions and story videos, Vimeo's player for story videos.
        "frame-src": [SELF, "https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        # A live session on our own platform may play a video file from any https address staff enter
        # (livestream/views/public.py stream_for); a media element cannot run script.
        "media-src": [SELF, "https:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Where browsers send what the policy blocked (or, on the back offices, would block): e.g. Sentry's CSP endpoint.
OCOP_CSP_REPORT_URI = env("OCOP_CSP_REPORT_URI", default="")
if OCOP_CSP_REPORT_URI:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = [OCOP_CSP_REPORT_URI]
# Report-only here (with or without a language prefix): Oscar's dashboard, the programme pages on its layout
# (reports included), Wagtail's admin, Django's admin.
OCOP_CSP_REPORT_ONLY_PATHS = ["/shop/dashboard/", "/shop/programme/", "/cms-admin/", "/django-admin/"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# ---------------------------------------------------------------- login brute force (django-axes)
# Locked by username and IP together: an attacker elsewhere cannot lock a real user out. Every login form is
# covered (Oscar's sign-in, Wagtail's and Django's admin); shop/security/axes.py reads the email from any of them,
# normalised ("A@x.vn " and "a@x.vn" count together), and renders the lockout page (429, Retry-After).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)  # hours
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # tries while locked do not push the end further away
AXES_USERNAME_FORM_FIELD = "username"  # the keyword every login form passes to authenticate()
AXES_USERNAME_CALLABLE = "shop.security.axes.login_username"
AXES_CLIENT_IP_CALLABLE = "shop.security.client_ip.client_key"  # an IPv6 client counts as its /64
AXES_HANDLER = "shop.security.axes.LoginAttemptHandler"  # keeps no typed form data (passwords, emails)
AXES_LOCKOUT_CALLABLE = "shop.security.axes.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # no row per successful login (who, IP, browser): only failures, kept for the cool-off
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
# Proxies of our own in front of the app (a load balancer, nginx): the client's address is the Nth entry from the
# right of X-Forwarded-For. 0 (no proxy): REMOTE_ADDR, and X-Forwarded-For is ignored (a client can write it).
OCOP_TRUSTED_PROXIES = env.int("OCOP_TRUSTED_PROXIES", default=0)
INSTALLED_APPS += ["shop.security.apps.SecurityConfig"]  # the lockout and 429 page templates

# ---------------------------------------------------------------- rate limits (django-ratelimit)
RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=True)
RATELIMIT_FAIL_OPEN = True  # a cache that is down never stops a shopper
RATELIMIT_VIEW = "shop.security.ratelimits.limited"
# Per client IP, POSTs only (shop/security/ratelimits.py), e.g. "password-reset=5/h,complaint=10/h"; a group left
# out keeps its default: register 10/h, password-reset 5/h, live-reminder 20/h, complaint 10/h.
OCOP_RATE_LIMITS = env.dict("OCOP_RATE_LIMITS", default={})
from shop.security.rates import DEFAULT_RATES as _RATE_DEFAULTS, RATE as _RATE  # noqa: E402  (no Django imports)
for _group, _rate in OCOP_RATE_LIMITS.items():  # a typo must not switch a limit off unnoticed
    if _group not in _RATE_DEFAULTS or not _RATE.fullmatch(_rate):
        raise ImproperlyConfigured(
            f"OCOP_RATE_LIMITS: {_group}={_rate} is not a rate of a known group ({', '.join(sorted(_RATE_DEFAULTS))}); "
            "write e.g. complaint=10/h (per second s, minute m, hour h, day d)."
        )

# ---------------------------------------------------------------- background tasks (django-tasks)
# OCOP_TASKS_BACKEND: "database" (django-tasks-db, the embedded default: the queue is a table), "redis" (RQ through
# django-tasks-rq on OCOP_TASKS_REDIS_URL: a Redis that keeps its data, never the evicting cache) or "immediate" (in
# the process that queues, after the commit: tests, or one machine with no worker). `manage.py run_worker` runs the
# queue of the first two (db_worker or rqworker); `manage.py run_scheduler` runs the periodic jobs (shop/tasks/).
# Tasks are retried with backoff and done once per key (shop/tasks/queue.py).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "redis": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
OCOP_TASKS_BACKEND = env("OCOP_TASKS_BACKEND", default="") or "database"
if OCOP_TASKS_BACKEND not in _TASK_BACKENDS:
    from django.core.exceptions import ImproperlyConfigured  # noqa: E402

    raise ImproperlyConfigured(f"OCOP_TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[OCOP_TASKS_BACKEND], "QUEUES": ["default"]}}
INSTALLED_APPS += ["shop.tasks.apps.TasksConfig"]
# django-rq's queues (read only by the "redis" backend): each queue in TASKS must be here too. No fallback to
# REDIS_URL: that is the cache, which evicts keys when full, and queued emails would silently go with them.
OCOP_TASKS_REDIS_URL = env("OCOP_TASKS_REDIS_URL", default="")
if OCOP_TASKS_BACKEND == "redis" and not OCOP_TASKS_REDIS_URL:
    raise ImproperlyConfigured(
        "OCOP_TASKS_BACKEND=redis needs OCOP_TASKS_REDIS_URL: a Redis of its own that keeps its data and never evicts "
        "(the compose profile `rq`: redis://redis-tasks:6379/0), not the cache's REDIS_URL."
    )
RQ_QUEUES = {"default": {"URL": OCOP_TASKS_REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 300}}
if OCOP_TASKS_BACKEND == "redis":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]  # django-tasks-rq's system check asks for django_rq
OCOP_TASKS_MAX_ATTEMPTS = env.int("OCOP_TASKS_MAX_ATTEMPTS", default=5)  # a failing task runs at most this often
OCOP_TASKS_RETRY_SECONDS = env.int("OCOP_TASKS_RETRY_SECONDS", default=30)  # then 4x longer each time (max 1 h)
# A task still "running" after this long lost its worker: `manage.py tasks_maintain` queues it again, and its
# once-only key may be taken over.
OCOP_TASKS_STALLED_MINUTES = env.int("OCOP_TASKS_STALLED_MINUTES", default=30)
# Local time (Asia/Ho_Chi_Minh) of the scheduler's daily jobs: producer notices, the privacy purge, pruning.
OCOP_SCHEDULER_DAILY_AT = env("OCOP_SCHEDULER_DAILY_AT", default="") or "06:00"
# Where the worker and the scheduler touch their heartbeat files (the containers' health checks read them).
OCOP_HEARTBEAT_DIR = env("OCOP_HEARTBEAT_DIR", default="") or "/tmp"
# A worker never hangs on a mail server that stopped answering: seconds before a send fails (and is retried).
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=30)

# ---------------------------------------------------------------- personal data (README: Personal data)
OCOP_PRIVACY_NOTICE_VERSION = "2026-11"  # raise when the notice's substance changes (users/templates/privacy/notice.html)
OCOP_PRIVACY_CONTACT_EMAIL = env("OCOP_PRIVACY_CONTACT_EMAIL", default="")  # empty: DEFAULT_FROM_EMAIL's address

# ---------------------------------------------------------------- error tracking
# Sentry (or GlitchTip) when SENTRY_DSN is set: config/settings/production.py calls shop.observability.sentry
# .sentry_init(), which reads these from the environment itself; no personal data is sent (README: Logging, health
# and errors).
SENTRY_DSN = env("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env("SENTRY_ENVIRONMENT", default="production")
SENTRY_RELEASE = env("SENTRY_RELEASE", default="")
SENTRY_TRACES_SAMPLE_RATE = env("SENTRY_TRACES_SAMPLE_RATE", default="")  # empty: no performance tracing

import os
import tempfile

from .base import *  # noqa: F401,F403
from .base import BASE_DIR, DATABASES

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Files go to a throwaway folder on disk (sorl copies Oscar's placeholder image there: pitfall P13).
MEDIA_ROOT = tempfile.mkdtemp(prefix="ocop-test-media-")
OCOP_PUBLIC_BASE_URL = "https://ocop.example.vn"
WAGTAILADMIN_BASE_URL = OCOP_PUBLIC_BASE_URL

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # On disk, so pytest --reuse-db keeps the ~320 migrations between runs.
    (BASE_DIR / "var").mkdir(exist_ok=True)
    # TEST_SQLITE_NAME lets two test runs on one machine keep separate files.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("TEST_SQLITE_NAME", str(BASE_DIR / "var" / "test-db.sqlite3"))
    }

VIETQR_BANK_BIN = "970436"
VIETQR_BANK_NAME = "Vietcombank"
VIETQR_ACCOUNT_NUMBER = "0011001234567"
VIETQR_ACCOUNT_NAME = "BAN DIEU PHOI OCOP"
STRIPE_PUBLISHABLE_KEY = ""
STRIPE_SECRET_KEY = ""
STRIPE_WEBHOOK_SECRET = ""

# No worker runs in tests: tasks run in the request, after the commit (tests/integration/tasks/ use the real queues).
OCOP_TASKS_BACKEND = "immediate"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
# Rate limits counted per test, not across the suite (tests/functional/security/ turn them on where they test them).
RATELIMIT_ENABLE = False

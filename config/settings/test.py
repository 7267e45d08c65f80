import tempfile

from .base import *  # noqa: F401,F403

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

from .base import *  # noqa: F401,F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-not-secret-0cop-an-giang")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

# A demonstration account so `make run` shows the VietQR method; set your own in .env.
VIETQR_BANK_BIN = env("VIETQR_BANK_BIN", default="970436")
VIETQR_BANK_NAME = env("VIETQR_BANK_NAME", default="Vietcombank")
VIETQR_ACCOUNT_NUMBER = env("VIETQR_ACCOUNT_NUMBER", default="0011000000000")
VIETQR_ACCOUNT_NAME = env("VIETQR_ACCOUNT_NAME", default="BAN DIEU PHOI OCOP (DEMO)")

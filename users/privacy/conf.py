"""The privacy settings, with their defaults (README: Personal data)."""

from email.utils import parseaddr

from django.conf import settings

# Raised whenever the notice's substance changes: every consent records the version it was given to.
DEFAULT_NOTICE_VERSION = "2026-11"
# Accounting records (Law on Accounting 88/2015/QH13, art. 41): 10 years. After that an order keeps its figures and
# its place (province, commune/ward), not the person.
ACCOUNTING_YEARS = 10
# Law on E-commerce 122/2025/QH15: livestream records (recordings, host identity checks) are kept 3 years.
LIVESTREAM_RECORD_YEARS = 3
# django-axes' records of sign-ins (email typed, IP address): long enough to look into an attack, no longer.
LOGIN_RECORD_DAYS = 30


def notice_version() -> str:
    return getattr(settings, "OCOP_PRIVACY_NOTICE_VERSION", "") or DEFAULT_NOTICE_VERSION


def contact_email(request=None) -> str:
    """Where a person writes to exercise their rights: OCOP_PRIVACY_CONTACT_EMAIL, else the contact email of the
    site's settings (the one the footer shows), else DEFAULT_FROM_EMAIL (the bare address, without a display name)."""
    value = getattr(settings, "OCOP_PRIVACY_CONTACT_EMAIL", "")
    if not value:
        from wagtail.models import Site

        from cms.models import SiteSettings

        site = Site.find_for_request(request) if request is not None else Site.objects.filter(is_default_site=True).first()
        value = SiteSettings.for_site(site).email if site is not None else ""
    value = value or settings.DEFAULT_FROM_EMAIL
    return parseaddr(value)[1] or value

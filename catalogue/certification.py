"""The certification gate: the one definition of "certified", in its three forms.

A certificate is valid on a day when it has 3+ stars, was issued on or before that day, expires on or
after it (``expires_on`` is the last valid day) and has not been revoked. A product is certified when it
(or, for a variant, its parent) holds a valid certificate. ``certificate_valid_q`` is the ORM form used by
querysets; ``certificate_is_valid`` is the Python form used by model methods; ``listing_certified_q`` reads the
same rule from the product's listing columns (catalogue/listing.py keeps them right) for listings, search and
facets at scale. Tests check the three agree.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

MIN_CERTIFIED_STARS = 3


def ocop_today() -> dt.date:
    """Today in Vietnam (settings.TIME_ZONE is Asia/Ho_Chi_Minh), whatever the server's clock zone."""
    return timezone.localdate()


def certificate_valid_q(*, on: dt.date, prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}stars__gte": MIN_CERTIFIED_STARS,
            f"{prefix}issued_on__lte": on,
            f"{prefix}expires_on__gte": on,
            f"{prefix}revoked_on__isnull": True,
        }
    )


def listing_certified_q(*, on: dt.date) -> Q:
    """Products whose listing columns say they are certified on ``on`` (for ``on`` from the last refresh on)."""
    return Q(certified_from__lte=on, certified_until__gte=on)


def certificate_is_valid(certificate, *, on: dt.date) -> bool:
    return (
        certificate.stars >= MIN_CERTIFIED_STARS
        and certificate.revoked_on is None
        and certificate.issued_on <= on <= certificate.expires_on
    )


def default_expiry(issued_on: dt.date) -> dt.date:
    """The last valid day: 36 months after the decision, less one day (issued 15/01/2024 → 14/01/2027)."""
    return add_months(issued_on, settings.OCOP_CERTIFICATE_VALIDITY_MONTHS) - dt.timedelta(days=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's end (31/01 + 1 month → 28 or 29/02)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


class Status(enum.StrEnum):
    CERTIFIED = "certified"
    EXPIRED = "expired"
    REVOKED = "revoked"
    NOT_YET_VALID = "not_yet_valid"
    NONE = "none"

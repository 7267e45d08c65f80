"""Product and certificate querysets. ``certified()`` is the ORM side of the gate (catalogue/certification.py)."""

import datetime as dt

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from oscar.apps.catalogue.managers import ProductQuerySet as OscarProductQuerySet

from .certification import certificate_valid_q, ocop_today


class CertificateQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date | None = None):
        return self.filter(certificate_valid_q(on=day or ocop_today()))

    def expiring_within(self, days: int, *, today: dt.date | None = None):
        """Valid today, last valid day within ``days``, and the product holds no renewal valid beyond that."""
        today = today or ocop_today()
        horizon = today + dt.timedelta(days=days)
        renewed = self.model.objects.valid_on(today).filter(product=OuterRef("product"), expires_on__gt=horizon)
        return self.valid_on(today).filter(expires_on__lte=horizon).exclude(Exists(renewed))

    def expired_awaiting_reevaluation(self, *, today: dt.date | None = None):
        """Expired, not revoked, and the product holds no newer valid certificate."""
        today = today or ocop_today()
        renewed = self.model.objects.valid_on(today).filter(product=OuterRef("product"))
        return self.filter(expires_on__lt=today, revoked_on__isnull=True).exclude(Exists(renewed))

    def current_first(self):
        return self.order_by("-issued_on", "-pk")


class ProductQuerySet(OscarProductQuerySet):
    def certified(self, day: dt.date | None = None):
        """Products holding a valid certificate on ``day`` (a variant counts its parent's)."""
        from .models import Certificate

        valid = Certificate.objects.filter(certificate_valid_q(on=day or ocop_today())).filter(
            Q(product=OuterRef("pk")) | Q(product=OuterRef("parent_id"))
        )
        return self.filter(Exists(valid))

    def with_current_certificates(self, day: dt.date | None = None):
        """Prefetch each product's valid certificates (newest first) so the gate costs no query per product."""
        from .models import Certificate

        valid = Certificate.objects.valid_on(day).current_first()
        return self.prefetch_related(Prefetch("certificates", queryset=valid, to_attr="prefetched_valid_certificates"))

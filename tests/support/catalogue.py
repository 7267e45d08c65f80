"""Builders for tests: products with certificates in a chosen state."""

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone
from oscar.core.loading import get_model

from catalogue.certification import ocop_today
from catalogue.models import Certificate, OcopProductSet, Product, ProductCategory
from catalogue.services import certificate_record

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
_seq = itertools.count(1)


def make_producer(**fields):
    n = next(_seq)
    fields.setdefault("name", f"HTX Thử nghiệm {n}")
    fields.setdefault("code", f"htx-thu-nghiem-{n}")
    fields.setdefault("approved_at", timezone.now())
    return Partner.objects.create(**fields)


def make_product(*, title=None, price=Decimal("120000"), stock=10, group=1, producer=None, is_public=True):
    n = next(_seq)
    product_set = OcopProductSet.objects.filter(group__number=group).order_by("number").first()
    producer = producer or make_producer()
    product = Product.objects.create(
        title=title or f"Sản phẩm thử {n}",
        upc=f"TEST-{n:05d}",
        structure=Product.STANDALONE,
        product_class=product_set.group.product_class,
        ocop_product_set=product_set,
        producer=producer,
        is_public=is_public,
    )
    ProductCategory.objects.create(product=product, category=product_set.category)
    StockRecord.objects.create(
        product=product, partner=producer, partner_sku=product.upc, price_currency="VND", price=price, num_in_stock=stock,
        num_allocated=0,
    )
    return product


def certify(product, *, stars=4, issued_on=None, expires_on=None, revoked=False, **fields):
    today = ocop_today()
    issued_on = issued_on or today - dt.timedelta(days=100)
    certificate = certificate_record(
        product=product,
        decision_number=fields.pop("decision_number", f"{next(_seq)}/QĐ-UBND"),
        issued_on=issued_on,
        stars=stars,
        expires_on=expires_on,
        **fields,
    )
    if revoked:
        certificate.revoked_on, certificate.revocation_reason = today, "Không đạt kiểm tra"
        certificate.save()  # as the staff form does: the save refreshes the product's listing columns
    return certificate


def make_certified_product(**kwargs):
    stars = kwargs.pop("stars", 4)
    product = make_product(**kwargs)
    certify(product, stars=stars)
    return product


def make_programme_staff(django_user_model, email="canbo@example.vn"):
    """Programme staff: staff who may record certificates (the programme screens require it)."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(email=email, password="pw-1234567")
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="catalogue",
                                                          content_type__model="certificate"))
    return user

"""The gate's two forms (queryset and model method) agree at every boundary, and the database refuses what
the rules forbid."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from catalogue.certification import ocop_today
from catalogue.models import Certificate, Product
from tests.support.catalogue import certify, make_product

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 28)


def products_in_every_state():
    """name → product, built around TODAY."""
    states = {}
    states["issued_today"] = make_product(title="issued today")
    certify(states["issued_today"], issued_on=TODAY)
    states["expires_today"] = make_product(title="expires today")
    certify(states["expires_today"], issued_on=TODAY - dt.timedelta(days=400), expires_on=TODAY)
    states["expired_yesterday"] = make_product(title="expired yesterday")
    certify(states["expired_yesterday"], issued_on=TODAY - dt.timedelta(days=400), expires_on=TODAY - dt.timedelta(days=1))
    states["issued_tomorrow"] = make_product(title="issued tomorrow")
    certify(states["issued_tomorrow"], issued_on=TODAY + dt.timedelta(days=1))
    states["revoked"] = make_product(title="revoked")
    certify(states["revoked"], issued_on=TODAY - dt.timedelta(days=10), revoked=True)
    states["renewed"] = make_product(title="renewed")
    certify(states["renewed"], issued_on=TODAY - dt.timedelta(days=1200), expires_on=TODAY - dt.timedelta(days=105))
    certify(states["renewed"], issued_on=TODAY - dt.timedelta(days=100), stars=5)
    states["none"] = make_product(title="no certificate")
    return states


EXPECTED = {
    "issued_today": True,
    "expires_today": True,
    "expired_yesterday": False,
    "issued_tomorrow": False,
    "revoked": False,
    "renewed": True,
    "none": False,
}


def test_queryset_and_model_agree_at_each_boundary():
    states = products_in_every_state()
    certified_ids = set(Product.objects.certified(TODAY).values_list("pk", flat=True))
    for name, product in states.items():
        product = Product.objects.get(pk=product.pk)
        assert product.is_certified(TODAY) is EXPECTED[name], name
        assert (product.pk in certified_ids) is EXPECTED[name], name


def test_renewed_product_uses_its_newest_valid_certificate():
    states = products_in_every_state()
    assert states["renewed"].current_certificate(TODAY).stars == 5


def test_status_tells_why_a_product_is_not_for_sale():
    states = products_in_every_state()
    assert states["expired_yesterday"].certification_status(TODAY)[0] == "expired"
    assert states["revoked"].certification_status(TODAY)[0] == "revoked"
    assert states["none"].certification_status(TODAY)[0] == "none"
    assert states["issued_tomorrow"].certification_status(TODAY)[0] == "not_yet_valid"


def test_variant_counts_its_parents_certificate():
    parent = make_product(title="parent")
    parent.structure = Product.PARENT
    parent.save()
    child = Product.objects.create(title="child 500g", structure=Product.CHILD, parent=parent)
    assert not Product.objects.certified().filter(pk=child.pk).exists()
    certify(parent)
    assert Product.objects.certified().filter(pk=child.pk).exists()
    assert Product.objects.get(pk=child.pk).is_certified()


def test_today_is_vietnam_time_whatever_the_server_clock(monkeypatch):
    # 18:00 UTC on 14 January is already 01:00 on 15 January in Ho Chi Minh City.
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2027, 1, 14, 18, 0, tzinfo=dt.UTC))
    assert ocop_today() == dt.date(2027, 1, 15)
    product = make_product()
    certify(product, issued_on=dt.date(2024, 1, 15))  # last valid day 14/01/2027
    assert not Product.objects.certified().filter(pk=product.pk).exists()
    assert Product.objects.get(pk=product.pk).is_certified() is False


@pytest.mark.parametrize(
    "fields",
    [
        {"stars": 2},
        {"stars": 6},
        {"expires_on": dt.date(2024, 1, 1)},  # before the issue date
        {"score": 120},
        {"revoked_on": dt.date(2026, 1, 1), "revocation_reason": ""},
    ],
)
def test_database_rejects_what_the_rules_forbid(fields):
    product = make_product()
    row = {"product": product, "decision_number": "1/QĐ-UBND", "issued_on": dt.date(2025, 1, 2), "stars": 4, **fields}
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(**row)


def test_database_rejects_the_same_decision_twice_for_a_product():
    product = make_product()
    certify(product, decision_number="86/QĐ-UBND")
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(product=product, decision_number="86/QĐ-UBND", issued_on=dt.date(2025, 1, 2), stars=3)


def test_verification_codes_are_url_safe_and_unique():
    product = make_product()
    codes = {certify(product).verification_code for _ in range(20)}
    assert len(codes) == 20
    assert all(code.replace("-", "").replace("_", "").isalnum() for code in codes)


def test_expiring_list_leaves_out_products_already_renewed():
    today = ocop_today()
    waiting = make_product()
    soon = certify(waiting, issued_on=today - dt.timedelta(days=1000), expires_on=today + dt.timedelta(days=20))
    renewed = make_product()
    old = certify(renewed, issued_on=today - dt.timedelta(days=1000), expires_on=today + dt.timedelta(days=20))
    certify(renewed, issued_on=today - dt.timedelta(days=5))
    expiring = set(Certificate.objects.expiring_within(90))
    assert soon in expiring and old not in expiring

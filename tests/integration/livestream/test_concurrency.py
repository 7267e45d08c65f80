"""Live-price quantity limits under real concurrency on PostgreSQL (Oscar's own usage counter is an unlocked
read-modify-save; ours counts claims under a row lock of the featured product)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from livestream.models import LivePriceClaim
from shop.checkout.services import CheckoutRefused
from tests.integration.checkout.test_concurrency import run_together
from tests.support.catalogue import make_certified_product
from tests.support.checkout import service_basket, service_place
from tests.support.livestream import make_host, make_session, take_live

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reference_data(transactional_db):
    call_command("seed_reference_data", verbosity=0)  # transactional tests empty the tables afterwards


def on_air(django_user_model, product, **limits):
    start = timezone.now() - dt.timedelta(minutes=5)
    session = make_session(host=make_host(django_user_model), start=start, minutes=120,
                           products=[(product, Decimal("159000"), limits.get("total"), limits.get("each"))])
    take_live(session, at=start)
    return session


def test_six_buyers_for_three_live_price_units_never_oversell_the_limit(reference_data, django_user_model):
    assert connection.vendor == "postgresql"
    rice = make_certified_product(title="Gạo Nàng Nhen", price=Decimal("200000"), stock=50)
    on_air(django_user_model, rice, total=3)
    baskets = [service_basket([(rice, 1)]) for _ in range(6)]

    results = run_together([
        lambda b=b, i=i: service_place(b, email=f"khach{i}@example.vn", phone=f"+8491200000{i}")
        for i, b in enumerate(baskets)
    ])

    placed = [r for kind, r in results if kind == "ok"]
    refused = [r for kind, r in results if kind == "error"]
    assert len(placed) == 3 and len(refused) == 3, results
    assert all(isinstance(r, CheckoutRefused) and "chỉ còn 0 suất" in str(r) for r in refused), refused
    assert sum(LivePriceClaim.objects.values_list("quantity", flat=True)) == 3
    assert all(order.total_incl_tax - order.shipping_incl_tax == Decimal("159000") for order in placed)


def test_one_guest_racing_with_two_baskets_gets_the_per_customer_limit_once(reference_data, django_user_model):
    rice = make_certified_product(title="Gạo Nàng Nhen", price=Decimal("200000"), stock=50)
    on_air(django_user_model, rice, each=2)
    baskets = [service_basket([(rice, 2)]) for _ in range(2)]

    results = run_together([
        lambda b=b: service_place(b, email="lan@example.vn", phone="+84912000001") for b in baskets
    ])

    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    assert sum(LivePriceClaim.objects.values_list("quantity", flat=True)) == 2

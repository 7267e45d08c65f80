"""Live-price offers cost a basket page nothing unless the basket holds their product (shop/offer/applicator.py),
and still apply when it does."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.support.catalogue import make_certified_product
from tests.support.livestream import make_host, make_session, take_live

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached")]


def _on_air(django_user_model, count):
    products = [make_certified_product(title=f"Sản phẩm live {count}-{n}", stock=50, price=Decimal(100_000))
                for n in range(count)]
    session = make_session(host=make_host(django_user_model), products=[(p, Decimal(80_000)) for p in products])
    take_live(session)
    return session, products


def _basket_page_queries(client) -> int:
    client.get("/shop/basket/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/shop/basket/").status_code == 200
    return len(queries)


def test_a_basket_page_costs_the_same_with_1_or_8_live_offers_on_air(django_user_model):
    shopper = django_user_model.objects.create_user(email="an@example.vn", password="mat-khau-dai-123")
    client = Client()
    client.force_login(shopper)
    for product in (make_certified_product(), make_certified_product()):
        client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})
    counts = []
    for count in (1, 8):
        session, _products = _on_air(django_user_model, count)
        with time_machine.travel(session.scheduled_start + dt.timedelta(minutes=5), tick=False):
            counts.append(_basket_page_queries(client))
    assert counts[0] == counts[1], counts


def test_the_live_price_still_applies_to_its_product_in_the_basket(django_user_model):
    session, products = _on_air(django_user_model, 3)
    with time_machine.travel(session.scheduled_start + dt.timedelta(minutes=5), tick=False):
        client = Client()
        client.post(f"/shop/basket/add/{products[1].pk}/", {"quantity": 2})
        basket = client.get("/shop/basket/").context["basket"]
        assert basket.total_excl_tax == Decimal(160_000)

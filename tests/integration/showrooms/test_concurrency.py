"""Shelf stock under real concurrency on PostgreSQL: each thread has its own connection and transaction."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum

from shop.checkout.services import CheckoutRefused
from showrooms.models import ShelfStock, StockMovement
from showrooms.services import ShelfRefused, shelf_receive, shelf_sell, shelf_transfer
from tests.integration.checkout.test_concurrency import run_together
from tests.support.catalogue import make_certified_product
from tests.support.checkout import service_basket, service_place
from tests.support.showrooms import make_clerk, make_showroom, stock_shelf

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reference_data(transactional_db):
    call_command("seed_reference_data", verbosity=0)  # transactional tests empty the tables afterwards


def level(showroom, product):
    return ShelfStock.objects.get(showroom=showroom, product=product)


def movement_sum(showroom, product):
    return StockMovement.objects.filter(showroom=showroom, product=product).aggregate(s=Sum("delta"))["s"] or 0


def test_clerks_adding_at_once_lose_nothing(reference_data, django_user_model):
    assert connection.vendor == "postgresql"
    showroom, product = make_showroom(), make_certified_product()
    clerks = [make_clerk(django_user_model, showroom) for _ in range(8)]

    results = run_together(
        [lambda c=c: shelf_receive(showroom=showroom, product=product, quantity=3, actor=c) for c in clerks]
    )

    assert [kind for kind, _ in results] == ["ok"] * 8, results
    assert level(showroom, product).quantity == 24 == movement_sum(showroom, product)
    balances = sorted(StockMovement.objects.filter(showroom=showroom).values_list("balance", flat=True))
    assert balances == [3, 6, 9, 12, 15, 18, 21, 24]  # each saw the level the one before left


def test_selling_the_last_units_at_once_never_goes_below_zero(reference_data, django_user_model):
    showroom, product = make_showroom(), make_certified_product()
    clerks = [make_clerk(django_user_model, showroom) for _ in range(6)]
    stock_shelf(showroom, product, 4)

    results = run_together(
        [lambda c=c: shelf_sell(showroom=showroom, product=product, quantity=1, actor=c) for c in clerks]
    )

    kinds = sorted(kind for kind, _ in results)
    assert kinds == ["error"] * 2 + ["ok"] * 4, results
    assert all(isinstance(r, ShelfRefused) for kind, r in results if kind == "error")
    assert level(showroom, product).quantity == 0 == movement_sum(showroom, product)


def test_opposite_transfers_do_not_deadlock(reference_data, django_user_model):
    a, b = make_showroom(), make_showroom()
    product = make_certified_product()
    clerk = make_clerk(django_user_model, a, b)
    stock_shelf(a, product, 5)
    stock_shelf(b, product, 5)

    results = run_together(
        [lambda: shelf_transfer(source=a, destination=b, product=product, quantity=2, actor=clerk),
         lambda: shelf_transfer(source=b, destination=a, product=product, quantity=3, actor=clerk)]
    )

    assert [kind for kind, _ in results] == ["ok", "ok"], results
    assert (level(a, product).quantity, level(b, product).quantity) == (6, 4)
    assert movement_sum(a, product) == 6 and movement_sum(b, product) == 4


def test_two_shoppers_picking_up_the_last_unit_place_one_order(reference_data):
    showroom, product = make_showroom(), make_certified_product(title="Khô cá lóc hộp cuối")
    stock_shelf(showroom, product, 1)
    baskets = [service_basket([(product, 1)]) for _ in range(4)]

    results = run_together([lambda b=b: service_place(b, pickup_showroom=showroom) for b in baskets])

    placed = [r for kind, r in results if kind == "ok"]
    refused = [r for kind, r in results if kind == "error"]
    assert len(placed) == 1 and len(refused) == 3, results
    assert all(isinstance(r, CheckoutRefused) for r in refused), refused
    shelf = level(showroom, product)
    assert (shelf.quantity, shelf.reserved) == (1, 1)

"""Shelf stock under real concurrency on PostgreSQL: each thread has its own connection and transaction."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum

from shop.checkout.services import CheckoutRefused
from showrooms.models import ShelfStock, StockMovement
from showrooms.services import ShelfRefused, shelf_receive, shelf_sell, shelf_transfer
from tests.integration.checkout.test_concurrency import run_together
from tests.support.catalogue import make_certified_product, make_producer
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


def test_cancelling_a_pickup_order_while_another_is_placed_does_not_deadlock(reference_data, monkeypatch):
    """The cancel releases its parts one by one; a checkout locks the same shelf rows in primary-key order. The
    cancel must lock them all first, in that order, or the two wait on each other."""
    import threading
    import time

    import showrooms.services as shelf_services
    from django.db import connections

    from shop.fulfilment.services import order_cancel

    showroom = make_showroom()
    first = make_certified_product(producer=make_producer())
    second = make_certified_product(producer=make_producer())
    stock_shelf(showroom, second, 5)  # the second product's shelf row gets the lower primary key
    stock_shelf(showroom, first, 5)
    order = service_place(service_basket([(first, 1), (second, 1)]), pickup_showroom=showroom)
    other_basket = service_basket([(first, 1), (second, 1)])
    release, calls = shelf_services.pickup_release, []

    def slow_release(**kwargs):  # hold the first part's row while the checkout arrives
        release(**kwargs)
        calls.append(1)
        if len(calls) == 1:
            time.sleep(1.0)

    monkeypatch.setattr(shelf_services, "pickup_release", slow_release)
    outcome = {}

    def cancel():
        try:
            order_cancel(order=order, reason="Khách đổi ý")
            outcome["cancel"] = "ok"
        except Exception as error:  # noqa: BLE001 - the outcome is what the test inspects
            outcome["cancel"] = repr(error)
        finally:
            connections.close_all()

    def place():
        time.sleep(0.3)
        try:
            service_place(other_basket, pickup_showroom=showroom)
            outcome["place"] = "ok"
        except Exception as error:  # noqa: BLE001
            outcome["place"] = repr(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cancel), threading.Thread(target=place)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcome == {"cancel": "ok", "place": "ok"}
    assert [level(showroom, p).reserved for p in (first, second)] == [1, 1]


def test_the_same_transfer_sent_twice_at_once_moves_once(reference_data, django_user_model):
    a, b = make_showroom(), make_showroom()
    product = make_certified_product()
    clerk = make_clerk(django_user_model, a, b)
    stock_shelf(a, product, 5)

    results = run_together(
        [lambda: shelf_transfer(source=a, destination=b, product=product, quantity=2, actor=clerk, request_key="tap")]
        * 2
    )

    assert [kind for kind, _ in results] == ["ok", "ok"], results
    assert results[0][1][0].pk == results[1][1][0].pk
    assert (level(a, product).quantity, level(b, product).quantity) == (3, 2)

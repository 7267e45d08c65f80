"""Stock never oversells: real concurrent checkouts on PostgreSQL, each thread with its own connection."""

import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, connections
from oscar.core.loading import get_model

from shop.checkout.services import CheckoutRefused
from shop.fulfilment.models import FulfilmentPart
from shop.fulfilment.services import part_cancel
from tests.support.catalogue import make_certified_product, make_producer
from tests.support.checkout import a_commune, service_basket, service_place

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")


@pytest.fixture
def reference_data(transactional_db):
    call_command("seed_reference_data", verbosity=0)  # transactional tests empty the tables afterwards


def run_together(functions):
    """Start every function at the same moment on its own thread (and database connection); collect outcomes."""
    barrier = threading.Barrier(len(functions))
    results = [None] * len(functions)

    def worker(i, fn):
        try:
            barrier.wait()
            results[i] = ("ok", fn())
        except Exception as error:  # noqa: BLE001 - the outcome is what the test inspects
            results[i] = ("error", error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, fn)) for i, fn in enumerate(functions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_last_unit_eight_buyers_exactly_one_order(reference_data):
    assert connection.vendor == "postgresql"
    product = make_certified_product(title="Mắm thái hũ cuối cùng", stock=1, price=Decimal("90000"),
                                     producer=make_producer(area=a_commune()))
    baskets = [service_basket([(product, 1)]) for _ in range(8)]

    results = run_together([lambda b=b: service_place(b) for b in baskets])

    placed = [r for kind, r in results if kind == "ok"]
    refused = [r for kind, r in results if kind == "error"]
    assert len(placed) == 1 and len(refused) == 7
    assert all(isinstance(r, CheckoutRefused) for r in refused), refused
    assert all("“Mắm thái hũ cuối cùng” đã hết hàng." in r.messages for r in refused)
    record = StockRecord.objects.get(product=product)
    assert (record.num_in_stock, record.num_allocated) == (1, 1)
    assert Order.objects.count() == 1


def test_opposite_order_baskets_do_not_deadlock_and_are_all_or_nothing(reference_data):
    producer = make_producer(area=a_commune())
    rice = make_certified_product(title="Gạo nàng Nhen", stock=1, producer=producer)
    sugar = make_certified_product(title="Đường thốt nốt", stock=1, producer=producer)
    first = service_basket([(rice, 1), (sugar, 1)])
    second = service_basket([(sugar, 1), (rice, 1)])

    results = run_together([lambda: service_place(first), lambda: service_place(second)])

    kinds = sorted(kind for kind, _ in results)
    assert kinds == ["error", "ok"], results  # one wins both units, the other gets neither (no deadlock error)
    loser = next(r for kind, r in results if kind == "error")
    assert isinstance(loser, CheckoutRefused)
    for product in (rice, sugar):
        record = StockRecord.objects.get(product=product)
        assert record.num_allocated == 1
    order = Order.objects.get()
    assert order.lines.count() == 2


def test_same_checkout_submitted_twice_at_once_places_one_order(reference_data):
    product = make_certified_product(stock=5, producer=make_producer(area=a_commune()))
    basket = service_basket([(product, 2)])

    results = run_together([lambda: service_place(basket, token="same-click"), lambda: service_place(basket, token="same-click")])

    assert [kind for kind, _ in results] == ["ok", "ok"], results
    assert results[0][1].pk == results[1][1].pk
    assert Order.objects.count() == 1
    assert StockRecord.objects.get(product=product).num_allocated == 2


def test_two_people_cancelling_at_once_release_stock_once(reference_data):
    product = make_certified_product(stock=5, producer=make_producer(area=a_commune()))
    order = service_place(service_basket([(product, 3)]))
    part_id = order.parts.get().pk

    results = run_together([lambda: part_cancel(part=FulfilmentPart.objects.get(pk=part_id), reason="khách huỷ")] * 2)

    assert [kind for kind, _ in results] == ["ok", "ok"], results
    record = StockRecord.objects.get(product=product)
    assert (record.num_in_stock, record.num_allocated) == (5, 0)
    assert FulfilmentPart.objects.get(pk=part_id).events.filter(status="cancelled").count() == 1


def test_the_database_refuses_an_allocation_beyond_stock(reference_data):
    from django.db import IntegrityError, transaction

    product = make_certified_product(stock=2, producer=make_producer(area=a_commune()))
    record = StockRecord.objects.get(product=product)
    with pytest.raises(IntegrityError), transaction.atomic():
        record.allocate(3)  # Oscar's own F() update, with no check of ours in front of it
    record.refresh_from_db()
    assert record.num_allocated == 0

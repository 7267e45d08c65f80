"""The database connection dropped in the middle of checkout (PostgreSQL: the checkout's own backend terminated
from another connection, as a failover, a restart or an operator's pg_terminate_backend does).

At each of the worst moments of order placement (stock rows locked; order row inserted; every row written,
payment included; the COMMIT itself) the order is all or nothing: no order, lines, parts, payment or ledger row,
stock as it was, no email, no notice, no card payment started at Stripe, and the basket still open with its lines.
After Django reconnects, the same checkout submitted again places exactly one order, and a card order's only
PaymentIntent is the one for that order."""

from __future__ import annotations

import time
import uuid
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import Error as DatabaseFailure
from django.db import close_old_connections, connection, connections
from django.test import Client
from oscar.core.loading import get_model

from reports.models import Sale
from shop.checkout import services
from shop.fulfilment.models import FulfilmentPart, OrderDelivery
from shop.listings.models import ProducerNotice
from shop.payments.models import Payment
from shop.payments.stripe_flow import stripe_intent_ensure
from tests.integration.payments.conftest import PUBLISHABLE_KEY, SECRET_KEY, FakeStripe, fake_stripe_install
from tests.support.catalogue import make_certified_product, make_producer
from tests.support.checkout import a_commune, basket_add, checkout_form, service_basket, service_place

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
Basket = get_model("basket", "Basket")
Line = get_model("order", "Line")
Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")


@pytest.fixture
def reference_data(transactional_db):
    call_command("seed_reference_data", verbosity=0)  # transactional tests empty the tables afterwards


@pytest.fixture
def stripe_calls(settings, monkeypatch) -> FakeStripe:
    """Card payments offered, and Stripe's HTTP API replaced by a recorder (tests/integration/payments)."""
    settings.STRIPE_SECRET_KEY, settings.STRIPE_PUBLISHABLE_KEY = SECRET_KEY, PUBLISHABLE_KEY
    settings.STRIPE_API_BASE = ""
    return fake_stripe_install(monkeypatch)


@pytest.fixture
def products(reference_data):
    area = a_commune()
    return (
        make_certified_product(title="Mắm cá linh", price=Decimal("120000"), stock=5,
                               producer=make_producer(name="HTX Mắm Châu Đốc", area=area)),
        make_certified_product(title="Khô cá lóc", price=Decimal("180000"), stock=5,
                               producer=make_producer(name="Cơ sở Khô Cá Lóc Tri Tôn", area=area)),
    )


# ---------------------------------------------------------------- the fault
def terminate_own_backend() -> int:
    """End this connection's PostgreSQL backend from a second connection, and wait until it is gone."""
    pid = connection.connection.info.backend_pid
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone()[0] is True
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone()[0] == 0:
                    return pid
                time.sleep(0.02)
    finally:
        other.close()
    raise AssertionError(f"backend {pid} still there")


class Kill:
    """Armed once: the first time placement reaches the chosen moment, its backend is terminated."""

    def __init__(self):
        self.armed = True
        self.killed: list[int] = []

    def __call__(self):
        if self.armed:
            self.armed = False
            self.killed.append(terminate_own_backend())


def _after(original, kill):
    def wrapper(*args, **kwargs):
        result = original(*args, **kwargs)
        kill()
        return result

    return wrapper


def kill_at(moment: str, monkeypatch) -> Kill:
    kill = Kill()
    if moment == "stock locked":  # the basket's stock rows are locked FOR UPDATE, nothing written yet
        monkeypatch.setattr(services, "stock_lock", _after(services.stock_lock, kill))
    elif moment == "order inserted":  # the order row is in, its lines and allocations not yet
        monkeypatch.setattr(services.OrderCreator, "create_order_model",
                            _after(services.OrderCreator.create_order_model, kill))
    elif moment == "payment written":  # order, lines, allocations, parts, delivery, payment: all written
        monkeypatch.setattr(services, "payment_create", _after(services.payment_create, kill))
    elif moment == "commit":  # the transaction's COMMIT is what fails
        original_commit = connection.commit

        def commit():
            kill()
            return original_commit()

        monkeypatch.setattr(connection, "commit", commit)
    else:  # pragma: no cover
        raise ValueError(moment)
    return kill


MOMENTS = ["stock locked", "order inserted", "payment written", "commit"]


# ---------------------------------------------------------------- what must hold
def snapshot(products) -> dict:
    return {
        "orders": Order.objects.count(),
        "lines": Line.objects.count(),
        "parts": FulfilmentPart.objects.count(),
        "deliveries": OrderDelivery.objects.count(),
        "payments": Payment.objects.count(),
        "ledger": Sale.objects.count(),
        "notices": ProducerNotice.objects.count(),
        "stock": [tuple(StockRecord.objects.filter(product=p).values_list("num_in_stock", "num_allocated").get())
                  for p in products],
    }


def basket_state(basket) -> tuple:
    basket = Basket.objects.get(pk=basket.pk)
    return basket.status, sorted(basket.lines.values_list("product_id", "quantity"))


def reconnect() -> None:
    """What Django does at the end of the failed request: a connection that errored and no longer answers is
    closed; the next query opens a new one."""
    close_old_connections()
    assert connection.connection is None, "the dead connection was closed"


@pytest.fixture(autouse=True)
def _closed_after():
    yield
    connection.close()  # the test database is emptied through a working connection


@pytest.mark.parametrize("method", ["cod", "stripe"])
def test_a_dropped_connection_places_nothing_and_the_same_checkout_then_places_one_order(
    products, stripe_calls, monkeypatch, method
):
    fish_sauce, dried_fish = products
    basket = service_basket([(fish_sauce, 2), (dried_fish, 1)])
    before, basket_before = snapshot(products), basket_state(basket)
    assert basket_before[0] == Basket.OPEN
    token = uuid.uuid4().hex

    for moment in MOMENTS:  # one after the other, on the same basket: each leaves it as it was
        with monkeypatch.context() as patch:
            kill = kill_at(moment, patch)
            with pytest.raises(DatabaseFailure):
                service_place(basket, method=method, token=token)
        assert kill.killed, f"{moment}: placement reached the moment and lost its connection there"
        reconnect()
        assert snapshot(products) == before, f"{moment}: nothing of the order was kept"
        assert basket_state(basket) == basket_before, f"{moment}: the basket is open with its lines"
        assert mail.outbox == [], f"{moment}: no email for an order that does not exist"
        assert stripe_calls.calls == [], f"{moment}: no card payment started"
        assert services.order_for_token(token) is None

    order = service_place(basket, method=method, token=token)  # the shopper submits the same checkout again
    assert Order.objects.filter(basket_id=basket.pk).count() == 1 == Order.objects.count()
    assert sorted(order.lines.values_list("product__title", "quantity")) == [("Khô cá lóc", 1), ("Mắm cá linh", 2)]
    assert [n for _s, n in snapshot(products)["stock"]] == [2, 1]
    assert Payment.objects.get().order == order and order.ocop_payment.method == method
    assert order.parts.count() == 2
    assert basket_state(basket)[0] == Basket.SUBMITTED
    assert len(mail.outbox) == 1 and str(order.number) in mail.outbox[0].subject
    assert service_place(basket, method=method, token=token) == order, "and again: still the one order"
    if method == "stripe":
        intent = stripe_intent_ensure(payment=order.ocop_payment)  # the card step
        assert len(stripe_calls.intent_creates) == 1
        created = stripe_calls.intent_creates[0]
        assert created.params["metadata[order_number]"] == str(order.number)
        assert created.params["amount"] == str(int(order.total_incl_tax))
        assert Payment.objects.get().provider_id == intent["id"]


def test_through_the_checkout_page_the_shopper_gets_an_error_then_orders_once(products, monkeypatch):
    fish_sauce, _dried_fish = products
    client = Client(raise_request_exception=False)  # the shopper sees the error page, as in production
    basket_add(client, fish_sauce, 2)
    data = checkout_form(client)
    before = snapshot(products)

    for moment in ("order inserted", "commit"):
        with monkeypatch.context() as patch:
            kill = kill_at(moment, patch)
            failed = client.post("/shop/checkout/", data)
        assert kill.killed and failed.status_code == 500, moment
        # the request's end closed the dead connection (request_finished → close_old_connections)
        assert snapshot(products) == before and mail.outbox == [], moment
        basket_page = client.get("/shop/basket/")
        assert basket_page.status_code == 200 and "Mắm cá linh" in basket_page.content.decode(), moment

    placed = client.post("/shop/checkout/", data)  # the same form, sent again
    assert placed.status_code == 302 and placed["Location"].endswith("/shop/checkout/thank-you/")
    order = Order.objects.get()
    assert order.lines.get().quantity == 2
    assert StockRecord.objects.get(product=fish_sauce).num_allocated == 2
    assert order.number in client.get(placed["Location"]).content.decode()
    assert client.post("/shop/checkout/", data).status_code == 302 and Order.objects.count() == 1
    assert len(mail.outbox) == 1

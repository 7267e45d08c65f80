"""A card payment end to end: the real stripe-python client, localstripe as Stripe, and the app serving Stripe's
webhook on a live server. Nothing is stubbed between the card page and the paid order.

localstripe (tests/support/localstripe.py) holds the PaymentIntent the card page creates; the test then does what
Stripe.js does in the shopper's browser (a PaymentMethod for the test card 4242 4242 4242 4242, attached to the
intent, then confirmed); localstripe POSTs payment_intent.succeeded, signed, to the live server about a second later.

The live server needs committed data, so this test is transactional: Django empties every table after it. The
module fixture below puts every row back (reference data, and the rows migrations created, like Wagtail's groups),
so tests that run after it in this session, or in the next session with --reuse-db, find the database as it was.
"""

import time
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from reports.models import Sale
from shop.fulfilment.models import FulfilmentPart
from shop.payments.models import Payment, WebhookEvent
from tests.support.catalogue import make_certified_product, make_producer
from tests.support.checkout import a_commune, basket_add, last_order, place
from tests.support.localstripe import localstripe_url, register_webhook, stripe_pointed_at  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WEBHOOK_SECRET = "whsec_localstripe_e2e"
CARD = "/shop/checkout/card/"


@pytest.fixture(scope="module", autouse=True)
def database_as_it_was_afterwards(django_db_setup, django_db_blocker):
    """Snapshot the committed database before the test; put it back after the flush that ends it.

    serialized_rollback=True makes that flush leave the tables empty (no post_migrate rows, so no clash on the
    way back). The snapshot replaces the one pytest-django took when it created the database: that one predates
    the reference data the session fixture adds (it would clash with Wagtail's site), so it is put back as found.
    """
    with django_db_blocker.unblock():
        snapshot = connection.creation.serialize_db_to_string()
    missing = object()
    previous = getattr(connection, "_test_serialized_contents", missing)
    connection._test_serialized_contents = snapshot
    yield
    with django_db_blocker.unblock():
        connection.creation.deserialize_db_from_string(snapshot)
        call_command("seed_reference_data", verbosity=0)
    if previous is missing:
        del connection._test_serialized_contents
    else:
        connection._test_serialized_contents = previous


@pytest.fixture
def reference_data(transactional_db):
    """An earlier transactional test (e.g. the browser tests) may have emptied the tables: seed them (idempotent)."""
    call_command("seed_reference_data", verbosity=0)


@pytest.fixture
def stripe_at_localstripe(settings, localstripe_url, live_server):  # noqa: F811
    settings.STRIPE_API_BASE = localstripe_url
    settings.STRIPE_SECRET_KEY = "sk_test_localstripe"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_localstripe"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    register_webhook(localstripe_url, live_server.url + "/payments/stripe/webhook/", WEBHOOK_SECRET)
    return localstripe_url


def wait_for(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def test_card_payment_through_localstripe_marks_the_order_paid(client, reference_data, stripe_at_localstripe):
    area = a_commune()
    fish_sauce = make_certified_product(
        title="Mắm cá linh", price=Decimal("120000"), stock=5,
        producer=make_producer(name="HTX Mắm Châu Đốc", area=area),
    )
    dried_fish = make_certified_product(
        title="Khô cá lóc", price=Decimal("180000"), stock=5,
        producer=make_producer(name="Cơ sở Khô Cá Lóc Tri Tôn", area=area),
    )
    basket_add(client, fish_sauce, 2)
    basket_add(client, dried_fish, 1)
    response, _ = place(client, payment_method="stripe")
    assert response.status_code == 302 and response["Location"].endswith(CARD)
    order = last_order()
    assert order.total_incl_tax == Decimal(460000)  # 240.000 + 180.000 ₫ of goods, 2 × 20.000 ₫ shipping

    card_page = client.get(CARD)  # creates the PaymentIntent at localstripe
    assert card_page.status_code == 200
    payment = Payment.objects.get(order=order)
    assert payment.provider_id.startswith("pi_") and payment.client_secret in card_page.content.decode()

    # What Stripe.js does in the browser when the shopper pays with the test Visa card
    with stripe_pointed_at(stripe_at_localstripe) as stripe_api:
        intent = stripe_api.v1.payment_intents.retrieve(payment.provider_id)
        assert (intent.amount, intent.currency) == (460000, "vnd")  # whole dong, never × 100
        assert intent.metadata["order_number"] == order.number
        card = stripe_api.v1.payment_methods.create(
            params={"type": "card", "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2030,
                                             "cvc": "123"}}
        )
        # localstripe cannot confirm(payment_method=...): attach the card first, then confirm
        stripe_api.v1.payment_intents.update(payment.provider_id, params={"payment_method": card.id})
        confirmed = stripe_api.v1.payment_intents.confirm(payment.provider_id)
        assert confirmed.status == "succeeded"

    # localstripe sends payment_intent.succeeded to the live server about a second later
    assert wait_for(lambda: Payment.objects.get(pk=payment.pk).status == Payment.Status.PAID), (
        f"not paid; webhook events seen: {list(WebhookEvent.objects.values_list('type', 'outcome'))}"
    )

    payment.refresh_from_db()
    assert payment.amount_captured == Decimal(460000) and payment.paid_at is not None
    assert WebhookEvent.objects.get().outcome == "paid"
    assert set(order.parts.values_list("status", flat=True)) == {FulfilmentPart.Status.CONFIRMED}
    order.refresh_from_db()
    assert order.status == "processing"
    ledger = Sale.objects.filter(order_line__order=order, kind=Sale.Kind.SALE)
    assert ledger.count() == order.lines.count() == 2
    assert sorted(ledger.values_list("amount", flat=True)) == [Decimal(180000), Decimal(240000)]
    assert wait_for(lambda: any(m.subject.startswith("Đã nhận thanh toán") for m in mail.outbox), timeout=2)
    assert client.get(CARD)["Location"].endswith("/shop/checkout/thank-you/")  # nothing left to pay

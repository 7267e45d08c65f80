"""Card payments by Stripe, with Stripe's HTTP API stubbed (tests/integration/payments/conftest.py: fake_stripe).

Orders are placed through the real checkout; Stripe's notices reach POST /payments/stripe/webhook/ signed here the
way Stripe signs them (Stripe-Signature: t=<unix time>,v1=HMAC-SHA256(secret, "<t>.<body>")). What is checked is
what the shopper, the producers and the programme would notice: is the order paid, are the parts confirmed, how
many lines reached the sales ledger, how much money went back and under which idempotency key.
"""

import datetime as dt
import hashlib
import hmac
import itertools
import json
import logging
import time
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from reports.models import Sale
from shop.fulfilment.models import FulfilmentPart
from shop.payments.models import Payment, Refund, WebhookEvent
from shop.payments.services import payments_expire_unpaid
from tests.support.catalogue import make_certified_product, make_producer
from tests.support.checkout import a_commune, basket_add, committed, last_order, place

pytestmark = pytest.mark.django_db
StockRecord = get_model("partner", "StockRecord")

WEBHOOK = "/payments/stripe/webhook/"
CARD = "/shop/checkout/card/"
_event_ids = itertools.count(1)


# ---------------------------------------------------------------- helpers
def signature(payload: str, secret: str | None = None, timestamp: int | None = None) -> str:
    """The Stripe-Signature header Stripe would send for this exact body (by default with the configured secret)."""
    secret = settings.STRIPE_WEBHOOK_SECRET if secret is None else secret
    t = int(time.time()) if timestamp is None else timestamp
    v1 = hmac.new(secret.encode(), f"{t}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={t},v1={v1}"


def intent_event(payment, type="payment_intent.succeeded", *, event_id=None, amount=None, currency="vnd",
                 intent_id=None, order_number=None) -> dict:
    """A Stripe event about the order's PaymentIntent, shaped like the ones Stripe sends (API 2025)."""
    amount = int(payment.amount) if amount is None else amount
    succeeded = type == "payment_intent.succeeded"
    return {
        "id": event_id or f"evt_test_{next(_event_ids)}",
        "object": "event",
        "api_version": "2025-08-27.basil",
        "created": int(time.time()),
        "livemode": False,
        "type": type,
        "data": {
            "object": {
                "id": intent_id or payment.provider_id,
                "object": "payment_intent",
                "amount": amount,
                "amount_received": amount if succeeded else 0,
                "currency": currency,
                "status": "succeeded" if succeeded else "requires_payment_method",
                "metadata": {"order_number": order_number or payment.order.number, "payment_id": str(payment.pk)},
            }
        },
    }


def deliver(client, event, *, secret=None, header=None):
    """POST one event the way Stripe does; on-commit work (emails) runs as after a real commit."""
    payload = event if isinstance(event, str) else json.dumps(event)
    return committed(
        client.post, WEBHOOK, data=payload, content_type="application/json; charset=utf-8",
        HTTP_STRIPE_SIGNATURE=header if header is not None else signature(payload, secret),
    )


def place_card_order(client, *products_and_quantities):
    """Basket → checkout with the card method → the card step (which creates the PaymentIntent)."""
    for product, quantity in products_and_quantities:
        basket_add(client, product, quantity)
    response, _ = place(client, payment_method="stripe")
    assert response.status_code == 302 and response["Location"].endswith(CARD), response
    page = client.get(CARD)
    assert page.status_code == 200
    order = last_order()
    assert order.ocop_payment.provider_id
    return order


def payment_of(order) -> Payment:
    return Payment.objects.get(order=order)


def sales_of(order, kind=Sale.Kind.SALE):
    return Sale.objects.filter(order_line__order=order, kind=kind)


def subjects(prefix: str) -> list[str]:
    return [m.subject for m in mail.outbox if m.subject.startswith(prefix)]


def nothing_paid(order):
    payment = payment_of(order)
    assert payment.status == Payment.Status.PENDING
    assert payment.amount_captured == 0 and payment.paid_at is None
    assert set(order.parts.values_list("status", flat=True)) == {FulfilmentPart.Status.AWAITING_PAYMENT}
    assert not sales_of(order).exists()
    assert not subjects("Đã nhận thanh toán")
    order.refresh_from_db()
    assert order.status == "awaiting_payment"


@pytest.fixture
def rice():
    """One product whose order comes to 250.000 ₫ in An Giang: 230.000 ₫ of goods and 20.000 ₫ shipping."""
    return make_certified_product(
        title="Gạo Nàng Nhen Bảy Núi", price=Decimal("230000"), stock=5,
        producer=make_producer(name="HTX Nông nghiệp Tịnh Biên", area=a_commune()),
    )


@pytest.fixture
def card_order(client, fake_stripe, two_producers):
    """2 × Mắm cá linh (240.000 ₫) and 1 × Khô cá lóc (180.000 ₫), two producers, 2 × 20.000 ₫ shipping."""
    fish_sauce, dried_fish = two_producers
    order = place_card_order(client, (fish_sauce, 2), (dried_fish, 1))
    assert order.total_incl_tax == Decimal(460000)
    return order


def pay(client, order):
    response = deliver(client, intent_event(payment_of(order)))
    assert response.status_code == 200 and response.content == b"paid"
    return payment_of(order)


def staff_client(django_user_model):
    user = django_user_model.objects.create_user(email="dieuphoi@example.vn", password="staff-pass-12345")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    staff = Client()
    staff.force_login(user)
    return staff


def refund_form_key(staff, order, part) -> str:
    """Open the order's payment page as staff; the idempotency key its refund form for `part` carries."""
    page = staff.get(reverse("dashboard:order-payment", kwargs={"number": order.number}))
    assert page.status_code == 200
    key = f"{page.context['refund_key']}-{part.pk}"
    assert f'name="key" value="{key}"' in page.content.decode(), "the page offers no refund form for this part"
    return key


def post_refund(staff, order, part, lines, key, reason="Hàng bị vỡ khi giao"):
    return committed(
        staff.post,
        reverse("dashboard:order-payment", kwargs={"number": order.number}),
        {"action": "refund", "part": part.pk, "lines": [line.pk for line in lines], "key": key, "reason": reason},
        follow=True,
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# ---------------------------------------------------------------- the card step
def test_card_step_creates_one_payment_intent_for_the_total_in_whole_dong(client, fake_stripe, rice):
    order = place_card_order(client, (rice, 1))
    assert order.total_incl_tax == Decimal(250000)

    [create] = fake_stripe.intent_creates
    assert create.params["amount"] == "250000"  # VND is zero-decimal: never 25000000
    assert create.params["currency"] == "vnd"
    assert create.params["metadata[order_number]"] == order.number
    assert create.idempotency_key and order.number in create.idempotency_key
    payment = payment_of(order)
    assert payment.provider_id == "pi_fake1"

    again = client.get(CARD)  # the shopper reloads the card page
    assert again.status_code == 200
    assert len(fake_stripe.intent_creates) == 1
    html = again.content.decode()
    assert payment.client_secret in html and settings.STRIPE_PUBLISHABLE_KEY in html
    assert "250.000\xa0₫" in html


def test_card_method_is_not_offered_without_stripe_keys(client, rice, settings):
    settings.STRIPE_SECRET_KEY = settings.STRIPE_PUBLISHABLE_KEY = ""
    basket_add(client, rice)
    response, _ = place(client, payment_method="stripe")
    assert response.status_code == 400
    assert last_order() is None


# ---------------------------------------------------------------- signatures
def test_forged_signature_is_refused_and_changes_nothing(client, card_order, caplog):
    event = intent_event(payment_of(card_order))
    forged = deliver(client, event, secret="whsec_guessed_by_someone_else")
    unsigned = deliver(client, event, header="")
    garbage = deliver(client, event, header="t=abc,v1=00")

    assert forged.status_code == unsigned.status_code == garbage.status_code == 400
    nothing_paid(card_order)
    assert not WebhookEvent.objects.exists()
    assert "bad payload or signature" in caplog.text


def test_payload_changed_after_signing_is_refused(client, card_order):
    payment = payment_of(card_order)
    genuine = json.dumps(intent_event(payment, "payment_intent.payment_failed"))
    header = signature(genuine)
    # someone replays Stripe's signed "payment failed" notice with the type turned into "succeeded"
    tampered = genuine.replace("payment_intent.payment_failed", "payment_intent.succeeded")
    tampered = tampered.replace('"amount_received": 0', f'"amount_received": {int(payment.amount)}')
    assert tampered != genuine

    response = deliver(client, tampered, header=header)

    assert response.status_code == 400
    nothing_paid(card_order)
    assert not WebhookEvent.objects.exists()


def test_genuine_notice_replayed_long_after_it_was_signed_is_refused(client, card_order):
    payload = json.dumps(intent_event(payment_of(card_order)))
    an_hour_ago = int(time.time()) - 3600

    response = deliver(client, payload, header=signature(payload, timestamp=an_hour_ago))

    assert response.status_code == 400
    nothing_paid(card_order)


def test_webhook_without_a_configured_secret_applies_nothing(client, card_order, settings):
    event = intent_event(payment_of(card_order))
    settings.STRIPE_WEBHOOK_SECRET = ""
    response = deliver(client, event, header=signature(json.dumps(event), secret=""))
    assert response.status_code == 400
    nothing_paid(card_order)


# ---------------------------------------------------------------- payment notices
def test_the_same_succeeded_event_twice_is_applied_once(client, card_order):
    event = intent_event(payment_of(card_order))

    first = deliver(client, event)
    second = deliver(client, event)  # Stripe retries when it did not hear 2xx in time

    assert first.status_code == second.status_code == 200
    assert (first.content, second.content) == (b"paid", b"duplicate")
    payment = payment_of(card_order)
    assert payment.status == Payment.Status.PAID and payment.paid_at is not None
    assert payment.amount_captured == Decimal(460000)  # once, not twice
    assert set(card_order.parts.values_list("status", flat=True)) == {FulfilmentPart.Status.CONFIRMED}
    card_order.refresh_from_db()
    assert card_order.status == "processing"
    ledger = sales_of(card_order)
    assert ledger.count() == card_order.lines.count() == 2  # one row per line
    assert sorted(ledger.values_list("amount", flat=True)) == [Decimal(180000), Decimal(240000)]
    assert len(subjects("Đã nhận thanh toán")) == 1
    assert WebhookEvent.objects.count() == 1


def test_a_second_notice_of_an_already_paid_order_changes_nothing(client, card_order):
    pay(client, card_order)
    again = deliver(client, intent_event(payment_of(card_order)))  # another event id, the same payment
    assert again.status_code == 200 and again.content == b"already"
    assert payment_of(card_order).amount_captured == Decimal(460000)
    assert sales_of(card_order).count() == 2
    assert len(subjects("Đã nhận thanh toán")) == 1


def test_payment_failed_after_succeeded_leaves_the_order_paid(client, card_order):
    pay(client, card_order)

    late_failure = deliver(client, intent_event(payment_of(card_order), "payment_intent.payment_failed"))

    assert late_failure.status_code == 200
    payment = payment_of(card_order)
    assert payment.status == Payment.Status.PAID and payment.amount_captured == Decimal(460000)
    assert set(card_order.parts.values_list("status", flat=True)) == {FulfilmentPart.Status.CONFIRMED}
    assert sales_of(card_order).count() == 2
    assert not sales_of(card_order, Sale.Kind.REVERSAL).exists()


def test_a_declined_card_keeps_the_order_open_for_another_card(client, card_order):
    declined = deliver(client, intent_event(payment_of(card_order), "payment_intent.payment_failed"))
    assert declined.status_code == 200
    nothing_paid(card_order)
    assert StockRecord.objects.filter(num_allocated__gt=0).count() == 2  # the goods are still held

    pay(client, card_order)
    assert payment_of(card_order).status == Payment.Status.PAID


def test_event_for_an_unknown_order_is_acknowledged_and_logged(client, card_order, caplog):
    stranger = intent_event(payment_of(card_order), intent_id="pi_someone_else", order_number="999999")

    with caplog.at_level(logging.WARNING, logger="shop.payments.services"):
        response = deliver(client, stranger)

    assert response.status_code == 200  # acknowledged, so Stripe does not retry it for three days
    assert response.content == b"unknown order"
    assert any("999999" in r.getMessage() and "pi_someone_else" in r.getMessage() for r in caplog.records)
    nothing_paid(card_order)
    assert WebhookEvent.objects.get(event_id=stranger["id"]).outcome == "unknown order"


@pytest.mark.parametrize(
    "amount, currency",
    [
        (460000 - 1000, "vnd"),  # less than the order total
        (460000 * 100, "vnd"),  # the total read as if VND had cents
        (460000, "usd"),  # the right number in another currency
    ],
    ids=["less-than-total", "times-100", "other-currency"],
)
def test_amount_or_currency_mismatch_is_not_marked_paid_and_is_given_back(client, card_order, caplog, amount,
                                                                          currency, fake_stripe):
    payment = payment_of(card_order)
    event = intent_event(payment, amount=amount, currency=currency)

    with caplog.at_level(logging.WARNING, logger="shop.payments.services"):
        response = deliver(client, event)
        deliver(client, event)  # delivered again: nothing more happens

    assert response.status_code == 200 and response.content == b"mismatch"
    nothing_paid(card_order)
    assert any(str(amount) in r.getMessage() for r in caplog.records)
    [refund] = fake_stripe.refunds  # the whole captured amount goes back, with a key
    assert refund.params == {"payment_intent": payment.provider_id or event["data"]["object"]["id"]}
    assert refund.idempotency_key.startswith("ocop-mismatch-")
    assert "không khớp đơn" in payment_of(card_order).note


def test_shopper_who_cancels_one_producers_part_before_paying_is_charged_the_rest_and_paid(client, card_order,
                                                                                        fake_stripe):
    """The shopper cancels the dried fish from their order page, goes back to the card page and pays there."""
    part = card_order.parts.get(producer__name="Cơ sở Khô Cá Lóc Tri Tôn")
    order_page = reverse("orders:detail", kwargs={"number": card_order.number, "key": card_order.verification_hash()})
    committed(client.post, order_page, {"action": "cancel", "part": part.pk})
    part.refresh_from_db()
    assert part.status == FulfilmentPart.Status.CANCELLED
    payment = payment_of(card_order)
    assert payment.amount == Decimal(260000)  # 2 × 120.000 ₫ + 20.000 ₫ shipping is what is left to pay

    page = client.get(CARD)
    assert "260.000\xa0₫" in page.content.decode()  # what the card page tells the shopper
    charged = fake_stripe.intents[payment_of(card_order).provider_id]["amount"]  # what Stripe will take
    assert charged == 260000

    response = deliver(client, intent_event(payment_of(card_order), amount=charged))
    assert response.content == b"paid"
    assert sales_of(card_order).count() == 1  # the fish sauce line only


# ---------------------------------------------------------------- money after expiry
def expire(order, fake_stripe, caplog):
    """The expiry job runs after the card step's time: the order is cancelled and its goods go back on sale."""
    # The shopper's card went through just before: Stripe refuses to cancel a succeeded PaymentIntent.
    fake_stripe.cancel_error = "You cannot cancel this PaymentIntent because it has a status of succeeded."
    later = timezone.now() + dt.timedelta(minutes=31)
    with TestCase.captureOnCommitCallbacks(execute=True):
        expired = payments_expire_unpaid(now=later)
    assert expired == [payment_of(order).reference]
    assert len(fake_stripe.cancels) == 1  # it tried, and carried on when Stripe said no
    assert "could not cancel payment" in caplog.text


def test_payment_arriving_after_expiry_is_refunded_in_full(client, card_order, fake_stripe, caplog):
    payment = payment_of(card_order)
    expire(card_order, fake_stripe, caplog)
    assert StockRecord.objects.filter(num_allocated__gt=0).count() == 0  # stock already released
    assert set(card_order.parts.values_list("status", flat=True)) == {FulfilmentPart.Status.CANCELLED}

    event = intent_event(payment)
    response = deliver(client, event)

    assert response.status_code == 200 and response.content == b"late"
    refund = Refund.objects.get(payment=payment)
    assert refund.amount == Decimal(460000) and refund.status == Refund.Status.SUCCEEDED
    [call] = fake_stripe.refunds
    assert call.params["amount"] == "460000" and call.params["payment_intent"] == payment.provider_id
    assert call.idempotency_key and call.idempotency_key == refund.idempotency_key
    assert refund.provider_id.startswith("re_fake")
    payment.refresh_from_db()
    assert payment.status == Payment.Status.CANCELLED  # the order stays cancelled
    assert payment.amount_captured == payment.amount_refunded == Decimal(460000)
    assert StockRecord.objects.filter(num_allocated__gt=0).count() == 0
    assert set(StockRecord.objects.values_list("num_in_stock", flat=True)) == {5}  # nothing left the shelf
    assert not sales_of(card_order).exists()  # never sold
    assert len(subjects("Hoàn tiền cho đơn")) == 1 and not subjects("Đã nhận thanh toán")

    retried = deliver(client, event)  # Stripe retries the same event
    assert retried.content == b"duplicate"
    assert len(fake_stripe.refunds) == 1


def test_a_late_payment_reported_twice_is_still_captured_and_refunded_once(client, card_order, fake_stripe, caplog):
    """Two notices of one late payment (two event ids; the bank-statement import shares this path and an
    imported statement is easily imported twice) must not make the books show the money received twice."""
    payment = payment_of(card_order)
    expire(card_order, fake_stripe, caplog)

    assert deliver(client, intent_event(payment)).content == b"late"
    deliver(client, intent_event(payment))

    assert len(fake_stripe.refunds) == 1 and Refund.objects.count() == 1
    payment.refresh_from_db()
    assert payment.amount_captured == Decimal(460000)  # captured once
    assert payment.refundable == 0  # the dashboard must not offer to refund it a second time


# ---------------------------------------------------------------- staff refunds
def test_staff_partial_refund_of_one_line_goes_to_stripe_with_its_amount_and_key(
    client, card_order, fake_stripe, django_user_model
):
    payment = pay(client, card_order)
    staff = staff_client(django_user_model)
    part = card_order.parts.get(producer__name="HTX Mắm Châu Đốc")
    line = part.lines.get()
    key = refund_form_key(staff, card_order, part)

    response = post_refund(staff, card_order, part, [line], key)

    assert "Đã hoàn tiền." in messages_of(response)
    [call] = fake_stripe.refunds
    assert call.params["amount"] == "240000"  # 2 × 120.000 ₫, whole dong
    assert call.params["payment_intent"] == payment.provider_id
    refund = Refund.objects.get()
    assert call.idempotency_key == refund.idempotency_key and key in refund.idempotency_key
    assert refund.amount == Decimal(240000) and refund.status == Refund.Status.SUCCEEDED
    assert list(refund.lines.all()) == [line]
    payment.refresh_from_db()
    assert payment.amount_refunded == Decimal(240000) and payment.refundable == Decimal(220000)
    reversal = sales_of(card_order, Sale.Kind.REVERSAL).get()
    assert reversal.order_line == line and reversal.amount == Decimal(-240000)
    assert len(subjects("Hoàn tiền cho đơn")) == 1


def test_the_same_refund_form_posted_twice_refunds_once(client, card_order, fake_stripe, django_user_model):
    pay(client, card_order)
    staff = staff_client(django_user_model)
    part = card_order.parts.get(producer__name="Cơ sở Khô Cá Lóc Tri Tôn")
    key = refund_form_key(staff, card_order, part)

    first = post_refund(staff, card_order, part, list(part.lines), key)
    second = post_refund(staff, card_order, part, list(part.lines), key)  # double click / resubmitted form

    assert "Đã hoàn tiền." in messages_of(first)
    assert not any("Chỉ còn" in m for m in messages_of(second))
    assert len(fake_stripe.refunds) == 1 and Refund.objects.count() == 1
    assert payment_of(card_order).amount_refunded == Decimal(180000)
    assert sales_of(card_order, Sale.Kind.REVERSAL).count() == 1


def test_refund_beyond_what_was_captured_is_refused_in_vietnamese(client, card_order, fake_stripe, caplog,
                                                                  django_user_model):
    """The order expired, the card payment came late and went straight back: nothing is left to refund. The
    page offers no refund form; a refund posted anyway (a tab left open, a replayed request) is refused."""
    payment = payment_of(card_order)
    expire(card_order, fake_stripe, caplog)
    assert deliver(client, intent_event(payment)).content == b"late"
    staff = staff_client(django_user_model)
    part = card_order.parts.get(producer__name="HTX Mắm Châu Đốc")
    page = staff.get(reverse("dashboard:order-payment", kwargs={"number": card_order.number}))
    assert 'name="key"' not in page.content.decode()

    response = post_refund(staff, card_order, part, list(part.lines), "a-tab-left-open")

    assert "Chỉ còn có thể hoàn 0\xa0₫." in messages_of(response)
    assert len(fake_stripe.refunds) == 1  # only the automatic one: Stripe was not asked again
    assert Refund.objects.count() == 1
    payment.refresh_from_db()
    assert payment.amount_refunded == payment.amount_captured == Decimal(460000)
    assert not sales_of(card_order, Sale.Kind.REVERSAL).exists()


def test_the_whole_part_refunded_from_two_tabs_is_paid_back_once(client, fake_stripe, rice, django_user_model):
    order = place_card_order(client, (rice, 1))
    pay(client, order)
    staff = staff_client(django_user_model)
    part = order.parts.get()
    # two staff members have the order's payment page open (each page load carries its own key)
    first_tab, second_tab = refund_form_key(staff, order, part), refund_form_key(staff, order, part)
    url = reverse("dashboard:order-payment", kwargs={"number": order.number})
    everything = {"action": "refund", "part": part.pk, "lines": [part.lines.get().pk], "include_shipping": "1",
                  "reason": "Khách huỷ"}
    done = committed(staff.post, url, {**everything, "key": first_tab}, follow=True)
    assert "Đã hoàn tiền." in messages_of(done)
    assert fake_stripe.refunds[0].params["amount"] == "250000"

    refused = committed(staff.post, url, {**everything, "key": second_tab}, follow=True)

    [message] = messages_of(refused)
    assert message != "Đã hoàn tiền." and "hoàn" in message  # told why, in Vietnamese
    assert len(fake_stripe.refunds) == 1  # Stripe was not asked
    assert Refund.objects.count() == 1
    payment = payment_of(order)
    assert payment.amount_refunded == Decimal(250000) == payment.amount_captured


def test_a_line_already_refunded_is_not_refunded_again(client, card_order, fake_stripe, django_user_model):
    """Two tabs (each page load has its own key) refunding the same line: the second must not pay it again,
    even though money is left on the payment for the other lines."""
    pay(client, card_order)
    staff = staff_client(django_user_model)
    part = card_order.parts.get(producer__name="Cơ sở Khô Cá Lóc Tri Tôn")
    first_tab, second_tab = refund_form_key(staff, card_order, part), refund_form_key(staff, card_order, part)

    post_refund(staff, card_order, part, list(part.lines), first_tab)
    second = post_refund(staff, card_order, part, list(part.lines), second_tab)

    assert messages_of(second) == ["Đã hoàn tiền trước đó: Khô cá lóc."]
    assert len(fake_stripe.refunds) == 1, [c.params["amount"] for c in fake_stripe.refunds]
    assert payment_of(card_order).amount_refunded == Decimal(180000)  # the line costs 180.000 ₫, paid back once


def test_stripe_refusing_a_refund_leaves_the_cancellation_standing_and_the_money_refundable(client, card_order,
                                                                                         fake_stripe):
    """The network call happens after the commit: a refusal is recorded, never a half-cancelled order or a 500."""
    pay(client, card_order)
    fake_stripe.refund_status = "failed"
    part = card_order.parts.get(producer__name="Cơ sở Khô Cá Lóc Tri Tôn")
    order_page = reverse("orders:detail", kwargs={"number": card_order.number, "key": card_order.verification_hash()})

    response = committed(client.post, order_page, {"action": "cancel", "part": part.pk})

    assert response.status_code == 302
    part.refresh_from_db()
    assert part.status == FulfilmentPart.Status.CANCELLED
    assert StockRecord.objects.get(product__title="Khô cá lóc").num_allocated == 0
    [refund] = Refund.objects.filter(payment__order=card_order)
    assert refund.status == "failed" and len(fake_stripe.refunds) == 1
    payment = payment_of(card_order)
    assert payment.amount_refunded == 0  # staff can refund it again from the payment page

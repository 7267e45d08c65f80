"""Card payments under test: Stripe switched on in settings, and a stand-in for Stripe's HTTP API.

`fake_stripe` is a stripe-python HTTPClient that answers like Stripe and records every request. The app's own
`stripe_client()` is replaced by a real stripe.StripeClient wired to it, so the requests are encoded by
stripe-python exactly as they would be for api.stripe.com (form parameters, Idempotency-Key header), and
nothing leaves the process.
"""

from __future__ import annotations

import io
import itertools
import json
import urllib.parse
from dataclasses import dataclass
from decimal import Decimal

import pytest
import stripe

from tests.support.catalogue import make_certified_product, make_producer
from tests.support.checkout import a_commune

SECRET_KEY = "sk_test_x"
PUBLISHABLE_KEY = "pk_test_x"
WEBHOOK_SECRET = "whsec_test"


@pytest.fixture
def stripe_on(settings):
    """The card method is offered (both keys set) and the webhook is configured."""
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = PUBLISHABLE_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = ""
    return settings


@dataclass
class StripeCall:
    method: str  # "get" / "post"
    path: str  # "/v1/payment_intents"
    params: dict  # form fields as sent, e.g. {"amount": "250000", "metadata[order_number]": "100001"}
    idempotency_key: str | None
    api_key: str = ""


class FakeStripe(stripe.HTTPClient):
    """Answers /v1/payment_intents (create, retrieve, update, cancel) and /v1/refunds like Stripe; records each call."""

    name = "fake-stripe"

    def __init__(self):
        super().__init__()
        self.calls: list[StripeCall] = []
        self.intents: dict[str, dict] = {}
        self.refund_status = "succeeded"
        self.cancel_error: str | None = None  # e.g. the intent already succeeded: Stripe answers 400
        self._ids = itertools.count(1)

    # -- what the tests look at
    def calls_to(self, method: str, path: str) -> list[StripeCall]:
        return [c for c in self.calls if c.method == method and c.path == path]

    @property
    def intent_creates(self):
        return self.calls_to("post", "/v1/payment_intents")

    @property
    def refunds(self):
        return self.calls_to("post", "/v1/refunds")

    @property
    def cancels(self):
        return [c for c in self.calls if c.method == "post" and c.path.endswith("/cancel")]

    # -- stripe.HTTPClient
    def request(self, method, url, headers, post_data=None, *, _usage=None):
        parsed = urllib.parse.urlsplit(url)
        body = post_data or (parsed.query if method == "get" else "")
        params = dict(urllib.parse.parse_qsl(body, keep_blank_values=True))
        headers = dict(headers or {})
        call = StripeCall(
            method=method,
            path=parsed.path,
            params=params,
            idempotency_key=headers.get("Idempotency-Key"),
            api_key=headers.get("Authorization", "").removeprefix("Bearer "),
        )
        self.calls.append(call)
        status, answer = self._answer(call)
        return json.dumps(answer), status, {"Request-Id": f"req_{next(self._ids)}"}

    def request_stream(self, method, url, headers, post_data=None, *, _usage=None):
        """Stripe streams only file downloads; answered like any request, as a byte stream."""
        body, status, response_headers = self.request(method, url, headers, post_data)
        return io.BytesIO(body.encode()), status, response_headers

    def close(self):
        pass

    def _answer(self, call: StripeCall):
        path, p = call.path, call.params
        if call.method == "post" and path == "/v1/payment_intents":
            n = next(self._ids)
            intent = {
                "id": f"pi_fake{n}",
                "object": "payment_intent",
                "amount": int(p["amount"]),
                "currency": p["currency"],
                "client_secret": f"pi_fake{n}_secret_abc",
                "status": "requires_payment_method",
                "metadata": {k[9:-1]: v for k, v in p.items() if k.startswith("metadata[")},
            }
            self.intents[intent["id"]] = intent
            return 200, intent
        if path.startswith("/v1/payment_intents/"):
            intent_id = path.split("/")[3]
            if intent_id not in self.intents:
                return 404, _error("resource_missing", f"No such payment_intent: '{intent_id}'")
            intent = self.intents[intent_id]
            if path.endswith("/cancel"):
                if self.cancel_error:
                    return 400, _error("payment_intent_unexpected_state", self.cancel_error)
                intent["status"] = "canceled"
            elif call.method == "post" and path == f"/v1/payment_intents/{intent_id}":  # update
                if "amount" in p:
                    intent["amount"] = int(p["amount"])
            return 200, intent
        if call.method == "post" and path == "/v1/refunds":
            n = next(self._ids)
            return 200, {
                "id": f"re_fake{n}",
                "object": "refund",
                "amount": int(p["amount"]),
                "currency": "vnd",
                "payment_intent": p["payment_intent"],
                "status": self.refund_status,
            }
        return 404, _error("resource_missing", f"Unrecognized request URL ({call.method.upper()}: {path})")


def _error(code, message):
    return {"error": {"type": "invalid_request_error", "code": code, "message": message}}


def fake_stripe_install(monkeypatch) -> FakeStripe:
    """Stripe's HTTP API replaced by a recorder for the rest of the test."""
    fake = FakeStripe()
    monkeypatch.setattr(
        "shop.payments.gateways.stripe_card.stripe_client",
        lambda: stripe.StripeClient(SECRET_KEY, http_client=fake, max_network_retries=0),
    )
    return fake


@pytest.fixture
def fake_stripe(stripe_on, monkeypatch) -> FakeStripe:
    return fake_stripe_install(monkeypatch)


@pytest.fixture
def two_producers():
    """Two producers in An Giang: an order of both is two parts and two lines."""
    area = a_commune()
    first = make_producer(name="HTX Mắm Châu Đốc", area=area)
    second = make_producer(name="Cơ sở Khô Cá Lóc Tri Tôn", area=area)
    return (
        make_certified_product(title="Mắm cá linh", price=Decimal("120000"), producer=first, stock=5),
        make_certified_product(title="Khô cá lóc", price=Decimal("180000"), producer=second, stock=5),
    )

"""localstripe (a fake Stripe API server) for end-to-end tests.

API
  localstripe_url            session fixture: a fresh, empty localstripe on "http://127.0.0.1:PORT"
  run_localstripe()          the same as a context manager, usable outside pytest
  stripe_pointed_at(url)     points the global stripe config at url, yields a StripeClient wired the same way
  register_webhook(url, target_url, secret, events=None, webhook_id="test")
  flush_localstripe(url)     forgets every object (webhooks are kept)

What was verified (stripe-python 12.5.2, localstripe 1.15.10). Both styles work the same way:
    with stripe_pointed_at(localstripe_url) as client:
        pm = stripe.PaymentMethod.create(type="card", card={"number": "4242424242424242",
                                         "exp_month": 12, "exp_year": 2030, "cvc": "123"})
        pi = stripe.PaymentIntent.create(amount=250000, currency="vnd", payment_method=pm.id,
                                         metadata={"order_number": "100001"}, idempotency_key="k")
        pi = stripe.PaymentIntent.confirm(pi.id)                # -> "succeeded" (pi.confirm() works too)
        pi = stripe.PaymentIntent.retrieve(pi.id)
        rf = stripe.Refund.create(payment_intent=pi.id, amount=100000)   # -> status "succeeded"
        # StripeClient style: client.v1.payment_methods.create(params={...}),
        # client.v1.payment_intents.create(params={...}, options={"idempotency_key": "k"}),
        # client.v1.payment_intents.confirm(pi.id), .retrieve(pi.id), client.v1.refunds.create(params={...})
  * A new PaymentIntent with a payment_method is "requires_confirmation"; confirm() makes it "succeeded"
    right away (capture_method defaults to "automatic_async"). create(..., confirm=True) also succeeds.
    capture_method="manual" -> "requires_capture", then PaymentIntent.capture(id) -> "succeeded".
  * confirm(id, payment_method=...) answers 500 "Not implemented": attach the card at create.
    Confirming twice answers 400.
  * Card 4000000000000341 declines at confirm: CardError 402 code "card_declined", then the intent is
    "requires_payment_method". (4000000000000002 declines only when attached to a customer; it charges fine.)
  * The card dict must have exactly number/exp_month/exp_year/cvc, exp_year 2019..2099, cvc of 3 digits.
  * Unknown parameters are refused with 400 "Unexpected <name>", e.g. description=,
    automatic_payment_methods=. Send only what localstripe knows.
  * idempotency_key is accepted and ignored: the same key twice creates two intents.
  * Refund without amount refunds the whole charge even after a partial refund (no over-refund check).
  * localstripe returns latest_charge expanded as a Charge object (real Stripe: an id string).

Webhooks
  register_webhook() is POST /_config/webhooks/<id> with JSON {"url", "secret", "events": [..]}
  (events omitted = all types; a non-list is a 400). Delivery is asynchronous: each event is POSTed
  1.0 s after the API call that caused it (asyncio.sleep(1) in localstripe), once, no retries, to every
  registered webhook, so poll up to a few seconds. Content-Type "application/json; charset=utf-8";
  header Stripe-Signature "t=<created>,v1=<hmac>"; stripe.Webhook.construct_event(body, header, secret)
  and client.construct_event(...) both verify it.
  Event types seen: confirm -> "payment_intent.succeeded" (decline -> "payment_intent.payment_failed";
  manual capture -> "payment_intent.succeeded" at capture, nothing at confirm). Refunds, PaymentMethods
  and PaymentIntent creation send no event at all (no charge.* / charge.refunded).
  Event JSON: {"id": "evt_..", "object": "event", "type": .., "api_version": "2017-08-15", "created": ..,
  "livemode": false, "data": {"object": {"id": "pi_..", "object": "payment_intent", "amount": 250000,
  "currency": "vnd", "metadata": {"order_number": "100001"}, "status": "succeeded", "latest_charge": {..},
  "charges": {..}, "payment_method": "pm_..", ...}}}. The object is a snapshot taken when the event
  was created.

Pitfalls
  * localstripe pickles its store to the hard-coded /tmp/localstripe.pickle on every write, and
    --from-scratch only skips loading it; the child started here turns both into no-ops.
  * stripe-python's RequestsClient honours HTTP(S)_PROXY: with HTTP_PROXY set and no NO_PROXY the
    default client fails (APIConnectionError). stripe_pointed_at installs a requests session with
    trust_env=False. localstripe's own webhook POSTs use aiohttp, which ignores proxy variables.
  * stripe.max_network_retries defaults to 2: a localstripe 500 is retried twice (about 1.4 s lost).
    stripe_pointed_at sets it to 0.
  * StripeClient ignores stripe.api_base: pass base_addresses={"api": url} (done for the yielded client).
  * stripe-python sends Stripe-Version 2025-08-27.basil; localstripe ignores it, and its events say
    api_version "2017-08-15". construct_event does not check it.
  * The API key must start with "sk_" (anything else is 401); the /_config/ routes need no key.
"""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

# Runs inside the child interpreter. localstripe's Store pickles itself to the hard-coded
# /tmp/localstripe.pickle on every write (even with --from-scratch, which only skips the load at
# start-up), so both methods become no-ops: every run starts empty and leaves nothing behind.
_CHILD = r"""
import logging, sys
import localstripe.resources
localstripe.resources.Store.try_load_from_disk = lambda self: None
localstripe.resources.Store.dump_to_disk = lambda self: None
from aiohttp import web
from localstripe.server import app
logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(name)s %(message)s")
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None)
"""

# Never proxied, whatever HTTP(S)_PROXY says.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        _opener.open(url + "/js.stripe.com/v3/", timeout=1).close()  # the one unauthenticated GET route
        return True
    except urllib.error.HTTPError:
        return True  # it answered
    except OSError:
        return False


@contextlib.contextmanager
def run_localstripe(timeout: float = 20.0) -> Iterator[str]:
    """Start a fresh localstripe on 127.0.0.1 in a subprocess; yield its base URL; stop it on exit."""
    with tempfile.TemporaryFile(mode="w+b", prefix="localstripe-log-") as log:
        for _attempt in range(3):  # the free port can be taken between probe and bind: retry with another
            port = _free_port()
            url = f"http://127.0.0.1:{port}"
            # stderr goes to a file, not a pipe: a pipe nobody drains would block the server once full.
            proc = subprocess.Popen(
                [sys.executable, "-P", "-c", _CHILD, str(port)],  # -P: cwd not on sys.path
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=tempfile.gettempdir(),
            )
            deadline = time.monotonic() + timeout
            while proc.poll() is None and time.monotonic() < deadline and not _answers(url):
                time.sleep(0.1)
            if proc.poll() is None and _answers(url):
                break
            _stop(proc)
            log.seek(0)
            output = log.read().decode(errors="replace")
            if "address already in use" not in output.lower():
                raise RuntimeError(
                    f"localstripe did not answer on {url} within {timeout}s "
                    f"(exit code {proc.returncode}). Its output:\n{output}"
                )
            log.seek(0)
            log.truncate()
        else:
            raise RuntimeError("localstripe: no free port could be bound after 3 attempts")
        try:
            yield url
        finally:
            _stop(proc)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@pytest.fixture(scope="session")
def localstripe_url() -> Iterator[str]:
    """Base URL ("http://127.0.0.1:PORT") of a localstripe started empty for this test session."""
    with run_localstripe() as url:
        yield url


def _config_request(method: str, url: str, body: dict | None = None) -> None:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    _opener.open(req, timeout=10).close()


def register_webhook(
    localstripe_url: str, target_url: str, secret: str, events: list[str] | None = None, webhook_id: str = "test"
) -> None:
    """POST /_config/webhooks/<id>: localstripe will POST matching events to target_url, signed with secret.

    events=None means every event type; registering the same webhook_id again replaces it (there is no
    DELETE; events=[] mutes it).
    """
    body: dict = {"url": target_url, "secret": secret}
    if events is not None:
        body["events"] = list(events)
    _config_request("POST", f"{localstripe_url}/_config/webhooks/{webhook_id}", body)


def flush_localstripe(localstripe_url: str) -> None:
    """DELETE /_config/data: forget every object (registered webhooks are kept)."""
    _config_request("DELETE", f"{localstripe_url}/_config/data")


def _unproxied_http_client():
    import requests
    import stripe

    session = requests.Session()
    session.trust_env = False  # ignore HTTP(S)_PROXY / NO_PROXY / .netrc from the environment
    return stripe.RequestsClient(session=session)


@contextlib.contextmanager
def stripe_pointed_at(url: str, api_key: str = "sk_test_localstripe"):
    """Point the global stripe-python configuration at `url` for the duration; restore it afterwards.

    Sets stripe.api_base, stripe.api_key, an unproxied stripe.default_http_client and
    stripe.max_network_retries = 0. Yields a stripe.StripeClient wired the same way (StripeClient does
    NOT read stripe.api_base: it needs base_addresses={"api": url}).
    """
    import stripe

    names = ("api_base", "api_key", "default_http_client", "max_network_retries")
    saved = {name: getattr(stripe, name) for name in names}
    http_client = _unproxied_http_client()
    stripe.api_base = url
    stripe.api_key = api_key
    stripe.default_http_client = http_client
    stripe.max_network_retries = 0
    try:
        yield stripe.StripeClient(
            api_key, base_addresses={"api": url}, http_client=http_client, max_network_retries=0
        )
    finally:
        for name, value in saved.items():
            setattr(stripe, name, value)

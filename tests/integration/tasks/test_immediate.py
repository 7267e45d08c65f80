"""Without a worker (the "immediate" backend of tests and of one machine): the task runs where it is queued, a
failure is logged once and never reaches the caller, and a queue that cannot take a task means running it now."""

import logging
from decimal import Decimal

import pytest
from django.core import mail
from django.db import OperationalError

from shop.fulfilment import emails
from tests.support.catalogue import make_certified_product
from tests.support.checkout import committed, service_basket, service_place

pytestmark = pytest.mark.django_db

SHOPPER = "binh@example.vn"


@pytest.fixture
def order():
    product = make_certified_product(title="Khô cá lóc", price=Decimal("120000"))
    placed = committed(service_place, service_basket([(product, 1)]))
    return placed


def test_the_email_goes_out_at_the_commit_and_once(order):
    assert [m.to for m in mail.outbox].count([SHOPPER]) == 1
    emails.order_placed(order.pk)
    assert [m.to for m in mail.outbox].count([SHOPPER]) == 1


def test_a_mail_server_failure_is_logged_once_and_the_caller_goes_on(order, monkeypatch, caplog):
    monkeypatch.setattr(emails, "send_mail", lambda *a, **k: (_ for _ in ()).throw(ConnectionRefusedError("down")))
    emails.payment_received(order.pk)  # does not raise
    final = [r.getMessage() for r in caplog.records if r.name == "shop.tasks" and r.levelno == logging.ERROR]
    assert final == [
        "task send_payment_received gave up at attempt 1: ConnectionRefusedError (backend ImmediateBackend cannot "
        "retry later)."
    ]


def test_a_queue_that_cannot_take_the_task_means_sending_now(order, monkeypatch, settings, caplog):
    from django_tasks_db.backend import DatabaseBackend

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

    def unreachable(self, task, args, kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(DatabaseBackend, "enqueue", unreachable)
    mail.outbox.clear()

    emails.payment_received(order.pk)

    assert [m.to for m in mail.outbox] == [[SHOPPER]]
    assert "could not queue task send_payment_received (OperationalError); running it now" in caplog.text

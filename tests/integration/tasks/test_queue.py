"""Background tasks on the database queue, run by django-tasks-db's own worker (`manage.py db_worker --batch`):
each shopper email goes out once per event, failures are retried with backoff, and a task that keeps failing
stops with one log line. Transactional: the worker takes its tasks in a transaction of its own."""

import datetime as dt
import logging
import os
import time
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from shop.fulfilment import emails
from shop.tasks.models import TaskKey
from tests.support.catalogue import make_certified_product
from tests.support.checkout import service_basket, service_place

from .conftest import mails_to, results, statuses

pytestmark = pytest.mark.django_db(transaction=True)

SHOPPER = "binh@example.vn"  # service_place's guest


@pytest.fixture
def order(reference_data, database_queue):
    """An order placed for real: its commit queues the "order placed" email (nothing is sent yet)."""
    product = make_certified_product(title="Mắm cá linh", price=Decimal("85000"))
    placed = service_place(service_basket([(product, 1)]))
    mail.outbox.clear()
    return placed


@pytest.fixture
def flaky_mail(monkeypatch):
    """The mail server refuses the first ``failures`` sends (None: every send), then takes them."""
    from shop.fulfilment import emails as module

    real = module.send_mail
    state = {"failures": 0, "calls": 0}

    def send_mail(*args, **kwargs):
        state["calls"] += 1
        if state["failures"] is None or state["calls"] <= state["failures"]:
            raise ConnectionRefusedError("mail server down")
        return real(*args, **kwargs)

    monkeypatch.setattr(module, "send_mail", send_mail)
    return state


def test_placing_an_order_queues_its_email_and_the_worker_sends_it(order, database_queue):
    assert mails_to(SHOPPER) == []  # queued at the commit, not sent by the request
    assert statuses() == ["READY"]

    database_queue()

    sent = mails_to(SHOPPER)
    assert len(sent) == 1 and str(order.number) in sent[0].subject + sent[0].body
    assert statuses() == ["SUCCESSFUL"]


def test_the_same_email_queued_twice_goes_out_once(order, database_queue):
    emails.order_placed(order.pk)  # a caller repeated (a retried request, a webhook delivered twice)
    emails.order_placed(order.pk)
    assert statuses() == ["READY", "READY", "READY"]

    database_queue()
    emails.order_placed(order.pk)  # and again after it went out
    database_queue()

    assert len(mails_to(SHOPPER)) == 1
    assert set(statuses()) == {"SUCCESSFUL"}
    assert TaskKey.objects.get(key=f"email:order_placed:{order.pk}").done_at is not None


def test_a_task_failing_twice_then_succeeding_is_retried_and_sends_once(order, database_queue, flaky_mail, settings,
                                                                        caplog):
    settings.OCOP_TASKS_RETRY_SECONDS = 0  # the retries are ready at once: one worker batch runs all three attempts
    flaky_mail["failures"] = 2
    caplog.set_level(logging.INFO, logger="shop.tasks")

    database_queue()

    assert len(mails_to(SHOPPER)) == 1
    assert flaky_mail["calls"] == 3
    assert statuses() == ["FAILED", "FAILED", "SUCCESSFUL"]
    retries = [r.getMessage() for r in caplog.records if r.name == "shop.tasks" and r.levelno == logging.WARNING]
    assert retries == [
        "task send_order_placed attempt 1 of 5 failed: ConnectionRefusedError; retrying in 0 s",
        "task send_order_placed attempt 2 of 5 failed: ConnectionRefusedError; retrying in 0 s",
    ]
    assert not [r for r in caplog.records if r.name == "shop.tasks" and r.levelno >= logging.ERROR]


def test_retries_wait_longer_each_time(order, database_queue, flaky_mail):
    flaky_mail["failures"] = 2
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        database_queue()  # attempt 1 fails: the next waits 30 s
        waiting = [row for row in results() if row.status == "READY"]
        assert len(waiting) == 1 and waiting[0].run_after == start + dt.timedelta(seconds=30)
        clock.shift(dt.timedelta(seconds=29))
        database_queue()
        assert flaky_mail["calls"] == 1  # not before its time

        clock.shift(dt.timedelta(seconds=1))
        database_queue()  # attempt 2 fails: the next waits 2 minutes
        waiting = [row for row in results() if row.status == "READY"]
        assert len(waiting) == 1 and waiting[0].run_after == timezone.now() + dt.timedelta(minutes=2)
        clock.shift(dt.timedelta(minutes=2))
        database_queue()

    assert flaky_mail["calls"] == 3
    assert len(mails_to(SHOPPER)) == 1


def test_a_task_that_keeps_failing_stops_after_five_attempts_with_one_log_line(order, database_queue, flaky_mail,
                                                                               settings, caplog):
    settings.OCOP_TASKS_RETRY_SECONDS = 0
    flaky_mail["failures"] = None

    database_queue()
    database_queue()  # nothing more is queued

    assert flaky_mail["calls"] == 5
    assert statuses() == ["FAILED"] * 5
    assert mails_to(SHOPPER) == []
    final = [r.getMessage() for r in caplog.records if r.name == "shop.tasks" and r.levelno == logging.ERROR]
    assert final == ["task send_order_placed gave up after 5 attempts: ConnectionRefusedError."]
    ours = [r for r in caplog.records if r.name == "shop.tasks"]
    assert not any("mail server down" in r.getMessage() or r.exc_info for r in ours)  # an address may be in it
    assert not TaskKey.objects.filter(key=f"email:order_placed:{order.pk}").exists()  # a later enqueue may try again


def test_a_task_for_a_row_that_is_gone_is_not_retried(reference_data, database_queue, caplog):
    emails.part_shipped(987654)

    database_queue()

    assert statuses() == ["FAILED"]
    final = [r.getMessage() for r in caplog.records if r.name == "shop.tasks" and r.levelno == logging.ERROR]
    assert final == ["task send_part_shipped gave up at attempt 1: DoesNotExist is not retried."]


def test_a_task_whose_worker_died_is_run_again_and_sends_once(order, database_queue):
    """A worker killed mid-send leaves its task "running" and the email's key claimed: `tasks_maintain` (the
    scheduler runs it) queues the task again once it has been silent for OCOP_TASKS_STALLED_MINUTES."""
    from django_tasks_db.models import DBTaskResult

    row = DBTaskResult.objects.get(task_path__startswith="shop.")
    long_ago = timezone.now() - dt.timedelta(minutes=31)
    DBTaskResult.objects.filter(pk=row.pk).update(status="RUNNING", started_at=long_ago, worker_ids=["dead"])
    TaskKey.objects.create(key=f"email:order_placed:{order.pk}", token="dead-worker", claimed_at=long_ago)

    database_queue()
    assert mails_to(SHOPPER) == []  # still "running" as far as anyone knows

    call_command("tasks_maintain", stdout=open("/dev/null", "w"))
    database_queue()
    call_command("tasks_maintain", stdout=open("/dev/null", "w"))
    database_queue()

    assert len(mails_to(SHOPPER)) == 1
    assert statuses() == ["SUCCESSFUL"]


def test_a_recent_claim_by_another_worker_is_left_alone(order, database_queue):
    """Two workers with the same event at once: the one that claimed the key sends; the other does nothing."""
    from shop.tasks.queue import key_claim, key_done, key_release

    key = f"email:order_placed:{order.pk}"
    assert key_claim(key=key, token="first")
    database_queue()
    assert mails_to(SHOPPER) == [] and statuses() == ["SUCCESSFUL"]  # the second saw the key held: nothing to do

    assert key_claim(key=key, token="first")  # the holder itself may go on (a retry of its own)
    key_release(key=key, token="first")
    assert key_claim(key=key, token="second")  # given back: free for anyone
    key_done(key=key, token="second")
    assert not key_claim(key=key, token="third")


def test_the_compose_worker_runs_the_queue_and_touches_its_heartbeat(order, database_queue, settings, tmp_path,
                                                                       monkeypatch):
    """`manage.py run_worker` (the compose worker): django-tasks-db's worker, one batch after another."""
    from shop.tasks import probe
    from shop.tasks.management.commands import run_worker

    settings.OCOP_HEARTBEAT_DIR = str(tmp_path)

    def stop_instead_of_waiting(seconds):
        raise SystemExit(0)  # what SIGTERM does to an idle worker

    monkeypatch.setattr(run_worker.time, "sleep", stop_instead_of_waiting)
    with pytest.raises(SystemExit):
        call_command("run_worker", stdout=open("/dev/null", "w"))

    assert len(mails_to(SHOPPER)) == 1
    assert probe.heartbeat_fresh("worker", 60, str(tmp_path))


def test_a_busy_worker_stays_healthy_between_the_tasks_of_one_batch(reference_data, database_queue, settings,
                                                                    tmp_path, monkeypatch):
    """A batch runs until the queue is empty, so under steady traffic it never ends: the heartbeat the container's
    health check reads (120 s at most) must move with each task, not only between batches."""
    from shop.tasks import probe
    from shop.tasks.management.commands import run_worker

    settings.OCOP_HEARTBEAT_DIR = str(tmp_path)
    product = make_certified_product(title="Bánh pía Sóc Trăng", price=Decimal("70000"))
    for _ in range(3):
        service_place(service_basket([(product, 1)]))  # three orders: three emails in the queue, one batch
    mail.outbox.clear()

    fresh_at_each_send = []
    real_send = emails.send_mail

    def slow_send(*args, **kwargs):
        fresh_at_each_send.append(probe.heartbeat_fresh("worker", 120, str(tmp_path)))
        long_ago = time.time() - 600  # as if this mail server had taken ten minutes
        os.utime(probe.heartbeat_path("worker", str(tmp_path)), (long_ago, long_ago))
        return real_send(*args, **kwargs)

    monkeypatch.setattr(emails, "send_mail", slow_send)

    def stop_instead_of_waiting(seconds):
        raise SystemExit(0)  # the batch is over: what SIGTERM does to an idle worker

    monkeypatch.setattr(run_worker.time, "sleep", stop_instead_of_waiting)
    with pytest.raises(SystemExit):
        call_command("run_worker", stdout=open("/dev/null", "w"))

    assert len(mails_to(SHOPPER)) == 3
    assert fresh_at_each_send == [True, True, True]  # each finished task touched it again
    assert probe.heartbeat_fresh("worker", 120, str(tmp_path))  # ...the last one too
    # connected in the worker only: a task finishing elsewhere (a web process, the immediate backend) writes nothing
    from django_tasks.signals import task_finished

    assert not any("ocop-worker-heartbeat" in str(key) for key, *_ in task_finished.receivers)


def test_the_worker_refuses_to_run_without_a_queue(settings):
    from django.core.management.base import CommandError

    settings.OCOP_TASKS_BACKEND = "immediate"
    with pytest.raises(CommandError, match="no worker needed"):
        call_command("run_worker")


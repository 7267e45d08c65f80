"""The real queues: django-tasks-db's table run by its worker in this process, and RQ on the local Redis (db 6)."""

import io
import logging
import signal

import pytest
from django.core.management import call_command

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def reference_data(transactional_db):
    """Transactional tests empty the tables afterwards (an earlier one may have): seed them again (idempotent)."""
    call_command("seed_reference_data", verbosity=0)


@pytest.fixture
def signals_restored():
    """The workers install SIGINT/SIGTERM handlers of their own: pytest's are put back afterwards."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    levels = {name: logging.getLogger(name).level for name in ("django_tasks", "django_tasks_db")}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


@pytest.fixture
def database_queue(settings, signals_restored):
    """Tasks go to the database queue; ``run()`` is ``manage.py db_worker --batch``: every ready task, then exit."""
    settings.TASKS = DATABASE_QUEUE
    settings.OCOP_TASKS_BACKEND = "database"

    def run():
        out = io.StringIO()
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", stdout=out, stderr=out)
        return out.getvalue()

    return run


def results():
    """Our tasks in the queue (Wagtail queues its own too: its reference index after a page or snippet save)."""
    from django_tasks_db.models import DBTaskResult

    return list(DBTaskResult.objects.filter(task_path__startswith="shop.").order_by("enqueued_at", "run_after"))


def statuses():
    return [row.status for row in results()]


def mails_to(address):
    from django.core import mail

    return [message for message in mail.outbox if address in message.to]

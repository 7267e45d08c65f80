"""``manage.py tasks_maintain``: keep the task queue honest (the scheduler runs it every 5 minutes). Idempotent.

- With the database backend, a task "running" for longer than ``OCOP_TASKS_STALLED_MINUTES`` lost its worker (the
  process was killed mid-task): it is queued again (tasks are idempotent; a once-only key held by the dead run is
  taken over by the new one).
- Once-only keys done more than 90 days ago are forgotten (nobody queues the same event again that late).
"""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from shop.tasks.models import TaskKey
from shop.tasks.queue import stalled_after

KEYS_KEPT = dt.timedelta(days=90)


def tasks_requeue_stalled(*, now=None) -> int:
    if getattr(settings, "OCOP_TASKS_BACKEND", "") != "database":
        return 0
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    return DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=now - stalled_after()).update(
        status=TaskResultStatus.READY, run_after=now
    )


def task_keys_prune(*, now=None) -> int:
    now = now or timezone.now()
    deleted, _ = TaskKey.objects.filter(done_at__lt=now - KEYS_KEPT).delete()
    return deleted


class Command(BaseCommand):
    help = "Chạy lại việc nền bị treo (tiến trình chạy việc đã chết) và xoá khoá cũ."

    def handle(self, *args, **options):
        self.stdout.write(f"{tasks_requeue_stalled()} stalled tasks queued again, {task_keys_prune()} old keys removed")

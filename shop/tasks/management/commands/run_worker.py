"""``manage.py run_worker``: run the task queue of ``OCOP_TASKS_BACKEND``, forever (the compose worker).

- ``database``: django-tasks-db's worker (what ``manage.py db_worker`` runs), one batch after another: each batch
  runs every task that is ready, then the worker waits ``--interval`` seconds. Its heartbeat is touched before each
  batch and as each task starts and finishes (django-tasks' ``task_started``/``task_finished`` signals, received only
  in this process): a batch lasts as long as tasks keep coming, and a worker busy for minutes is not a stuck one.
- ``redis``: django-rq's ``rqworker`` with django-tasks-rq's job class, and its scheduler for retries that wait
  (``--with-scheduler``); a thread touches the heartbeat while Redis answers.
- ``immediate``: nothing to run (tasks run where they are queued): the command says so and exits with an error.

Stop it with SIGTERM (``docker compose stop``): the task in hand finishes first. Run as many as you like (each
database task is claimed with ``SELECT ... FOR UPDATE SKIP LOCKED``; RQ hands each job to one worker).
"""

import logging
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django_tasks.signals import task_finished, task_started
from django_tasks.utils import get_random_id

from shop.tasks.probe import heartbeat_touch


def _beat(sender, **kwargs):
    # Never raises: the worker sends these signals inside its task's error handling, so an exception here would
    # mark a task that succeeded as failed. A heartbeat that cannot be written goes stale, and the check says so.
    try:
        heartbeat_touch("worker", settings.OCOP_HEARTBEAT_DIR)
    except OSError:
        pass


class Command(BaseCommand):
    help = "Chạy hàng đợi việc nền (email, cập nhật chỉ mục tìm kiếm) theo OCOP_TASKS_BACKEND."

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", default="default", help="queues to run, comma-separated")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between two looks at the queue")

    def handle(self, *args, queue_name="default", interval=1.0, **options):
        backend = settings.OCOP_TASKS_BACKEND
        if backend not in ("database", "redis"):
            raise CommandError(f"OCOP_TASKS_BACKEND={backend}: tasks run where they are queued, no worker needed.")
        # Progress is life: each task that starts or ends touches the heartbeat (RQ's work horse, a fork of this
        # process, inherits the receivers). Connected here only, so a web process never writes the file.
        for signal in (task_started, task_finished):
            signal.connect(_beat, dispatch_uid="ocop-worker-heartbeat")
        try:
            if backend == "database":
                self._database(queue_name.split(","), interval)
            else:
                self._redis(queue_name.split(","))
        finally:
            for signal in (task_started, task_finished):
                signal.disconnect(dispatch_uid="ocop-worker-heartbeat")

    def _database(self, queues, interval):
        from django_tasks import DEFAULT_TASK_BACKEND_ALIAS
        from django_tasks_db.management.commands.db_worker import Worker

        worker = Worker(
            queue_names=queues,
            interval=interval,
            batch=True,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=get_random_id(),
        )
        worker.configure_signals()  # SIGTERM while idle exits at once; during a task, after it
        # Each batch says "starting" and "no more tasks" at INFO: once a second is noise. Tasks log on "django_tasks".
        logging.getLogger("django_tasks_db").setLevel(logging.WARNING)
        self.stdout.write(f"worker {worker.worker_id}: database queue {','.join(queues)}")
        while worker.running:
            heartbeat_touch("worker", settings.OCOP_HEARTBEAT_DIR)
            worker.run()  # batch: every ready task, then back here
            close_old_connections()
            if worker.running:
                time.sleep(interval)

    def _redis(self, queues):
        def beat():
            import django_rq

            while True:
                try:
                    django_rq.get_connection(queues[0]).ping()
                    heartbeat_touch("worker", settings.OCOP_HEARTBEAT_DIR)
                except Exception:  # Redis away: the heartbeat goes stale and the health check says so
                    pass
                time.sleep(30)

        threading.Thread(target=beat, name="heartbeat", daemon=True).start()
        call_command("rqworker", *queues, job_class="django_tasks_rq.Job", with_scheduler=True)

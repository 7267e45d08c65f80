"""``manage.py run_scheduler``: run the periodic jobs (shop/tasks/schedule.py) at their times, forever.

``--once`` runs every job that is due now, once, and exits (tests, or a cron line instead of this process).
SIGTERM (``docker compose stop``) lets the job in hand finish, then exits. Each pass touches the heartbeat file
``$OCOP_HEARTBEAT_DIR/ocop-scheduler.alive`` that the container's health check reads.
"""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from shop.tasks.probe import heartbeat_touch
from shop.tasks.schedule import jobs, run_due


class Command(BaseCommand):
    help = "Chạy các việc định kỳ (nhắc lịch livestream, huỷ đơn quá hạn, báo chủ thể...) đúng giờ."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run the jobs that are due now once, then exit")
        parser.add_argument("--tick", type=float, default=15, help="seconds between two looks at the schedule")

    def handle(self, *args, once=False, tick=15, **options):
        if once:
            self._report(run_due())
            return
        self.stopping = False
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._stop)
        self.stdout.write("scheduler: " + ", ".join(f"{job.name} ({job.command})" for job in jobs()))
        from django.conf import settings

        while not self.stopping:
            close_old_connections()  # a connection the database dropped is reopened on the next pass
            self._report(run_due())
            heartbeat_touch("scheduler", settings.OCOP_HEARTBEAT_DIR)
            waited = 0.0
            while waited < tick and not self.stopping:
                time.sleep(min(1.0, tick - waited))
                waited += 1.0
        self.stdout.write("scheduler: stopped")

    def _stop(self, signum, frame):
        self.stopping = True

    def _report(self, ran):
        for name, ok in ran.items():
            self.stdout.write(f"{name}: {'ok' if ok else 'FAILED'}")

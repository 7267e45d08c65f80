"""The periodic jobs and how the scheduler runs them (``manage.py run_scheduler``).

Every job is an idempotent management command. Each has its own interval, or a local time of day
(Asia/Ho_Chi_Minh); each runs in its own ``try`` (one failing job never stops the others) and records how it went
on its :class:`~shop.tasks.models.ScheduledJob` row.

Several schedulers (replicas) may run at once: a run is claimed by moving the row's ``next_run_at`` on with a
conditional UPDATE (only one replica's UPDATE matches, so each slot runs once), and on PostgreSQL a session
advisory lock per job is held while it runs (a job slower than its interval is never run twice at once; the lock
goes with a dead process's connection). On SQLite a single scheduler is assumed (one machine): the claim still makes
each slot run once, and one scheduler runs its jobs one after the other.

A job never run before is due at once (the daily ones run on the scheduler's first start, then at their time); a
daily job whose time passed while no scheduler ran runs once when one starts again, not once per missed day.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import time
import zlib
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

logger = logging.getLogger("shop.tasks.scheduler")

LOCK_NAMESPACE = 20_251_111  # the first int of pg_try_advisory_lock(int, int): ours, apart from other users' locks


@dataclass(frozen=True)
class Job:
    name: str
    command: str
    args: tuple[str, ...] = ()
    every: dt.timedelta | None = None
    daily_at: dt.time | None = None  # local time

    def next_run(self, now: dt.datetime) -> dt.datetime:
        """The first slot after ``now``."""
        if self.every is not None:
            return now + self.every
        local = timezone.localtime(now)
        slot = timezone.make_aware(dt.datetime.combine(local.date(), self.daily_at))
        return slot if slot > now else timezone.make_aware(
            dt.datetime.combine(local.date() + dt.timedelta(days=1), self.daily_at)
        )

    def first_run(self, now: dt.datetime) -> dt.datetime:
        """A job seen for the first time is due now."""
        return now


def daily_time() -> dt.time:
    hours, _, minutes = str(getattr(settings, "OCOP_SCHEDULER_DAILY_AT", "06:00")).partition(":")
    return dt.time(int(hours), int(minutes or 0))


def jobs() -> list[Job]:
    minute, daily = dt.timedelta(minutes=1), daily_time()
    every = [
        Job("live-reminders", "send_live_reminders", every=minute),
        Job("unpaid-orders", "expire_unpaid_orders", every=5 * minute),
        Job("uncollected-pickups", "expire_uncollected_pickups", every=5 * minute),
        Job("task-upkeep", "tasks_maintain", every=5 * minute),
        # Certificates that start or end today change listings without any write: just after midnight.
        Job("listings-due", "listings_refresh", ("--due",), daily_at=dt.time(0, 5)),
        Job("producer-notices", "notify_producers", daily_at=daily),
        Job("privacy-purge", "privacy_purge", daily_at=daily),
    ]
    if getattr(settings, "OCOP_TASKS_BACKEND", "") == "database":
        every.append(Job("task-results-prune", "prune_db_task_results", daily_at=daily))
    return every


# ---------------------------------------------------------------- claiming and locking
def job_claim(job: Job, *, now: dt.datetime) -> bool:
    """True when this scheduler runs ``job``'s due slot (and the next slot is booked); False when it is not due or
    another scheduler took it first."""
    from .models import ScheduledJob

    ScheduledJob.objects.get_or_create(name=job.name, defaults={"next_run_at": job.first_run(now)})
    return bool(
        ScheduledJob.objects.filter(name=job.name, next_run_at__lte=now).update(
            next_run_at=job.next_run(now), last_started_at=now
        )
    )


@contextmanager
def job_lock(job: Job):
    """Yields True when no other scheduler is running ``job`` (PostgreSQL: an advisory lock held meanwhile)."""
    if connection.vendor != "postgresql":
        yield True
        return
    key = zlib.crc32(job.name.encode()) & 0x7FFFFFFF
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, key])
        locked = cursor.fetchone()[0]
    try:
        yield locked
    finally:
        if locked:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, key])
            except Exception:  # the connection went away, and the lock with it
                logger.warning("scheduler: could not release the lock of job %s", job.name)


def job_run(job: Job) -> tuple[bool, str]:
    """Run the command; (succeeded, what it printed or which exception stopped it). Never raises."""
    out = io.StringIO()
    started = time.monotonic()
    try:
        call_command(job.command, *job.args, stdout=out, stderr=out)
    except BaseException as error:  # noqa: BLE001  (a command calling sys.exit must not stop the scheduler)
        if isinstance(error, KeyboardInterrupt):
            raise
        logger.exception("scheduler: job %s failed after %.1f s (%s)", job.name, time.monotonic() - started,
                         type(error).__name__)
        return False, f"{type(error).__name__}: {error}"[:500]
    output = " | ".join(line.strip() for line in out.getvalue().splitlines() if line.strip())
    logger.info("scheduler: job %s done in %.1f s: %s", job.name, time.monotonic() - started, output[:200])
    return True, output[:500]


def run_due(*, now: dt.datetime | None = None) -> dict[str, bool]:
    """Run every job that is due, each once; {job name: succeeded} for those this scheduler ran."""
    from .models import ScheduledJob

    ran = {}
    for job in jobs():
        try:
            with job_lock(job) as free:
                if not free or not job_claim(job, now=now or timezone.now()):
                    continue
                ok, output = job_run(job)
                ScheduledJob.objects.filter(name=job.name).update(
                    last_finished_at=timezone.now(), last_succeeded=ok, last_output=output
                )
                ran[job.name] = ok
        except Exception as error:  # the database itself failed: this job waits for the next pass
            logger.exception("scheduler: could not run job %s (%s)", job.name, type(error).__name__)
            ran[job.name] = False
    return ran

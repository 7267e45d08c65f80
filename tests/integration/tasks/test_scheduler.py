"""`manage.py run_scheduler`: each periodic job at its own interval or local time, one failing job never stops the
others, and of two schedulers only one runs each slot (on PostgreSQL, never the same job at once)."""

import datetime as dt
import io
import threading

import pytest
import time_machine
from django.core.management import call_command, get_commands
from django.utils import timezone

from shop.tasks import schedule
from shop.tasks.models import ScheduledJob
from shop.tasks.schedule import Job

pytestmark = pytest.mark.django_db

MINUTE = dt.timedelta(minutes=1)


def local(day, hour, minute=0, second=0):
    return timezone.make_aware(dt.datetime(2026, 3, day, hour, minute, second))


@pytest.fixture
def test_jobs(monkeypatch):
    """Real, harmless commands: one every minute, one every 5 minutes, one daily at 06:00, and one that fails."""
    jobs = [
        Job("every-minute", "tasks_maintain", every=MINUTE),
        Job("every-five", "expire_uncollected_pickups", every=5 * MINUTE),
        Job("broken", "no_such_command", every=MINUTE),
        Job("daily", "listings_refresh", ("--due",), daily_at=dt.time(6, 0)),
    ]
    monkeypatch.setattr(schedule, "jobs", lambda: jobs)
    return jobs


def once():
    out = io.StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    return sorted(out.getvalue().split("\n"))[1:]


def test_a_failing_job_never_stops_the_others(test_jobs, caplog):
    with time_machine.travel(local(2, 9), tick=False):
        assert once() == ["broken: FAILED", "daily: ok", "every-five: ok", "every-minute: ok"]
    broken = ScheduledJob.objects.get(name="broken")
    assert broken.last_succeeded is False and "Unknown command" in broken.last_output
    daily = ScheduledJob.objects.get(name="daily")
    assert daily.last_succeeded is True and daily.last_output == "0 product rows changed"
    assert "scheduler: job broken failed" in caplog.text


def test_each_job_runs_at_its_own_interval_and_time(test_jobs):
    with time_machine.travel(local(2, 9), tick=False) as clock:
        assert len(once()) == 4  # never run before: all due at once
        clock.shift(dt.timedelta(seconds=30))
        assert once() == []
        clock.shift(dt.timedelta(seconds=30))
        assert once() == ["broken: FAILED", "every-minute: ok"]
        clock.move_to(local(2, 9, 5))
        assert once() == ["broken: FAILED", "every-five: ok", "every-minute: ok"]
        clock.move_to(local(3, 5, 59))
        assert "daily: ok" not in once()
        clock.move_to(local(3, 6, 0))
        assert "daily: ok" in once()
        clock.move_to(local(3, 18, 0))
        assert "daily: ok" not in once()
        clock.move_to(local(5, 7, 30))  # no scheduler ran for two days: once, not once per missed day
        assert "daily: ok" in once()
        assert "daily: ok" not in once()
    assert ScheduledJob.objects.get(name="daily").next_run_at == local(6, 6, 0)


def test_a_daily_time_is_local_time():
    job = Job("daily", "notify_producers", daily_at=dt.time(6, 0))
    assert job.next_run(local(2, 5, 59)) == local(2, 6, 0)
    assert job.next_run(local(2, 6, 0)) == local(3, 6, 0)
    assert timezone.localtime(local(2, 6)).utcoffset() == dt.timedelta(hours=7)  # Asia/Ho_Chi_Minh


def test_two_schedulers_run_each_slot_once(test_jobs):
    """Both see the job due; the conditional UPDATE lets one of them claim it."""
    now = timezone.now()
    assert schedule.job_claim(test_jobs[0], now=now) is True
    assert schedule.job_claim(test_jobs[0], now=now) is False
    assert schedule.job_claim(test_jobs[0], now=now + MINUTE) is True


def test_the_schedule_names_every_periodic_job_and_each_command_exists(settings):
    settings.OCOP_SCHEDULER_DAILY_AT = "05:30"
    jobs = {job.name: job for job in schedule.jobs()}
    commands = {(job.command, job.args) for job in jobs.values()}
    assert {
        ("send_live_reminders", ()), ("expire_unpaid_orders", ()), ("expire_uncollected_pickups", ()),
        ("notify_producers", ()), ("listings_refresh", ("--due",)), ("privacy_purge", ()), ("tasks_maintain", ()),
    } <= commands
    assert jobs["live-reminders"].every == MINUTE and jobs["unpaid-orders"].every == 5 * MINUTE
    assert jobs["producer-notices"].daily_at == jobs["privacy-purge"].daily_at == dt.time(5, 30)
    missing = {job.command for job in jobs.values()} - set(get_commands())
    assert not missing, f"the schedule names commands that do not exist: {missing}"


def test_staff_see_what_each_job_did_last_in_the_admin(test_jobs, client, django_user_model):
    with time_machine.travel(local(2, 9), tick=False):
        once()
    admin = django_user_model.objects.create_superuser(email="admin@example.vn", password="pw-1234567")
    client.force_login(admin)
    page = client.get("/django-admin/ocop_tasks/scheduledjob/").content.decode()
    assert "broken" in page and "Unknown command" in page and "every-five" in page


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_job_another_scheduler_is_running_is_left_alone(test_jobs):
    """PostgreSQL: while another scheduler holds a job's advisory lock (its run is slower than the interval), this
    one skips that job and leaves its slot due; it runs once the lock is gone."""
    from django.db import connections

    held, release = threading.Event(), threading.Event()

    def other_scheduler():
        connection = connections.create_connection("default")
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)",
                           [schedule.LOCK_NAMESPACE, schedule.zlib.crc32(b"every-minute") & 0x7FFFFFFF])
            held.set()
            release.wait(30)
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)",  # now, not whenever the server ends the session
                           [schedule.LOCK_NAMESPACE, schedule.zlib.crc32(b"every-minute") & 0x7FFFFFFF])
        connection.close()

    thread = threading.Thread(target=other_scheduler)
    thread.start()
    try:
        assert held.wait(30)
        ran = schedule.run_due()
        assert "every-minute" not in ran and ran["every-five"] is True
        assert not ScheduledJob.objects.filter(name="every-minute", last_started_at__isnull=False).exists()
    finally:
        release.set()
        thread.join()
    assert schedule.run_due().get("every-minute") is True

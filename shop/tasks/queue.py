"""Tasks that are retried and, when they have a key, done once.

``@background(key=...)`` turns a module-level function into a django-tasks ``Task`` (same name, same module, so
the worker finds it) whose every run:

- **once per key**: with ``key`` (a function of the task's arguments, e.g. ``"email:order_placed:42"``) the run
  first claims the key (a unique row, :class:`~shop.tasks.models.TaskKey`); a key already done, or held by another
  run right now, makes this run a no-op. The key is marked done right after the work. That is *at-least-once*, not
  exactly-once: a process that dies between the work (the mail server took the mail) and marking the key done leaves
  a claim that is taken over after ``OCOP_TASKS_STALLED_MINUTES``, and the work is done again. Everything else (the
  same task enqueued twice, a retry after a failure, two workers at once) does the work once.
- **retried with backoff**: a run that raises is enqueued again ``OCOP_TASKS_RETRY_SECONDS`` × 4^(attempt-1) later
  (30 s, 2 min, 8 min, 32 min), up to ``OCOP_TASKS_MAX_ATTEMPTS`` attempts in all (5), then gives up with one
  ERROR line on the ``shop.tasks`` logger. The failed attempt itself still ends as FAILED in the queue (its
  traceback is kept there). Exceptions in ``permanent`` (by default a row that no longer exists) are not retried.
  The ``immediate`` backend (tests, or one machine without a worker) cannot run anything later: a failure there is
  logged as final at once, never retried inline (a request should not wait on five tries of a mail server that is
  down).
- **never lost to a queue outage**: :func:`enqueue` runs the task in the calling process when the queue cannot
  take it (the database or Redis unreachable), and never raises into the caller.

The attempt counter and the claim token travel in a reserved keyword argument, ``_ocop``; the task's own arguments
must be JSON values (ids, not model instances) and the work must read current data when it runs.
Log lines name the task, the attempt and the exception's class, never its message (a refused recipient's address
is in it).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks.base import Task
from django_tasks import task as django_task

logger = logging.getLogger("shop.tasks")

RESERVED = "_ocop"


def max_attempts() -> int:
    return max(1, int(getattr(settings, "OCOP_TASKS_MAX_ATTEMPTS", 5)))


def retry_delay(attempt: int) -> dt.timedelta:
    """How long after failed attempt ``attempt`` (1-based) the next one runs: base × 4^(attempt-1), at most 1 h."""
    base = max(0, int(getattr(settings, "OCOP_TASKS_RETRY_SECONDS", 30)))
    return dt.timedelta(seconds=min(base * 4 ** (attempt - 1), 3600))


def stalled_after() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "OCOP_TASKS_STALLED_MINUTES", 30)))


# ---------------------------------------------------------------- once-only keys
def key_claim(*, key: str, token: str) -> bool:
    """True when this run holds ``key`` now: it was free, held by this same delivery (an earlier attempt that could
    not give it back), or held by a run that has been silent for longer than ``OCOP_TASKS_STALLED_MINUTES``."""
    from .models import TaskKey

    now = timezone.now()
    try:
        with transaction.atomic():
            TaskKey.objects.create(key=key, token=token, claimed_at=now)
        return True
    except IntegrityError:
        pass
    taken = (
        TaskKey.objects.filter(key=key, done_at__isnull=True)
        .filter(Q(token=token) | Q(claimed_at__lt=now - stalled_after()))
        .update(token=token, claimed_at=now)
    )
    return bool(taken)


def key_release(*, key: str, token: str) -> None:
    """The work failed: give the key back, so a retry (or the same event enqueued again) can do it."""
    from .models import TaskKey

    TaskKey.objects.filter(key=key, token=token, done_at__isnull=True).delete()


def key_done(*, key: str, token: str) -> None:
    from .models import TaskKey

    now = timezone.now()
    if not TaskKey.objects.filter(key=key).update(token=token, done_at=now):
        TaskKey.objects.get_or_create(key=key, defaults={"token": token, "claimed_at": now, "done_at": now})


def key_is_done(key: str) -> bool:
    from .models import TaskKey

    return TaskKey.objects.filter(key=key, done_at__isnull=False).exists()


# ---------------------------------------------------------------- the decorator
def background(
    func: Callable | None = None,
    *,
    key: Callable[..., str] | None = None,
    permanent: tuple[type[BaseException], ...] = (ObjectDoesNotExist,),
    gave_up_hint: str = "",
):
    """Make ``func`` a retried task (see the module's docstring). ``gave_up_hint`` ends the final-failure log line
    (what an operator can do about it)."""

    def decorate(func: Callable) -> Task:
        holder: list[Task] = []

        @functools.wraps(func)
        def run(*args, **kwargs):
            meta = kwargs.pop(RESERVED, None) or {}
            return _run(holder[0], func, args, kwargs, meta=meta, key=key, permanent=permanent, hint=gave_up_hint)

        holder.append(django_task()(run))
        return holder[0]

    return decorate(func) if func is not None else decorate


def _run(task: Task, func: Callable, args, kwargs, *, meta: dict, key, permanent, hint: str) -> Any:
    attempt = int(meta.get("attempt", 1))
    token = str(meta.get("token") or secrets.token_hex(8))
    claimed = key(*args, **kwargs) if key is not None else None
    if claimed is not None and not key_claim(key=claimed, token=token):
        logger.info("task %s: %s is done or in hand elsewhere; nothing to do", task.name, claimed)
        return None
    try:
        result = func(*args, **kwargs)
    except Exception as error:
        if claimed is not None:
            try:
                key_release(key=claimed, token=token)
            except Exception:
                logger.exception("task %s: could not give back key %s", task.name, claimed)
        _after_failure(task, args, kwargs, attempt=attempt, token=token, error=error, permanent=permanent, hint=hint)
        raise
    if claimed is not None:
        try:
            key_done(key=claimed, token=token)
        except Exception:  # the work is done; a later duplicate may repeat it once the claim goes stale
            logger.exception("task %s: done, but could not record key %s as done", task.name, claimed)
    return result


def _after_failure(task: Task, args, kwargs, *, attempt: int, token: str, error: Exception, permanent, hint: str):
    name, kind = task.name, type(error).__name__
    limit = max_attempts()
    suffix = f" {hint}" if hint else ""
    if isinstance(error, permanent):
        logger.error("task %s gave up at attempt %d: %s is not retried.%s", name, attempt, kind, suffix)
        return
    if attempt >= limit:
        logger.error("task %s gave up after %d attempts: %s.%s", name, attempt, kind, suffix)
        return
    if not task.get_backend().supports_defer:
        logger.error("task %s gave up at attempt %d: %s (backend %s cannot retry later).%s", name, attempt, kind,
                     type(task.get_backend()).__name__, suffix)
        return
    delay = retry_delay(attempt)
    try:
        task.using(run_after=timezone.now() + delay).enqueue(
            *args, **{**kwargs, RESERVED: {"attempt": attempt + 1, "token": token}}
        )
    except Exception:
        logger.exception("task %s gave up at attempt %d: %s, and its retry could not be queued.%s", name, attempt,
                         kind, suffix)
        return
    logger.warning("task %s attempt %d of %d failed: %s; retrying in %d s", name, attempt, limit, kind,
                   delay.total_seconds())


def enqueue(task: Task, *args, **kwargs) -> None:
    """Queue ``task``; when the queue cannot take it, run it here and now. Never raises: call it after the commit
    (``transaction.on_commit``), and the caller's work stands whatever happens to this."""
    try:
        task.enqueue(*args, **kwargs)
        return
    except Exception as error:
        logger.error("could not queue task %s (%s); running it now", task.name, type(error).__name__)
    try:
        task.call(*args, **kwargs)
    except Exception as error:  # _run has logged what it will do about it
        logger.warning("task %s failed when run in place of queuing: %s", task.name, type(error).__name__)

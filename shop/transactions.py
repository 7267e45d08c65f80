"""Work after a commit, once per transaction."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction


def pending_on_commit(kind: type, *, using: str | None = None, where: Callable[[object], bool] = lambda _c: True):
    """The callback of this kind the current transaction will run after its commit and has not run yet, or None
    (also outside a transaction). A callback dropped by a savepoint rollback is no longer pending, so a write
    after the rollback registers a new one."""
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        return None
    for entry in getattr(connection, "run_on_commit", ()):
        callback = entry[1] if isinstance(entry, tuple) and len(entry) > 1 else None
        if isinstance(callback, kind) and not getattr(callback, "done", False) and where(callback):
            return callback
    return None

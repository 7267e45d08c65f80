"""Log lines an operator can search and nobody's personal data in them.

- ``RequestContextFilter`` stamps every record with the request id (and the request's method and path) of the
  request being served in this thread or task, from the context ``RequestIdMiddleware`` sets; ``None`` outside.
- ``RedactPersonalDataFilter`` formats the message itself and masks phone numbers, email addresses and personal
  keys' values in it, in mapping args, in extras and in the exception's traceback text (shop/observability/
  redaction.py has the rules). It sits on the handler, so records propagated from every logger pass through it.
- ``JsonFormatter``: one JSON object per line (python-json-logger): time (UTC, ISO 8601), level, logger, message,
  request_id, then the record's extras (method, path, status, duration_ms for the access log) and ``exc_info``.
- ``TextFormatter``: the same, readable, for development and tests.

``config/settings/base.py`` wires them in ``LOGGING`` (DJANGO_LOG_FORMAT chooses the formatter).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from contextvars import ContextVar, Token
from dataclasses import dataclass

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonEncoder
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

from .redaction import REDACTED, is_personal_key, redact, redact_text


# ---------------------------------------------------------------- the request being served
@dataclass(frozen=True)
class RequestContext:
    request_id: str
    method: str
    path: str


_current: ContextVar[RequestContext | None] = ContextVar("ocop_request_context", default=None)


def request_context_set(*, request_id: str, method: str, path: str) -> Token:
    return _current.set(RequestContext(request_id=request_id, method=method, path=path))


def request_context_reset(token: Token) -> None:
    _current.reset(token)


def request_context() -> RequestContext | None:
    return _current.get()


def _from_django_request(request) -> RequestContext | None:
    request_id = getattr(request, "request_id", None)
    if not isinstance(request_id, str):
        return None
    from .middleware import loggable_path

    return RequestContext(request_id=request_id, method=getattr(request, "method", "") or "",
                          path=loggable_path(getattr(request, "path", "") or ""))


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        context = _current.get()
        if context is None:
            # Django logs a 4xx/5xx response ("Bad Request: /path") after the middleware has returned, with the
            # request in the record: its id is on it.
            context = _from_django_request(getattr(record, "request", None))
        if not getattr(record, "request_id", None):
            record.request_id = context.request_id if context else None
        if context is not None:
            if not hasattr(record, "method"):
                record.method = context.method
            if not hasattr(record, "path"):
                record.path = context.path
        return True


# ---------------------------------------------------------------- personal data out
_STANDARD = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime", "taskName"}
# Set by us or by Django, never personal: left alone (a request id must stay searchable).
_KEPT = frozenset({"request_id", "method", "status", "status_code", "duration_ms", "request", "server_time"})


class RedactPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_ocop_redacted", False):  # one record, several handlers
            return True
        record._ocop_redacted = True
        self._message(record)
        for key, value in list(record.__dict__.items()):
            if key in _STANDARD or key in _KEPT or key.startswith("_"):
                continue
            if is_personal_key(key) and value not in (None, ""):
                setattr(record, key, REDACTED)
            elif isinstance(value, str | Mapping | list | tuple):
                setattr(record, key, redact(value))
        if record.exc_info and record.exc_info[0] is not None:
            # The traceback as text, masked: logging's formatters print a record's exc_text when it has one (ours
            # too), so the exception itself stays on the record for whoever inspects it (Sentry, tests).
            record.exc_text = redact_text(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact_text(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_text(record.stack_info)
        return True

    @staticmethod
    def _message(record: logging.LogRecord) -> None:
        if isinstance(record.msg, Mapping):  # logger.info({"event": ..., "phone": ...})
            record.msg = redact(dict(record.msg))
            return
        args = record.args
        if isinstance(args, Mapping):  # logger.info("%(email)s", {"email": ...}): masked by key first
            args = redact(dict(args))
        try:
            message = str(record.msg) % args if args else str(record.msg)
        except (TypeError, ValueError, KeyError):
            return  # a broken call: logging reports it as usual (and our text formatter masks what it prints)
        record.msg = redact_text(message)
        record.args = None


# ---------------------------------------------------------------- formatters
def _utc_iso(created: float) -> str:
    return dt.datetime.fromtimestamp(created, tz=dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class _Encoder(JsonEncoder):
    """Objects passed as extras are written as their text, masked (a model's str may be a person's name)."""

    def default(self, o):
        value = super().default(o)
        return redact_text(value) if isinstance(value, str) else value


class JsonFormatter(_JsonFormatter):
    FIELDS = ["levelname", "name", "message", "request_id"]

    def __init__(self, **kwargs):
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "taskName", "request", "server_time", "request_tag",
                                             "_ocop_redacted"])
        kwargs.setdefault("json_encoder", _Encoder)
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(self.FIELDS, **kwargs)

    def format(self, record: logging.LogRecord) -> str:
        if record.exc_info and record.exc_text:  # masked by RedactPersonalDataFilter: print that, not the exception
            exc_info, record.exc_info = record.exc_info, None
            try:
                return super().format(record)
            finally:
                record.exc_info = exc_info
        return super().format(record)

    def add_fields(self, log_data, record, message_dict):
        log_data["time"] = _utc_iso(record.created)
        super().add_fields(log_data, record, message_dict)


class TextFormatter(logging.Formatter):
    def __init__(self, fmt=None, datefmt=None, style="%", **kwargs):
        super().__init__(fmt or "%(asctime)s %(levelname)s %(name)s [%(request_tag)s] %(message)s", datefmt, style,
                         **kwargs)

    def format(self, record: logging.LogRecord) -> str:
        record.request_tag = getattr(record, "request_id", None) or "-"
        return super().format(record)

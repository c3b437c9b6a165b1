"""One log line per event: text or JSON, with the Celery task id and name, addresses redacted."""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import Any

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s%(task_label)s %(message)s"
FORMATS = ("text", "json")
EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# LogRecord's own attributes; anything else on a record came in through `extra=`.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}
_TASK_FIELDS = {"task_id", "task_name", "task_label"}
_HANDLER_NAME = "tickler"
# What the last configure_logging chose; Celery's signals, connected once, read it.
_current = {"level": "INFO", "format": "text"}


def redact(text: str) -> str:
    """Addresses never reach a log: people are named by their user id instead."""
    return EMAIL_ADDRESS.sub("<email>", text)


class TaskContextFilter(logging.Filter):
    """Put the running Celery task's id and name on every record (empty outside a task),
    and take email addresses out of the message."""

    def filter(self, record: logging.LogRecord) -> bool:
        from celery import current_task

        task = current_task
        request = getattr(task, "request", None) if task else None
        task_id = getattr(request, "id", None) or ""
        task_name = (getattr(task, "name", None) or "") if request is not None and task_id else ""
        record.task_id, record.task_name = task_id, task_name
        record.task_label = f" [{task_name} {task_id}]" if task_id else ""
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class TextFormatter(logging.Formatter):
    """The text line; tracebacks are redacted too (an exception may quote an address)."""

    def format(self, record: logging.LogRecord) -> str:
        # A record that skipped the filter (another handler's) still formats.
        record.__dict__.setdefault("task_label", "")
        return super().format(record)

    def formatException(self, ei: Any) -> str:  # noqa: N802  (logging's name)
        return redact(super().formatException(ei))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, task_id, task_name, extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if task_id := getattr(record, "task_id", ""):
            entry["task_id"] = task_id
            entry["task_name"] = getattr(record, "task_name", "")
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key not in entry and key not in _TASK_FIELDS:
                entry[key] = value if _is_plain(value) else repr(value)
        if record.exc_info:
            entry["exc_info"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, default=str)


def _is_plain(value: object) -> bool:
    return isinstance(value, str | int | float | bool | type(None) | list | dict)


def make_formatter(log_format: str) -> logging.Formatter:
    if log_format == "json":
        return JsonFormatter()
    return TextFormatter(TEXT_FORMAT)


def configure_logging(level: str = "INFO", log_format: str = "text") -> logging.Handler:
    """Replace the root logger's handlers with one on stderr; idempotent, so the web app and
    every Celery process can call it on start."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == _HANDLER_NAME or getattr(handler, "_tickler", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_HANDLER_NAME)
    install(handler, log_format)
    root.addHandler(handler)
    root.setLevel(level.upper())
    _current.update(level=level.upper(), format=log_format)
    # Alembic announces each of its plugins at INFO on every start.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    return handler


def install(handler: logging.Handler, log_format: str) -> None:
    """Give an existing handler (Celery's, pytest's) Tickler's format and filter."""
    handler.setFormatter(make_formatter(log_format))
    if not any(isinstance(f, TaskContextFilter) for f in handler.filters):
        handler.addFilter(TaskContextFilter())


def reformat_celery_logger(logger: logging.Logger, **_: object) -> None:
    """Celery sets up its own loggers in the worker and beat; give them our format and level."""
    for handler in logger.handlers:
        install(handler, _current["format"])
    logger.setLevel(_current["level"])


def connect_celery_signals() -> None:
    from celery.signals import after_setup_logger, after_setup_task_logger

    for signal in (after_setup_logger, after_setup_task_logger):
        # Celery's Signal has a `name`; celery-types leaves it out.
        uid = f"tickler-{signal.name}"  # type: ignore[attr-defined]
        signal.connect(reformat_celery_logger, weak=False, dispatch_uid=uid)

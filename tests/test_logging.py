"""Logs: one line per event, JSON when asked, task id and name from the worker, no addresses."""

from __future__ import annotations

import io
import json
import logging
import re
import sys
from datetime import timedelta

import pytest

from app import ConfigError
from app.core.database import utcnow
from app.core.logging_setup import TaskContextFilter, configure_logging, install, make_formatter
from app.tasks.task_management import fetch_and_print_overdue_tasks, send_task_reminders
from tests.jobs_helpers import run_job

ADDRESS = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


class RawRecords(logging.Handler):
    """Tickler's own records as the code wrote them, before any redaction."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture
def captured():
    """The root logger's output as an operator would see it with LOG_FORMAT=json, and the raw
    messages of every `app.*` logger."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    install(handler, "json")
    raw = RawRecords()
    root, ours = logging.getLogger(), logging.getLogger("app")
    root.addHandler(handler)
    ours.addHandler(raw)
    yield stream, raw
    root.removeHandler(handler)
    ours.removeHandler(raw)


@pytest.fixture
def late_tasks(make):
    ann = make.user(email="ann.lee@example.com", name="Ann Lee")
    bob = make.user(email="bob@example.org", name="Bob")
    project = make.project(ann, members=(bob,))
    now = utcnow()
    make.task(project, ann, title="Soon", assignee_id=ann, due_at=now + timedelta(hours=3))
    make.task(project, ann, title="Late", assignee_id=bob, due_at=now - timedelta(days=1))
    return {"ann": ann, "bob": bob}


@pytest.mark.worker
def test_a_digest_run_logs_json_lines_with_task_ids_and_never_an_address(
    app, celery_worker, smtp, captured, late_tasks
):
    stream, raw = captured
    # A refusal quoting the address, as real servers do, must not carry it into the logs.
    smtp.handler.refuse_recipients["bob@example.org"] = "550 5.1.1 <bob@example.org> unknown"
    run_job(app, send_task_reminders)
    run_job(app, fetch_and_print_overdue_tasks)
    assert len(smtp.wait_for(1)) == 1

    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines, "the run logged nothing"
    for entry in lines:
        assert {"time", "level", "logger", "message"} <= entry.keys()
    chunks = [e for e in lines if e["logger"] == "app.notifications.jobs"]
    assert chunks and all(
        e["task_name"] == "app.tasks.notifications.send_digest_chunk" and e["task_id"]
        for e in chunks
    )
    overdue = [e for e in lines if e["message"].startswith("overdue: ")]
    assert overdue and overdue[0]["task_name"].endswith("fetch_and_print_overdue_tasks")
    assert f"assignee {late_tasks['bob']}" in overdue[0]["message"]

    assert not ADDRESS.search(stream.getvalue()), "an address reached the log output"
    assert raw.messages and not any(ADDRESS.search(m) for m in raw.messages)


def test_lines_outside_a_task_have_no_task_fields_and_extras_are_kept():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    install(handler, "json")
    logger = logging.getLogger("tests.logging.extras")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("mail to %s bounced", "ann@example.com", extra={"user_id": 7})
        logger.error("two\nlines")
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["message"] == "mail to <email> bounced" and first["user_id"] == 7
    assert "task_id" not in first and first["level"] == "WARNING"
    assert second["message"] == "two\nlines", "one JSON object per line, newlines escaped"


def test_text_lines_outside_a_task_carry_empty_task_fields():
    record = logging.makeLogRecord({"msg": "hello", "levelname": "INFO", "name": "x"})
    TaskContextFilter().filter(record)
    assert record.task_id == "" and record.task_name == "" and record.task_label == ""
    assert make_formatter("text").format(record).endswith(" INFO x hello")


def test_tracebacks_lose_their_addresses_too():
    try:
        raise ValueError("no mailbox for ann@example.com")
    except ValueError:
        record = logging.makeLogRecord(
            {"msg": "failed", "levelname": "ERROR", "name": "x", "exc_info": sys.exc_info()}
        )
    for log_format in ("text", "json"):
        line = make_formatter(log_format).format(record)
        assert "ValueError" in line and "ann@example.com" not in line


def test_log_level_and_format_come_from_settings(make_app):
    root = logging.getLogger()
    try:
        make_app(LOG_LEVEL="WARNING", LOG_FORMAT="json")
        assert root.level == logging.WARNING
        [ours] = [h for h in root.handlers if h.get_name() == "tickler"]
        stream = io.StringIO()
        ours.setStream(stream)
        logging.getLogger("app.example").info("not shown")
        logging.getLogger("app.example").warning("shown")
        assert [json.loads(line)["message"] for line in stream.getvalue().splitlines()] == ["shown"]
    finally:
        configure_logging("INFO", "text")


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("LOG_FORMAT", "xml", "LOG_FORMAT must be one of text, json"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL must be"),
    ],
)
def test_bad_log_settings_stop_the_app_with_a_clear_message(make_app, setting, value, message):
    try:
        with pytest.raises(ConfigError, match=message):
            make_app(**{setting: value})
    finally:
        configure_logging("INFO", "text")

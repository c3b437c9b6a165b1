"""Inbound mail fixtures: Tickler's inbound address turned on, a team with a task, the answers
a handled message queued (run on demand against the test SMTP server), and for the transport
tests a private Dovecot, mail built by the stdlib and the app pointed at the mailbox."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

import pytest
import time_machine
from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from app.inbound.addresses import reply_address
from app.inbound.models import InboundMessage
from app.inbound.service import Handled, handle_inbound
from app.task_catalog import SEND_INBOUND_ANSWER
from tests.dovecot import Dovecot, private_dovecot

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
INBOUND = "tickler@example.com"


@pytest.fixture
def inbound_app(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Flask:
    monkeypatch.setitem(app.config, "INBOUND_ADDRESS", INBOUND)
    return app


class Answers:
    """Every job a handled message queued after its commit, kept here instead of going to the
    broker; `send_all` runs the answers (through the real SMTP server), `run` any job."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.jobs: list[tuple[Any, tuple, dict]] = []

    @property
    def queued(self) -> list[tuple[Any, tuple, dict]]:
        return [job for job in self.jobs if job[0].name == SEND_INBOUND_ANSWER.name]

    def run(self, name: str) -> int:
        chosen = [job for job in self.jobs if job[0].name == name]
        self.jobs = [job for job in self.jobs if job[0].name != name]
        with self.app.app_context():
            for task, args, kwargs in chosen:
                task.apply(args=args, kwargs=kwargs)
        return len(chosen)

    def send_all(self) -> int:
        return self.run(SEND_INBOUND_ANSWER.name)


@pytest.fixture
def answers(inbound_app: Flask, monkeypatch: pytest.MonkeyPatch) -> Answers:
    recorder = Answers(inbound_app)
    monkeypatch.setattr(
        "app.core.queueing.publish",
        lambda task, args, kwargs: recorder.jobs.append((task, args, kwargs)),
    )
    return recorder


@pytest.fixture
def team(make: Any, inbound_app: Flask) -> dict[str, int]:
    ann = make.user(email="ann@example.com", name="Ann Lee")
    bob = make.user(email="bob@example.com", name="Bob Builder")
    project = make.project(ann, members=(bob,))
    task = make.task(project, ann, title="Paint the shed", assignee_id=ann)
    return {"ann": ann, "bob": bob, "project": project, "task": task}


def reply_to(app: Flask, user_id: int, task_id: int, issued: date | None = None) -> str:
    with app.app_context():
        return reply_address(app.config, user_id, task_id, issued or NOW.date())


def plain(
    sender: str, to: str, body: str, subject: str = "Re: Paint the shed", **headers: str
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="mail.example.org")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message.as_bytes()


def handle(app: Flask, raw: bytes, envelope: tuple[str, ...] = (), now: datetime = NOW) -> Handled:
    with time_machine.travel(now, tick=False), app.app_context():
        return handle_inbound(db.session, raw, "test", envelope)


INBOUND_ADDRESS = "tickler@example.test"


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    # Not under pytest's tmp_path: its folders are private to root, and Dovecot's auth and
    # login processes run as users of their own that must read the password file.
    folder = Path(tempfile.mkdtemp(prefix="tickler-dovecot-"))
    try:
        with private_dovecot(folder) as server:
            yield server
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def configure(app: Flask) -> Iterator[Callable[..., None]]:
    """Set inbound settings on the session's app for this test only."""
    saved: dict[str, Any] = {}

    def set_(**settings: Any) -> None:
        for name, value in settings.items():
            saved.setdefault(name, app.config.get(name))
            app.config[name] = value

    set_(INBOUND_ADDRESS=INBOUND_ADDRESS)
    yield set_
    app.config.update(saved)


def build_message(number: int, to: str = "tickler+p-abc@example.test", size: int = 0) -> bytes:
    """A plain email as a mail client would write it, with its own Message-ID."""
    message = EmailMessage()
    message["From"] = f"Person {number} <person{number}@example.test>"
    message["To"] = to
    message["Subject"] = f"Message number {number}"
    message["Date"] = format_datetime(datetime(2026, 3, 1, 9, number % 60, tzinfo=UTC))
    message["Message-ID"] = make_msgid(f"m{number}", domain="client.example.test")
    message.set_content(f"Body of message {number}.\n" + "x" * size)
    return message.as_bytes()


def append(server: Dovecot, *messages: bytes, folder: str = "INBOX") -> None:
    with server.mailbox() as box:
        for raw in messages:
            box.append(raw, folder)


def folder_uids(server: Dovecot, folder: str) -> list[str]:
    with server.mailbox() as box:
        if not box.folder.exists(folder):
            return []
        box.folder.set(folder)
        return list(box.uids("ALL"))


def ledger_count(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(InboundMessage)) or 0)


def ledger_keys(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(InboundMessage.message_key)))

"""Every kind of email Tickler sends, composed by the code that sends it, as raw messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.message import Message

from flask import Flask

from app.accounts import tokens
from app.accounts.emails import TEMPLATES, compose_account_email
from app.accounts.models import User
from app.checklists.queries import ChecklistProgress
from app.core.email.ledger import Claimed
from app.core.email.send import OutgoingEmail, new_message_id, to_mime
from app.core.i18n import in_language
from app.digests.content import (
    Digest,
    overdue_digest,
    reminder_digest,
    report_digest,
    weekly_digest,
    with_task_extras,
)
from app.digests.delivery import PreparedEmail
from app.digests.emails import compose
from app.exports.emails import compose_export_ready
from app.exports.models import Export, ExportFormat, ExportStatus
from app.inbound.answers import compose_answer
from app.inbound.models import InboundMessage
from app.inbound.refusals import Reason
from app.labels.models import LABEL_NAME_MAX_LENGTH
from app.labels.queries import LabelView
from app.notifications.emails import EmailComment, TaskExtras, compose_activity, compose_escalation
from app.projects.invitation_emails import compose_invitation_email
from app.projects.invitation_models import ProjectInvitation
from app.projects.models import Project
from app.tasklist.models import Task, TaskPriority, TaskStatus
from tests.digest_fakes import FakeProject, FakeTask

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
PRIORITIES = list(TaskPriority)


@dataclass(frozen=True)
class SentEmail:
    name: str
    raw: bytes

    @property
    def message(self) -> Message:
        return message_from_bytes(self.raw)

    def part(self, subtype: str) -> str:
        for part in self.message.walk():
            if part.get_content_type() == f"text/{subtype}":
                payload = part.get_payload(decode=True)
                assert isinstance(payload, bytes)
                return payload.decode(part.get_content_charset() or "utf-8")
        raise LookupError(f"{self.name} has no text/{subtype} part")

    @property
    def html(self) -> str:
        return self.part("html")


PROJECT = FakeProject(name="Website relaunch")
# Every listed task carries three labels (one of the longest name allowed) and a checklist: the
# heaviest rows an email can have, for the size limits.
LABELS = [
    LabelView(1, "ops", "#b3261e"),
    LabelView(2, "design review", "#f9d94a"),
    LabelView(3, "x" * LABEL_NAME_MAX_LENGTH, "#3b6ea8"),
]
PROGRESS = ChecklistProgress(3, 5)


def with_labels(digest: Digest | None) -> Digest | None:
    if digest is None:
        return None
    ids = digest.task_ids
    return with_task_extras(digest, {i: LABELS for i in ids}, {i: PROGRESS for i in ids})


# The language every person here reads (every_email's `language`): the same emails, each in it.
_language = "en"


def person(**fields: object) -> User:
    """A recipient or actor, reading `_language`."""
    return User(language=_language, **fields)  # type: ignore[arg-type]


def reader() -> User:
    return person(id=7, email="ada@example.org", name="Ada Lovelace", timezone="America/New_York")


def tasks(count: int, first_id: int, due: timedelta, step: timedelta, **fields: object) -> list:
    return [
        FakeTask(
            first_id + n,
            f"Prepare the quarterly budget review for the finance team, part {n + 1}",
            NOW + due + step * n,
            priority=PRIORITIES[n % len(PRIORITIES)],
            project=PROJECT,
            **fields,  # type: ignore[arg-type]
        )
        for n in range(count)
    ]


def digests(count: int) -> dict[str, OutgoingEmail]:
    """Reminder, overdue alert and weekly summary for one person with `count` due soon and
    `count` overdue tasks."""
    user = reader()
    due_soon = tasks(count, 1, timedelta(hours=1), timedelta(hours=20) / max(count, 1))
    overdue = tasks(count, 10_000, -timedelta(days=1), -timedelta(hours=2))
    done = tasks(
        3,
        20_000,
        -timedelta(days=2),
        timedelta(hours=1),
        status=TaskStatus.COMPLETED,
        completed_at=NOW - timedelta(days=1),
    )
    # The jobs build each person's digest in that person's language, as here.
    with in_language(user.language):
        built = {
            "task_reminder": with_labels(reminder_digest(due_soon, NOW, user.timezone)),
            "overdue_alert": with_labels(overdue_digest(overdue, NOW, user.timezone)),
            "weekly_summary": with_labels(
                weekly_digest([*due_soon, *overdue, *done], NOW, user.timezone)
            ),
        }
    emails = {}
    for number, (name, digest) in enumerate(built.items()):
        assert digest is not None
        claimed = Claimed(number + 1, user.id, "2026-11-25", new_message_id(), 0)
        emails[name] = compose(PreparedEmail(claimed, user, digest))
    return emails


def daily_report() -> OutgoingEmail:
    report = {
        "open": 42,
        "overdue": 7,
        "completed_yesterday": 5,
        "total": 120,
        "by_status": {"pending": 20, "in_progress": 15, "blocked": 7, "completed": 78},
        "open_by_priority": {"critical": 3, "high": 9, "medium": 20, "low": 10},
        "by_project": [
            {"project": "Website relaunch", "open": 30, "overdue": 5, "total": 80},
            {"project": "Office move", "open": 12, "overdue": 2, "total": 40},
        ],
        "bouncing": [
            {
                "name": "Ana Souza",
                "email": "ana.souza@example.com",
                "since": "2026-11-23",
                "reason": "550 5.1.1 <ana.souza@example.com>: Recipient address rejected: "
                "User unknown in local recipient table",
            }
        ],
    }
    admin = person(id=1, email="admin@example.org", name="Grace Hopper", timezone="Europe/Berlin")
    claimed = Claimed(99, admin.id, "2026-11-24", new_message_id(), 0)
    with in_language(admin.language):
        digest = report_digest(report, "2026-11-24")
    return compose(PreparedEmail(claimed, admin, digest))


def task_activity() -> OutgoingEmail:
    project = Project(id=3, name="Website relaunch")
    task = Task(
        id=11,
        title="Write the launch announcement",
        project=project,
        status=TaskStatus.IN_PROGRESS,
        priority=TaskPriority.HIGH,
        due_at=NOW + timedelta(days=2),
    )
    events = [
        "Grace Hopper assigned this task to you.",
        "Grace Hopper changed the due date to Fri 27 Nov 2026, 03:00 New York time.",
        "Grace Hopper commented: “Can you add the new pricing table before Friday?”",
    ]
    comment = EmailComment(
        "Grace Hopper",
        "Can you add the new **pricing table** before Friday?\n\n"
        "- monthly and yearly\n- the `team` plan\n\nDraft: https://example.org/pricing",
    )
    return compose_activity(
        reader(),
        task,
        events,
        anchor="comment-5",
        comments=[comment],
        extras=TaskExtras(tuple(LABELS), PROGRESS),
    )


def task_escalation() -> OutgoingEmail:
    """A project owner told that someone else's task is five days late."""
    project = Project(id=3, name="Website relaunch")
    assignee = person(id=8, email="bob@example.org", name="Bob Builder", timezone="UTC")
    task = Task(
        id=12,
        title="Sign the hosting contract",
        project=project,
        project_id=3,
        assignee=assignee,
        assignee_id=8,
        status=TaskStatus.IN_PROGRESS,
        priority=TaskPriority.CRITICAL,
        due_at=NOW - timedelta(days=5),
    )
    events = ["“Sign the hosting contract” is 5 days overdue; Bob Builder has it."]
    return compose_escalation(reader(), task, events, NOW, TaskExtras(tuple(LABELS[:1])))


def export_ready() -> OutgoingEmail:
    export = Export(
        id=9,
        user_id=7,
        project_id=3,
        format=ExportFormat.CSV,
        status=ExportStatus.DONE,
        rows_written=1234,
        expires_at=NOW + timedelta(hours=24),
    )
    return compose_export_ready(export, reader())


def account_emails() -> dict[str, OutgoingEmail]:
    user = reader()
    user.password_hash = "scrypt:32768:8:1$salt$hash"
    return {
        TEMPLATES[purpose]: compose_account_email(purpose, user)
        for purpose in (
            tokens.PASSWORD_RESET,
            tokens.EMAIL_VERIFICATION,
            tokens.ALREADY_REGISTERED,
            tokens.PASSWORD_CHANGED,
            tokens.ADDRESS_RESUME,
        )
    }


def invitations() -> dict[str, OutgoingEmail]:
    inviter = person(id=1, email="grace@example.org", name="Grace Hopper", timezone="UTC")
    invitation = ProjectInvitation(
        id=5,
        email="new.person@example.org",
        project=Project(id=3, name="Website relaunch"),
        invited_by=inviter,
    )
    return {
        f"project_invitation_{'member' if known else 'newcomer'}": compose_invitation_email(
            invitation, "token-with--dashes_and.dots", has_account=known
        )
        for known in (True, False)
    }


def inbound_answers() -> dict[str, OutgoingEmail]:
    """The answer to a refused inbound message, with a link and without one."""
    row = InboundMessage(
        id=11,
        message_key="<CAF=reply.1@mail.example.org>",
        sender="eve@example.org",
        subject="Re: Paint the shed before the winter comes, and buy the blue paint",
        detail="",
        answer_message_id="<tickler.answer.11.0a1b2c3d@example.com>",
    )
    return {
        "inbound_refused_link": compose_answer(
            row, Reason.WRONG_SENDER, "http://localhost/task/12345", _language
        ),
        "inbound_refused": compose_answer(row, Reason.MAIL_IN_STRANGER, "", _language),
    }


def inbound_emails(app: Flask) -> dict[str, OutgoingEmail]:
    """The emails that change with inbound mail on (INBOUND_ADDRESS set), composed so."""
    app.config["INBOUND_ADDRESS"] = "Tickler <tickler@example.org>"
    try:
        few, crowded = digests(3), digests(500)
        return {
            "task_activity_inbound": task_activity(),
            "task_escalation_inbound": task_escalation(),
            "task_reminder_inbound": few["task_reminder"],
            "weekly_summary_inbound": few["weekly_summary"],
            "overdue_alert_500_inbound": crowded["overdue_alert"],
        }
    finally:
        app.config["INBOUND_ADDRESS"] = None


def every_email(app: Flask, language: str = "en", crowded: bool = True) -> dict[str, SentEmail]:
    """Name: raw message, for every kind, the digests also with 500 due and 500 overdue
    (unless not `crowded`); every person reads `language`."""
    global _language
    _language = language
    try:
        return _every_email(app, crowded)
    finally:
        _language = "en"


def _every_email(app: Flask, crowded: bool) -> dict[str, SentEmail]:
    with app.app_context(), app.test_request_context():
        outgoing = {
            **digests(3),
            **({f"{name}_500": email for name, email in digests(500).items()} if crowded else {}),
            "daily_report": daily_report(),
            "task_activity": task_activity(),
            "task_escalation": task_escalation(),
            "export_ready": export_ready(),
            **account_emails(),
            **invitations(),
            **inbound_answers(),
            **(inbound_emails(app) if crowded else {}),
        }
        sender = app.config["MAIL_DEFAULT_SENDER"]
        return {
            name: SentEmail(name, to_mime(email, sender, new_message_id()))
            for name, email in outgoing.items()
        }

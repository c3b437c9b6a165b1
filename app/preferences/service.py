"""Which emails a person gets (every choice lives in EmailChoice), and the signed one-click
links that turn off exactly the kind of email they came in."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from babel.lists import format_list
from flask_babel import gettext, lazy_gettext
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import ColumnElement, Exists, and_, or_, select
from sqlalchemy.orm import InstrumentedAttribute

from app.accounts.models import User
from app.core.database import DbSession
from app.core.email.models import EmailKind
from app.core.i18n import current_language
from app.notifications.models import NotificationKind
from app.preferences.models import (
    ALL_DIGESTS,
    ALL_TASK,
    EMAIL,
    OFF_WITHOUT_A_ROW,
    PER_TASK_ALERTS,
    WORKDAYS_ONLY,
    EmailChoice,
)
from app.projects.models import Project, ProjectMember

UNSUBSCRIBE_SALT = "tickler-unsubscribe"
# The kind of the links in task-activity emails sent before choices were exact: they name no
# event kind, so they still turn off every kind of task email, as those emails said.
ACTIVITY = "activity"
# Old emails keep working for a year; after that the preferences page is the way.
UNSUBSCRIBE_MAX_AGE = 365 * 24 * 3600
TASK_KINDS = tuple(kind.value for kind in NotificationKind)


class InvalidToken(ValueError):
    """The link was altered, is too old, or was not made by us."""


@dataclass(frozen=True)
class EmailChoices:
    enabled: dict[EmailKind, bool]
    workdays_only: bool
    paused_until: date | None
    per_task_alerts: bool = False


@dataclass(frozen=True)
class Unsubscribe:
    """What one unsubscribe link is for: a person, the kinds its email was, and the project
    the email was about (task emails only)."""

    user_id: int
    kinds: tuple[str, ...]
    project_id: int | None = None

    @property
    def is_task_email(self) -> bool:
        return all(kind in TASK_KINDS for kind in self.kinds)


def kinds_for(user: User) -> list[EmailKind]:
    """The digest kinds a person can receive: the daily report goes to admins only. (Task
    emails have their own choices, one per event kind.)"""
    return [
        kind
        for kind in EmailKind
        if kind.is_digest and (kind != EmailKind.DAILY_REPORT or user.is_admin)
    ]


def stored_choices(session: DbSession, user_id: int) -> list[EmailChoice]:
    """Every choice row of one person, in one statement."""
    return list(session.scalars(select(EmailChoice).where(EmailChoice.user_id == user_id)))


def choices_for(session: DbSession, user: User) -> EmailChoices:
    """The person's digest kinds and digest settings, from one statement."""
    rows = {
        row.kind: row
        for row in stored_choices(session, user.id)
        if row.channel == EMAIL and row.project_id is None
    }
    pause = rows.get(ALL_DIGESTS)
    return EmailChoices(
        {kind: rows[kind.value].enabled if kind in rows else True for kind in kinds_for(user)},
        _setting(rows, WORKDAYS_ONLY),
        pause.until if pause is not None and not pause.enabled else None,
        _setting(rows, PER_TASK_ALERTS),
    )


def _setting(rows: dict[str, EmailChoice], kind: str) -> bool:
    row = rows.get(kind)
    return row.enabled if row is not None else kind not in OFF_WITHOUT_A_ROW


def set_choice(
    session: DbSession,
    user_id: int,
    kind: str,
    enabled: bool,
    channel: str = EMAIL,
    project_id: int | None = None,
    until: date | None = None,
) -> None:
    """Turn one kind on or off, on one channel, everywhere or (ALL_TASK) in one project."""
    row = session.scalar(
        select(EmailChoice).where(
            EmailChoice.user_id == user_id,
            EmailChoice.kind == str(kind),
            EmailChoice.channel == channel,
            EmailChoice.project_id.is_(None)
            if project_id is None
            else EmailChoice.project_id == project_id,
        )
    )
    if row is None:
        session.add(
            EmailChoice(
                user_id=user_id,
                kind=str(kind),
                channel=channel,
                project_id=project_id,
                enabled=enabled,
                until=until,
            )
        )
    else:
        row.enabled, row.until = enabled, until


def set_enabled(session: DbSession, user_id: int, kind: EmailKind, enabled: bool) -> None:
    set_choice(session, user_id, kind.value, enabled)


def pause_digests(session: DbSession, user_id: int, until: date | None) -> None:
    """No digests up to and including `until`; None: digests as usual."""
    set_choice(session, user_id, ALL_DIGESTS, until is None, until=until)


def save_choices(session: DbSession, user: User, choices: EmailChoices) -> None:
    for kind, enabled in choices.enabled.items():
        set_enabled(session, user.id, kind, enabled)
    set_choice(session, user.id, WORKDAYS_ONLY, choices.workdays_only)
    set_choice(session, user.id, PER_TASK_ALERTS, choices.per_task_alerts)
    pause_digests(session, user.id, choices.paused_until)


def emails_turned_off(
    session: DbSession, user_ids: Collection[int], kinds: Iterable[str], project_ids: Iterable[int]
) -> dict[int, set[tuple[str, int | None]]]:
    """For each person, the (kind, None) they turned off and the (ALL_TASK, project id) they
    muted, among `kinds` and `project_ids`, in one statement (whatever the number of people)."""
    if not user_ids:
        return {}
    kinds, project_ids = {str(k) for k in kinds}, set(project_ids)
    rows = session.execute(
        select(EmailChoice.user_id, EmailChoice.kind, EmailChoice.project_id).where(
            EmailChoice.user_id.in_(set(user_ids)),
            EmailChoice.channel == EMAIL,
            EmailChoice.enabled.is_(False),
            or_(
                and_(EmailChoice.project_id.is_(None), EmailChoice.kind.in_(kinds)),
                and_(EmailChoice.kind == ALL_TASK, EmailChoice.project_id.in_(project_ids)),
            ),
        )
    )
    off: dict[int, set[tuple[str, int | None]]] = defaultdict(set)
    for user_id, kind, project_id in rows:
        off[user_id].add((kind, project_id))
    return dict(off)


def turned_off_now(user_id: ColumnElement[int] | InstrumentedAttribute[int], kind: str) -> Exists:
    """A column saying whether the person of `user_id` turned `kind` off: a caller adds it to
    the statement that loads the people, so reading the choice again costs no statement."""
    return (
        select(EmailChoice.id)
        .where(
            EmailChoice.user_id == user_id,
            EmailChoice.kind == str(kind),
            EmailChoice.channel == EMAIL,
            EmailChoice.project_id.is_(None),
            EmailChoice.enabled.is_(False),
        )
        .exists()
    )


def is_turned_off(off: set[tuple[str, int | None]], kind: str, project_id: int | None) -> bool:
    """Whether a person's turned-off set (from emails_turned_off) stops an email of `kind`."""
    return (str(kind), None) in off or (project_id is not None and (ALL_TASK, project_id) in off)


def project_mutes(session: DbSession, user_id: int) -> list[tuple[int, str, bool]]:
    """(project id, name, muted) for each project this person is a member of, by name, in one
    statement: the preferences page's per-project switches."""
    mute = and_(
        EmailChoice.project_id == Project.id,
        EmailChoice.user_id == user_id,
        EmailChoice.kind == ALL_TASK,
        EmailChoice.channel == EMAIL,
    )
    rows = session.execute(
        select(Project.id, Project.name, EmailChoice.enabled)
        .join(ProjectMember, ProjectMember.project_id == Project.id)
        .outerjoin(EmailChoice, mute)
        .where(ProjectMember.user_id == user_id)
        .order_by(Project.name, Project.id)
    )
    return [(project_id, name, enabled is False) for project_id, name, enabled in rows]


def save_project_mutes(
    session: DbSession, user_id: int, shown: list[tuple[int, str, bool]], muted: set[int]
) -> None:
    """Store the page's per-project switches, writing only those that changed."""
    for project_id, _, was_muted in shown:
        if (project_id in muted) != was_muted:
            mute_project(session, user_id, project_id, project_id in muted)


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(
    secret_key: str, user_id: int, kind: str | Iterable[str], project_id: int | None = None
) -> str:
    """A link that turns off exactly the kind (or, for a task email telling several events,
    the kinds) of the email it came in; a task email's also names its project."""
    kinds = [str(kind)] if isinstance(kind, str) else sorted({str(k) for k in kind})
    data: dict[str, object] = {"u": user_id, "k": kinds[0] if len(kinds) == 1 else kinds}
    if project_id is not None:
        data["p"] = project_id
    return _serializer(secret_key).dumps(data)


def _known_kinds(raw: object) -> tuple[str, ...]:
    kinds = (raw,) if isinstance(raw, str) else tuple(raw)  # type: ignore[arg-type]
    if kinds == (ACTIVITY,):
        return TASK_KINDS
    for kind in kinds:
        if kind not in TASK_KINDS:
            EmailKind(kind)
    if not kinds:
        raise ValueError("no kind")  # i18n: internal
    return tuple(str(kind) for kind in kinds)


def read_unsubscribe_token(secret_key: str, token: str) -> Unsubscribe:
    """What a link we signed is for; InvalidToken for anything else."""
    try:
        data = _serializer(secret_key).loads(token, max_age=UNSUBSCRIBE_MAX_AGE)
        project_id = data.get("p")
        return Unsubscribe(
            int(data["u"]),
            _known_kinds(data["k"]),
            int(project_id) if project_id is not None else None,
        )
    except SignatureExpired:
        raise InvalidToken(gettext("This unsubscribe link has expired.")) from None
    except (BadSignature, KeyError, TypeError, ValueError, AttributeError):
        raise InvalidToken(gettext("This unsubscribe link is not valid.")) from None


def kind_label(kind: str) -> str:
    """A kind as the unsubscribe pages name it, in the current language."""
    words = UNSUBSCRIBE_WORDS.get(kind)
    return str(words) if words is not None else EmailKind(kind).label


# Each kind of email as the unsubscribe pages name it ("Stop sending <this>?"), whole phrases.
UNSUBSCRIBE_WORDS = {
    "assigned": lazy_gettext("emails when a task is assigned to you"),
    "status_changed": lazy_gettext("emails when the status of a task you follow changes"),
    "mentioned": lazy_gettext("emails when someone mentions you in a comment"),
    "commented": lazy_gettext("emails when someone comments on a task you follow"),
    "reminder": lazy_gettext("emails when a reminder you set on a task comes due"),
    "deadline": lazy_gettext("emails when a task of yours enters its last 24 hours"),
    "escalated": lazy_gettext("emails when a task in your project is long overdue"),
    "task_reminder": lazy_gettext("daily reminder of tasks due within 24 hours"),
    "overdue_alert": lazy_gettext("daily alert about overdue tasks"),
    "weekly_summary": lazy_gettext("weekly summary"),
    "daily_report": lazy_gettext("daily task report (admins)"),
    "task_activity": lazy_gettext("task activity (assignments, changes, comments, deadlines)"),
}


def unsubscribe_label(link: Unsubscribe) -> str:
    """What the link turns off, in words of the current language ('A and B')."""
    if link.kinds == TASK_KINDS:
        return gettext("all task emails")
    return format_list([kind_label(kind) for kind in link.kinds], locale=current_language())


def unsubscribe(session: DbSession, link: Unsubscribe) -> None:
    """The one-click unsubscribe: turn off exactly the kinds the link names, nothing more."""
    for kind in link.kinds:
        set_choice(session, link.user_id, kind, False)


def turn_off_all_task_emails(session: DbSession, user_id: int) -> None:
    """Every kind of task email off (the in-app inbox is left as it was)."""
    for kind in TASK_KINDS:
        set_choice(session, user_id, kind, False)


def mute_project(session: DbSession, user_id: int, project_id: int, muted: bool = True) -> None:
    """No task email (or, unmuted, task emails again as the kinds say) about one project."""
    set_choice(session, user_id, ALL_TASK, not muted, project_id=project_id)


def still_turned_off(session: DbSession, link: Unsubscribe) -> bool:
    """Whether everything the link names is off now (so the page can say it is)."""
    off = emails_turned_off(session, {link.user_id}, link.kinds, ()).get(link.user_id, set())
    return all((kind, None) in off for kind in link.kinds)

"""Planning a digest run and preparing each chunk: the rules applied to what the database holds."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import gettext, ngettext
from sqlalchemy import select

from app.accounts.models import User
from app.checklists.queries import progress_for_tasks
from app.core.database import DbSession
from app.core.email import ledger
from app.core.email.ledger import Claimed, Outcome
from app.core.email.models import Delivery, DeliveryStatus, EmailKind
from app.core.i18n import in_language
from app.core.periods import day_words
from app.core.timezones import to_local
from app.digests.content import (
    DEFAULT_MAX_ROWS,
    Digest,
    build_digest,
    report_digest,
    with_task_extras,
)
from app.digests.queries import candidates, recipients_among, tasks_for_digest
from app.digests.reports import latest_report
from app.digests.rules import DigestRule, due_recipients, wants
from app.labels.queries import labels_for_tasks
from app.preferences.service import turned_off_now

if TYPE_CHECKING:
    from app.core.email.send import SendResult


def digest_rules(config: dict) -> dict[EmailKind, DigestRule]:
    return {
        EmailKind.TASK_REMINDER: DigestRule(
            EmailKind.TASK_REMINDER, config["REMINDER_HOUR"], honours_workdays_only=True
        ),
        EmailKind.OVERDUE_ALERT: DigestRule(EmailKind.OVERDUE_ALERT, config["OVERDUE_ALERT_HOUR"]),
        EmailKind.WEEKLY_SUMMARY: DigestRule(
            EmailKind.WEEKLY_SUMMARY,
            config["WEEKLY_SUMMARY_HOUR"],
            weekday=config["WEEKLY_SUMMARY_WEEKDAY"],
            weekly=True,
        ),
        EmailKind.DAILY_REPORT: DigestRule(EmailKind.DAILY_REPORT, 0),
    }


WEEKDAYS = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")
RULE_WORDING = {
    EmailKind.TASK_REMINDER: "assigned tasks due within 24 hours",
    EmailKind.OVERDUE_ALERT: "assigned tasks past their due date",
    EmailKind.WEEKLY_SUMMARY: "the week's tasks",
    EmailKind.DAILY_REPORT: "the daily task report, sent to admins",
}


def describe_rule(rule: DigestRule) -> str:
    """The rule in words, stored with each delivery: why this person got this email."""
    if rule.kind == EmailKind.DAILY_REPORT:
        return RULE_WORDING[rule.kind]
    when = f"at {rule.local_hour:02d}:00 your time"
    if rule.weekday is not None:
        when = f"{WEEKDAYS[rule.weekday]} {when}"
    if rule.honours_workdays_only:
        when += " (workdays only, if you chose so)"
    return f"{RULE_WORDING[rule.kind]}, {when}"


def handled_pairs(
    session: DbSession, kind: EmailKind, pairs: list[tuple[int, str]], now: datetime
) -> set[tuple[int, str]]:
    """Pairs the ledger already has a row for: sent, given up on, or owed. An owed row is the
    sweep's to queue again if its job is lost (app/operations/owed_work.py), never a new plan's."""
    if not pairs:
        return set()
    # By period, not by (person, period) pairs: a run plans for everyone at once, and a row-value
    # IN list of 10,000 pairs exceeds PostgreSQL's stack depth. A run spans a few local days, so
    # this reads at most a few rows per person, kept only if they are among `pairs`.
    wanted = set(pairs)
    rows = session.execute(
        select(Delivery.recipient_id, Delivery.period).where(
            Delivery.kind == kind,
            Delivery.period.in_(sorted({period for _, period in wanted})),
        )
    )
    return {(user_id, period) for user_id, period in rows} & wanted


def plan_digest(
    session: DbSession, rule: DigestRule, now: datetime, *, scheduled: bool
) -> list[tuple[int, str]]:
    """(user id, period) for everyone who should get this digest now, in three statements."""
    recipients = recipients_among(session, candidates(rule.kind, now))
    due = due_recipients(rule, recipients, now, set(), scheduled=scheduled)
    done = handled_pairs(session, rule.kind, due, now)
    return [pair for pair in due if pair not in done]


def plan_report(
    session: DbSession, rule: DigestRule, period: str, now: datetime
) -> tuple[list[tuple[int, str]], int]:
    """Admins who want the daily report for `period` and have not had it; and how many of those
    who want it had it already (a second run the same day emails nobody, and says so)."""
    admins = recipients_among(session, candidates(rule.kind, now))
    wanted = [
        (r.user_id, period) for r in admins if wants(rule, r, to_local(now, r.timezone).date())
    ]
    done = handled_pairs(session, rule.kind, wanted, now)
    return [pair for pair in wanted if pair not in done], len(done)


def report_outcome(period: date, emailed: int, already: int) -> str:
    """What a run of the daily report did with its emails, in words (in the terminal's
    language when a person runs it with celery_utils.py --run-task)."""
    day = day_words(period)
    if emailed and already:
        return ngettext(
            "Emailed the report for %(day)s to %(num)d admin; %(had)s",
            "Emailed the report for %(day)s to %(num)d admins; %(had)s",
            emailed,
            day=day,
            had=ngettext(
                "%(num)d admin had it already.", "%(num)d admins had it already.", already
            ),
        )
    if emailed:
        return ngettext(
            "Emailed the report for %(day)s to %(num)d admin.",
            "Emailed the report for %(day)s to %(num)d admins.",
            emailed,
            day=day,
        )
    if already:
        return ngettext(
            "The report for %(day)s was already emailed today to %(num)d admin; "
            "nobody was emailed again.",
            "The report for %(day)s was already emailed today to %(num)d admins; "
            "nobody was emailed again.",
            already,
            day=day,
        )
    return gettext(
        "No admin wants the daily report (none, or all turned it off); nobody was emailed."
    )


# The ledger's reason for a claimed digest not sent because its person turned the kind off.
TURNED_OFF_REASON = {"skipped": "turned off by the recipient before sending"}
# ... and because a bounce marked the person's address undeliverable since it was planned.
UNDELIVERABLE_REASON = {"skipped": "address undeliverable"}


@dataclass(frozen=True)
class PreparedEmail:
    claimed: Claimed
    user: User
    digest: Digest


def prepare_chunk(
    session: DbSession,
    kind: EmailKind,
    claimed: list[Claimed],
    now: datetime,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> tuple[list[PreparedEmail], list[Claimed], list[tuple[Claimed, dict]]]:
    """Each claimed delivery's digest, fresh from the database, listing at most `max_rows`
    tasks; those with nothing to say; and those whose person turned this kind off since the
    run was planned or whose address bounced since (read again here, in one statement for the
    whole chunk: a bounce arriving while a run sends stops the chunks after it), with why."""
    user_ids = [c.recipient_id for c in claimed]
    rows = session.execute(
        select(User, turned_off_now(User.id, kind.value)).where(
            User.id.in_(user_ids), User.is_active
        )
    ).all()
    why = {user.id: UNDELIVERABLE_REASON for user, _ in rows if not user.can_be_emailed}
    why |= {user.id: TURNED_OFF_REASON for user, off in rows if off and user.id not in why}
    users = {user.id: user for user, off in rows if user.id not in why}
    turned_off = [(c, why[c.recipient_id]) for c in claimed if c.recipient_id in why]
    claimed = [c for c in claimed if c.recipient_id not in why]
    user_ids = [c.recipient_id for c in claimed]
    if not claimed:
        return [], [], turned_off
    if kind == EmailKind.DAILY_REPORT:
        report = latest_report(session, claimed[0].period)
        contents = {
            c.recipient_id: report_in_language(report.data, c.period, users[c.recipient_id])
            if report and c.recipient_id in users
            else None
            for c in claimed
        }
    else:
        tasks = tasks_for_digest(session, kind, user_ids, now)
        built = {
            uid: digest_in_language(kind, tasks.get(uid, []), now, user, max_rows)
            for uid, user in users.items()
        }
        contents = with_labels_and_progress(session, built)
    ready, empty = [], []
    for item in claimed:
        digest = contents.get(item.recipient_id)
        user = users.get(item.recipient_id)
        if digest is None or user is None:
            empty.append(item)
        else:
            ready.append(PreparedEmail(item, user, digest))
    return ready, empty, turned_off


def digest_in_language(
    kind: EmailKind, tasks: list, now: datetime, user: User, max_rows: int
) -> Digest | None:
    """`user`'s digest in their own language: its subject, dates and numbers (the language is
    a column of the user row the chunk loaded, so this costs no statement)."""
    with in_language(user.language):
        return build_digest(kind, tasks, now, user.timezone, max_rows)


def report_in_language(report: dict, period: str, user: User) -> Digest:
    with in_language(user.language):
        return report_digest(report, period)


def with_labels_and_progress(
    session: DbSession, digests: dict[int, Digest | None]
) -> dict[int, Digest | None]:
    """Each digest with its rows' labels and checklist progress: two statements per chunk."""
    ids = {i for digest in digests.values() if digest for i in digest.task_ids}
    labels = labels_for_tasks(session, ids)
    progress = progress_for_tasks(session, ids)
    return {
        uid: with_task_extras(digest, labels, progress) if digest else None
        for uid, digest in digests.items()
    }


def settle_chunk(
    ready: list[PreparedEmail],
    empty: list[Claimed],
    results: list[SendResult],
    rule_text: str | None = None,
    turned_off: list[tuple[Claimed, dict]] | None = None,
) -> list[Outcome]:
    """The ledger outcome of every claimed delivery in a chunk, from what the sender reported,
    with why each person got theirs (the rule and the task ids it listed), and why those who
    turned the kind off before sending got nothing."""
    by_key = {result.key: result for result in results}
    outcomes = [ledger.skipped(item) for item in empty]
    outcomes += [replace(ledger.skipped(item), reason=why) for item, why in turned_off or []]
    for item in ready:
        result = by_key[item.claimed.delivery_id]
        reason = {
            "rule": rule_text or item.digest.kind.label,
            "period": item.claimed.period,
            "task_ids": list(item.digest.task_ids),
        }
        outcomes.append(
            ledger.outcome_for(
                item.claimed, result.outcome, result.message_id, result.error, reason, result.tried
            )
        )
    return outcomes


def retry_pairs(claimed: list[Claimed], outcomes: list[Outcome]) -> list[list]:
    """[user id, period] of the deliveries to try again later."""
    retrying = {o.delivery_id for o in outcomes if o.status == DeliveryStatus.RETRYING}
    return [[c.recipient_id, c.period] for c in claimed if c.delivery_id in retrying]


def tally(outcomes: list[Outcome]) -> dict[str, int]:
    counts = {status.value: 0 for status in DeliveryStatus if status != DeliveryStatus.PENDING}
    for outcome in outcomes:
        counts[outcome.status.value] += 1
    return counts

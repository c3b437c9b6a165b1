"""Who gets which digest, and when: pure rules over people, a moment and their local clocks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from app.core.email.models import EmailKind
from app.core.timezones import to_local

WEEKEND = (5, 6)


@dataclass(frozen=True)
class DigestRule:
    """When a kind of digest is due in a person's own day."""

    kind: EmailKind
    local_hour: int
    # Only on this local weekday (0 = Monday); None for every day.
    weekday: int | None = None
    # Whether "workdays only" applies to this kind.
    honours_workdays_only: bool = False
    weekly: bool = False


@dataclass(frozen=True)
class Recipient:
    """What the rules need to know about a person, read once per job."""

    user_id: int
    timezone: str
    workdays_only: bool = False
    paused_until: date | None = None
    opted_out: frozenset[EmailKind] = frozenset()


def local_period(rule: DigestRule, local_day: date) -> str:
    """The period an email belongs to: the local day, or the ISO week for weekly digests."""
    if rule.weekly:
        year, week, _ = local_day.isocalendar()
        return f"{year}-W{week:02d}"
    return local_day.isoformat()


def period_for(rule: DigestRule, recipient: Recipient, now: datetime) -> str | None:
    """The period `recipient` is due a digest for at `now`, or None if none is due.

    `now` is compared with the person's own clock: the digest is due from the rule's local hour
    until the end of that local day, so a tick missed while beat was down is caught up by the
    next tick on the same day. The ledger, not this rule, stops a second send.
    """
    local = to_local(now, recipient.timezone)
    if not wants(rule, recipient, local.date()):
        return None
    if local.hour < rule.local_hour:
        return None
    if rule.weekday is not None and local.weekday() != rule.weekday:
        return None
    return local_period(rule, local.date())


def period_now(rule: DigestRule, recipient: Recipient, now: datetime) -> str | None:
    """For a run started by hand: the current local period, whatever the hour, if wanted."""
    local = to_local(now, recipient.timezone)
    if not wants(rule, recipient, local.date()):
        return None
    return local_period(rule, local.date())


def wants(rule: DigestRule, recipient: Recipient, local_day: date) -> bool:
    """The person's own choices: opted out, on holiday, or not at weekends."""
    if rule.kind in recipient.opted_out:
        return False
    if recipient.paused_until is not None and local_day <= recipient.paused_until:
        return False
    return not (
        rule.honours_workdays_only and recipient.workdays_only and local_day.weekday() in WEEKEND
    )


def due_recipients(
    rule: DigestRule,
    recipients: Iterable[Recipient],
    now: datetime,
    already_delivered: set[tuple[int, str]],
    *,
    scheduled: bool = True,
) -> list[tuple[int, str]]:
    """(user id, period) for everyone due this digest now and not yet sent it for that period."""
    choose = period_for if scheduled else period_now
    due = []
    for recipient in recipients:
        period = choose(rule, recipient, now)
        if period is not None and (recipient.user_id, period) not in already_delivered:
            due.append((recipient.user_id, period))
    return due


def chunked(items: list, size: int) -> list[list]:
    return [items[start : start + size] for start in range(0, len(items), size)]

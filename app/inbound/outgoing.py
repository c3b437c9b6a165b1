"""What outgoing email carries so mail can come back in: a task email's own Reply-To, a digest
row's "Reply by email" link, and the bounce address (VERP) of an email that has a ledger row.

Everything here is pure (config, ids, a moment): no statement, so a digest chunk can call it for
every row. With INBOUND_ADDRESS unset each function says None (or nothing), and the emails are
exactly as before.

The day a reply token carries is the UTC date the email is composed, for every recipient: the
token's age is counted in days against INBOUND_REPLY_TOKEN_DAYS (180), where a recipient's zone
(a few hours) makes no difference, and UTC is the same on every worker and in every test.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from email.utils import formataddr, parseaddr
from typing import Any
from urllib.parse import quote

from app.inbound.addresses import bounce_address, inbound_enabled, reply_address

# A mailto's subject names the task, shortened: the mail program shows it, the token (in the
# address) says which task it is. Bounded in characters for the eye, and in bytes once
# percent-encoded (a non-Latin title costs 9 bytes a character) for a digest's size.
MAILTO_TITLE_LENGTH = 60
MAILTO_SUBJECT_BYTES = 96


def issued_on(now: datetime) -> date:
    """The day a reply token issued at `now` carries: its UTC date."""
    return now.astimezone(UTC).date()


def task_reply_to(
    config: Mapping[str, Any], user_id: int, task_id: int, now: datetime
) -> str | None:
    """The Reply-To of an email to `user_id` about the one task `task_id`, composed at `now`:
    their signed reply address ("Tickler <tickler+r-…@…>"), or None when inbound mail is off
    (the general Reply-To)."""
    if not inbound_enabled(config):
        return None
    # Named as INBOUND_ADDRESS is ("Tickler"): the reply's To line shows a name, not a token.
    # ASCII only, so it goes through to_mime's parseaddr unchanged (no encoded words).
    name = parseaddr(config["INBOUND_ADDRESS"])[0]
    name = name if name and name.isascii() else "Tickler"
    return formataddr((name, reply_address(config, user_id, task_id, issued_on(now))))


def reply_mailtos(
    config: Mapping[str, Any],
    user_id: int,
    tasks: Iterable[tuple[int, str]],
    now: datetime,
) -> dict[int, str]:
    """{task id: mailto link to `user_id`'s reply address for it, subject "Re: <title>"} for
    the (id, title) rows of a digest; empty when inbound mail is off."""
    if not inbound_enabled(config):
        return {}
    issued = issued_on(now)
    return {
        task_id: mailto(reply_address(config, user_id, task_id, issued), reply_subject(title))
        for task_id, title in tasks
    }


def mailto(address: str, subject: str) -> str:
    """An RFC 6068 mailto URL: the subject percent-encoded as UTF-8, nothing left that an
    `&`, `?` or `#` in a title could turn into another field."""
    return f"mailto:{quote(address, safe='@+')}?subject={_encoded(subject)}"


def reply_subject(title: str) -> str:
    """ "Re: <title>", the title cut (with "…") to MAILTO_TITLE_LENGTH characters and to
    MAILTO_SUBJECT_BYTES once encoded."""
    flat = " ".join(title.split())
    cut = flat[:MAILTO_TITLE_LENGTH]
    while cut and len(_encoded(_subject(cut, cut != flat))) > MAILTO_SUBJECT_BYTES:
        cut = cut[:-1]
    return _subject(cut, cut != flat)


def _subject(cut: str, shortened: bool) -> str:
    return f"Re: {cut[:-1].rstrip()}…" if shortened else f"Re: {cut}"


def _encoded(text: str) -> str:
    return quote(text, safe="")


def envelope_sender(config: Mapping[str, Any], delivery_id: int) -> str | None:
    """The SMTP MAIL FROM of the email of ledger row `delivery_id`: its bounce address, so a
    bounce names the row; None (the sender's own address) when inbound mail is off."""
    if not inbound_enabled(config):
        return None
    return bounce_address(config, delivery_id)

"""Why a message was refused and what its sender can do instead: the words of the ledger's
detail and of the answer email, in one table."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import cache

from flask_babel import LazyString, force_locale
from flask_babel import lazy_gettext as _l


class Reason(enum.StrEnum):
    TAMPERED = "tampered"
    EXPIRED = "expired"
    NO_ACCOUNT = "no_account"
    WRONG_SENDER = "wrong_sender"
    TASK_GONE = "task_gone"
    NOT_A_MEMBER = "not_a_member"
    EMPTY = "empty"
    MAIL_IN_STRANGER = "mail_in_stranger"
    UNKNOWN_PROJECT = "unknown_project"
    NOT_SAVED = "not_saved"


# reason -> (why, what to do instead)
WORDS: dict[Reason, tuple[LazyString, LazyString]] = {
    Reason.TAMPERED: (
        _l(
            "The reply address of your email was changed or is not one Tickler made, so Tickler "
            "cannot tell which task it is about."
        ),
        _l(
            "Reply to a task email from Tickler without changing its reply address, or comment "
            "on the task in Tickler."
        ),
    ),
    Reason.EXPIRED: (
        _l("The task email you replied to is too old: its reply address has expired."),
        _l("Reply to a newer email about the task, or comment on the task in Tickler."),
    ),
    Reason.NO_ACCOUNT: (
        _l("The Tickler account this reply address belongs to is closed."),
        _l("Ask a member of the project to add what you wrote."),
    ),
    Reason.WRONG_SENDER: (
        _l(
            "Your email came from another address than the one the task email was sent to. "
            "Only the person it was sent to can reply to it, from that address."
        ),
        _l("Reply from the address the email was sent to, or comment on the task in Tickler."),
    ),
    Reason.TASK_GONE: (
        _l("The task you replied about has been deleted or is in the Trash."),
        _l("If it should go on, restore it from the project's Trash, then reply again."),
    ),
    Reason.NOT_A_MEMBER: (
        _l("You are no longer a member of the task's project."),
        _l("Ask the project's owner to add you again if you should still work on it."),
    ),
    Reason.EMPTY: (
        _l(
            "Tickler found nothing written in your reply once the quoted email and signature "
            "were taken off."
        ),
        _l("Write your comment above the quoted email and send it again."),
    ),
    Reason.MAIL_IN_STRANGER: (
        _l(
            "Only members of the project can create tasks by email, and your address is not a "
            "member's."
        ),
        _l(
            "Send it from the address of your Tickler account, or ask the project's owner to "
            "add you."
        ),
    ),
    Reason.UNKNOWN_PROJECT: (
        _l("This project address is not in use: it was turned off or replaced by a new one."),
        _l("Copy the project's current address from its Mail-in page in Tickler."),
    ),
    Reason.NOT_SAVED: (
        _l("Tickler could not save what your email asked for."),
        _l("Do it in Tickler instead; the page will say what is wrong."),
    ),
}


@dataclass(frozen=True)
class Refusal:
    """A refused message: why, whether its sender may be told (they saw one of our emails or
    have an account: never answer a stranger's forged From, that is backscatter), and a link
    to where they can act instead."""

    reason: Reason
    answer: bool
    link: str = ""
    detail: str = ""

    @property
    def why(self) -> str:
        """In the current language (the ledger keeps it in English, the answer is written in
        its reader's)."""
        return self.detail or str(WORDS[self.reason][0])

    @property
    def english_why(self) -> str:
        """What the ledger's detail keeps, whoever's request handled the message."""
        return self.detail or english(WORDS[self.reason][0])

    @property
    def instead(self) -> str:
        return str(WORDS[self.reason][1])


def english(text: LazyString) -> str:
    with force_locale("en"):
        return str(text)


@cache
def _reasons_by_english_why() -> dict[str, Reason]:
    return {english(why): reason for reason, (why, _instead) in WORDS.items()}


def shown_detail(detail: str) -> str:
    """A ledger row's detail for the reader: a refusal's reason (stored in English) in the
    current language; any other detail (addresses, ids, a bounce's words) as it is."""
    reason = _reasons_by_english_why().get(detail)
    return str(WORDS[reason][0]) if reason is not None else detail

"""Why a message was refused and what its sender can do instead: the words of the ledger's
detail and of the answer email, in one table."""

from __future__ import annotations

import enum
from dataclasses import dataclass


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
WORDS: dict[Reason, tuple[str, str]] = {
    Reason.TAMPERED: (
        "The reply address of your email was changed or is not one Tickler made, so Tickler "
        "cannot tell which task it is about.",
        "Reply to a task email from Tickler without changing its reply address, or comment "
        "on the task in Tickler.",
    ),
    Reason.EXPIRED: (
        "The task email you replied to is too old: its reply address has expired.",
        "Reply to a newer email about the task, or comment on the task in Tickler.",
    ),
    Reason.NO_ACCOUNT: (
        "The Tickler account this reply address belongs to is closed.",
        "Ask a member of the project to add what you wrote.",
    ),
    Reason.WRONG_SENDER: (
        "Your email came from another address than the one the task email was sent to. "
        "Only the person it was sent to can reply to it, from that address.",
        "Reply from the address the email was sent to, or comment on the task in Tickler.",
    ),
    Reason.TASK_GONE: (
        "The task you replied about has been deleted or is in the Trash.",
        "If it should go on, restore it from the project's Trash, then reply again.",
    ),
    Reason.NOT_A_MEMBER: (
        "You are no longer a member of the task's project.",
        "Ask the project's owner to add you again if you should still work on it.",
    ),
    Reason.EMPTY: (
        "Tickler found nothing written in your reply once the quoted email and signature "
        "were taken off.",
        "Write your comment above the quoted email and send it again.",
    ),
    Reason.MAIL_IN_STRANGER: (
        "Only members of the project can create tasks by email, and your address is not a "
        "member's.",
        "Send it from the address of your Tickler account, or ask the project's owner to add you.",
    ),
    Reason.UNKNOWN_PROJECT: (
        "This project address is not in use: it was turned off or replaced by a new one.",
        "Copy the project's current address from its Mail-in page in Tickler.",
    ),
    Reason.NOT_SAVED: (
        "Tickler could not save what your email asked for.",
        "Do it in Tickler instead; the page will say what is wrong.",
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
        return self.detail or WORDS[self.reason][0]

    @property
    def instead(self) -> str:
        return WORDS[self.reason][1]

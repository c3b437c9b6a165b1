"""Auto-replies, mailing lists and our own mail coming back: recognised from headers alone and
never answered, so two robots never talk to each other (RFC 3834)."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr

# Headers a mailing list or list server adds (RFC 2369, RFC 2919).
LIST_HEADERS = ("List-Id", "List-Unsubscribe", "List-Post", "List-Help", "List-Owner")
# Headers auto-responders (Exchange, cPanel, Zimbra, vacation(1)) set on what they send.
AUTO_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-Auto-Reply-From")
# "X-Auto-Response-Suppress: All" is Exchange's sign of a machine-made message.
SUPPRESS_VALUES = ("all", "oof", "autoreply")
BULK_PRECEDENCE = ("bulk", "junk", "list", "auto_reply")
# Out-of-office subjects in the languages mail clients ship; matched at the subject's start
# or after "Re:"/"AW:", case-insensitively.
OUT_OF_OFFICE = (
    "out of office",
    "out of the office",
    "automatic reply",
    "auto reply",
    "autoreply",
    "auto-reply",
    "away from the office",
    "abwesenheitsnotiz",
    "automatische antwort",
    "abwesend",
    "réponse automatique",
    "reponse automatique",
    "absence du bureau",
    "absent du bureau",
    "respuesta automática",
    "respuesta automatica",
    "fuera de la oficina",
    "risposta automatica",
    "fuori ufficio",
    "automatisch antwoord",
    "afwezig",
    "resposta automática",
    "fora do escritório",
    "autosvar",
    "automatyczna odpowiedź",
    "自動応答",
    "自動返信",
    "不在",
    "自动回复",
    "自動回覆",
    "자동 응답",
)
_REPLY_PREFIX = re.compile(r"^\s*((re|aw|sv|antw|wg|fwd?|tr|r)\s*:\s*)+", re.IGNORECASE)
# Message-IDs of Tickler's deliveries: <tickler.delivery.N@domain>.
_OWN_MESSAGE_ID = re.compile(r"<tickler\.[a-z]+\.\d+[.@]", re.IGNORECASE)
# An answer to inbound mail (answers.py): whatever replies to it is a robot or a person told
# that replying does nothing; answering it again would start a loop.
_ANSWER_ID = re.compile(r"<tickler\.answer\.\d+\.", re.IGNORECASE)


@dataclass(frozen=True)
class Ours:
    """What identifies Tickler's own mail besides its Message-IDs: its sender addresses. (Not
    its domain: the people replying often share it.)"""

    senders: frozenset[str]


def ours_from(addresses: Collection[str]) -> Ours:
    return Ours(frozenset(parseaddr(a)[1].lower() for a in addresses if a and parseaddr(a)[1]))


def _header(message: EmailMessage, name: str) -> str:
    try:
        return str(message.get(name, "") or "").strip()
    except (ValueError, TypeError, IndexError):  # a header the parser cannot decode
        return ""


def is_out_of_office_subject(subject: str) -> bool:
    """True for an out-of-office or automatic-reply subject, in the common languages."""
    text = _REPLY_PREFIX.sub("", subject).strip().lower()
    return any(text.startswith(words) for words in OUT_OF_OFFICE)


def own_mail_reason(message: EmailMessage, ours: Ours) -> str | None:
    """Why `message` is Tickler's own mail come back, or None."""
    message_id = _header(message, "Message-ID").lower()
    if _OWN_MESSAGE_ID.search(message_id):
        return "It is one of Tickler's own emails, come back."
    replied_to = _header(message, "In-Reply-To") + " " + _header(message, "References")
    if _ANSWER_ID.search(replied_to):
        return "It answers one of Tickler's answers to inbound mail."
    sender = parseaddr(_header(message, "From"))[1].lower()
    if sender and sender in ours.senders:
        return "It comes from Tickler's own address."
    return None


def auto_reply_reason(message: EmailMessage, ours: Ours) -> str | None:
    """Why `message` was sent by a machine and must not be acted on or answered, or None for
    mail a person wrote. Bounces are decided before this (they carry the same marks)."""
    own = own_mail_reason(message, ours)
    if own:
        return own
    auto_submitted = _header(message, "Auto-Submitted").lower()
    if auto_submitted and auto_submitted.split(";")[0].strip() != "no":
        return f"It says Auto-Submitted: {auto_submitted.split(';')[0].strip()}."
    for name in AUTO_HEADERS:
        if _header(message, name):
            return f"It carries {name}: an automatic reply."
    suppress = _header(message, "X-Auto-Response-Suppress").lower()
    if any(value in suppress for value in SUPPRESS_VALUES):
        return "It carries X-Auto-Response-Suppress: sent by a machine."
    precedence = _header(message, "Precedence").lower()
    if precedence in BULK_PRECEDENCE:
        return f"It says Precedence: {precedence}."
    for name in LIST_HEADERS:
        if _header(message, name):
            return f"It comes from a mailing list ({name})."
    if is_out_of_office_subject(_header(message, "Subject")):
        return "Its subject says it is an out-of-office or automatic reply."
    if _header(message, "Return-Path") == "<>":
        return "It has a null sender (Return-Path: <>) and is not a bounce."
    return None

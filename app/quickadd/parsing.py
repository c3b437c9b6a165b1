"""Reading one line ("Call supplier tomorrow 3pm !high @bob #ops") into a task's fields: pure,
given the person's now, zone, date languages, the project's members and labels. Its problems
are written in the current language; the tokens people type (!high, @me, #label) are not."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from babel.lists import format_list
from flask_babel import gettext

from app.core.i18n import DEFAULT_LANGUAGE, current_language
from app.core.mentions import Member, handles
from app.core.timezones import local_to_utc, to_local
from app.quickadd.dates import find_dates
from app.tasklist.deadlines import due_date_problem
from app.tasklist.models import TITLE_MAX_LENGTH, TaskPriority

# "!high", "@bob", "#ops" as whole words; "Wow!" or "a@b" inside a word are left alone.
_TOKEN = re.compile(r"(?<!\S)([!@#])(\S+)")
# Words in "double quotes" (straight or curly) are the title's as typed: no date, no tokens.
_QUOTED = re.compile(r"\"([^\"]*)\"|“([^”]*)”")
_TRAILING = ".,;:!?)"
PRIORITY_WORDS = {priority.value: priority for priority in TaskPriority}
MYSELF = "me"


@dataclass(frozen=True)
class LabelChoice:
    id: int
    name: str


@dataclass(frozen=True)
class Context:
    """What a line is read against: the person's now (aware), zone and date languages, and
    the project's members and labels."""

    now: datetime
    timezone_name: str
    languages: tuple[str, ...]
    members: Sequence[Member]
    labels: Sequence[LabelChoice]
    me: int | None = None


@dataclass(frozen=True)
class Parsed:
    text: str
    title: str = ""
    due_at: datetime | None = None  # UTC
    due_words: str | None = None  # as written: "tomorrow 3pm"
    priority: TaskPriority | None = None
    assignee: Member | None = None
    labels: tuple[LabelChoice, ...] = ()
    problems: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Reading:
    priority: TaskPriority | None = None
    assignee: Member | None = None
    labels: list[LabelChoice] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def parse_line(text: str, context: Context) -> Parsed:
    """The task a line describes, with every problem found (all at once, in the order
    written); the title is what is left once the date and tokens are taken out."""
    line = " ".join(text.split())
    if not line:
        return Parsed(
            text, problems=(gettext("Type the task first, e.g. “Call supplier tomorrow 3pm”."),)
        )
    reading = _Reading()
    pieces = [
        (piece, literal) if literal else (_take_tokens(piece, context, reading), False)
        for piece, literal in split_quoted(line)
    ]
    due_words, due_at, pieces = _take_due_date(pieces, context, reading)
    title = " ".join(" ".join(piece for piece, _ in pieces).split())
    if not title:
        reading.problems.append(
            gettext("Write what the task is, not only its date, priority, assignee or label.")
        )
    elif len(title) > TITLE_MAX_LENGTH:
        reading.problems.append(
            gettext(
                "The title is %(length)d characters long; keep it to %(max)d.",
                length=len(title),
                max=TITLE_MAX_LENGTH,
            )
        )
    return Parsed(
        text,
        title,
        due_at,
        due_words,
        reading.priority,
        reading.assignee,
        tuple(reading.labels),
        tuple(reading.problems),
    )


def split_quoted(line: str) -> list[tuple[str, bool]]:
    """The line as pieces, each marked literal when it was in quotes (quotes removed)."""
    pieces: list[tuple[str, bool]] = []
    last = 0
    for match in _QUOTED.finditer(line):
        pieces.append((line[last : match.start()], False))
        pieces.append((match.group(1) if match.group(1) is not None else match.group(2), True))
        last = match.end()
    pieces.append((line[last:], False))
    return [(piece, literal) for piece, literal in pieces if piece or literal]


def _take_tokens(piece: str, context: Context, reading: _Reading) -> str:
    def take(match: re.Match[str]) -> str:
        sigil, word = match.group(1), match.group(2)
        if sigil == "!":
            return _take_priority(word, reading)
        word = word.rstrip(_TRAILING)
        if sigil == "@":
            _take_assignee(word, context, reading)
            return " "
        return _take_label(match.group(0), word, context, reading)

    return _TOKEN.sub(take, piece)


def _take_priority(word: str, reading: _Reading) -> str:
    priority = PRIORITY_WORDS.get(word.rstrip(_TRAILING).lower())
    if priority is None:
        known = ", ".join(f"!{value}" for value in PRIORITY_WORDS)
        reading.problems.append(
            gettext("“!%(word)s” is not a priority; use one of %(known)s.", word=word, known=known)
        )
    elif reading.priority is not None and reading.priority != priority:
        reading.problems.append(
            gettext(
                "Two priorities (!%(first)s and !%(second)s); keep one.",
                first=reading.priority.value,
                second=priority.value,
            )
        )
    else:
        reading.priority = priority
    return " "


def _take_assignee(handle: str, context: Context, reading: _Reading) -> None:
    written = handle.lower()
    if written == MYSELF and context.me is not None:
        matches = [m for m in context.members if m.user_id == context.me]
    else:
        matches = [m for m in context.members if written in handles(m)]
    if not matches:
        reading.problems.append(
            gettext(
                "Nobody in this project goes by @%(handle)s; write a member's first name or "
                "email name, e.g. %(examples)s.",
                handle=handle,
                examples=_example_handles(context),
            )
        )
    elif len(matches) > 1:
        reading.problems.append(
            gettext(
                "@%(handle)s could be %(names)s; write more of the name, e.g. @%(example)s.",
                handle=handle,
                names=_and_list([m.name for m in matches]),
                example=_full_handle(matches[0]),
            )
        )
    elif reading.assignee is not None and reading.assignee.user_id != matches[0].user_id:
        reading.problems.append(
            gettext(
                "A task has one assignee: choose @%(handle)s or the one written before.",
                handle=handle,
            )
        )
    else:
        reading.assignee = matches[0]


def _and_list(items: list[str]) -> str:
    """'Ann and Bob' as Tickler's English always wrote it; 'Ann und Bob', 'AnnとBob' elsewhere."""
    code = current_language()
    if code == DEFAULT_LANGUAGE:
        return " and ".join(items)
    return format_list(items, locale=code)


def _example_handles(context: Context) -> str:
    names = sorted(_full_handle(member) for member in context.members)[:3]
    return ", ".join(f"@{name}" for name in names) or "@me"


def _full_handle(member: Member) -> str:
    return member.email.lower().split("@", 1)[0]


def _take_label(token: str, name: str, context: Context, reading: _Reading) -> str:
    label = next((lb for lb in context.labels if lb.name.lower() == name.lower()), None)
    if label is None and name.isdigit():
        return token  # "#42" is an issue number in the title, unless a label is called 42
    if label is None:
        known = ", ".join(f"#{lb.name}" for lb in sorted(context.labels, key=lambda lb: lb.name))
        if known:
            problem = gettext(
                "This project has no label “%(name)s”; its labels are %(known)s. Create it on "
                "the project's Labels page first, or leave out the #.",
                name=name,
                known=known,
            )
        else:
            problem = gettext(
                "This project has no label “%(name)s” and no labels yet. Create it on the "
                "project's Labels page first, or leave out the #.",
                name=name,
            )
        reading.problems.append(problem)
    elif label not in reading.labels:
        reading.labels.append(label)
    return " "


def _take_due_date(
    pieces: list[tuple[str, bool]], context: Context, reading: _Reading
) -> tuple[str | None, datetime | None, list[tuple[str, bool]]]:
    """The one due date written in the unquoted pieces, taken out of them."""
    now_local = to_local(context.now, context.timezone_name).replace(tzinfo=None)
    found = [
        (index, date)
        for index, (piece, literal) in enumerate(pieces)
        if not literal and piece.strip()
        for date in find_dates(piece, now_local, context.languages)
    ]
    if not found:
        return None, None, pieces
    if len(found) > 1:
        written = _and_list([f"“{date.words}”" for _, date in found])
        reading.problems.append(
            gettext(
                "Two due dates, %(dates)s; keep one, or put words that are not a date in quotes.",
                dates=written,
            )
        )
        return None, None, pieces
    [(index, date)] = found
    due_at = local_to_utc(date.local, context.timezone_name)
    problem = due_date_problem(due_at, context.now)
    if problem:
        reading.problems.append(problem)
    piece = pieces[index][0].replace(date.words, " ", 1)
    return date.words, due_at, [*pieces[:index], (piece, False), *pieces[index + 1 :]]

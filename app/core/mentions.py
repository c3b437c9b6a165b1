"""Finding @mentions in text: `@bob`, `@bob.builder`, `@BobBuilder` or `@bob@example.com`."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

_MENTION = re.compile(r"(?<![\w@])@([\w.+-]+@[\w-]+(?:\.[\w-]+)+|[\w][\w.-]*)", re.UNICODE)


@dataclass(frozen=True)
class Member:
    user_id: int
    name: str
    email: str


def handles(member: Member) -> set[str]:
    """Every way to write this member after an @, lower-cased."""
    words = member.name.lower().split()
    local_part = member.email.lower().split("@", 1)[0]
    found = {member.email.lower(), local_part, "".join(words), ".".join(words)}
    if words:
        found.add(words[0])
    return {handle for handle in found if handle}


def _handle(match: str) -> str:
    # "@bob." at the end of a sentence mentions bob.
    return match.rstrip(".-")


def mentioned(text: str, members: Iterable[Member]) -> set[int]:
    """Ids of the members the text mentions; a handle several members share mentions them all."""
    written = {_handle(match).lower() for match in _MENTION.findall(text)}
    if not written:
        return set()
    return {member.user_id for member in members if handles(member) & written}


def all_handles(members: Iterable[Member]) -> frozenset[str]:
    """Every handle that mentions someone among `members`, lower-cased."""
    return frozenset(handle for member in members for handle in handles(member))


def unknown_mentions(text: str, members: Iterable[Member]) -> list[str]:
    """The @handles written that mention nobody among `members`, as written, each once."""
    known = all_handles(members)
    unknown = (_handle(match) for match in _MENTION.findall(text))
    return list(dict.fromkeys(h for h in unknown if h and h.lower() not in known))


def mention_spans(text: str, known: frozenset[str]) -> list[tuple[int, int]]:
    """(start, end) of each "@handle" in `text` that mentions a member, the @ included."""
    spans = []
    for match in _MENTION.finditer(text):
        handle = _handle(match.group(1))
        if handle.lower() in known:
            spans.append((match.start(), match.start() + 1 + len(handle)))
    return spans


def mention_links(members: Iterable[Member], link_for: Callable[[int], str]) -> dict[str, str]:
    """{handle: link_for(user id)} for Markdown's mention links; a handle two members share
    mentions both, and links to the first."""
    links: dict[str, str] = {}
    for member in members:
        link = link_for(member.user_id)
        for handle in sorted(handles(member)):
            links.setdefault(handle, link)
    return links

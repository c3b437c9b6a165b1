"""Finding @mentions in a comment: `@bob`, `@bob.builder`, `@BobBuilder` or `@bob@example.com`."""

from __future__ import annotations

import re
from collections.abc import Iterable
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


def mentioned(text: str, members: Iterable[Member]) -> set[int]:
    """Ids of the members the text mentions; a handle several members share mentions them all."""
    written = {match.rstrip(".-").lower() for match in _MENTION.findall(text)}
    if not written:
        return set()
    return {member.user_id for member in members if handles(member) & written}

"""Which passwords are refused (pure): NIST SP 800-63B's length floor, the commonly used
passwords of zxcvbn's list (30,000, from real leaks), and the account's own address or name."""

from __future__ import annotations

import re
from functools import cache

from flask_babel import gettext
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_PASSWORD_LENGTH = 8


@cache
def common_passwords() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def _folded(text: str) -> str:
    """Lowercase without spaces or punctuation: "Ann Smith" and "ann.smith" are one name."""
    return re.sub(r"[\W_]+", "", text.casefold())


def own_words(email: str, name: str) -> set[str]:
    """The address, its part before the @, and the name, each folded; empty ones left out."""
    local = email.split("@", 1)[0]
    return {word for word in map(_folded, (email, local, name)) if word}


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why this password is refused, in words for the person choosing it; None if it is fine."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return gettext("Use a password of at least %(num)d characters.", num=MIN_PASSWORD_LENGTH)
    if password.casefold() in common_passwords() or _folded(password) in common_passwords():
        return gettext(
            "That password is one of the most common ones, the first that attackers try. "
            "Choose another: a few unrelated words make a strong one."
        )
    if _folded(password) in own_words(email, name):
        return gettext("Your password cannot be your email address or your name. Choose another.")
    return None

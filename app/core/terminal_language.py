"""The language a person at a terminal reads: from the environment, as gettext reads it.

For command-line output (celery_utils.py, `flask` commands): LC_ALL, then LC_MESSAGES, then
LANG, the first one set decides ("de_DE.UTF-8" -> "de"); "C" and "POSIX" are English, and so
is a language Tickler does not speak."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

from flask import Flask

from app.core.i18n import DEFAULT_LANGUAGE, in_language, is_language

LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def language_code(value: str) -> str:
    """'de_DE.UTF-8' -> 'de', 'ja_JP' -> 'ja', 'C.UTF-8' -> 'c', 'fr' -> 'fr'."""
    return value.split(".", 1)[0].split("@", 1)[0].replace("-", "_").split("_", 1)[0].lower()


def terminal_language(environ: Mapping[str, str] | None = None) -> str:
    """The terminal's language among Tickler's (call inside an app context), else English."""
    environ = os.environ if environ is None else environ
    for name in LOCALE_VARIABLES:
        value = environ.get(name)
        if value:
            code = language_code(value)
            return code if is_language(code) else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


@contextmanager
def in_terminal_language(app: Flask, environ: Mapping[str, str] | None = None) -> Iterator[None]:
    """An app context whose words, dates and numbers are in the terminal's language."""
    with app.app_context(), in_language(terminal_language(environ)):
        yield


F = TypeVar("F", bound=Callable[..., Any])


def speaks_terminal_language(command: F) -> F:
    """A `flask` command (run in its app context) that prints in the terminal's language."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with in_language(terminal_language()):
            return command(*args, **kwargs)

    return wrapper  # type: ignore[return-value]

"""A flash message that carries one button, e.g. "Task deleted. [Undo]": the button is a POST
form base.html draws next to the text, so it works without JavaScript."""

from __future__ import annotations

from typing import TypedDict, cast

from flask import flash


class FlashAction(TypedDict):
    text: str
    action: str  # the URL the button POSTs to
    button: str


def flash_with_action(text: str, *, action: str, button: str, category: str = "success") -> None:
    """Flash `text` with a button POSTing to `action`. Flask stores any JSON value as a flash
    message (its type says str); base.html tells the two apart with `is mapping`."""
    message = FlashAction(text=text, action=action, button=button)
    flash(cast(str, message), category)

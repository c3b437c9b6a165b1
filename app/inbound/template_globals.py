"""What templates ask of inbound mail: the word that completes a task by reply, in the reader's
language (an email's footer or the preferences page: "reply “erledigt”")."""

from __future__ import annotations

from flask import Flask

from app.inbound.bodies import done_word


def register(app: Flask) -> None:
    """Give templates `reply_done_word()` (the current language's; inside an email's
    `in_language` block, its reader's)."""
    app.add_template_global(done_word, "reply_done_word")

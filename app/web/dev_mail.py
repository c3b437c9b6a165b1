"""The development mailbox: what the local SMTP server received, for reading in a browser."""

from __future__ import annotations

import mailbox
from dataclasses import dataclass
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template

bp = Blueprint("dev_mail", __name__, url_prefix="/dev/mail")


@dataclass(frozen=True)
class ReceivedMail:
    key: str
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message.get("Subject", "(no subject)"))

    def part(self, content_type: str) -> str | None:
        body = self.message.get_body(preferencelist=(content_type.split("/")[1],))
        return (
            body.get_content()
            if body is not None and body.get_content_type() == content_type
            else None
        )


def _mailbox() -> mailbox.Maildir:
    # Maildir's create=True makes cur/new/tmp only when the folder itself is missing; an empty
    # folder made by hand (or by a deploy) would otherwise fail until the first email arrives.
    path = Path(current_app.config["DEV_MAILBOX_DIR"])
    for sub in ("cur", "new", "tmp"):
        (path / sub).mkdir(parents=True, exist_ok=True)
    return mailbox.Maildir(path, factory=None, create=True)


def _parse(box: mailbox.Maildir, key: str) -> ReceivedMail:
    raw = box.get_bytes(key)
    return ReceivedMail(key, message_from_bytes(raw, policy=default_policy))


def received_mail() -> list[ReceivedMail]:
    """Everything received, newest first."""
    box = _mailbox()
    # Maildir keys start with the delivery time in seconds, so they sort by arrival.
    keys = sorted(box.keys(), reverse=True)
    return [_parse(box, key) for key in keys]


@bp.route("/")
def index() -> str:
    return render_template("dev_mail/index.html", messages=received_mail())


@bp.route("/<key>")
def show(key: str) -> str:
    box = _mailbox()
    if key not in box:
        abort(404)
    return render_template("dev_mail/show.html", mail=_parse(box, key))

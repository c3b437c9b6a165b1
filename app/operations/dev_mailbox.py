"""The development mailbox: what the local SMTP server received, for reading in a browser."""

from __future__ import annotations

import mailbox
import re
import smtplib
from dataclasses import dataclass
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from app.core.queueing import try_queue
from app.core.web.dev_access import refuse_other_machines
from app.operations.admin_views import admin_required
from app.operations.dev_mail_answers import (
    Outgoing,
    build_bounce,
    build_reply,
    envelope_sender_of,
    recipient_of,
    send_through_dev_smtp,
)

bp = Blueprint("dev_mail", __name__, url_prefix="/dev/mail")
# Password-reset and confirmation links land here: only an admin at this machine reads them.
bp.before_request(refuse_other_machines)


@dataclass(frozen=True)
class ReceivedMail:
    key: str
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message.get("Subject") or gettext("(no subject)"))

    @property
    def recipient(self) -> str:
        return recipient_of(self.message)

    @property
    def reply_to(self) -> str:
        return str(self.message.get("Reply-To") or self.message.get("From") or "")

    @property
    def envelope_sender(self) -> str:
        return envelope_sender_of(self.message)

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
    keys = sorted(box.keys(), key=arrival, reverse=True)
    return [_parse(box, key) for key in keys]


# Python's Maildir names a message "<seconds>.M<microseconds>P<pid>Q<count>.<host>", the
# numbers unpadded: as text, two emails of the same second sorted by their microseconds' digits.
_KEY = re.compile(r"^(\d+)\.M(\d+)P\d+Q(\d+)")


def arrival(key: str) -> tuple[int, int, int, str]:
    """Seconds, microseconds and the writer's count as numbers; other keys by seconds only."""
    found = _KEY.match(key)
    if found:
        return int(found[1]), int(found[2]), int(found[3]), key
    seconds = key.split(".", 1)[0]
    return (int(seconds) if seconds.isdigit() else 0), 0, 0, key


@bp.route("/")
@admin_required
def index() -> str:
    return render_template("dev_mail/index.html", messages=received_mail())


@bp.route("/<key>")
@admin_required
def show(key: str) -> str:
    box = _mailbox()
    if key not in box:
        abort(404)
    return render_template("dev_mail/show.html", mail=_parse(box, key))


def _original(key: str) -> EmailMessage:
    box = _mailbox()
    if key not in box:
        abort(404)
    return _parse(box, key).message


def _send_and_poll(outgoing: Outgoing, what: str, key: str) -> Response:
    """Deliver through the dev SMTP server, then ask for a poll at once so Tickler reads it.
    `what` is "reply" or "bounce"."""
    try:
        send_through_dev_smtp(outgoing)
    except (OSError, smtplib.SMTPException) as error:
        if what == "reply":
            failed = gettext(
                "Could not send the reply through the dev SMTP server: %(error)s", error=error
            )
        else:
            failed = gettext(
                "Could not send the bounce through the dev SMTP server: %(error)s", error=error
            )
        flash(failed, "error")
        return redirect(url_for("dev_mail.show", key=key))
    from app.inbound.jobs import poll_inbound_mail

    to = ", ".join(outgoing.recipients)
    if try_queue(poll_inbound_mail) is None:
        if what == "reply":
            message = gettext(
                "Reply sent to %(to)s; the job queue is unreachable, so Tickler reads it at the "
                "next poll once it is back.",
                to=to,
            )
        else:
            message = gettext(
                "Bounce sent to %(to)s; the job queue is unreachable, so Tickler reads it at the "
                "next poll once it is back.",
                to=to,
            )
        flash(message, "info")
    else:
        if what == "reply":
            message = gettext(
                "Reply sent to %(to)s; Tickler polls for it now, so its effect shows within "
                "seconds (Admin › Inbound mail lists it).",
                to=to,
            )
        else:
            message = gettext(
                "Bounce sent to %(to)s; Tickler polls for it now, so its effect shows within "
                "seconds (Admin › Inbound mail lists it).",
                to=to,
            )
        flash(message, "success")
    return redirect(url_for("dev_mail.show", key=key))


@bp.route("/<key>/reply", methods=["POST"])
@admin_required
def reply(key: str) -> Response:
    original = _original(key)
    text = request.form.get("body", "").strip()
    if not text:
        flash(gettext("Write something to reply with."), "error")
        return redirect(url_for("dev_mail.show", key=key))
    return _send_and_poll(build_reply(original, text), "reply", key)


@bp.route("/<key>/bounce", methods=["POST"])
@admin_required
def bounce(key: str) -> Response:
    original = _original(key)
    outgoing = build_bounce(original)
    if not outgoing.recipients[0]:
        flash(gettext("This email names no envelope sender to bounce to."), "error")
        return redirect(url_for("dev_mail.show", key=key))
    return _send_and_poll(outgoing, "bounce", key)

"""The sender: one connection per batch, each result classified, nothing injectable."""

from __future__ import annotations

import smtplib
from dataclasses import replace
from email import message_from_bytes

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.email.render import RenderedEmail, display_width, wrap_text
from app.core.email.send import (
    PERMANENT,
    SENT,
    TRANSIENT,
    OutgoingEmail,
    classify,
    send_batch,
    to_mime,
)
from tests.processes import free_port

CONTENT = RenderedEmail("Your tasks", "<p>Hello</p>", "Hello\n")


def outgoing(key: int, address: str, name: str = "Someone") -> OutgoingEmail:
    return OutgoingEmail(key, address, name, CONTENT)


def test_a_batch_goes_out_with_each_result(app, smtp):
    with app.app_context():
        results = send_batch([outgoing(1, "a@example.com"), outgoing(2, "b@example.com")])
    assert [(r.key, r.outcome) for r in results] == [(1, SENT), (2, SENT)]
    assert [m.envelope_recipients for m in smtp.messages] == [["a@example.com"], ["b@example.com"]]
    assert smtp.messages[0]["Message-ID"] == results[0].message_id


def test_a_name_with_a_line_break_cannot_add_a_header_and_the_email_still_goes(app, smtp):
    with app.app_context():
        results = send_batch([outgoing(1, "a@example.com", "Eve\r\nBcc: victim@example.com")])
    assert [r.outcome for r in results] == [SENT]
    [message] = smtp.messages
    assert message["Bcc"] is None and message.envelope_recipients == ["a@example.com"]
    assert message["To"].addresses[0].display_name == "Eve Bcc: victim@example.com"


def test_any_other_header_with_a_line_break_fails_alone(app, smtp):
    bad = OutgoingEmail(
        1, "a@example.com", "Eve", CONTENT, headers={"List-Unsubscribe": "<x>\r\nBcc: v@x.test"}
    )
    with app.app_context():
        results = send_batch([bad, outgoing(2, "b@example.com")])
    assert [r.outcome for r in results] == [PERMANENT, SENT]
    assert len(smtp.messages) == 1
    assert "v@x.test" not in smtp.messages[0].as_string()


def test_a_refused_recipient_does_not_stop_the_rest(app, smtp):
    smtp.handler.refuse_recipients["a@example.com"] = "550 5.1.1 No such user"
    with app.app_context():
        results = send_batch([outgoing(1, "a@example.com"), outgoing(2, "b@example.com")])
    assert [r.outcome for r in results] == [PERMANENT, SENT]
    assert "550" in results[0].error


def test_nothing_listening_makes_every_email_transient(make_app):
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=2)
    with app.app_context():
        results = send_batch([outgoing(1, "a@example.com"), outgoing(2, "b@example.com")])
    assert [r.outcome for r in results] == [TRANSIENT, TRANSIENT]
    assert "ConnectionRefusedError" in results[0].error


def test_suppressed_sending_reports_each_email_sent_without_connecting(make_app):
    # MAIL_SUPPRESS_SEND is Flask-Mail's "sent, but nothing leaves"; nothing listens here, so
    # any connection attempt would make the emails transient.
    app = make_app(MAIL_SUPPRESS_SEND=True, MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    with app.app_context():
        results = send_batch([outgoing(1, "a@example.com"), outgoing(2, "b@example.com")])
    assert [(r.key, r.outcome, r.error) for r in results] == [(1, SENT, None), (2, SENT, None)]


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (smtplib.SMTPDataError(451, b"try later"), TRANSIENT),
        (smtplib.SMTPDataError(554, b"rejected"), PERMANENT),
        (smtplib.SMTPRecipientsRefused({"a@b": (550, b"no")}), PERMANENT),
        (smtplib.SMTPRecipientsRefused({"a@b": (450, b"busy")}), TRANSIENT),
        (smtplib.SMTPServerDisconnected("gone"), TRANSIENT),
        (TimeoutError("timed out"), TRANSIENT),
    ],
)
def test_smtp_errors_are_classified(error, expected):
    assert classify(error) == expected


@settings(max_examples=200, deadline=None)
@given(name=st.text(max_size=80), subject=st.text(max_size=200))
def test_no_name_or_subject_adds_a_header(name, subject):
    email = OutgoingEmail(1, "a@example.com", name, RenderedEmail(subject, "<p>x</p>", "x\n"))
    message = message_from_bytes(to_mime(email, "Tickler <t@example.com>", "<1@example.com>"))
    assert sorted(message.keys()) == sorted(
        [
            "From",
            "Reply-To",
            "To",
            "Subject",
            "Date",
            "Message-ID",
            "Auto-Submitted",
            "X-Auto-Response-Suppress",
            "MIME-Version",
            "Content-Type",
        ]
    )
    assert message.get_all("To") is not None and len(message.get_all("To")) == 1


def headers_of(email: OutgoingEmail, reply_to: str | None = None):
    return message_from_bytes(
        to_mime(email, "Tickler <tickler@example.com>", "<1@example.com>", reply_to)
    )


def test_every_email_says_it_is_automatic_and_dated_in_utc():
    message = headers_of(outgoing(1, "a@example.com"))
    assert message["Auto-Submitted"] == "auto-generated", "RFC 3834: no auto-replies to it"
    assert message["X-Auto-Response-Suppress"] == "All", "Exchange's out-of-office too"
    # +0000: the time is UTC; -0000 would say the zone is unknown (RFC 5322 3.3).
    assert message["Date"].endswith(" +0000")
    assert message["List-Id"] is None, "an email of no kind is on no list"


def test_each_kind_has_its_own_list_id_under_the_senders_domain():
    email = replace(outgoing(1, "a@example.com"), kind="task_reminder")
    assert headers_of(email)["List-Id"] == "Tickler task reminder <task-reminder.example.com>"


def test_from_names_the_actor_and_replies_go_to_tickler_not_to_them():
    email = replace(outgoing(1, "a@example.com"), actor_name="Ana Lima")
    message = headers_of(email)
    assert message["From"] == "Ana Lima via Tickler <tickler@example.com>"
    assert message["Reply-To"] == "Tickler <tickler@example.com>"
    configured = headers_of(email, "Tickler support <support@example.com>")
    assert configured["Reply-To"] == "Tickler support <support@example.com>"
    assert headers_of(outgoing(1, "a@example.com"))["From"] == "Tickler <tickler@example.com>"


def test_an_actor_name_with_a_line_break_adds_no_header():
    email = replace(outgoing(1, "a@example.com"), actor_name="Ana\r\nBcc: x@evil.example")
    message = headers_of(email)
    assert message["Bcc"] is None
    assert message["From"] == '"Ana Bcc: x@evil.example via Tickler" <tickler@example.com>'


def test_the_text_part_is_wrapped_for_reading_and_links_stay_whole():
    link = "https://tickler.example.com/unsubscribe/" + "x" * 90
    text = wrap_text(f"- {'word ' * 30}\nUnsubscribe: {link}\nshort")
    lines = text.split("\n")
    assert all(len(line) <= 78 for line in lines if link not in line)
    assert lines[1].startswith("  word"), "a wrapped list item stays under its text"
    assert link in lines and lines[-1] == "short"


def test_japanese_text_wraps_between_characters_not_before_closing_punctuation():
    link = "https://tickler.example.com/task/" + "x" * 60
    sentence = (
        "このまとめのタスクは1件です（各1回のみ集計。期限切れのタスクは期限切れとして数えます）。"
    )
    text = wrap_text(f"- {sentence * 2} {link} 終わり\n短い行")
    lines = text.split("\n")
    assert all(display_width(line) <= 78 for line in lines if link not in line), lines
    assert not any(line.lstrip()[:1] in "、。）」" for line in lines), "kinsoku: no line starts so"
    assert f"  {link}" in lines, "the link stays whole on a line of its own"
    assert all(line.startswith("  ") for line in lines[1:-1]), "wrapped under the item's text"
    joined = "".join("".join(line.split()) for line in lines)
    assert joined == f"-{sentence * 2}{link}終わり短い行", "nothing lost or added but breaks"
    assert lines[-1] == "短い行"

"""The development mailbox shows what the local SMTP server (aiosmtpd) received."""

from __future__ import annotations

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from flask_mail import Message

from app.extensions import mail
from tests.conftest import DEFAULT_PASSWORD
from tests.processes import free_port


@pytest.fixture
def maildir_smtp(tmp_path):
    """The same server `make run` starts: aiosmtpd writing into a Maildir."""
    directory = tmp_path / "devmail"
    controller = Controller(Mailbox(str(directory)), hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, directory
    controller.stop()


def admin_client(app, make):
    """/dev/mail is for admins: log one in."""
    make.user(email="admin@example.com", is_admin=True)
    client = app.test_client()
    client.post("/login", data={"email": "admin@example.com", "password": DEFAULT_PASSWORD})
    return client


def send_sample(app, subject="Your tasks for today"):
    with app.app_context():
        message = Message(
            subject,
            recipients=["bob@example.com"],
            body="Plain text: write launch post",
            html="<h1>Hello Bob</h1><p>Write <b>launch</b> post</p><script>alert(1)</script>",
        )
        mail.send(message)


def test_mail_sent_through_smtp_shows_in_the_dev_mailbox(make_app, make, maildir_smtp):
    controller, directory = maildir_smtp
    app = make_app(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, DEV_MAILBOX_DIR=str(directory)
    )
    client = admin_client(app, make)
    assert b"No mail yet" in client.get("/dev/mail/").data
    send_sample(app, "First")
    send_sample(app, "Second")
    listing = client.get("/dev/mail/").data.decode()
    assert "First" in listing and "Second" in listing
    assert listing.index("Second") < listing.index("First"), "newest first"
    assert "bob@example.com" in listing


def test_dev_mailbox_shows_headers_text_and_sandboxed_html(make_app, make, maildir_smtp):
    controller, directory = maildir_smtp
    app = make_app(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, DEV_MAILBOX_DIR=str(directory)
    )
    send_sample(app)
    client = admin_client(app, make)
    key = client.get("/dev/mail/").data.decode().split('href="/dev/mail/')[1].split('"')[0]
    page = client.get(f"/dev/mail/{key}").data.decode()
    assert "Plain text: write launch post" in page
    assert "<dt>Subject</dt><dd>Your tasks for today</dd>" in page
    # The HTML part is shown in a sandboxed frame, escaped into srcdoc, so its scripts never run.
    assert '<iframe class="mail-frame" sandbox' in page
    assert "&lt;h1&gt;Hello Bob&lt;/h1&gt;" in page
    assert "<script>alert(1)</script>" not in page


def test_unknown_message_is_not_found(make_app, make, tmp_path):
    app = make_app(DEV_MAILBOX_DIR=str(tmp_path / "devmail"))
    assert admin_client(app, make).get("/dev/mail/nope").status_code == 404


def test_dev_mailbox_does_not_exist_without_a_local_mail_server(client):
    assert client.get("/dev/mail/").status_code == 404


def test_the_smtp_fixture_receives_mail_sent_by_flask_mail(app, smtp):
    send_sample(app)
    assert len(smtp.messages) == 1
    received = smtp.messages[0]
    assert received["Subject"] == "Your tasks for today"
    assert received.envelope_recipients == ["bob@example.com"]
    assert received.get_body(("plain",)).get_content().strip() == "Plain text: write launch post"


def test_mail_of_the_same_second_is_listed_by_its_microseconds_as_numbers():
    from app.operations.dev_mailbox import arrival

    keys = [
        "1795000000.M99P10Q1.host",  # 99 microseconds: before 123 although "99" > "123" as text
        "1795000000.M123P10Q2.host",
        "1795000001.M5P10Q3.host",
        "1794999999.host-written-by-something-else",
    ]
    assert sorted(keys, key=arrival, reverse=True) == [
        "1795000001.M5P10Q3.host",
        "1795000000.M123P10Q2.host",
        "1795000000.M99P10Q1.host",
        "1794999999.host-written-by-something-else",
    ]

"""`python -m bench.mime_cost`: CPU per email of three ways to make the same MIME bytes.

The standard library's EmailMessage (what send.py used), Flask-Mail's Message, and the direct
writer in app/core/email/mime.py, on a digest-sized email (about 11 KB, non-ASCII text)."""

from __future__ import annotations

import time
from collections.abc import Callable
from email.message import EmailMessage
from email.policy import SMTP

from flask_mail import Message

from app import create_app
from app.core.email.render import RenderedEmail
from app.core.email.send import OutgoingEmail, to_mime

SENDER = "Tickler <tickler@bench.example>"


def sample_email() -> OutgoingEmail:
    rows = "".join(
        f'<tr><td style="padding:4px;color:#333">Task “{i}” – due <a href="https://t.example/'
        f'task/{i}?token=abcdefabcdef">open</a></td></tr>\n'
        for i in range(60)
    )
    html = f"<html><body><table>{rows}</table></body></html>"
    text = "".join(f"- Task “{i}” due tomorrow https://t.example/task/{i}\n" for i in range(60))
    content = RenderedEmail("3 tasks due “soon” – today", html, text)
    unsubscribe = "<https://t.example/unsubscribe/" + "a" * 150 + ">"
    return OutgoingEmail(
        1,
        "ann@example.com",
        "Ann Lée",
        content,
        "<m1@t.example>",
        {"List-Unsubscribe": unsubscribe},
    )


def with_email_message(email: OutgoingEmail) -> bytes:
    message = EmailMessage(policy=SMTP)
    message["From"], message["To"] = SENDER, f"{email.to_name} <{email.to_address}>"
    message["Subject"], message["Message-ID"] = email.content.subject, email.message_id
    for name, value in email.headers.items():
        message[name] = value
    message.set_content(email.content.text)
    message.add_alternative(email.content.html, subtype="html")
    return message.as_bytes()


def with_flask_mail(email: OutgoingEmail) -> bytes:
    return Message(
        subject=email.content.subject,
        recipients=[email.to_address],
        body=email.content.text,
        html=email.content.html,
        sender=SENDER,
        extra_headers=email.headers,
    ).as_bytes()


def cpu_ms(build: Callable[[OutgoingEmail], bytes], email: OutgoingEmail, n: int = 300) -> float:
    build(email)
    started = time.process_time()
    for _ in range(n):
        build(email)
    return (time.process_time() - started) / n * 1000


def main() -> None:
    email = sample_email()
    with create_app("testing").app_context():
        ways = {
            "stdlib EmailMessage (policy=SMTP)": with_email_message,
            "Flask-Mail Message.as_bytes": with_flask_mail,
            "app/core/email/send.py (to_mime)": lambda e: to_mime(e, SENDER, e.message_id),
        }
        for name, build in ways.items():
            print(f"{name:36} {cpu_ms(build, email):6.3f} ms CPU, {len(build(email)):,} bytes")


if __name__ == "__main__":
    main()

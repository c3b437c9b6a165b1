"""Bad input on its way into emails, checked in what the SMTP server really received: no added
header from a line break in a name, project or title; markup escaped; no javascript: links."""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser

import pytest

from app.core.database import utcnow
from app.tasks.task_management import send_task_reminders

pytestmark = pytest.mark.worker

INJECTED = ("Bcc", "X-Injected")
HTML_TITLE = '<script>alert(1)</script><img src=x onerror="alert(2)">'


def header_lines(message) -> list[str]:
    """The header block as sent, one physical line each, folding undone."""
    raw = message.as_bytes().decode(errors="replace")
    block = raw.split("\n\n", 1)[0].replace("\r\n", "\n")
    return block.replace("\n ", " ").replace("\n\t", " ").split("\n")


def assert_no_injected_header(message) -> None:
    names = [line.split(":", 1)[0].strip().lower() for line in header_lines(message)]
    assert not {name.lower() for name in INJECTED} & set(names), header_lines(message)
    assert message["Bcc"] is None and message["X-Injected"] is None
    assert message.envelope_recipients == ["bob@example.com"]


@pytest.fixture
def legacy(make, auth, celery_worker):
    """Rows with line breaks, as the forms refuse them but older data or an import may hold them:
    Bob's name, the project's name and the task's title, the task due soon and assigned to Bob."""
    ann = make.user(email="ann@example.com", name="Ann\r\nX-Injected: actor")
    bob = make.user(email="bob@example.com", name="Bob\r\nBcc: victim@example.com")
    project = make.project(ann, name="Launch\nX-Injected: project", members=(bob,))
    task = make.task(
        project,
        ann,
        title="Ship\r\nBcc: victim@example.com\r\nX-Injected: title",
        assignee_id=bob,
        due_at=utcnow() + timedelta(hours=3),
    )
    auth.login("ann@example.com")
    return {"ann": ann, "bob": bob, "task": task}


def test_line_breaks_in_names_and_titles_never_add_a_header_to_a_sent_email(
    app, client, smtp, legacy
):
    # An activity email: the actor's name and the task's title are its Subject, the actor's
    # name its From; the project's name, in no header now, is the hidden preheader's.
    client.post(f"/task/{legacy['task']}/comments", data={"body": "Please look"})
    [activity] = smtp.wait_for(1)
    assert_no_injected_header(activity)
    assert "\n" not in activity["Subject"] and "\r" not in activity["Subject"]
    assert "Ship" in activity["Subject"] and "Ann" in activity["Subject"]
    assert "\n" not in activity["From"] and "Ann X-Injected: actor via Tickler" in activity["From"]
    assert "Launch" in activity.get_body(("html",)).get_content()
    assert "\n" not in activity["To"] and "bob@example.com" in activity["To"]
    # A digest: the person's name is the To header's display name.
    smtp.handler.reset()
    send_task_reminders.delay(scheduled=False).get(timeout=20)
    [reminder] = smtp.wait_for(1)
    assert_no_injected_header(reminder)
    assert "\n" not in reminder["To"] and "bob@example.com" in reminder["To"]


@pytest.fixture
def markup(make, auth, celery_worker):
    ann = make.user(email="ann@example.com", name='Ann <b onmouseover="x()">')
    bob = make.user(email="bob@example.com", name="Bob")
    project = make.project(ann, name="<i>Launch</i>", members=(bob,))
    task = make.task(
        project, ann, title=HTML_TITLE, assignee_id=bob, due_at=utcnow() + timedelta(hours=3)
    )
    auth.login("ann@example.com")
    return {"task": task}


class Markup(HTMLParser):
    """Every tag and attribute in an email's HTML part, as a mail client would see them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes += [(name, value or "") for name, value in attrs]


def html_and_text(message) -> tuple[str, str]:
    return (
        message.get_body(("html",)).get_content(),
        message.get_body(("plain",)).get_content(),
    )


def test_markup_and_javascript_links_are_escaped_in_sent_emails(app, client, smtp, markup):
    body = 'See javascript:alert(3) and <a href="javascript:alert(4)">this</a> or https://ok.test/x'
    client.post(f"/task/{markup['task']}/comments", data={"body": body})
    send_task_reminders.delay(scheduled=False).get(timeout=20)
    messages = smtp.wait_for(2)
    assert len(messages) == 2
    for message in messages:
        html, text = html_and_text(message)
        markup = Markup(html)
        assert not {"script", "img", "i", "b"} & markup.tags, markup.tags
        assert not [name for name, _ in markup.attributes if name.startswith("on")]
        links = [value for name, value in markup.attributes if name == "href"]
        assert links and all(link.startswith(("http://", "https://", "mailto:")) for link in links)
        assert "&lt;script&gt;" in html
        # The text part is text: shown as typed, there is nothing to escape.
        assert "<script>alert(1)</script>" in text

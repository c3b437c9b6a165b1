"""Markdown cannot carry script: raw HTML, javascript: and data: links, event attributes and
nested tricks come out inert, on the task page and in the activity email."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from app.accounts.models import User
from app.core.web.markdown import ALLOWED_TAGS, render_markdown
from app.extensions import db
from app.notifications.emails import EmailComment, compose_activity
from app.tasklist.models import Task

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<details open ontoggle=alert(1)>x</details>",
    "<iframe src=https://evil.example></iframe>",
    "[a](javascript:alert(1))",
    "[a](JaVaScRiPt:alert(1))",
    "[a](&#106;avascript:alert(1))",
    "[a](java&#x09;script:alert(1))",
    "[a](vbscript:msgbox(1))",
    "[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![a](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![a](https://tracker.example/pixel.gif)",
    "<javascript:alert(1)>",
    "[<img src=x onerror=alert(1)>](https://example.com)",
    '[a](https://example.com "x\\" onmouseover=\\"alert(1)")',
    "<<script>script>alert(1)<</script>/script>",
    "`<script>alert(1)</script>`",
    "<!-- <script>alert(1)</script> -->",
    "<style>body{display:none}</style>",
    "| a |\n|---|\n| <b onclick=alert(1)>x</b> |",
]
# No scheme is a link within Tickler (a mention's link to the person's tasks is one).
SAFE_SCHEMES = {"", "http", "https", "mailto"}


class Tags(HTMLParser):
    """Every tag and attribute the browser would build from the HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def assert_inert(html: str, email: bool = False) -> None:
    """Only allowed tags, no event attribute, links of safe schemes; a style is only a table
    cell's alignment (in an email, also the CSS the inliner wrote from our own stylesheet)."""
    parser = Tags()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            if name in ("href", "src"):
                assert urlsplit(value or "").scheme.lower() in SAFE_SCHEMES, value
            if name == "style" and email:
                assert not re.search(r"url\(|expression|javascript", value or "", re.I), value
            elif name == "style":
                assert re.fullmatch(r"text-align:(left|right|center)", value or ""), value


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_renderer_leaves_nothing_that_runs(payload):
    html = render_markdown(payload, {"ann": "/projects/1/tasks?assignee=2"})
    assert_inert(html)
    assert "<img" not in html and 'tracker.example/pixel.gif"' not in html.replace(
        'href="https://tracker.example/pixel.gif"', ""
    )


@pytest.fixture
def team(make, auth):
    ann = make.user(email="ann@example.com", name="Ann")
    bob = make.user(email="bob@example.com", name="Bob")
    project = make.project(ann, members=(bob,))
    task = make.task(project, ann, title="Paint the shed")
    auth.login("ann@example.com")
    return {"ann": ann, "bob": bob, "project": project, "task": task}


def rendered_parts(page: str) -> list[str]:
    return re.findall(r'<div class="(?:description|comment-body) markdown">(.*?)</div>', page, re.S)


def test_comments_and_descriptions_on_the_task_page_are_inert(client, team):
    everything = "\n\n".join(PAYLOADS)
    edit = {
        "title": "Paint the shed",
        "description": everything,
        "status": "pending",
        "priority": "medium",
        "due_at": "",
        "assignee_id": "0",
    }
    assert client.post(f"/task/{team['task']}/edit", data=edit).status_code == 302
    client.post(f"/task/{team['task']}/comments", data={"body": everything})
    page = client.get(f"/task/{team['task']}").data.decode()
    parts = rendered_parts(page)
    assert len(parts) == 2, "the description and the comment"
    for part in parts:
        assert_inert(part)


def test_a_comment_in_the_activity_email_is_inert(app, team):
    with app.app_context():
        email = compose_activity(
            db.session.get(User, team["bob"]),
            db.session.get(Task, team["task"]),
            ["Ann commented"],
            comments=[EmailComment("Ann", "\n\n".join(PAYLOADS))],
        )
    quote = re.search(
        r'<div class="markdown comment-quote"[^>]*>(.*?)</div>', email.content.html, re.S
    )
    assert quote is not None
    assert_inert(quote[1], email=True)
    assert "<script" not in email.content.html.lower()

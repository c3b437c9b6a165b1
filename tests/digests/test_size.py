"""Digest emails stay small whatever the number of tasks: rendered and written as MIME for real.

Gmail clips HTML over 102 KB and hides what follows, the unsubscribe link included; so every
digest keeps its HTML under 100 KB and the whole message under 150 KB, listing the most urgent
tasks and "and N more" with a link to the rest."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest

from app.accounts.models import User
from app.core.email.ledger import Claimed
from app.core.email.models import EmailKind
from app.core.email.send import to_mime
from app.digests.content import DEFAULT_MAX_ROWS, build_digest
from app.digests.delivery import PreparedEmail
from app.digests.emails import compose
from app.projects.models import PROJECT_NAME_MAX_LENGTH
from app.tasklist.models import TITLE_MAX_LENGTH, TaskPriority, TaskStatus
from tests.digest_fakes import FakeProject, FakeTask

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)  # a Wednesday
MAX_HTML = 100_000
MAX_MESSAGE = 150_000
PRIORITIES = list(TaskPriority)
STATUSES = [TaskStatus.PENDING, TaskStatus.IN_PROGRESS, TaskStatus.BLOCKED]


def longest(text: str, length: int) -> str:
    """`text` repeated to `length` characters: escaped (&, <) and non-ASCII, the costly kind."""
    return (text * length)[:length]


# The longest project name there can be, escaped (&, <) and non-ASCII: the costly kind.
BIG_PROJECT = FakeProject(name=longest("Überprüfung & <Abnahme> ", PROJECT_NAME_MAX_LENGTH))


def heavy_load() -> list[FakeTask]:
    """500 tasks due within the day and 500 overdue, with the longest titles there can be."""
    tasks = []
    for n in range(1000):
        due = NOW + timedelta(minutes=n + 1) if n < 500 else NOW - timedelta(hours=n)
        title = longest(f"Task {n:04d} «Prüfen» & <sign> ", TITLE_MAX_LENGTH)
        priority = PRIORITIES[n % len(PRIORITIES)]
        tasks.append(FakeTask(n + 1, title, due, STATUSES[n % 3], priority, project=BIG_PROJECT))
    return tasks


def message_for(app, kind: EmailKind, max_rows: int) -> email.message.EmailMessage:
    user = User(id=7, email="ann@example.com", name="Ann Example", timezone="Europe/Berlin")
    digest = build_digest(kind, heavy_load(), NOW, user.timezone, max_rows)
    assert digest is not None
    prepared = PreparedEmail(Claimed(1, user.id, "2026-11-25", None, 0), user, digest)
    with app.test_request_context():
        outgoing = compose(prepared)
        raw = to_mime(outgoing, app.config["MAIL_DEFAULT_SENDER"], "<size@example.com>")
    message = email.message_from_bytes(raw, policy=email.policy.default)
    message.raw_size = len(raw)  # type: ignore[attr-defined]
    return message


def flat(text: str) -> str:
    """The text part with its wrapping undone: the words in order, single-spaced."""
    return " ".join(text.split())


def listed_in_text(text: str) -> list[str]:
    """Each "- title" item of the text part (title, project and due date), its wrapped lines
    joined, up to its link."""
    items = re.split(r"(?m)^- ", text)[1:]
    return [flat(re.split(r"\n\s+http", item)[0]) for item in items]


def parts(message) -> tuple[str, str]:
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    return html, text.replace("\r\n", "\n")


# (kind, the "and N more" lines it should carry, at the default of 25 rows)
EXPECTED_MORE = {
    EmailKind.TASK_REMINDER: [("475", "/#soon-h")],
    EmailKind.OVERDUE_ALERT: [("475", "/#overdue-h")],
    # The week's 25 rows are shared out: 13 overdue, 12 due this week.
    EmailKind.WEEKLY_SUMMARY: [("487", "/#overdue-h"), ("488", "/#soon-h")],
}


@pytest.mark.parametrize("max_rows", [DEFAULT_MAX_ROWS, 50])
@pytest.mark.parametrize("kind", list(EXPECTED_MORE))
def test_a_thousand_task_digest_stays_under_gmails_clip_with_its_footer(app, kind, max_rows):
    message = message_for(app, kind, max_rows)
    html, text = parts(message)
    html_size = len(html.encode())
    print(f"{kind.value} at {max_rows} rows: HTML {html_size} B, message {message.raw_size} B")
    assert html_size < MAX_HTML
    assert message.raw_size < MAX_MESSAGE
    assert "Unsubscribe from these" in html and "/unsubscribe/" in html.rsplit("footer", 1)[-1]
    assert "Unsubscribe from these: http" in flat(text)


@pytest.mark.parametrize("kind", list(EXPECTED_MORE))
def test_and_n_more_names_the_rest_and_links_to_them(app, kind):
    html, text = parts(message_for(app, kind, DEFAULT_MAX_ROWS))
    for count, anchor in EXPECTED_MORE[kind]:
        link = re.search(rf'<a href="(http://[^"]+)"[^>]*>and {count} more</a>', html)
        assert link and link.group(1).endswith(anchor), f"and {count} more → {anchor}"
        assert f"and {count} more" in flat(text) and f": {link.group(1)}" in flat(text)


def titles(html: str) -> list[str]:
    return re.findall(r'class="task-title"[^>]*>([^<]+)</a>', html) or re.findall(
        r'href="http://[^"]+/task/\d+"[^>]*>([^<]+)</a>', html
    )


@pytest.mark.parametrize("kind", list(EXPECTED_MORE))
def test_the_text_part_lists_the_same_tasks_with_one_link_each(app, kind):
    html, text = parts(message_for(app, kind, DEFAULT_MAX_ROWS))
    shown = [unescape(t) for t in titles(html)]
    assert len(shown) == DEFAULT_MAX_ROWS
    listed = listed_in_text(text)
    assert len(listed) == len(shown)
    # Each item opens with its title, in the HTML's order (its project and due date follow).
    assert all(item.startswith(flat(title)) for item, title in zip(listed, shown, strict=True))
    # One link a task in the text: no signed action links printed beside each one.
    assert len(re.findall(r"^\s+http://\S+/task/\d+$", text, re.M)) == DEFAULT_MAX_ROWS
    assert "/actions/" not in text

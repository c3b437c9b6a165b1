"""Digests list many tasks, so they keep the general Reply-To; with inbound mail on, each task
row links a reply to its reader's signed address for that task, the digest stays below Gmail's
clip, a chunk costs the same statements, and each email leaves from its row's bounce address."""

from __future__ import annotations

import email
import email.policy
import re
from html import unescape
from urllib.parse import quote, unquote, urlsplit

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.core.database import utcnow
from app.core.email.ledger import Claimed
from app.core.email.models import Delivery, EmailKind
from app.core.email.send import to_mime
from app.digests.content import build_digest
from app.digests.delivery import PreparedEmail
from app.digests.emails import HTML_BUDGET, compose, links_within
from app.extensions import db
from app.inbound.addresses import BOUNCE, REPLY, parse_address
from app.inbound.outgoing import (
    MAILTO_SUBJECT_BYTES,
    MAILTO_TITLE_LENGTH,
    mailto,
    reply_subject,
)
from app.notifications.jobs import send_digest_chunk
from tests.digests.test_size import MAX_HTML, MAX_MESSAGE, NOW, heavy_load, parts
from tests.digests.test_statement_counts import people

INBOUND = "Tickler <tickler@inbound.example.com>"
KINDS = (EmailKind.TASK_REMINDER, EmailKind.OVERDUE_ALERT, EmailKind.WEEKLY_SUMMARY)
# A row: its title's link to the task, then (before the next row) its reply link, if any.
ROW = re.compile(r'class="task-title" href="http://[^"]+/task/(\d+)"(.*?)</tr>', re.S)
REPLY_LINK = re.compile(r'<a href="(mailto:[^"]+)"[^>]*>Reply by email</a>')


def message_for(app, kind: EmailKind, max_rows: int):
    """The digest of 1,000 of the costliest tasks (tests/digests/test_size.py) to user 7,
    composed at the size test's NOW, as the SMTP server would receive it."""
    user = User(id=7, email="ann@example.com", name="Ann Example", timezone="Europe/Berlin")
    digest = build_digest(kind, heavy_load(), NOW, user.timezone, max_rows)
    assert digest is not None
    prepared = PreparedEmail(Claimed(1, user.id, "2026-11-25", None, 0), user, digest)
    with app.test_request_context():
        raw = to_mime(compose(prepared, NOW), app.config["MAIL_DEFAULT_SENDER"], "<s@example.com>")
    message = email.message_from_bytes(raw, policy=email.policy.default)
    message.raw_size = len(raw)
    return message


@pytest.fixture
def inbound_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "INBOUND_ADDRESS", INBOUND)
    return app.config


def reply_rows(html: str) -> list[tuple[int, str | None]]:
    """(task id of the row's title link, the row's "Reply by email" link or None), by row."""
    found = []
    for task, rest in ROW.findall(html):
        link = REPLY_LINK.search(rest)
        found.append((int(task), unescape(link.group(1)) if link else None))
    return found


@pytest.mark.parametrize("kind", KINDS)
def test_each_row_links_a_reply_to_its_readers_address_for_that_task(app, inbound_on, kind):
    message = message_for(app, kind, 25)
    html, _ = parts(message)
    rows = reply_rows(html)
    assert len(rows) == 25 == html.count("Reply by email")
    for task_id, link in rows:
        assert link is not None
        url = urlsplit(link)
        assert url.scheme == "mailto"
        reply = parse_address(inbound_on, unquote(url.path))
        assert reply is not None and reply.kind == REPLY and reply.signed
        assert (reply.user_id, reply.task_id) == (7, task_id)
        assert reply.issued == NOW.date()
        [subject] = re.findall(r"^subject=(.*)$", url.query)
        assert len(subject) <= MAILTO_SUBJECT_BYTES
        assert unquote(subject).startswith(f"Re: Task {task_id - 1:04d} «Prüfen» & <sign>")
        assert unquote(subject).endswith("…")
    # A digest is about many tasks: its Reply-To stays the general one.
    assert message["Reply-To"] == "Tickler <tickler@localhost>"


@pytest.mark.parametrize("kind", KINDS)
def test_a_fifty_row_digest_with_reply_links_stays_under_gmails_clip(app, inbound_on, kind):
    """The most rows of the longest titles: the last rows give up their reply links first."""
    message = message_for(app, kind, 50)
    html, _ = parts(message)
    links = [link for _, link in reply_rows(html)]
    linked = sum(1 for link in links if link)
    print(f"{kind.value} at 50 rows: HTML {len(html.encode())} B, {linked} reply links")
    assert len(links) == 50 and links[0] is not None
    # Linked rows come first, then the rest without: never a gap in between.
    assert None not in links[: links.index(None)] if None in links else True
    assert len(html.encode()) <= HTML_BUDGET < MAX_HTML and message.raw_size < MAX_MESSAGE
    assert "Unsubscribe from these" in html.rsplit("footer", 1)[-1]


def test_reply_links_give_way_only_past_the_budget():
    links = {n: "mailto:" + "x" * 120 for n in range(10)}  # 120 + 7 + markup 140 = 267 a link
    assert links_within(links, 90_000, HTML_BUDGET) == links
    assert list(links_within(links, HTML_BUDGET - 7 * 267 - 100, HTML_BUDGET)) == list(range(7))
    assert links_within(links, HTML_BUDGET + 1, HTML_BUDGET) == {}


def test_the_text_part_and_the_footer_of_a_digest_stay_as_they_were(app, inbound_on):
    html, text = parts(message_for(app, EmailKind.TASK_REMINDER, 25))
    assert "mailto:" not in text and "Reply to this email" not in text + html


def test_with_inbound_mail_off_a_digest_has_no_reply_links(app):
    assert not app.config.get("INBOUND_ADDRESS")
    html, _ = parts(message_for(app, EmailKind.WEEKLY_SUMMARY, 25))
    assert "Reply by email" not in html and "mailto:" not in html


def test_a_title_cannot_add_fields_to_the_mailto_link():
    link = mailto("tickler+r-1-2-3-abc@example.com", "Re: a?b=c&cc=x@evil.example#frag")
    url = urlsplit(link)
    assert url.query.count("=") == 1 and not url.fragment
    assert unquote(url.query) == "subject=Re: a?b=c&cc=x@evil.example#frag"
    assert reply_subject("Fix login") == "Re: Fix login"
    assert reply_subject("x" * 100) == "Re: " + "x" * (MAILTO_TITLE_LENGTH - 1) + "…"
    assert len(quote(reply_subject("日本語" * 40), safe="")) <= MAILTO_SUBJECT_BYTES


def send_chunk(app, count_queries, pairs: list[tuple[int, str]]) -> int:
    with count_queries() as statements:
        result = send_digest_chunk.apply(
            args=(EmailKind.WEEKLY_SUMMARY.value, [list(p) for p in pairs], utcnow().isoformat())
        ).get()
    assert result["sent"] == len(pairs)
    return len(statements)


def test_a_chunk_costs_the_same_statements_with_reply_links_and_bounce_addresses(
    app, smtp, count_queries, monkeypatch
):
    made = people(app, 12)
    pairs = [(made["first_user"] + n, "2026-W48") for n in range(12)]
    off = send_chunk(app, count_queries, pairs[:2])
    monkeypatch.setitem(app.config, "INBOUND_ADDRESS", INBOUND)
    few = send_chunk(app, count_queries, pairs[2:4])
    many = send_chunk(app, count_queries, pairs[4:])
    assert off == few == many
    messages = smtp.wait_for(12)
    assert len(messages) == 12
    with app.app_context():
        recipients = {
            row.id: row.recipient_id
            for row in db.session.scalars(
                select(Delivery).where(Delivery.kind == EmailKind.WEEKLY_SUMMARY)
            )
        }
        emails = {u: e for u, e in db.session.execute(db.text("SELECT id, email FROM users"))}
    assert [m.envelope_from for m in messages[:2]] == ["tickler@localhost"] * 2
    for message in messages[2:]:
        bounce = parse_address(app.config, message.envelope_from)
        assert bounce is not None and bounce.kind == BOUNCE and bounce.signed
        recipient = recipients[bounce.delivery_id]
        assert message.envelope_recipients == [emails[recipient]]
        html = message.get_body(("html",)).get_content()
        rows = reply_rows(html)
        assert rows and all(link for _, link in rows)
        for task_id, link in rows:
            assert link is not None
            reply = parse_address(app.config, unquote(urlsplit(link).path))
            assert reply is not None and (reply.user_id, reply.task_id) == (recipient, task_id)

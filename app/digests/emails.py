"""Composing a digest email: its template pair, links, and one-click unsubscribe headers."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import gettext

from app.actions.urls import action_urls
from app.core.database import utcnow
from app.core.email.models import EmailKind
from app.core.email.render import RenderedEmail, absolute_url, render_email
from app.core.email.send import OutgoingEmail
from app.core.i18n import in_language
from app.digests.content import Digest, TaskLine, listed_lines
from app.digests.delivery import PreparedEmail
from app.inbound.outgoing import reply_mailtos
from app.preferences.service import unsubscribe_token

# Digests about tasks someone can act on right away get "Mark done" and "Remind me" links.
ACTIONABLE = (EmailKind.TASK_REMINDER, EmailKind.OVERDUE_ALERT)
# Gmail clips HTML past 102 KB, hiding the footer and its unsubscribe link. The rows' "Reply by
# email" links (about 200 bytes each) give way first: at the most rows (50) of the longest
# titles and project names a digest could pass the clip with all of them, so past this budget
# the last rows go without one (tests/inbound/test_outgoing_digests.py).
HTML_BUDGET = 98_000
# What a reply link adds besides its URL: ` · <a href="" style="...">Reply by email</a>`, and
# on a row without action links the line around it (`<br><span class="meta" style="...">`),
# counted high so the estimate never falls short.
REPLY_LINK_MARKUP = 140


def compose(prepared: PreparedEmail, now: datetime | None = None) -> OutgoingEmail:
    """The email for one prepared digest, with a signed link that turns that kind off. Its
    Reply-To stays the general one (it is about many tasks); with inbound mail on, each task
    row links a reply (dated `now`, default: this moment) that becomes a comment on it."""
    digest, user = prepared.digest, prepared.user
    rows = [(line.id, line.title) for line in listed_lines(digest)]
    reply_links = reply_mailtos(current_app.config, user.id, rows, now or utcnow())
    token = unsubscribe_token(current_app.config["SECRET_KEY"], user.id, digest.kind)
    unsubscribe_url = absolute_url("preferences.unsubscribe", token=token)
    actions = action_urls(user.id, digest.task_ids) if digest.kind in ACTIONABLE else {}

    def render(links: dict[int, str]) -> RenderedEmail:
        # The recipient's language, whoever (if anyone) is signed in where this runs.
        with in_language(user.language):
            return _render(links)

    def _render(links: dict[int, str]) -> RenderedEmail:
        return render_email(
            digest.kind.value,
            digest.subject,
            digest_preheader(digest),
            user=user,
            unsubscribe_url=unsubscribe_url,
            preferences_url=absolute_url("preferences.edit"),
            actions=actions,
            reply_links=links,
            **digest.context,
        )

    content = render(reply_links)
    if reply_links and wire_size(content.html) > HTML_BUDGET:
        # Rare (the most rows of the longest titles): measured without links, the first rows
        # get theirs while they fit.
        bare = wire_size(render({}).html)
        content = render(links_within(reply_links, bare, HTML_BUDGET))
    return OutgoingEmail(
        key=prepared.claimed.delivery_id,
        to_address=user.email,
        to_name=user.name,
        content=content,
        message_id=prepared.claimed.message_id,
        kind=digest.kind.value,
        headers={
            # RFC 8058: mail clients show an Unsubscribe button that POSTs to this link.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def wire_size(html: str) -> int:
    """Bytes of `html` as sent: UTF-8, each line ending a CRLF."""
    return len(html.encode()) + html.count("\n")


def links_within(links: dict[int, str], bare_size: int, budget: int) -> dict[int, str]:
    """The first of `links` (in row order, the most urgent first) that HTML of `bare_size`
    bytes without any can take within `budget`: the other rows go without."""
    room, kept = budget - bare_size, {}
    for task_id, link in links.items():
        room -= len(link.encode()) + REPLY_LINK_MARKUP
        if room < 0:
            break
        kept[task_id] = link
    return kept


def digest_preheader(digest: Digest, limit: int = 140) -> str:
    """The hidden line inbox lists show after the subject: the tasks listed, with when they
    are due; empty for a digest of figures (its subject says them)."""
    tasks: list[TaskLine] = digest.context.get("tasks", [])
    gist = " · ".join(
        gettext("%(title)s (due %(due)s)", title=t.title, due=t.due) if t.due else t.title
        for t in tasks
    )
    return gist if len(gist) <= limit else gist[: limit - 1] + "…"

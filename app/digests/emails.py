"""Composing a digest email: its template pair, links, and one-click unsubscribe headers."""

from __future__ import annotations

from flask import current_app

from app.actions.urls import action_urls
from app.core.email.models import EmailKind
from app.core.email.render import absolute_url, render_email
from app.core.email.send import OutgoingEmail
from app.digests.content import Digest, TaskLine
from app.digests.delivery import PreparedEmail
from app.preferences.service import unsubscribe_token

# Digests about tasks someone can act on right away get "Mark done" and "Remind me" links.
ACTIONABLE = (EmailKind.TASK_REMINDER, EmailKind.OVERDUE_ALERT)


def compose(prepared: PreparedEmail) -> OutgoingEmail:
    """The email for one prepared digest, with a signed link that turns that kind off."""
    digest, user = prepared.digest, prepared.user
    token = unsubscribe_token(current_app.config["SECRET_KEY"], user.id, digest.kind)
    unsubscribe_url = absolute_url("preferences.unsubscribe", token=token)
    content = render_email(
        digest.kind.value,
        digest.subject,
        digest_preheader(digest),
        user=user,
        unsubscribe_url=unsubscribe_url,
        preferences_url=absolute_url("preferences.edit"),
        actions=action_urls(user.id, digest.task_ids) if digest.kind in ACTIONABLE else {},
        **digest.context,
    )
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


def digest_preheader(digest: Digest, limit: int = 140) -> str:
    """The hidden line inbox lists show after the subject: the tasks listed, with when they
    are due; empty for a digest of figures (its subject says them)."""
    tasks: list[TaskLine] = digest.context.get("tasks", [])
    gist = " · ".join(f"{t.title} (due {t.due})" if t.due else t.title for t in tasks)
    return gist if len(gist) <= limit else gist[: limit - 1] + "…"

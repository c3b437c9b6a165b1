"""Action links for the tasks an email is about."""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app

from app.actions.links import issue
from app.core.email.render import absolute_url


def action_urls(user_id: int, task_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """{task id: {"done": url, "snooze": url}}, each link signed for this person alone."""
    secret = current_app.config["SECRET_KEY"]
    return {
        task_id: {
            action: absolute_url("actions.act", token=issue(secret, user_id, task_id, action))
            for action in ("done", "snooze")
        }
        for task_id in task_ids
    }

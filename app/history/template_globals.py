"""What the task page's history partial and Markdown mentions ask of the history feature."""

from __future__ import annotations

from flask import Flask, url_for

from app.comments.service import project_members
from app.core import mentions
from app.core.web.template_helpers import viewer_timezone
from app.extensions import db
from app.history.queries import LatestHistory, latest_history

HISTORY_ON_TASK_PAGE = 10


def task_history(task_id: int) -> LatestHistory:
    """The task's newest lines for its page (the page already checked who may see it)."""
    return latest_history(db.session, task_id, HISTORY_ON_TASK_PAGE, viewer_timezone())


def mention_links(project_id: int) -> dict[str, str]:
    """{handle: link} for every member of the project, in one statement. A mention links to
    the project's tasks assigned to that person: there is no person page, and "what is Ann
    working on here" is what a reader of "@ann, can you…" most often wants next."""
    return mentions.mention_links(
        project_members(db.session, project_id),
        lambda user_id: url_for("tasks.project_tasks", project_id=project_id, assignee=user_id),
    )


def register(app: Flask) -> None:
    app.add_template_global(task_history, "task_history")
    app.add_template_global(mention_links, "mention_links")

"""What the task page's history partial and Markdown mentions ask of the history feature."""

from __future__ import annotations

from flask import Flask, url_for
from sqlalchemy import select

from app.accounts.models import User
from app.core.mentions import Member, handles
from app.core.web.template_helpers import viewer_timezone
from app.extensions import db
from app.history.queries import LatestHistory, latest_history
from app.projects.models import ProjectMember

HISTORY_ON_TASK_PAGE = 10


def task_history(task_id: int) -> LatestHistory:
    """The task's newest lines for its page (the page already checked who may see it)."""
    return latest_history(db.session, task_id, HISTORY_ON_TASK_PAGE, viewer_timezone())


def mention_links(project_id: int) -> dict[str, str]:
    """{handle: link} for every member of the project, in one statement. A mention links to
    the project's tasks assigned to that person: there is no person page, and "what is Ann
    working on here" is what a reader of "@ann, can you…" most often wants next."""
    rows = db.session.execute(
        select(User.id, User.name, User.email)
        .join(ProjectMember, ProjectMember.user_id == User.id)
        .where(ProjectMember.project_id == project_id)
        .order_by(User.id)
    )
    links: dict[str, str] = {}
    for user_id, name, email in rows:
        link = url_for("tasks.project_tasks", project_id=project_id, assignee=user_id)
        for handle in handles(Member(user_id, name, email)):
            # A handle two members share mentions both; it links to the first.
            links.setdefault(handle, link)
    return links


def register(app: Flask) -> None:
    app.add_template_global(task_history, "task_history")
    app.add_template_global(mention_links, "mention_links")

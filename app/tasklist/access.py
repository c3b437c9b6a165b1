"""The task a page is about, for the signed-in person: the one 404 rule of every task page,
whichever feature serves it."""

from __future__ import annotations

from flask_login import current_user

from app.extensions import db
from app.tasklist.models import Task
from app.tasklist.service import get_task_for_member


def load_task(task_id: int) -> Task:
    """The task for the current user; NotFound (a 404) for anyone outside its project."""
    return get_task_for_member(db.session, task_id, current_user.id)

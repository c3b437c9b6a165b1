"""The task a page is about, for the signed-in person: the one 404 rule of every task page,
whichever feature serves it."""

from __future__ import annotations

from flask_login import current_user
from werkzeug.exceptions import NotFound as TrashedTask

from app.extensions import db
from app.tasklist.models import Task
from app.tasklist.service import get_task_for_member
from app.tasklist.trash_rules import TRASHED


def load_task(task_id: int) -> Task:
    """The task for the current user; NotFound (a 404) for anyone outside its project. A task
    in the Trash is a 404 too, but its members are told why (they can see the Trash anyway),
    so a comment or reminder sent to it is refused with a reason, not a bare "not found"."""
    task = load_task_in_or_out_of_trash(task_id)
    if task.is_deleted:
        raise TrashedTask(description=TRASHED)
    return task


def load_task_in_or_out_of_trash(task_id: int) -> Task:
    """The task for the current user wherever it is (the Trash's own routes); NotFound as above."""
    return get_task_for_member(db.session, task_id, current_user.id, include_trash=True)

"""Tasks over the API: a project's list (the web's filters and sorts, cursor-paged), create,
read, update with If-Match, delete to the Trash, restore, complete and reopen; each through
the service the pages call, so history, notifications and webhooks follow alike."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, request, url_for
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from app.api.auth import api_user
from app.api.docs_helpers import (
    ETAG_HEADER,
    LINK_HEADER,
    LOCATION_HEADER,
    not_modified,
    problems,
    task_links,
)
from app.api.etags import check_if_match, is_fresh
from app.api.paging import decode_cursor, encode_cursor, next_link
from app.api.schemas import TaskSchema
from app.api.task_access import project_for_api, task_answer, task_data, task_for_api
from app.api.task_cursor import SORT_KEYS, after_cursor, cursor_values, valid_values
from app.api.task_schemas import TaskCreateSchema, TaskListArgs, TaskUpdateSchema
from app.core.database import utcnow
from app.core.errors import RuleViolation
from app.extensions import db
from app.labels.queries import labels_for_tasks
from app.reminders import service as reminder_rules
from app.tasklist import service as task_rules
from app.tasklist import trash
from app.tasklist.filters import parse_filters
from app.tasklist.models import Task, TaskPriority, TaskStatus, in_use

blp = Blueprint("api_tasks", __name__, url_prefix="/api/v1", description="Tasks")


def answered(task: Task, status: int = 200, **headers: str) -> tuple[dict[str, Any], int, dict]:
    data, etag = task_answer(task)
    return data, status, {"ETag": etag, **headers}


@blp.route("/projects/<int:project_id>/tasks")
class ProjectTasks(MethodView):
    @blp.arguments(TaskListArgs, location="query", as_kwargs=True)
    @blp.response(200, TaskSchema(many=True), headers=LINK_HEADER)
    @problems(blp)
    @blp.doc(operationId="listTasks")
    def get(
        self, project_id: int, limit: int, sort: str, cursor: str | None = None, **_: Any
    ) -> Any:
        """A project's tasks, filtered and sorted as the web list; cursor-paged."""
        project = project_for_api(project_id)
        filters, _ignored = parse_filters(request.args)
        query = task_rules.apply_filters(
            select(Task).where(Task.project_id == project.id, in_use()), filters
        )
        if cursor is not None:
            values = decode_cursor(cursor, len(SORT_KEYS[sort]))
            if not valid_values(sort, values):
                decode_cursor("", -1)  # the same 422 as any cursor this API did not make
            query = query.where(after_cursor(sort, values))
        tasks = list(db.session.scalars(task_rules.apply_sort(query, sort).limit(limit + 1)))
        more, tasks = len(tasks) > limit, tasks[:limit]
        labels = labels_for_tasks(db.session, [task.id for task in tasks])
        link = next_link(encode_cursor(cursor_values(tasks[-1], sort)) if more else None)
        return (
            [task_data(task, labels.get(task.id, [])) for task in tasks],
            200,
            ({"Link": link} if link else {}),
        )

    @blp.arguments(TaskCreateSchema)
    @blp.response(201, TaskSchema, headers={**ETAG_HEADER, **LOCATION_HEADER})
    @problems(blp)
    @blp.doc(operationId="createTask", responses={201: {"links": task_links()}})
    def post(self, fields: dict[str, Any], project_id: int) -> Any:
        """Create a task, as the web's New task form does (the assignee must be a member)."""
        project = project_for_api(project_id)
        task = task_rules.create_task(
            db.session,
            project_id=project.id,
            creator=api_user(),
            fields=task_rules.TaskFields(
                title=fields["title"],
                description=fields["description"],
                status=TaskStatus(fields["status"]),
                priority=TaskPriority(fields["priority"]),
                due_at=fields["due_at"],
                assignee_id=fields["assignee_id"],
            ),
        )
        db.session.commit()  # its notifications and webhooks go out with the commit
        location = url_for("api_tasks.OneTask", task_id=task.id, _external=True)
        return answered(task, 201, Location=location)


@blp.route("/tasks/<int:task_id>")
class OneTask(MethodView):
    @blp.response(200, TaskSchema, headers=ETAG_HEADER)
    @not_modified(blp)
    @problems(blp)
    @blp.doc(operationId="getTask")
    def get(self, task_id: int) -> Any:
        """A task; If-None-Match with its ETag answers 304."""
        task = task_for_api(task_id)
        data, etag = task_answer(task)
        if is_fresh(etag):
            return Response(status=304, headers={"ETag": etag})
        return data, 200, {"ETag": etag}

    @blp.arguments(TaskUpdateSchema)
    @blp.response(200, TaskSchema, headers=ETAG_HEADER)
    @problems(blp, 412)
    @blp.doc(operationId="updateTask")
    def patch(self, changes: dict[str, Any], task_id: int) -> Any:
        """Change some of a task's fields, as the web's edit form; If-Match with a stale ETag
        answers 412 and changes nothing."""
        task = task_for_api(task_id)
        check_if_match(task_answer(task)[1])
        fields = task_rules.TaskFields(
            title=changes.get("title", task.title),
            description=changes.get("description", task.description),
            status=TaskStatus(changes["status"]) if "status" in changes else task.status,
            priority=TaskPriority(changes["priority"]) if "priority" in changes else task.priority,
            due_at=changes.get("due_at", task.due_at),
            assignee_id=changes.get("assignee_id", task.assignee_id),
        )
        due_before = task.due_at
        task_rules.update_task(db.session, task, fields, actor_id=api_user().id)
        if task.due_at != due_before:
            reminder_rules.move_with_due_date(db.session, task)
        db.session.commit()
        return answered(task)

    @blp.response(204)
    @problems(blp, 412)
    @blp.doc(operationId="deleteTask")
    def delete(self, task_id: int) -> Any:
        """Move the task to its project's Trash (restorable), as the web's Delete."""
        task = task_for_api(task_id)
        check_if_match(task_answer(task)[1])
        trash.delete_task(db.session, task, actor_id=api_user().id, now=utcnow())
        db.session.commit()
        return Response(status=204)


@blp.route("/tasks/<int:task_id>/restore")
class RestoreTask(MethodView):
    @blp.response(200, TaskSchema, headers=ETAG_HEADER)
    @problems(blp, 409)
    @blp.doc(operationId="restoreTask")
    def post(self, task_id: int) -> Any:
        """Bring a task back from the Trash; 409 when it is not there."""
        task = task_for_api(task_id, in_trash_too=True)
        try:
            trash.restore_task(db.session, task, actor_id=api_user().id)
        except RuleViolation as error:
            # The task's state, not the request, is in the way: a conflict, not bad input.
            abort(409, description=str(error))
        db.session.commit()
        return answered(task)


def _move_to(task_id: int, status: TaskStatus) -> Any:
    task = task_for_api(task_id)
    task_rules.set_status(db.session, task, status, utcnow(), actor_id=api_user().id)
    db.session.commit()
    return answered(task)


@blp.route("/tasks/<int:task_id>/complete")
class CompleteTask(MethodView):
    @blp.response(200, TaskSchema, headers=ETAG_HEADER)
    @problems(blp)
    @blp.doc(operationId="completeTask")
    def post(self, task_id: int) -> Any:
        """Complete the task (the web's Complete button's status change, done at once);
        completing a completed task changes nothing."""
        return _move_to(task_id, TaskStatus.COMPLETED)


@blp.route("/tasks/<int:task_id>/reopen")
class ReopenTask(MethodView):
    @blp.response(200, TaskSchema, headers=ETAG_HEADER)
    @problems(blp)
    @blp.doc(operationId="reopenTask")
    def post(self, task_id: int) -> Any:
        """A completed task back to pending, as the web's Reopen; an open one is left as is."""
        task = task_for_api(task_id)
        if task.status != TaskStatus.COMPLETED:
            return answered(task)
        return _move_to(task_id, TaskStatus.PENDING)

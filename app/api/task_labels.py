"""PUT /api/v1/tasks/{task_id}/labels: a task's labels by name, through set_task_labels (the
task page's labels form), so history and webhooks follow as there."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask.views import MethodView
from flask_babel import gettext
from flask_smorest import Blueprint

from app.api.auth import api_user
from app.api.docs_helpers import ETAG_HEADER, problems
from app.api.schemas import TaskSchema
from app.api.task_access import task_answer, task_for_api
from app.api.task_schemas import LabelNamesSchema
from app.extensions import db
from app.labels import service as label_rules

blp = Blueprint("api_task_labels", __name__, url_prefix="/api/v1", description="Labels")


@blp.route("/tasks/<int:task_id>/labels")
class TaskLabels(MethodView):
    @blp.arguments(LabelNamesSchema)
    @blp.response(200, TaskSchema, headers=ETAG_HEADER)
    @problems(blp)
    @blp.doc(operationId="setTaskLabels")
    def put(self, body: dict[str, Any], task_id: int) -> Any:
        """Give the task exactly these labels of its project (names, any case)."""
        task = task_for_api(task_id)
        ids_by_name = {
            label.name.lower(): label.id
            for label in label_rules.project_labels(db.session, task.project_id)
        }
        unknown = [name for name in body["labels"] if name.strip().lower() not in ids_by_name]
        if unknown:
            abort(
                422,
                description=gettext(
                    "These are not labels of the task's project: %(names)s. Make them on the "
                    "project's Labels page first.",
                    names=", ".join(unknown),
                ),
            )
        chosen = [ids_by_name[name.strip().lower()] for name in body["labels"]]
        label_rules.set_task_labels(db.session, task, chosen, actor_id=api_user().id)
        db.session.commit()
        data, etag = task_answer(task)
        return data, 200, {"ETag": etag}

"""A task's checklist over the API, through app.checklists.service as the task page."""

from __future__ import annotations

from typing import Any

from flask import Response, url_for
from flask.views import MethodView
from flask_smorest import Blueprint

from app.api.auth import api_user
from app.api.docs_helpers import LOCATION_HEADER, problems
from app.api.task_access import task_for_api
from app.api.task_schemas import ChecklistItemSchema, ChecklistItemUpdateSchema
from app.checklists import service as checklists
from app.checklists.models import ChecklistItem
from app.core.database import utcnow
from app.core.errors import NotFound
from app.extensions import db

blp = Blueprint("api_checklists", __name__, url_prefix="/api/v1", description="Checklists")


def item_data(item: ChecklistItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "task_id": item.task_id,
        "text": item.text,
        "done": item.is_done,
        "position": item.position,
    }


def _item(task_id: int, item_id: int) -> ChecklistItem:
    """The item of this task, for a member of its project (a task in the Trash: 404 saying so)."""
    task = task_for_api(task_id)
    item = checklists.get_item_for_member(db.session, item_id, api_user().id)
    if item.task_id != task.id:
        raise NotFound(f"checklist item {item_id}")  # i18n: internal
    return item


@blp.route("/tasks/<int:task_id>/checklist")
class Checklist(MethodView):
    @blp.response(200, ChecklistItemSchema(many=True))
    @problems(blp)
    @blp.doc(operationId="listChecklist")
    def get(self, task_id: int) -> Any:
        """The task's checklist items in order (a checklist is short: no paging)."""
        task = task_for_api(task_id)
        return [item_data(item) for item in checklists.items_of(db.session, task.id)]

    @blp.arguments(ChecklistItemSchema)
    @blp.response(201, ChecklistItemSchema, headers=LOCATION_HEADER)
    @problems(blp)
    @blp.doc(operationId="addChecklistItem")
    def post(self, body: dict[str, Any], task_id: int) -> Any:
        """Add an item at the end of the checklist."""
        task = task_for_api(task_id)
        item = checklists.add_item(db.session, task.id, body["text"])
        if body["done"]:
            checklists.set_done(db.session, item, True, user_id=api_user().id, now=utcnow())
        db.session.commit()
        location = url_for(
            "api_checklists.ChecklistEntry", task_id=task.id, item_id=item.id, _external=True
        )
        return item_data(item), 201, {"Location": location}


@blp.route("/tasks/<int:task_id>/checklist/<int:item_id>")
class ChecklistEntry(MethodView):
    @blp.arguments(ChecklistItemUpdateSchema)
    @blp.response(200, ChecklistItemSchema)
    @problems(blp)
    @blp.doc(operationId="updateChecklistItem")
    def patch(self, body: dict[str, Any], task_id: int, item_id: int) -> Any:
        """Change an item's text, or check or uncheck it."""
        item = _item(task_id, item_id)
        if "text" in body:
            checklists.edit_text(db.session, item, body["text"])
        if "done" in body:
            checklists.set_done(db.session, item, body["done"], user_id=api_user().id, now=utcnow())
        db.session.commit()
        return item_data(item)

    @blp.response(204)
    @problems(blp)
    @blp.doc(operationId="deleteChecklistItem")
    def delete(self, task_id: int, item_id: int) -> Any:
        """Remove an item."""
        checklists.remove(db.session, _item(task_id, item_id))
        db.session.commit()
        return Response(status=204)

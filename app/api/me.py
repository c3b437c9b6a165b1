"""GET /api/v1/me: the token's person, and what the token may do."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from app.api.auth import api_token, api_user

blp = Blueprint("api_me", __name__, url_prefix="/api/v1/me", description="The token's person")


class MeSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    email = fields.Email(required=True)
    timezone = fields.String(required=True)
    is_admin = fields.Boolean(required=True)
    scopes = fields.List(fields.String(), required=True)


@blp.route("")
class Me(MethodView):
    @blp.response(200, MeSchema)
    def get(self) -> dict[str, Any]:
        """The person this token belongs to, and its scopes."""
        user = api_user()
        return {
            "id": user.id,
            "name": user.name,
            "email": user.email,
            "timezone": user.timezone,
            "is_admin": user.is_admin,
            "scopes": sorted(api_token().scope_set),
        }

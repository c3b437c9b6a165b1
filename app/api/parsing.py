"""Reading JSON bodies as strictly as the OpenAPI document describes them.

marshmallow is lenient on purpose (forms send "1" for 1 and "yes" for true), but the document
says `integer`, `boolean`, `string`: a script sending {"done": 0} or {"assignee_id": "7"} has a
bug, and a fuzzer rightly calls accepting it a failure. So every API blueprint's parser checks
JSON types against the schema's fields before marshmallow loads, and refuses a missing body
where the operation requires one (webargs would load it as {})."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import current_app, request
from flask_babel import LazyString, gettext
from flask_babel import lazy_gettext as _l
from flask_smorest import Blueprint
from marshmallow import fields
from webargs.flaskparser import FlaskParser

from app.api.field_messages import translate_messages

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})

# (field class, JSON types it takes, the message when it gets another). First match wins: the
# subclasses (Boolean is not an Integer, but UUID/Email/Url are Strings) come first.
JSON_TYPES: tuple[tuple[type[fields.Field], tuple[type, ...], LazyString], ...] = (
    (fields.Boolean, (bool,), _l("Must be a boolean.")),
    (fields.Integer, (int,), _l("Must be an integer.")),
    (fields.Number, (int, float), _l("Must be a number.")),
    (fields.String, (str,), _l("Must be a string.")),
    (fields.DateTime, (str,), _l("Must be a date-time string.")),
    (fields.Date, (str,), _l("Must be a date string.")),
    (fields.Time, (str,), _l("Must be a time string.")),
    (fields.TimeDelta, (int, float), _l("Must be a number.")),
    (fields.List, (list,), _l("Must be an array.")),
    (fields.Tuple, (list,), _l("Must be an array.")),
    (fields.Dict, (dict,), _l("Must be an object.")),
    (fields.Nested, (dict,), _l("Must be an object.")),
)


def storable(text: str) -> bool:
    """Text a database can keep: no NUL (PostgreSQL refuses it) and no unpaired surrogate
    (JSON's \\ud800 escapes allow one; UTF-8 cannot encode it)."""
    return "\x00" not in text and not any("\ud800" <= char <= "\udfff" for char in text)


def type_error(field: fields.Field, value: Any) -> Any:
    """What is wrong with `value`'s JSON type for `field`: a message, nested messages, or None."""
    if value is None:
        return None  # allow_none is marshmallow's to judge
    if isinstance(value, str) and not storable(value):
        return [gettext("Must be text without NUL characters or unpaired surrogates.")]
    if isinstance(field, fields.Nested) and field.many:
        if not isinstance(value, list):
            return [gettext("Must be an array.")]
        return _items_errors(lambda item: schema_type_errors(field.schema, item), value)
    for kind, types, message in JSON_TYPES:
        if isinstance(field, kind):
            # bool is an int in Python, never in JSON.
            if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
                return [str(message)]
            break
    if isinstance(field, fields.Nested):
        return schema_type_errors(field.schema, value) or None
    if isinstance(field, fields.List):
        inner = field.inner
        return _items_errors(lambda item: type_error(inner, item), value)
    return None


def _items_errors(check: Any, items: list[Any]) -> dict[int, Any] | None:
    found = {index: error for index, item in enumerate(items) if (error := check(item))}
    return found or None


def schema_type_errors(schema: ma.Schema, data: Any) -> dict[str, Any]:
    """Every loadable field whose value has the wrong JSON type, as marshmallow messages."""
    if not isinstance(data, dict):
        return {}  # marshmallow says "Invalid input type" itself
    errors: dict[str, Any] = {}
    for name, field in schema.load_fields.items():
        key = field.data_key or name
        if key in data and (error := type_error(field, data[key])):
            errors[key] = error
    return errors


def body_required() -> bool:
    """Whether this operation's JSON body is required, as its @blp.arguments documents it."""
    view = current_app.view_functions.get(request.endpoint or "")
    method = getattr(getattr(view, "view_class", None), request.method.lower(), view)
    parameters = getattr(method, "_apidoc", {}).get("arguments", {}).get("parameters", [])
    return any(p.get("in") == "json" and p.get("required") for p in parameters)


class StrictJsonParser(FlaskParser):
    def load_json(self, req: Any, schema: ma.Schema) -> Any:
        data = super().load_json(req, schema)
        if data is ma.missing:
            if req.method in BODY_METHODS and body_required():
                self._refuse(req, schema, {"json": [gettext("Send a JSON body.")]})
            return data
        if not schema.many and (errors := schema_type_errors(schema, data)):
            self._refuse(req, schema, {"json": errors})
        return data

    def handle_error(self, error: ma.ValidationError, *args: Any, **kwargs: Any) -> Any:
        # marshmallow's messages are English; the 422 speaks the request's language.
        error.messages = translate_messages(error.messages)
        return super().handle_error(error, *args, **kwargs)

    def _refuse(self, req: Any, schema: ma.Schema, messages: dict[str, Any]) -> None:
        self.handle_error(
            ma.ValidationError(messages), req, schema, error_status_code=None, error_headers=None
        )


def use_strict_parser() -> None:
    """Every flask-smorest blueprint (flask-smorest's documented ARGUMENTS_PARSER hook, set on
    its Blueprint class so each resource module keeps using `flask_smorest.Blueprint`)."""
    if not isinstance(Blueprint.ARGUMENTS_PARSER, StrictJsonParser):
        Blueprint.ARGUMENTS_PARSER = StrictJsonParser()

"""Every operation's error answers in the OpenAPI document: RFC 9457 problem+json, as
app/core/web/problems.py sends them, added to each operation by an apispec plugin so a new
blueprint gets them without writing them (and a fuzzer finds every status documented)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from apispec import APISpec, BasePlugin

from app.api.schemas import ProblemSchema
from app.core.web.problems import PROBLEM_JSON

# Answers any operation can give, whatever it does: no or a bad token (401), a token without
# the scope (403), the token's rate limit (429).
EVERY_OPERATION = (401, 403, 429)
# flask-smorest's own error responses (application/json, its own error schema) are replaced
# by ours: they name responses by HTTPStatus name, and "DEFAULT_ERROR" for `default`.
SMOREST_DEFAULT_ERROR = "DEFAULT_ERROR"
PROBLEM_SCHEMA = "Problem"


def response_name(status: int | str) -> str:
    return f"Problem{status}" if status != "default" else "Problem"


def problem_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_JSON: {"schema": {"$ref": f"#/components/schemas/{PROBLEM_SCHEMA}"}}},
    }


class ProblemResponses(BasePlugin):
    """Adds 401/403/429 (and a problem+json `default`) to every operation, and turns
    flask-smorest's error responses (422 for bad arguments, ...) into problem+json ones."""

    def __init__(self) -> None:
        self.spec: APISpec | None = None
        self.registered: set[str] = set()

    def init_spec(self, spec: APISpec) -> None:
        super().init_spec(spec)
        self.spec = spec

    def problem_ref(self, status: int | str) -> str:
        """The name of a response component for `status`, registered on first use."""
        assert self.spec is not None
        name = response_name(status)
        if name not in self.registered:
            if PROBLEM_SCHEMA not in self.spec.components.schemas:
                self.spec.components.schema(PROBLEM_SCHEMA, schema=ProblemSchema)
            description = (
                "An error, as RFC 9457 problem details."
                if status == "default"
                else HTTPStatus(int(status)).phrase
            )
            response = problem_response(description)
            if status == 401:
                response["headers"] = {
                    "WWW-Authenticate": {
                        "description": 'Bearer realm="tickler"',
                        "schema": {"type": "string"},
                        "required": True,
                    }
                }
            self.spec.components.response(name, response)
            self.registered.add(name)
        return name

    def operation_helper(
        self, path: str | None = None, operations: dict | None = None, **kwargs: Any
    ) -> None:
        for operation in (operations or {}).values():
            responses = operation.setdefault("responses", {})
            for status, response in list(responses.items()):
                if self.is_smorest_error(status, response):
                    responses[status] = self.problem_ref(
                        "default" if status == "default" else int(status)
                    )
            for status in EVERY_OPERATION:
                responses.setdefault(str(status), self.problem_ref(status))
            responses.setdefault("default", self.problem_ref("default"))

    @staticmethod
    def is_smorest_error(status: Any, response: Any) -> bool:
        if not isinstance(response, str):
            return False
        if response == SMOREST_DEFAULT_ERROR:
            return True
        return (
            str(status).isdigit()
            and int(status) >= 400
            and response == HTTPStatus(int(status)).name
        )

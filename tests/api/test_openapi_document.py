"""The OpenAPI document: valid OpenAPI 3.1, every operation's errors documented as
problem+json, and the webhooks Tickler sends described with the API's own schemas."""

from __future__ import annotations

from schemathesis.specs.openapi.definitions import OPENAPI_31_VALIDATOR

from app.core.web.problems import PROBLEM_JSON
from app.webhooks.models import WEBHOOK_EVENTS

METHODS = {"get", "post", "put", "patch", "delete"}


def test_the_document_validates_against_the_openapi_3_1_schema(client) -> None:
    document = client.get("/api/v1/openapi.json").json
    errors = [str(error) for error in OPENAPI_31_VALIDATOR.iter_errors(document)]
    assert errors == []


def test_every_operation_documents_401_403_429_and_a_default_as_problem_json(client) -> None:
    document = client.get("/api/v1/openapi.json").json
    operations = [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]
    assert operations, "at least GET /api/v1/me"
    responses = document["components"]["responses"]
    for path, method, operation in operations:
        for status in ("401", "403", "429", "default"):
            ref = operation["responses"][status]["$ref"].rsplit("/", 1)[-1]
            assert PROBLEM_JSON in responses[ref]["content"], (path, method, status)
        for status, response in operation["responses"].items():
            if status.isdigit() and int(status) >= 400 and "$ref" in response:
                ref = response["$ref"].rsplit("/", 1)[-1]
                assert list(responses[ref]["content"]) == [PROBLEM_JSON], (path, method, status)
    assert "WWW-Authenticate" in responses["Problem401"]["headers"]


def test_webhooks_are_described_with_the_api_resource_schemas(client) -> None:
    document = client.get("/api/v1/openapi.json").json
    assert set(document["webhooks"]) == {*WEBHOOK_EVENTS, "ping"}
    schemas = document["components"]["schemas"]
    created = document["webhooks"]["task.created"]["post"]
    body = created["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body == "#/components/schemas/TaskCreatedEvent"
    assert schemas["TaskEventData"]["properties"]["task"] == {"$ref": "#/components/schemas/Task"}
    assert schemas["CommentEventData"]["properties"]["comment"] == {
        "$ref": "#/components/schemas/Comment"
    }
    headers = {parameter["name"] for parameter in created["parameters"]}
    signed = {"webhook-id", "webhook-timestamp", "webhook-signature", "X-Tickler-Signature"}
    assert signed <= headers


def test_no_token_answers_401_problem_json_with_a_challenge(client) -> None:
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.mimetype == PROBLEM_JSON
    assert response.headers["WWW-Authenticate"].startswith("Bearer")

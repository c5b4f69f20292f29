"""The OpenAPI schema as the service answers: its error body, its real auth, the snapshot it takes.

FastAPI's generated schema documents a ``HTTPValidationError`` body for 422 (the service answers
every error with ``{"error", "detail", "attrs"}``), leaves out 404/409/413/429/500, marks every route
as needing the bearer token (even when none is set, or reads are public), takes any JSON object as a
snapshot upload (and any ``schema_version``) and any string as the ``metadata`` filter (a JSON object).
:func:`conform` rewrites those parts once, when the schema is first asked for.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from monitorflow.snapshot import SCHEMA_VERSION, Snapshot

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error", "detail"],
    "properties": {
        "error": {"type": "string", "description": "the MonitoringError class (or HTTPError)"},
        "detail": {"description": "what is wrong and how to fix it"},
        "attrs": {"type": "object", "description": "the error's fields (ids, values)"},
    },
}
#: Statuses any API operation may answer with the error body, beside its own success status.
ERRORS = {
    "400": "bad request",
    "404": "a project, snapshot or dataset that does not exist",
    "409": "a conflict (an id already used by a different snapshot)",
    "413": "an upload above the limit",
    "422": "invalid input (parameters, body)",
    "500": "an unexpected failure (the connection stays usable)",
}
AUTH_ERRORS = {"401": "missing or wrong token", "429": "too many wrong tokens: wait Retry-After seconds"}
READ_METHODS = {"get", "head"}


def conform(app: FastAPI, *, reads_need_token: bool, writes_need_token: bool) -> None:
    """Make ``app.openapi()`` describe the service's real answers and auth."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            _rewrite(schema, reads_need_token, writes_need_token)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _rewrite(schema: dict[str, Any], reads_need_token: bool, writes_need_token: bool) -> None:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    _snapshot_body(schema, components)
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["name"] == "metadata":  # a JSON object in the query string
                    parameter.pop("schema", None)
                    parameter["content"] = {"application/json": {"schema": {"type": "object"}}}
            needs_token = reads_need_token if method in READ_METHODS else writes_need_token
            if not needs_token:
                operation.pop("security", None)
            statuses = {**ERRORS, **(AUTH_ERRORS if needs_token else {})}
            responses = operation.setdefault("responses", {})
            for status, description in statuses.items():
                responses[status] = {"description": description, "content": error}
    if not (reads_need_token or writes_need_token):
        schema["components"].pop("securitySchemes", None)


def _snapshot_body(schema: dict[str, Any], components: dict[str, Any]) -> None:
    """The JSON body of a snapshot upload is a Snapshot (its JSON schema, definitions as components)."""

    body = Snapshot.model_json_schema(ref_template="#/components/schemas/{model}")
    body["properties"]["schema_version"].update(minimum=1, maximum=SCHEMA_VERSION)
    components.update(body.pop("$defs", {}))
    components["Snapshot"] = body
    upload = schema.get("paths", {}).get("/api/projects/{project_id}/snapshots", {}).get("post")
    if upload is not None:
        upload["requestBody"]["content"]["application/json"]["schema"] = {
            "$ref": "#/components/schemas/Snapshot"
        }

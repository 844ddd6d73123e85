"""The OpenAPI 3.1 document of a pipeline app, written from its routes' declarations
(:mod:`.operations`) and their pydantic models' JSON Schemas; served at ``/openapi.json``."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from pydantic import BaseModel

from vod_testbed.pipeline.http.models import ApiError
from vod_testbed.pipeline.http.operations import PUBLIC, Answer, Operation, described

REF = "#/components/schemas/{model}"
SECURITY_SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
    "webhookSignature": {"type": "apiKey", "in": "header", "name": "X-Vod-Webhook-Secret"},
    "minioToken": {"type": "http", "scheme": "bearer"},
}
_VARIABLE = re.compile(r"<(?:[a-z]+:)?([A-Za-z_][A-Za-z0-9_]*)>")
# Flask's answers to what no view sees: a route's static files.
_STATIC = Operation(
    "A static file",
    security=PUBLIC,
    responses={200: Answer("the file"), 404: Answer("no such file")},
)


class _Components:
    """The schemas of every model the document names, by model name."""

    def __init__(self) -> None:
        self.schemas: dict[str, Any] = {}

    def ref(self, model: type[BaseModel], mode: str = "serialization") -> dict[str, str]:
        schema = model.model_json_schema(ref_template=REF, mode=mode)  # type: ignore[arg-type]
        self.schemas.update(schema.pop("$defs", {}))
        self.schemas[model.__name__] = schema
        return {"$ref": REF.format(model=model.__name__)}

    def parameters(self, model: type[BaseModel], where: str) -> list[dict[str, Any]]:
        schema = model.model_json_schema(ref_template=REF, mode="validation")
        self.schemas.update(schema.pop("$defs", {}))
        required = set(schema.get("required", ()))
        return [
            {
                "name": name,
                "in": where,
                "required": where == "path" or name in required,
                "schema": _present(prop),
            }
            for name, prop in schema["properties"].items()
        ]


def _present(prop: dict[str, Any]) -> dict[str, Any]:
    """A parameter's schema: a parameter absent is how it says ``None``."""
    prop = {k: v for k, v in prop.items() if k != "title" and not (k == "default" and v is None)}
    options = [o for o in prop.pop("anyOf", []) if o != {"type": "null"}]
    if len(options) == 1:
        prop.update(options[0])
    elif options:
        prop["anyOf"] = options
    return prop


def _answer(status: int, answer: Answer | str, components: _Components) -> dict[str, Any]:
    if isinstance(answer, str):
        answer = Answer(answer, ApiError if status >= 400 else None)
    described: dict[str, Any] = {"description": answer.description}
    if answer.model is not None:
        described["content"] = {"application/json": {"schema": components.ref(answer.model)}}
    elif answer.media_type is not None:
        described["content"] = {answer.media_type: {"schema": {"type": "string"}}}
    return described


def _operation(op: Operation, rule_variables: list[str], components: _Components) -> dict:
    responses: dict[int, Answer | str] = {}
    if op.path or op.query or op.body:
        responses[400] = "the problem, and the field it concerns"
    if op.security.requirements:
        responses[401] = op.security.refused
    if op.body is not None:
        responses[413] = Answer("the body is larger than 1 MiB")
    responses.update(op.responses)
    parameters = (
        components.parameters(op.path, "path")
        if op.path
        else [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            for name in rule_variables
        ]
    )
    if op.query is not None:
        parameters += components.parameters(op.query, "query")
    described: dict[str, Any] = {
        "summary": op.summary,
        "security": [dict(requirement) for requirement in op.security.requirements],
        "responses": {
            str(status): _answer(status, answer, components)
            for status, answer in sorted(responses.items())
        },
    }
    if parameters:
        described["parameters"] = parameters
    if op.body is not None:
        described["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": components.ref(op.body, "validation")}},
        }
    return described


def openapi_document(app: Flask) -> dict[str, Any]:
    """``app``'s OpenAPI 3.1 document. Raises LookupError naming a route that is not
    described (every view is declared with :func:`.operations.operation`)."""
    components = _Components()
    paths: dict[str, dict[str, Any]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        view = app.view_functions[rule.endpoint]
        op = _STATIC if rule.endpoint.endswith("static") else described(view)
        if op is None:
            raise LookupError(f"{rule.rule} ({rule.endpoint}) has no @operation description")
        path = _VARIABLE.sub(r"{\1}", rule.rule)
        variables = _VARIABLE.findall(rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(op, variables, components)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "vod-testbed pipeline API",
            "version": "1",
            "description": "The content service of the vod-testbed pipeline: register "
            "uploads, follow and play videos, manage course enrollments, and receive "
            "job-state events. Every /videos and /courses route needs a bearer JWT; the "
            "caller is its sub.",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {"securitySchemes": SECURITY_SCHEMES, "schemas": components.schemas},
    }

"""Each route of the pipeline described once (docs/ARCHITECTURE.md, "The pipeline's HTTP
API"): :func:`operation` declares a view's summary, who may call it, the pydantic models of
its path, query and body, and its answers. The same declaration authenticates and
validates every request before the view runs (the view gets the validated models as
``query=`` and ``body=``) and becomes the route's entry in the OpenAPI document
(:mod:`.openapi`).

A new route is a Flask view under ``@operation(...)``; a route without one fails the test
that every route is described.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import current_app, request
from pydantic import BaseModel

from vod_testbed.common import strict_json
from vod_testbed.common.errors import InvalidRequestError
from vod_testbed.pipeline.assets.request_model import parse

F = TypeVar("F", bound=Callable[..., Any])

# Where the app keeps what the models' checks read (the pipeline's settings).
CONTEXT = "vod_request_context"


@dataclass(frozen=True)
class Security:
    """Who may call: OpenAPI security requirements (none: anyone) and the check that
    enforces them, run before anything of the request is read."""

    requirements: tuple[Mapping[str, list[str]], ...] = ()
    check: Callable[[], None] | None = None
    refused: str = "not authenticated"


PUBLIC = Security()


@dataclass(frozen=True)
class Answer:
    """One documented answer: a JSON ``model``, or a body of ``media_type``, or nothing."""

    description: str
    model: type[BaseModel] | None = None
    media_type: str | None = None


@dataclass(frozen=True)
class Operation:
    summary: str
    security: Security
    responses: Mapping[int, Answer | str]
    path: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    body: type[BaseModel] | None = None


def json_body() -> Any:
    """The request's body parsed strictly (:mod:`common.strict_json`: no deep nesting, no
    lone surrogates, finite numbers). Raises InvalidRequestError (``body``)."""
    try:
        return strict_json.loads(request.get_data())
    except ValueError as exc:
        raise InvalidRequestError("body", f"the body is not JSON: {exc}") from None


def operation(
    summary: str,
    *,
    security: Security,
    responses: Mapping[int, Answer | str],
    path: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    body: type[BaseModel] | None = None,
) -> Callable[[F], F]:
    """Describe a view, and check its requests as described: the caller first, then the
    path, the query (as ``query=``) and the body (as ``body=``), each refused with 400
    naming the field. A ``str`` answer is a description of an error (``ApiError``)."""
    described = Operation(summary, security, responses, path, query, body)

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def checked(**kwargs: Any) -> Any:
            if security.check is not None:
                security.check()
            context = current_app.extensions.get(CONTEXT)
            if path is not None:
                kwargs = dict(parse(path, kwargs, context))
            if query is not None:
                kwargs["query"] = parse(query, request.args.to_dict(), context)
            if body is not None:
                kwargs["body"] = parse(body, json_body(), context)
            return view(**kwargs)

        checked.operation = described  # type: ignore[attr-defined]
        return checked  # type: ignore[return-value]

    return decorate


def described(view: Callable[..., Any]) -> Operation | None:
    """The declaration of ``view``, if it has one."""
    found: Operation | None = getattr(view, "operation", None)
    return found

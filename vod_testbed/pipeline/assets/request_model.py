"""What the API accepts, as pydantic models: the same model validates a request and is its
schema in the OpenAPI document (docs/ARCHITECTURE.md, "The pipeline's HTTP API").

A refused request names one field with a sentence (:class:`InvalidRequestError`, answered
400 ``{"error", "field"}``): a field's own check raises :func:`refuse` with its sentence,
an unknown field gets the model's :attr:`RequestModel.unknown_field`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, NoReturn, Self, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import PydanticCustomError

from vod_testbed.common.errors import InvalidRequestError

M = TypeVar("M", bound=BaseModel)


def refuse(message: str) -> NoReturn:
    """Refuse the value being validated with ``message``, said as it is."""
    # The sentence travels in the context: a template would read braces in user input.
    raise PydanticCustomError("refused", "{message}", {"message": message})


class RequestModel(BaseModel):
    """A request's body, query or path parameters: strict types, no unknown field."""

    model_config = ConfigDict(extra="forbid", strict=True)

    # What an unknown field is told, and what particular unknown fields are told instead.
    unknown_field: ClassVar[str] = "is not a known field"
    unknown_fields: ClassVar[Mapping[str, str]] = {}

    @classmethod
    def parse(cls, data: Any, context: Any = None) -> Self:
        """``data`` validated (``context`` reaches the fields' checks: the settings).

        Raises:
            InvalidRequestError: naming the first field refused and why.
        """
        return parse(cls, data, context)


def parse(model: type[M], data: Any, context: Any = None) -> M:
    """``data`` validated by ``model``. Raises InvalidRequestError naming the first field
    refused (``body`` when it is not an object at all) and why."""
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        raise request_error(model, exc.errors()[0]) from None


def request_error(model: type[BaseModel], error: Mapping[str, Any]) -> InvalidRequestError:
    location = error["loc"]
    if not location:
        return InvalidRequestError("body", "the body must be a JSON object")
    field = str(location[0])
    if error["type"] == "extra_forbidden":
        default = str(getattr(model, "unknown_field", "is not a known field"))
        return InvalidRequestError(field, getattr(model, "unknown_fields", {}).get(field, default))
    cause = error.get("ctx", {}).get("error")
    if isinstance(cause, InvalidRequestError):
        return cause  # a check that names a field inside the value (captions[1].language)
    if error["type"] == "missing":
        return InvalidRequestError(field, "is required")
    return InvalidRequestError(field, str(error["msg"]))

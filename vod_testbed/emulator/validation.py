"""Server-side request checks that boto3 leaves to the service, driven by botocore's model.

botocore checks ``required`` members and integer minimums on the client; it does not check
maximums, enums, string lengths or types sent by other clients. The service does, and
answers ``BadRequestException`` with a JSON pointer to the field, e.g.
``/outputGroups/0/outputs/0: containerSettings is a required property``. Pointers inside
``settings`` are relative to ``settings``, as AWS reports them; other members are named
from the request root (``/priority``).

Members the model does not know are ignored: a newer SDK may send them.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import botocore.session
from botocore.model import OperationModel, ServiceModel, Shape

from vod_testbed.emulator.exceptions import BadRequestException


@functools.cache
def service_model() -> ServiceModel:
    """The MediaConvert service model shipped with the installed botocore."""
    return botocore.session.get_session().get_service_model("mediaconvert")


def operation(name: str) -> OperationModel:
    return service_model().operation_model(name)


def wire_name(member: str, shape: Shape) -> str:
    """The JSON key of a member: its ``locationName`` (camelCase on this service)."""
    return str(shape.serialization.get("name", member[:1].lower() + member[1:]))


@functools.cache
def _pattern(expr: str) -> re.Pattern[str] | None:
    try:
        return re.compile(expr)
    except re.error:
        return None  # a pattern in a regex dialect Python cannot read is not enforced


def _fail(path: str, problem: str) -> BadRequestException:
    return BadRequestException(f"{path or '/'}: {problem}")


def validate(shape: Shape, value: Any, path: str = "") -> None:
    """Check ``value`` (wire form) against ``shape``; raise BadRequestException naming the
    first offending field."""
    kind = shape.type_name
    if kind == "structure":
        _validate_structure(shape, value, path)
    elif kind == "list":
        if not isinstance(value, list):
            raise _fail(path, f"{value!r} is not of type 'array'")
        minimum = shape.metadata.get("min")
        if minimum is not None and len(value) < minimum:
            raise _fail(path, f"Should have at least {minimum} items")
        for index, item in enumerate(value):
            validate(shape.member, item, f"{path}/{index}")  # type: ignore[attr-defined]
    elif kind == "map":
        if not isinstance(value, dict):
            raise _fail(path, f"{value!r} is not of type 'object'")
        for key, item in value.items():
            validate(shape.value, item, f"{path}/{key}")  # type: ignore[attr-defined]
    elif kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise _fail(path, f"{value!r} is not of type 'integer'")
        _check_range(shape, value, path)
    elif kind in ("double", "float"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _fail(path, f"{value!r} is not of type 'number'")
        _check_range(shape, value, path)
    elif kind == "boolean":
        if not isinstance(value, bool):
            raise _fail(path, f"{value!r} is not of type 'boolean'")
    elif kind == "string":
        _validate_string(shape, value, path)
    elif kind == "timestamp" and not isinstance(value, int | float | str):
        raise _fail(path, f"{value!r} is not a timestamp")


def _validate_structure(shape: Shape, value: Any, path: str) -> None:
    if not isinstance(value, dict):
        raise _fail(path, f"{value!r} is not of type 'object'")
    members = shape.members  # type: ignore[attr-defined]
    for member in shape.metadata.get("required", []):
        key = wire_name(member, members[member])
        if value.get(key) is None:
            raise _fail(path, f"{key} is a required property")
    for member, member_shape in members.items():
        key = wire_name(member, member_shape)
        if key in value and value[key] is not None:
            validate(member_shape, value[key], f"{path}/{key}")


def _check_range(shape: Shape, value: float, path: str) -> None:
    minimum = shape.metadata.get("min")
    maximum = shape.metadata.get("max")
    if minimum is not None and value < minimum:
        raise _fail(path, f"{value} is less than the minimum of {minimum}")
    if maximum is not None and value > maximum:
        raise _fail(path, f"{value} is greater than the maximum of {maximum}")


def _validate_string(shape: Shape, value: Any, path: str) -> None:
    if not isinstance(value, str):
        raise _fail(path, f"{value!r} is not of type 'string'")
    enum = shape.metadata.get("enum")
    if enum and value not in enum:
        raise _fail(path, f"{value!r} is not one of {enum}")
    minimum = shape.metadata.get("min")
    maximum = shape.metadata.get("max")
    if minimum is not None and len(value) < minimum:
        raise _fail(path, f"{value!r} is too short")
    if maximum is not None and len(value) > maximum:
        raise _fail(path, f"{value!r} is too long")
    expr = shape.metadata.get("pattern")
    compiled = _pattern(expr) if expr else None
    if compiled is not None and not compiled.search(value):
        raise _fail(path, f"{value!r} does not match {expr!r}")


def validate_request(
    operation_name: str, params: dict[str, Any], presence_only: tuple[str, ...] = ()
) -> None:
    """Validate an operation's input (wire keys; path, query and body members together).

    ``settings`` is checked with pointers relative to itself, as MediaConvert reports them.
    Members named in ``presence_only`` must be there when required, but their content is
    left to the caller (job settings are checked after the template is merged in).
    """
    shape = operation(operation_name).input_shape
    if shape is None:
        return
    members = shape.members
    for member in shape.metadata.get("required", []):
        key = wire_name(member, members[member])
        if params.get(key) is None:
            if key == "settings":
                # The message AWS returns for CreatePreset without settings.
                raise BadRequestException("The 'settings' field is required.")
            raise _fail("", f"{key} is a required property")
    for member, member_shape in members.items():
        key = wire_name(member, member_shape)
        if params.get(key) is None or key in presence_only:
            continue
        validate(member_shape, params[key], "" if key == "settings" else f"/{key}")


def coerce_query(operation_name: str, query: dict[str, str]) -> dict[str, Any]:
    """Query-string values typed as the model declares them (``maxResults`` -> int)."""
    shape = operation(operation_name).input_shape
    result: dict[str, Any] = {}
    if shape is None:
        return result
    for member, member_shape in shape.members.items():
        if member_shape.serialization.get("location") != "querystring":
            continue
        key = member_shape.serialization.get("name", wire_name(member, member_shape))
        if key not in query:
            continue
        raw = query[key]
        if member_shape.type_name in ("integer", "long"):
            try:
                result[key] = int(raw)
            except ValueError:
                raise _fail(f"/{key}", f"{raw!r} is not of type 'integer'") from None
        else:
            result[key] = raw
    return result


def check_job_settings(settings: dict[str, Any]) -> None:
    """Validate merged job settings: the model's constraints plus the members MediaConvert
    requires although the model marks them optional (its messages, its pointers)."""
    validate(service_model().shape_for("JobSettings"), settings)
    if not settings.get("inputs"):
        raise _fail("/inputs", "Should have at least 1 items")
    groups = settings.get("outputGroups") or []
    if not groups:
        raise _fail("/outputGroups", "Should have at least 1 items")
    for g, group in enumerate(groups):
        group_settings = group.get("outputGroupSettings")
        if not group_settings:
            raise _fail(f"/outputGroups/{g}", "outputGroupSettings is a required property")
        if not group_settings.get("type"):
            raise _fail(f"/outputGroups/{g}/outputGroupSettings", "type is a required property")
        outputs = group.get("outputs") or []
        if not outputs:
            raise _fail(f"/outputGroups/{g}/outputs", "Should have at least 1 items")
        for o, output in enumerate(outputs):
            if not output.get("containerSettings"):
                raise _fail(
                    f"/outputGroups/{g}/outputs/{o}", "containerSettings is a required property"
                )

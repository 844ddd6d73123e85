"""MediaConvert's service model, as botocore ships it: one loader, the case converter, the
validator.

Everything that knows MediaConvert's shapes reads them here: the emulator (to validate
requests the way the service does) and the MediaConvert backend (to read jobs back), so both
give the same answer with the same message for the same input.

Case conversion (:func:`to_wire_case`, :func:`from_wire_case`) follows the model's
``locationName`` of each member: boto3 takes PascalCase, the REST wire is camelCase. Map
keys are user data (audio selector names, ``userMetadata``) and keep their spelling.

Validation (:func:`validate`, :func:`validate_request`, :func:`validate_job_settings`) checks
what the service checks and boto3 does not: types, ranges, enums, string lengths and
patterns, required members, and the members MediaConvert requires although the model marks
them optional. Failures are :class:`ValidationError` with a JSON pointer, in the form
MediaConvert's own messages take (``/outputGroups/0/outputs/0: containerSettings is a
required property``).

Unknown members are refused. Every AWS SDK refuses them before sending (botocore:
``Unknown parameter in ...``), so a request carrying one never reaches AWS from an SDK and
never runs there; accepting it here would let a job pass locally that fails in staging, and
dropping it silently would run a job other than the one asked for. The cost: a client whose
botocore knows a member newer than this one's is refused; upgrading botocore here fixes it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

import botocore.session
from botocore.model import (
    ListShape,
    MapShape,
    OperationModel,
    ServiceModel,
    Shape,
    StructureShape,
)


class ValidationError(ValueError):
    """A value MediaConvert's API refuses.

    Attributes:
        path: a JSON pointer: into ``settings`` for job settings (``/outputGroups/0``), as
            MediaConvert reports them; from the request root for other members
            (``/priority``). None for the few messages AWS words without one.
        message: what is wrong, in MediaConvert's words where they are known.
    """

    def __init__(self, path: str | None, message: str) -> None:
        self.path = None if path is None else path or "/"
        self.message = message
        super().__init__(message if self.path is None else f"{self.path}: {message}")


# --- the model ------------------------------------------------------------------------


@functools.cache
def service_model() -> ServiceModel:
    """The MediaConvert service model shipped with the installed botocore (loaded once)."""
    return botocore.session.get_session().get_service_model("mediaconvert")


def shape(name: str) -> Shape:
    """A named shape of the model (``JobSettings``, ``OutputDetail`` ...)."""
    found: Shape = service_model().shape_for(name)
    return found


def operation(name: str) -> OperationModel:
    """An operation of the model (``CreateJob`` ...)."""
    return service_model().operation_model(name)


def wire_name(member: str, member_shape: Shape) -> str:
    """The JSON key of a member: its ``locationName`` (camelCase on this service)."""
    return str(member_shape.serialization.get("name", member[:1].lower() + member[1:]))


@functools.cache
def _wire_members(structure: StructureShape) -> dict[str, str]:
    """wire name -> member name of a structure."""
    return {wire_name(m, s): m for m, s in structure.members.items()}


# --- case conversion -------------------------------------------------------------------


def _convert(value: Any, value_shape: Shape, to_wire: bool) -> Any:
    if isinstance(value_shape, StructureShape) and isinstance(value, Mapping):
        members = value_shape.members
        out = {}
        for key, item in value.items():
            member = key if to_wire else _wire_members(value_shape).get(key)
            if member not in members:
                # Unknown keys pass through unchanged so that validation can name them.
                out[key] = item
                continue
            name = wire_name(member, members[member]) if to_wire else member
            out[name] = _convert(item, members[member], to_wire)
        return out
    if isinstance(value_shape, ListShape) and isinstance(value, list):
        return [_convert(item, value_shape.member, to_wire) for item in value]
    if isinstance(value_shape, MapShape) and isinstance(value, Mapping):
        # Map keys are user data ("Audio Selector 1"): never transformed.
        return {key: _convert(item, value_shape.value, to_wire) for key, item in value.items()}
    return value


def to_wire_case(value: Mapping[str, Any], shape_name: str = "JobSettings") -> dict[str, Any]:
    """boto3's PascalCase form of a model shape -> the camelCase wire form."""
    converted: dict[str, Any] = _convert(value, shape(shape_name), to_wire=True)
    return converted


def from_wire_case(value: Mapping[str, Any], shape_name: str = "JobSettings") -> dict[str, Any]:
    """The camelCase wire form of a model shape -> boto3's PascalCase form."""
    converted: dict[str, Any] = _convert(value, shape(shape_name), to_wire=False)
    return converted


# --- validation ------------------------------------------------------------------------


@functools.cache
def _pattern(expr: str) -> re.Pattern[str] | None:
    try:
        return re.compile(expr)
    except re.error:
        return None  # a pattern in a regex dialect Python cannot read is not enforced


def validate(value_shape: Shape, value: Any, path: str = "") -> None:
    """Check ``value`` (wire form) against ``value_shape``.

    Raises:
        ValidationError: the first offending field.
    """
    kind = value_shape.type_name
    if isinstance(value_shape, StructureShape):
        _validate_structure(value_shape, value, path)
    elif isinstance(value_shape, ListShape):
        if not isinstance(value, list):
            raise ValidationError(path, f"{value!r} is not of type 'array'")
        minimum = value_shape.metadata.get("min")
        if minimum is not None and len(value) < minimum:
            raise ValidationError(path, f"Should have at least {minimum} items")
        for index, item in enumerate(value):
            validate(value_shape.member, item, f"{path}/{index}")
    elif isinstance(value_shape, MapShape):
        if not isinstance(value, dict):
            raise ValidationError(path, f"{value!r} is not of type 'object'")
        for key, item in value.items():
            validate(value_shape.value, item, f"{path}/{key}")
    elif kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(path, f"{value!r} is not of type 'integer'")
        _check_range(value_shape, value, path)
    elif kind in ("double", "float"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValidationError(path, f"{value!r} is not of type 'number'")
        _check_range(value_shape, value, path)
    elif kind == "boolean":
        if not isinstance(value, bool):
            raise ValidationError(path, f"{value!r} is not of type 'boolean'")
    elif kind == "string":
        _validate_string(value_shape, value, path)
    elif kind == "timestamp" and not isinstance(value, int | float | str):
        raise ValidationError(path, f"{value!r} is not a timestamp")


def _validate_structure(structure: StructureShape, value: Any, path: str) -> None:
    if not isinstance(value, dict):
        raise ValidationError(path, f"{value!r} is not of type 'object'")
    members = structure.members
    for member in structure.metadata.get("required", []):
        key = wire_name(member, members[member])
        if value.get(key) is None:
            raise ValidationError(path, f"{key} is a required property")
    known = _wire_members(structure)
    for key, item in value.items():
        if key not in known:
            raise ValidationError(
                f"{path}/{key}", f"{key} is not a member of {structure.name} in MediaConvert's API"
            )
        if item is not None:
            validate(members[known[key]], item, f"{path}/{key}")


def _check_range(value_shape: Shape, value: float, path: str) -> None:
    minimum = value_shape.metadata.get("min")
    maximum = value_shape.metadata.get("max")
    if minimum is not None and value < minimum:
        raise ValidationError(path, f"{value} is less than the minimum of {minimum}")
    if maximum is not None and value > maximum:
        raise ValidationError(path, f"{value} is greater than the maximum of {maximum}")


def _validate_string(value_shape: Shape, value: Any, path: str) -> None:
    if not isinstance(value, str):
        raise ValidationError(path, f"{value!r} is not of type 'string'")
    meta = value_shape.metadata
    enum = meta.get("enum")
    if enum and value not in enum:
        raise ValidationError(path, f"{value!r} is not one of {enum}")
    if meta.get("min") is not None and len(value) < meta["min"]:
        raise ValidationError(path, f"{value!r} is too short")
    if meta.get("max") is not None and len(value) > meta["max"]:
        raise ValidationError(path, f"{value!r} is too long")
    expr = meta.get("pattern")
    compiled = _pattern(expr) if expr else None
    if compiled is not None and not compiled.search(value):
        raise ValidationError(path, f"{value!r} does not match {expr!r}")


def validate_request(
    operation_name: str, params: Mapping[str, Any], presence_only: tuple[str, ...] = ()
) -> None:
    """Validate an operation's input (wire keys; path, query and body members together).

    ``settings`` is checked with pointers relative to itself, as MediaConvert reports them.
    Members named in ``presence_only`` must be there when required, but their content is
    left to the caller (CreateJob's settings are validated once the job template and the
    presets are merged in, by :func:`validate_job_settings`).

    Raises:
        ValidationError: the first offending member.
    """
    input_shape = operation(operation_name).input_shape
    if input_shape is None:
        return
    members = input_shape.members
    for member in input_shape.metadata.get("required", []):
        key = wire_name(member, members[member])
        if params.get(key) is None:
            if key == "settings":
                # The message AWS returns for CreatePreset without settings.
                raise ValidationError(None, "The 'settings' field is required.")
            raise ValidationError("", f"{key} is a required property")
    known = _wire_members(input_shape)
    for key, item in params.items():
        if key not in known:
            raise ValidationError(
                f"/{key}", f"{key} is not a member of {input_shape.name} in MediaConvert's API"
            )
        if item is None or key in presence_only:
            continue
        validate(members[known[key]], item, "" if key == "settings" else f"/{key}")


def validate_job_settings(settings: Any) -> None:
    """Validate a job's settings (wire form): the model's constraints, plus the members
    MediaConvert requires although the model marks them optional (its messages, its
    pointers).

    Raises:
        ValidationError: the first offending field.
    """
    validate(shape("JobSettings"), settings)
    if not settings.get("inputs"):
        raise ValidationError("/inputs", "Should have at least 1 items")
    groups = settings.get("outputGroups") or []
    if not groups:
        raise ValidationError("/outputGroups", "Should have at least 1 items")
    for g, group in enumerate(groups):
        group_settings = group.get("outputGroupSettings")
        if not group_settings:
            raise ValidationError(
                f"/outputGroups/{g}", "outputGroupSettings is a required property"
            )
        if not group_settings.get("type"):
            raise ValidationError(
                f"/outputGroups/{g}/outputGroupSettings", "type is a required property"
            )
        outputs = group.get("outputs") or []
        if not outputs:
            raise ValidationError(f"/outputGroups/{g}/outputs", "Should have at least 1 items")
        for o, output in enumerate(outputs):
            if not output.get("containerSettings"):
                raise ValidationError(
                    f"/outputGroups/{g}/outputs/{o}", "containerSettings is a required property"
                )

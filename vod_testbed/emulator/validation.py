"""Server-side request checks, as the emulator's API answers them.

The rules, the messages and the policy for unknown members are the MediaConvert model's
(:mod:`vod_testbed.backends.mediaconvert.model`, shared with the MediaConvert backend);
this module only turns their :class:`ValidationError` into the ``BadRequestException``
the wire carries, types query strings as the model declares them, and reads a job's
settings into the plan the emulator runs (validated once, at CreateJob).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from vod_testbed.backends.mediaconvert import model
from vod_testbed.backends.mediaconvert.model import ValidationError
from vod_testbed.backends.mediaconvert.parse import (
    ParsedJob,
    parse_job_settings,
    read_validated_settings,
)
from vod_testbed.emulator.exceptions import BadRequestException
from vod_testbed.emulator.settings_merge import without_preset_names


@contextlib.contextmanager
def bad_request() -> Iterator[None]:
    """Raise a model :class:`ValidationError` as BadRequestException, message unchanged."""
    try:
        yield
    except ValidationError as exc:
        raise BadRequestException(str(exc)) from exc


def validate_request(
    operation_name: str, params: dict[str, Any], presence_only: tuple[str, ...] = ()
) -> None:
    """:func:`model.validate_request`, answering BadRequestException."""
    with bad_request():
        model.validate_request(operation_name, params, presence_only)


def coerce_query(operation_name: str, query: dict[str, str]) -> dict[str, Any]:
    """Query-string values typed as the model declares them (``maxResults`` -> int)."""
    shape = model.operation(operation_name).input_shape
    result: dict[str, Any] = {}
    if shape is None:
        return result
    for member, member_shape in shape.members.items():
        if member_shape.serialization.get("location") != "querystring":
            continue
        key = model.wire_name(member, member_shape)
        if key not in query:
            continue
        raw = query[key]
        if member_shape.type_name in ("integer", "long"):
            try:
                result[key] = int(raw)
            except ValueError:
                raise BadRequestException(f"/{key}: {raw!r} is not of type 'integer'") from None
        else:
            result[key] = raw
    return result


def parse_settings(settings: dict[str, Any], user_metadata: dict[str, str]) -> ParsedJob:
    """Job settings (templates and presets merged in) -> the FFmpeg plan and its warnings.

    The settings are validated against the service model here, once per request.

    Raises:
        BadRequestException: a setting is invalid or one the emulator cannot honour; the
            message keeps the parser's ``/path: problem`` form.
    """
    with bad_request():
        return parse_job_settings(without_preset_names(settings), user_metadata=user_metadata)


def read_stored_settings(settings: dict[str, Any], user_metadata: dict[str, str]) -> ParsedJob:
    """A stored job's settings (validated at CreateJob) -> the FFmpeg plan, when it starts.

    Raises:
        BadRequestException: the emulator can no longer honour a setting.
    """
    with bad_request():
        return read_validated_settings(without_preset_names(settings), user_metadata=user_metadata)

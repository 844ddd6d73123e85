"""The emulator's own admin API (``/_emulator/...``): faults, recorded events, reset.

Not part of MediaConvert; tests and developers use it to make the emulator misbehave the
ways AWS can, and to see what it sent.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from vod_testbed.common import errors, strict_json
from vod_testbed.emulator.api import emulator, render_error, respond
from vod_testbed.emulator.delivery import delivery_view
from vod_testbed.emulator.exceptions import BadRequestException, MediaConvertError

admin = Blueprint("emulator_admin", __name__, url_prefix="/_emulator")


@admin.errorhandler(MediaConvertError)
def _error(error: MediaConvertError) -> Response:
    return render_error(error)


def body() -> dict[str, Any]:
    raw = request.get_data()
    if not raw.strip():
        return {}
    try:
        data = strict_json.loads(raw)
    except ValueError as exc:
        raise BadRequestException(f"The request body is not valid JSON: {exc}.") from None
    if not isinstance(data, dict):
        raise BadRequestException("The request body must be a JSON object.")
    return data


# Admin counts and delays beyond this are mistakes (a year of seconds, a million events).
MAX_ADMIN_NUMBER = 10_000_000


def number(data: dict[str, Any], key: str, default: float, minimum: float = 0) -> float:
    value = data.get(key, default)
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not minimum <= value <= MAX_ADMIN_NUMBER  # NaN fails both comparisons
    ):
        raise BadRequestException(
            f"{key} must be a number from {minimum} to {MAX_ADMIN_NUMBER}, got {value!r}"
        )
    return float(value)


def text(data: dict[str, Any], key: str, default: str) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise BadRequestException(f"{key} must be a string, got {value!r}")
    return value


def texts(data: dict[str, Any], key: str) -> list[str] | None:
    value = data.get(key)
    if value is not None and (
        not isinstance(value, list) or not all(isinstance(v, str) for v in value)
    ):
        raise BadRequestException(f"{key} must be a list of operation names, got {value!r}")
    return value


@admin.get("/health")
def health() -> Response:
    return respond({"status": "ok"})


@admin.post("/reset")
def reset() -> Response:
    """Cancel running jobs and forget all state, faults included."""
    emulator().reset()
    return respond({"reset": True})


@admin.post("/faults/api")
def fail_api_calls() -> Response:
    """``{"count": 3, "error": "TooManyRequestsException", "message": ..., "operations":
    ["GetJob"]}``: the next ``count`` calls (of those operations) answer that error."""
    data = body()
    emulator().faults.fail_calls(
        int(number(data, "count", 1, minimum=1)),
        error=text(data, "error", "TooManyRequestsException"),
        message=text(data, "message", "Too many requests have been sent in too short of a time."),
        operations=texts(data, "operations"),
    )
    return respond({"armed": True}, 201)


@admin.post("/faults/jobs")
def fault_job() -> Response:
    """``{"jobId": optional (default: the next job to start), "errorCode": 1010,
    "errorMessage": ..., "delaySeconds": 5}``: end the job in ERROR with that code and/or
    hold it PROGRESSING that long before it transcodes."""
    data = body()
    job_id = text(data, "jobId", "") or None
    if "errorCode" not in data and "delaySeconds" not in data:
        raise BadRequestException("Give errorCode and/or delaySeconds.")
    if "errorCode" in data:
        code = int(number(data, "errorCode", errors.UNKNOWN_ERROR, minimum=1))
        message = text(data, "errorMessage", "") or f"Injected failure with error code {code}."
        emulator().faults.fail_job(job_id, code, message)
    if "delaySeconds" in data:
        emulator().faults.slow_job(job_id, number(data, "delaySeconds", 0))
    return respond({"armed": True}, 201)


@admin.post("/faults/deliveries")
def fault_deliveries() -> Response:
    """``{"duplicate": n, "delayCount": n, "delaySeconds": s, "reorder": n}``: deliver the
    next events twice, late, or held and released in reverse order."""
    data = body()
    # Events held by an earlier reorder fault go out now rather than wait for ever.
    emulator().delivery.release_held()
    try:
        emulator().faults.disturb_deliveries(
            duplicate=int(number(data, "duplicate", 0)),
            delay_count=int(number(data, "delayCount", 0)),
            delay_s=number(data, "delaySeconds", 0),
            reorder=int(number(data, "reorder", 0)),
        )
    except ValueError as exc:
        raise BadRequestException(str(exc)) from exc
    return respond({"armed": True}, 201)


@admin.delete("/faults")
def clear_faults() -> Response:
    emulator().faults.reset()
    emulator().delivery.release_held()
    return respond({"cleared": True})


@admin.get("/events")
def list_events() -> Response:
    """Every event emitted, oldest first; filter with ``?jobId=`` and ``?status=``."""
    recorded = emulator().store.list_events(
        job_id=request.args.get("jobId"), status=request.args.get("status")
    )
    return respond({"events": recorded})


@admin.get("/deliveries")
def list_deliveries() -> Response:
    """Every delivery attempt's state: delivered or not, attempts, last error."""
    return respond({"deliveries": [delivery_view(d) for d in emulator().store.list_deliveries()]})


@admin.get("/dead-letters")
def list_dead_letters() -> Response:
    """Deliveries given up on (an answer not retried, or retried past the maximum age)."""
    dead = emulator().store.list_dead_letters()
    return respond({"deadLetters": [delivery_view(d) for d in dead]})


@admin.post("/dead-letters/redrive")
def redrive_dead_letters() -> Response:
    """``{"eventIds": [...]}`` (optional, default all): deliver those dead letters again."""
    data = body()
    event_ids = data.get("eventIds")
    if event_ids is not None and (
        not isinstance(event_ids, list)
        or len(event_ids) > 1000
        or not all(isinstance(e, str) for e in event_ids)
    ):
        raise BadRequestException("eventIds must be a list of at most 1000 event ids")
    return respond({"redriven": emulator().delivery.redrive(event_ids)})

"""The MediaConvert REST API (``/2017-08-29/...``) as boto3's ``mediaconvert`` client calls it.

Thin: parse the request into wire-form parameters, call the model, serialise the answer in
camelCase with the modelled status code. Errors are rendered in :func:`render_error`.
"""

from __future__ import annotations

import functools
import json
import logging
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from flask import Blueprint, Response, current_app, request

from vod_testbed.common import strict_json
from vod_testbed.emulator import validation
from vod_testbed.emulator.exceptions import (
    BadRequestException,
    InternalServerErrorException,
    MediaConvertError,
)
from vod_testbed.emulator.models import MediaConvertModel
from vod_testbed.emulator.records import JobRecord, WireRecord
from vod_testbed.emulator.resources import NamedResources
from vod_testbed.emulator.service import Emulator

log = logging.getLogger(__name__)

PREFIX = "/2017-08-29"
api = Blueprint("mediaconvert", __name__, url_prefix=PREFIX)

View = Callable[..., Response]


def emulator() -> Emulator:
    found: Emulator = current_app.extensions["emulator"]
    return found


def model() -> MediaConvertModel:
    return emulator().model


def respond(payload: dict[str, Any], status: int = 200) -> Response:
    return Response(json.dumps(payload), status=status, mimetype="application/json")


def render_error(error: MediaConvertError) -> Response:
    """The one place errors become HTTP: status, ``x-amzn-ErrorType``, ``{"message"}``."""
    response = respond({"message": error.message}, error.status)
    response.headers["x-amzn-ErrorType"] = error.code
    return response


def params(operation_name: str, **path: str) -> dict[str, Any]:
    """The operation's input in wire form: JSON body, typed query string, path members."""
    body: Any = {}
    if request.get_data():
        try:
            body = strict_json.loads(request.get_data())
        except ValueError as exc:
            raise BadRequestException(f"The request body is not valid JSON: {exc}.") from None
        if not isinstance(body, dict):
            raise BadRequestException("The request body must be a JSON object.")
    return {**body, **validation.coerce_query(operation_name, dict(request.args)), **path}


def operation(name: str) -> Callable[[View], View]:
    """Mark a view as the API operation ``name``: armed API faults fire before it runs."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Response:
            fault = emulator().faults.take_api_fault(name)
            if fault is not None:
                raise fault
            return view(*args, **kwargs)

        return wrapper

    return decorate


@api.errorhandler(MediaConvertError)
def _modelled_error(error: MediaConvertError) -> Response:
    return render_error(error)


@api.errorhandler(Exception)
def _unexpected_error(error: Exception) -> Response:
    # The log has the traceback; the caller gets no exception text or host path.
    reference = str(uuid.uuid4())
    log.exception("unexpected error in %s %s (%s)", request.method, request.path, reference)
    message = f"The service encountered an unexpected condition ({reference})."
    response = render_error(InternalServerErrorException(message))
    response.headers["x-amzn-RequestId"] = reference
    return response


def listing(key: str, items: Sequence[WireRecord], token: str | None) -> Response:
    payload: dict[str, Any] = {key: [item.to_wire() for item in items]}
    if token:
        payload["nextToken"] = token
    return respond(payload)


# -- jobs ---------------------------------------------------------------------------------


@api.post("/jobs")
@operation("CreateJob")
def create_job() -> Response:
    return respond({"job": model().create_job(params("CreateJob")).to_wire()}, 201)


@api.get("/jobs")
@operation("ListJobs")
def list_jobs() -> Response:
    jobs, token = model().list_jobs(params("ListJobs"))
    return listing("jobs", jobs, token)


def _get_job_body(job: JobRecord) -> bytes:
    return json.dumps({"job": job.to_wire()}).encode()


@api.get("/jobs/<job_id>")
@operation("GetJob")
def get_job(job_id: str) -> Response:
    # What clients poll: the body is rendered once per change of the job, not per call.
    body = model().job_view(job_id, _get_job_body)
    return Response(body, status=200, mimetype="application/json")


@api.delete("/jobs/<job_id>")
@operation("CancelJob")
def cancel_job(job_id: str) -> Response:
    model().cancel_job(job_id)
    return respond({}, 202)


@api.post("/endpoints")
@operation("DescribeEndpoints")
def describe_endpoints() -> Response:
    return respond(model().describe_endpoints(params("DescribeEndpoints"), request.host_url))


# -- job templates and presets -----------------------------------------------------------

Create = Callable[[MediaConvertModel, dict[str, Any]], WireRecord]
Lister = Callable[[MediaConvertModel, dict[str, Any]], tuple[Sequence[WireRecord], str | None]]


def named_resource_routes(
    path: str,
    key: str,
    singular: str,
    plural: str,
    *,
    create: Create,
    update: Create,
    list_all: Lister,
    resources: Callable[[MediaConvertModel], NamedResources[Any]],
) -> None:
    """The five operations of a named resource (``CreatePreset``, ``ListPresets``,
    ``GetPreset``, ``UpdatePreset``, ``DeletePreset``), which differ only in names."""

    @operation(f"Create{singular}")
    def create_view() -> Response:
        return respond({key: create(model(), params(f"Create{singular}")).to_wire()}, 201)

    @operation(f"List{plural}")
    def list_view() -> Response:
        items, token = list_all(model(), params(f"List{plural}"))
        return listing(f"{key}s", items, token)

    @operation(f"Get{singular}")
    def get_view(name: str) -> Response:
        return respond({key: resources(model()).get(name).to_wire()})

    @operation(f"Update{singular}")
    def update_view(name: str) -> Response:
        return respond({key: update(model(), params(f"Update{singular}", name=name)).to_wire()})

    @operation(f"Delete{singular}")
    def delete_view(name: str) -> Response:
        resources(model()).delete(name)
        return respond({}, 202)

    api.add_url_rule(path, f"create_{key}", create_view, methods=["POST"])
    api.add_url_rule(path, f"list_{key}s", list_view, methods=["GET"])
    api.add_url_rule(f"{path}/<name>", f"get_{key}", get_view, methods=["GET"])
    api.add_url_rule(f"{path}/<name>", f"update_{key}", update_view, methods=["PUT"])
    api.add_url_rule(f"{path}/<name>", f"delete_{key}", delete_view, methods=["DELETE"])


named_resource_routes(
    "/jobTemplates",
    "jobTemplate",
    "JobTemplate",
    "JobTemplates",
    create=MediaConvertModel.create_job_template,
    update=MediaConvertModel.update_job_template,
    list_all=MediaConvertModel.list_job_templates,
    resources=lambda m: m.templates,
)
named_resource_routes(
    "/presets",
    "preset",
    "Preset",
    "Presets",
    create=MediaConvertModel.create_preset,
    update=MediaConvertModel.update_preset,
    list_all=MediaConvertModel.list_presets,
    resources=lambda m: m.presets,
)


# -- queues -------------------------------------------------------------------------------


@api.post("/queues")
@operation("CreateQueue")
def create_queue() -> Response:
    return respond({"queue": model().create_queue(params("CreateQueue"))}, 201)


@api.get("/queues")
@operation("ListQueues")
def list_queues() -> Response:
    return respond(model().list_queues(params("ListQueues")))


@api.get("/queues/<name>")
@operation("GetQueue")
def get_queue(name: str) -> Response:
    return respond({"queue": model().describe_queue(model().queues.get(name))})


@api.put("/queues/<name>")
@operation("UpdateQueue")
def update_queue(name: str) -> Response:
    return respond({"queue": model().update_queue(params("UpdateQueue", name=name))})


@api.delete("/queues/<name>")
@operation("DeleteQueue")
def delete_queue(name: str) -> Response:
    model().delete_queue(name)
    return respond({}, 202)


# -- everything else ----------------------------------------------------------------------


@api.route("/<path:rest>", methods=["GET", "POST", "PUT", "DELETE", "PATCH"])
def unsupported(rest: str) -> Response:
    # Policies, tags, certificates, Probe, SearchJobs, jobs queries, versions, resource
    # shares: not part of the transcoding flow the emulator serves (COVERAGE.md).
    raise BadRequestException(
        f"{request.method} {PREFIX}/{rest} is not supported by the MediaConvert emulator "
        "(see emulator/COVERAGE.md)."
    )

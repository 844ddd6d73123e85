"""The content service's HTTP API (JSON). Every route needs ``Authorization: Bearer <JWT>``
(:mod:`..auth`); the caller is the token's ``sub``. The full description is
``openapi.json``, served at ``/openapi.json``.

* ``POST /videos`` ``{filename, content_type, size, course_id, captions?}`` -> 201 ``{id,
  upload_url, upload_headers, key, expires_in, captions, video}``; the owner is the caller
  (a ``user_id`` in the body is refused: it would suggest the client chooses it). Each
  caption file (``{filename, content_type, size, language, label}``) gets its own presigned
  PUT, to be done before the video's (docs/captions.md)
* ``GET /videos/<id>`` -> the video: status, progress, error, and once ready a playback URL
  minted for this request (``/play/<id>/master.m3u8?token=...``)
* ``GET /videos?user_id=&status=&limit=`` -> ``{"videos": [...]}``: only what the caller
  may see (:mod:`..access`)
* ``DELETE /videos/<id>`` -> 204: the owner removes the video's objects and record

Bad requests get 400 ``{"error": ..., "field": <name>}``; no or a bad token 401; a video
the caller may not see 404, as an unknown id does.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from vod_testbed.common import strict_json
from vod_testbed.common.errors import InvalidRequestError
from vod_testbed.pipeline import access, courses
from vod_testbed.pipeline.content_service import ContentService, QuotaExceeded
from vod_testbed.pipeline.deletion import VideoBusy, delete_video
from vod_testbed.pipeline.http.caller import current_caller
from vod_testbed.pipeline.playback import playback_for
from vod_testbed.pipeline.playback.blueprint import playback_service
from vod_testbed.pipeline.upload_requests import RegistrationUnavailable, check_id
from vod_testbed.storage.s3 import Storage

api = Blueprint("videos", __name__)

MAX_LIST_LIMIT = 500
NEW_VIDEO_FIELDS = frozenset({"filename", "content_type", "size", "course_id", "captions"})
# ASCII digits only: str.isdigit() also accepts superscripts and other scripts' digits.
_LIMIT = re.compile(r"[0-9]{1,3}")


def content_service() -> ContentService:
    service: ContentService = current_app.extensions["vod_pipeline"]
    return service


def error_response(status: int, message: str, field: str | None = None) -> tuple[Response, int]:
    body: dict[str, Any] = {"error": message}
    if field is not None:
        body["field"] = field
    return jsonify(body), status


def json_body() -> dict[str, Any]:
    """The request's body as a JSON object, parsed strictly (:mod:`common.strict_json`: no
    deep nesting, no lone surrogates, finite numbers). Raises InvalidRequestError (``body``)."""
    try:
        value = strict_json.loads(request.get_data())
    except ValueError as exc:
        raise InvalidRequestError("body", f"the body is not JSON: {exc}") from None
    if not isinstance(value, dict):
        raise InvalidRequestError("body", "the body must be a JSON object")
    return value


@api.errorhandler(InvalidRequestError)
def _invalid(error: InvalidRequestError) -> tuple[Response, int]:
    return error_response(400, error.message, error.field)


@api.errorhandler(RegistrationUnavailable)
def _unavailable(error: RegistrationUnavailable) -> tuple[Response, int]:
    return error_response(503, str(error))


@api.errorhandler(QuotaExceeded)
def _quota(error: QuotaExceeded) -> tuple[Response, int]:
    return error_response(429, str(error))


@api.post("/videos")
def create_video() -> tuple[Response, int]:
    caller = current_caller()
    body = json_body()
    if "user_id" in body:
        raise InvalidRequestError(
            "user_id", "the owner is the bearer token's user; do not send user_id"
        )
    unknown = sorted(set(body) - NEW_VIDEO_FIELDS)
    if unknown:
        raise InvalidRequestError(unknown[0], "is not a field of a new video")
    service = content_service()
    course_id = check_id("course_id", body.get("course_id"))
    courses.claim(service.db, caller, course_id)
    ticket = service.handle_video_upload(
        caller.user_id,
        body.get("filename"),
        body.get("content_type"),
        body.get("size"),
        course_id,
        body.get("captions", []),
    )
    return jsonify(
        {
            "id": ticket.video["id"],
            "upload_url": ticket.url,
            "upload_method": "PUT",
            "upload_headers": ticket.headers,
            "key": ticket.key,
            "expires_in": ticket.expires_in,
            "captions": ticket.captions,
            "video": ticket.video,
        }
    ), 201


def visible_video(asset_id: str) -> dict[str, Any] | None:
    """The video ``asset_id`` if the request's caller may see it, else ``None``."""
    return content_service().get_visible(asset_id, current_caller())


@api.get("/videos/<asset_id>")
def get_video(asset_id: str) -> tuple[Response, int]:
    video = visible_video(asset_id)
    if video is None:
        return error_response(404, f"no video with id {asset_id!r}", "id")
    video["playback"] = playback_for(asset_id)
    return jsonify(video), 200


@api.delete("/videos/<asset_id>")
def remove_video(asset_id: str) -> tuple[Response, int]:
    video = visible_video(asset_id)
    if video is None:
        return error_response(404, f"no video with id {asset_id!r}", "id")
    access.check_may_delete(current_caller(), video)
    service = content_service()
    try:
        delete_video(service, video, Storage(service.settings.backend))
    except VideoBusy as exc:
        return error_response(409, str(exc), "status")
    playback_service().forget(asset_id)
    return Response(status=204), 204


@api.get("/videos")
def list_videos() -> tuple[Response, int]:
    caller = current_caller()
    unknown = sorted(set(request.args) - {"limit", "status", "user_id"})
    if unknown:
        raise InvalidRequestError(unknown[0], "is not a parameter of GET /videos")
    raw_limit = request.args.get("limit", "100")
    if not _LIMIT.fullmatch(raw_limit) or not 1 <= int(raw_limit) <= MAX_LIST_LIMIT:
        raise InvalidRequestError("limit", f"must be an integer from 1 to {MAX_LIST_LIMIT}")
    user_id = request.args.get("user_id")
    status = request.args.get("status")
    if status == "":
        raise InvalidRequestError("status", "must be an asset status when given")
    videos = content_service().list(
        user_id=check_id("user_id", user_id) if user_id is not None else None,
        status=status,
        limit=int(raw_limit),
        visible_to=caller,
    )
    return jsonify({"videos": videos}), 200

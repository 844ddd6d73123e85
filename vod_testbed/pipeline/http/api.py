"""The content service's HTTP API (JSON).

* ``POST /videos`` ``{filename, content_type, size, user_id}`` -> 201 ``{id, upload_url,
  upload_headers, key, expires_in, video}``
* ``GET /videos/<id>`` -> the video: status, progress, error, and once ready a playback URL
  minted for this request (``/play/<id>/master.m3u8?token=...``)
* ``GET /videos?user_id=&status=&limit=`` -> ``{"videos": [...]}``

Bad requests get 400 ``{"error": ..., "field": <name>}``; an unknown id gets 404.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from vod_testbed.common.errors import InvalidRequestError
from vod_testbed.pipeline.content_service import ContentService
from vod_testbed.pipeline.playback import playback_for

api = Blueprint("videos", __name__)

MAX_LIST_LIMIT = 500


def content_service() -> ContentService:
    service: ContentService = current_app.extensions["vod_pipeline"]
    return service


def error_response(status: int, message: str, field: str | None = None) -> tuple[Response, int]:
    body: dict[str, Any] = {"error": message}
    if field is not None:
        body["field"] = field
    return jsonify(body), status


@api.errorhandler(InvalidRequestError)
def _invalid(error: InvalidRequestError) -> tuple[Response, int]:
    return error_response(400, error.message, error.field)


@api.post("/videos")
def create_video() -> tuple[Response, int]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return error_response(400, "the body must be a JSON object", "body")
    ticket = content_service().handle_video_upload(
        body.get("user_id"), body.get("filename"), body.get("content_type"), body.get("size")
    )
    return jsonify(
        {
            "id": ticket.video["id"],
            "upload_url": ticket.url,
            "upload_method": "PUT",
            "upload_headers": ticket.headers,
            "key": ticket.key,
            "expires_in": ticket.expires_in,
            "video": ticket.video,
        }
    ), 201


@api.get("/videos/<asset_id>")
def get_video(asset_id: str) -> tuple[Response, int]:
    video = content_service().get(asset_id)
    if video is None:
        return error_response(404, f"no video with id {asset_id!r}", "id")
    video["playback"] = playback_for(asset_id)
    return jsonify(video), 200


@api.get("/videos")
def list_videos() -> tuple[Response, int]:
    raw_limit = request.args.get("limit", "100")
    if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_LIST_LIMIT:
        raise InvalidRequestError("limit", f"must be an integer from 1 to {MAX_LIST_LIMIT}")
    videos = content_service().list(
        user_id=request.args.get("user_id") or None,
        status=request.args.get("status") or None,
        limit=int(raw_limit),
    )
    return jsonify({"videos": videos}), 200

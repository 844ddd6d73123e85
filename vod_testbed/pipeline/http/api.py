"""The content service's HTTP API (JSON). Every route needs ``Authorization: Bearer <JWT>``
(:mod:`..auth`); the caller is the token's ``sub``. Each route's request and answers are
declared with :func:`.operations.operation`, from which ``/openapi.json`` is written.

* ``POST /videos`` (:class:`NewVideo`) -> 201 :class:`.models.Ticket`; the owner is the
  caller (a ``user_id`` in the body is refused: it would suggest the client chooses it).
  Each caption file gets its own presigned PUT, to be done before the video's
  (docs/captions.md)
* ``GET /videos/<id>`` -> the video: status, progress, error, and once ready a playback URL
  minted for this request (``/play/<id>/master.m3u8?token=...``)
* ``GET /videos?user_id=&status=&limit=`` -> ``{"videos": [...]}``: only what the caller
  may see (:mod:`..access`)
* ``DELETE /videos/<id>`` -> 204: the owner removes the video's objects and record

Bad requests get 400 ``{"error": ..., "field": <name>}``; no or a bad token 401; a video
the caller may not see 404, as an unknown id does.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from vod_testbed.pipeline.assets import access, courses
from vod_testbed.pipeline.assets.deletion import VideoBusy, delete_video
from vod_testbed.pipeline.assets.upload_requests import NewVideo
from vod_testbed.pipeline.assets.videos import Video
from vod_testbed.pipeline.http.caller import BEARER, current_caller
from vod_testbed.pipeline.http.context import content_service, error_response, visible_video
from vod_testbed.pipeline.http.models import Ticket, VideoList, VideoQuery
from vod_testbed.pipeline.http.operations import Answer, operation
from vod_testbed.pipeline.playback import playback_for
from vod_testbed.pipeline.playback.blueprint import playback_service
from vod_testbed.storage.s3 import Storage

api = Blueprint("videos", __name__)

NOT_VISIBLE = "no such video, or one the caller may not see"


@api.post("/videos")
@operation(
    "Register an upload in a course and get its presigned PUT",
    security=BEARER,
    body=NewVideo,
    responses={
        201: Answer("the upload ticket", Ticket),
        403: "the course belongs to another user",
        429: "the caller has too many registrations waiting for their upload, or they "
        "declare too many bytes together (MAX_PENDING_UPLOADS, MAX_PENDING_BYTES); the "
        "error says which",
        503: "storage did not answer while registering caption files; nothing was registered",
    },
)
def create_video(body: NewVideo) -> tuple[Response, int]:
    caller = current_caller()
    service = content_service()
    courses.claim(service.db, caller, body.course_id)
    ticket = service.register_upload(caller.user_id, body)
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


@api.get("/videos/<video_id>")
@operation(
    "One video, with a playback URL minted for this request once ready",
    security=BEARER,
    responses={200: Answer("the video", Video), 404: NOT_VISIBLE},
)
def get_video(video_id: str) -> tuple[Response, int]:
    video = visible_video(video_id)
    if video is None:
        return error_response(404, f"no video with id {video_id!r}", "id")
    video["playback"] = playback_for(video_id)
    return jsonify(video), 200


@api.delete("/videos/<video_id>")
@operation(
    "Remove the video's objects and record (its owner only)",
    security=BEARER,
    responses={
        204: "deleted",
        403: "the caller may see the video but does not own it",
        404: NOT_VISIBLE,
        409: "the video is being transcoded",
    },
)
def remove_video(video_id: str) -> tuple[Response, int]:
    video = visible_video(video_id)
    if video is None:
        return error_response(404, f"no video with id {video_id!r}", "id")
    access.check_may_delete(current_caller(), video)
    service = content_service()
    try:
        delete_video(service, video, Storage(service.settings.backend))
    except VideoBusy as exc:
        return error_response(409, str(exc), "status")
    playback_service().forget(video_id)
    return Response(status=204), 204


@api.get("/videos")
@operation(
    "The videos the caller may see, newest first",
    security=BEARER,
    query=VideoQuery,
    responses={200: Answer("the videos", VideoList)},
)
def list_videos(query: VideoQuery) -> tuple[Response, int]:
    videos = content_service().list(
        user_id=query.user_id,
        status=query.status,
        limit=query.limit,
        visible_to=current_caller(),
    )
    return jsonify({"videos": videos}), 200

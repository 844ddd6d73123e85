"""``GET /play/<video_id>/key?token=...``: the AES-128 key of an encrypted ladder, for a
viewer whose playback token grants that video now (docs/encryption.md).

The media playlists point their ``EXT-X-KEY`` here (:mod:`.service`), with the same token
as the playlist. Like the playlists, a missing, forged, expired or other-video token gets a
bare 403; a video that is not ready, or a pipeline without ``HLS_KEY_SECRET``, 404. The key
is derived on request (:mod:`vod_testbed.pipeline.hls_keys`) and is never logged; the
answer is marked uncacheable, so no shared cache keeps it.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, current_app, jsonify

from vod_testbed.pipeline.hls_keys import video_key
from vod_testbed.pipeline.http.models import PlaybackQuery
from vod_testbed.pipeline.http.operations import PUBLIC, Answer, operation
from vod_testbed.pipeline.playback.blueprint import playback_service
from vod_testbed.pipeline.playback.service import KEY_NAME
from vod_testbed.pipeline.playback.tokens import PlaybackDenied

log = logging.getLogger(__name__)

keys = Blueprint("playback_keys", __name__)
# The app.extensions entry holding HLS_KEY_SECRET.
EXTENSION = "vod_hls_keys"


def _answer(response: Response, status: int = 200) -> tuple[Response, int]:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response, status


@keys.get(f"/play/<video_id>/{KEY_NAME}")
@operation(
    "The AES-128 key of an encrypted ladder; authorised by the video's playback token alone",
    security=PUBLIC,
    query=PlaybackQuery,
    responses={
        200: Answer("the 16-byte key", media_type="application/octet-stream"),
        403: "no, a forged or an expired token",
        404: "the video is not ready, or this pipeline encrypts nothing",
    },
)
def key(video_id: str, query: PlaybackQuery) -> tuple[Response, int]:
    service = playback_service()
    try:
        service.tokens.check(query.token, video_id)
    except PlaybackDenied as exc:
        log.info("key of %s refused: %s", video_id, exc)
        return _answer(jsonify({"error": "forbidden"}), 403)
    secret: str = current_app.extensions.get(EXTENSION, "")
    if not secret or service.video(video_id) is None:
        return _answer(jsonify({"error": "no key for this video"}), 404)
    return _answer(Response(video_key(secret, video_id), mimetype="application/octet-stream"))

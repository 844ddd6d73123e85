"""``GET /play/<video_id>/<playlist>?token=...``: the rewritten playlists of a ready video,
and ``thumbs.vtt``, the storyboard of its trick-play tiles.

A missing, forged, expired or other-video token gets 403 ``{"error": "forbidden"}`` and
nothing else: no hint whether the video exists. Playlists are served to any origin (the
token is the credential, no cookies are involved), so players on other sites work too.
"""

from __future__ import annotations

import logging
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from flask import Blueprint, Response, current_app, jsonify, request

from vod_testbed.pipeline.http.models import PlaybackQuery, TokenedPath
from vod_testbed.pipeline.http.operations import PUBLIC, Answer, operation
from vod_testbed.pipeline.playback.manifests import HLS_MIME, ManifestError, TokenedPaths
from vod_testbed.pipeline.playback.rewrite import PlaylistError
from vod_testbed.pipeline.playback.service import (
    DOWNLOAD_NAME,
    PlaybackService,
    PlaylistNotFound,
)
from vod_testbed.pipeline.playback.storyboard import STORYBOARD_NAME, VTT_MIME, storyboard
from vod_testbed.pipeline.playback.tokens import PlaybackDenied

log = logging.getLogger(__name__)

playback = Blueprint("playback", __name__)


def playback_service() -> PlaybackService:
    service: PlaybackService = current_app.extensions["vod_playback"]
    return service


def playback_for(video_id: str) -> dict[str, Any] | None:
    """The ``playback`` block of one ready video, with an absolute master URL minted now;
    ``None`` while it is not ready. Call inside a request."""
    service = playback_service()
    video = service.video(video_id)
    if video is None:
        return None
    block = service.grant(video)
    path = block.pop("master_playlist_path")
    download = block.pop("download_path", None)
    if download is not None:
        block["download_url"] = request.url_root + download
    return {"master_playlist_url": request.url_root + path, **block}


def _cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@playback.get(f"/play/<video_id>/{DOWNLOAD_NAME}")
@operation(
    "The video's MP4 download: a redirect to a short-lived URL that the storage answers "
    "with Content-Disposition attachment; authorised by its playback token alone",
    security=PUBLIC,
    query=PlaybackQuery,
    responses={
        302: Answer("a redirect to the MP4's short-lived signed URL"),
        403: "no, a forged or an expired token",
        404: "the video has no MP4 download",
        503: "storage unavailable",
    },
)
def download(video_id: str, query: PlaybackQuery) -> Response | tuple[Response, int]:
    try:
        url = playback_service().download_url(video_id, query.token)
    except PlaybackDenied as exc:
        log.info("download of %s refused: %s", video_id, exc)
        return jsonify({"error": "forbidden"}), 403
    except PlaylistNotFound as exc:
        log.warning("download of %s: %s", video_id, exc)
        return jsonify({"error": "this video has no MP4 download"}), 404
    except (BotoCoreError, ClientError) as exc:
        log.warning("download of %s: storage unavailable: %s", video_id, exc)
        return jsonify({"error": "storage unavailable; try again"}), 503
    response = Response(status=302, headers={"Location": url})
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@playback.get("/play/<video_id>/<name>")
@operation(
    "A rewritten playlist of a ready video, or its trick-play storyboard (WebVTT); "
    "authorised by its playback token alone",
    security=PUBLIC,
    query=PlaybackQuery,
    responses={
        200: Answer("the playlist", media_type=HLS_MIME),
        403: "no, a forged or an expired token",
        404: "no such playlist",
        503: "storage unavailable",
    },
)
def play(video_id: str, name: str, query: PlaybackQuery) -> Response | tuple[Response, int]:
    try:
        if name == STORYBOARD_NAME:  # the trick-play tiles as WebVTT (storyboard.py)
            text = storyboard(playback_service(), video_id, query.token)
        else:
            text = playback_service().playlist(video_id, name, query.token)
    except PlaybackDenied as exc:
        log.info("playback of %s refused: %s", video_id, exc)
        return _cors(jsonify({"error": "forbidden"})), 403
    except (PlaylistNotFound, PlaylistError) as exc:
        log.warning("playback of %s: %s", video_id, exc)
        return _cors(jsonify({"error": f"no playlist {name!r} for this video"})), 404
    except (BotoCoreError, ClientError) as exc:
        log.warning("playback of %s: storage unavailable: %s", video_id, exc)
        return _cors(jsonify({"error": "storage unavailable; try again"})), 503
    response = Response(text, mimetype=VTT_MIME if name == STORYBOARD_NAME else HLS_MIME)
    # Tokened and per viewer: no shared caches; the token must not leak through Referer.
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["Referrer-Policy"] = "no-referrer"
    return _cors(response)


@playback.get("/play/<video_id>/t/<token>/<path:rest>")
@operation(
    "DASH and CMAF of a ready video under a path that carries its playback token: "
    "manifests with every segment URL signed, other objects redirected to a short-lived URL",
    security=PUBLIC,
    path=TokenedPath,
    responses={
        200: Answer("the manifest (MPD or HLS playlist)", media_type="application/dash+xml"),
        302: Answer("a redirect to the object's short-lived signed URL"),
        403: "no, a forged or an expired token",
        404: "no such output for this video",
        422: "the manifest cannot be played (hostile or broken)",
        503: "storage unavailable",
    },
)
def tokened_path(video_id: str, token: str, rest: str) -> Response | tuple[Response, int]:
    """DASH and CMAF: manifests and redirects under a path that carries the token
    (``manifests.py``; docs/playback.md, "DASH and CMAF")."""
    try:
        served = TokenedPaths(playback_service()).serve(video_id, token, rest)
    except PlaybackDenied as exc:
        log.info("playback of %s refused: %s", video_id, exc)
        return _cors(jsonify({"error": "forbidden"})), 403
    except ManifestError as exc:
        log.warning("playback of %s: manifest %s refused: %s", video_id, rest, exc)
        return _cors(jsonify({"error": f"the manifest {rest!r} cannot be played: {exc}"})), 422
    except (PlaylistNotFound, PlaylistError) as exc:
        log.warning("playback of %s: %s", video_id, exc)
        return _cors(jsonify({"error": f"no output {rest!r} for this video"})), 404
    except (BotoCoreError, ClientError) as exc:
        log.warning("playback of %s: storage unavailable: %s", video_id, exc)
        return _cors(jsonify({"error": "storage unavailable; try again"})), 503
    if served.redirect is not None:
        response = Response(status=302, headers={"Location": served.redirect})
        # The target lives minutes: a player may reuse the redirect for one of them.
        response.headers["Cache-Control"] = "private, max-age=60"
    else:
        response = Response(served.text, mimetype=served.mimetype)
        response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["Referrer-Policy"] = "no-referrer"
    return _cors(response)

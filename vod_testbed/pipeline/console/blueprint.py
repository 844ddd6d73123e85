"""The console: a page to upload, watch and judge every video.

* ``GET /`` redirects to ``GET /console``: the page (videos newest first, upload, player).
* ``GET /console/rows`` - the list's rows (HTML), polled by the page while anything moves.
* ``GET /console/videos/<id>/panel`` - status, error in words, event history (HTML).
* ``GET /console/videos/<id>/report`` (HTML) and ``.../report.json`` - the ladder report,
  computed in the background on first ask.

The page uploads and plays through the public API (``POST /videos``, ``GET /videos/<id>``)
exactly as an app would. The page itself is a shell any visitor gets; everything with data
in it (rows, panels, reports) needs the same bearer token as the API and shows only what
its caller may see. The token is pasted into the page, or handed over once in the address
fragment (``/console#token=...``, as ``vod-testbed dev`` prints it), and kept in the tab's
sessionStorage: no server renders a token into a page.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    redirect,
    render_template,
    url_for,
)
from markupsafe import Markup

from vod_testbed.pipeline.assets.content_service import ContentService
from vod_testbed.pipeline.console.policy import content_security_policy
from vod_testbed.pipeline.console.reports import ReportCache
from vod_testbed.pipeline.console.views import STATUS_LABELS, event_history, size_label
from vod_testbed.pipeline.http.caller import BEARER, current_caller
from vod_testbed.pipeline.http.context import visible_video
from vod_testbed.pipeline.http.models import JsonObject
from vod_testbed.pipeline.http.operations import PUBLIC, Answer, operation
from vod_testbed.report.chart import bitrate_svg

LIST_LIMIT = 100
HTML = "text/html"
NOT_VISIBLE = "no such video, or one the caller may not see"
HLS_JS = Path(__file__).parent / "static" / "vendor" / "hls.min.js"

console = Blueprint(
    "console",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/console/static",
)


def _content() -> ContentService:
    service: ContentService = current_app.extensions["vod_pipeline"]
    return service


def _reports() -> ReportCache:
    cache: ReportCache = current_app.extensions["vod_reports"]
    return cache


@functools.cache
def hls_js_integrity(path: Path = HLS_JS) -> str | None:
    """The subresource-integrity value of the vendored hls.js, ``None`` when absent."""
    if not path.is_file():
        return None
    digest = hashlib.sha384(path.read_bytes()).digest()
    return "sha384-" + base64.b64encode(digest).decode()


@console.after_request
def _policy(response: Response) -> Response:
    settings = _content().settings
    response.headers["Content-Security-Policy"] = content_security_policy(
        settings.s3_public_endpoint_url or settings.backend.s3_endpoint_url,
        settings.playback_base_url,
    )
    response.headers["X-Frame-Options"] = "DENY"  # frame-ancestors for older browsers
    return response


@console.app_template_filter("status_label")
def _status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


@console.app_template_filter("size")
def _size(size_bytes: int | None) -> str:
    return size_label(size_bytes)


@console.app_template_filter("kbps")
def _kbps(bps: int | None) -> str:
    return f"{bps / 1000:,.0f}" if bps else "-"


@console.get("/")
@operation("The console", security=PUBLIC, responses={302: Answer("to /console")})
def root() -> Response:
    return redirect(url_for("console.index"))  # type: ignore[return-value]


@console.get("/console")
@operation(
    "The console's page: a shell; its data comes with the bearer token pasted into it",
    security=PUBLIC,
    responses={200: Answer("the page", media_type=HTML)},
)
def index() -> str:
    return render_template("console/index.html", hls_integrity=hls_js_integrity())


@console.get("/console/rows")
@operation(
    "The rows of the videos the caller may see",
    security=BEARER,
    responses={200: Answer("the rows", media_type=HTML)},
)
def rows() -> str:
    videos = _content().list(limit=LIST_LIMIT, visible_to=current_caller())
    return render_template("console/_rows.html", videos=videos)


@console.get("/console/videos/<video_id>/panel")
@operation(
    "A video's status, error in words and event history",
    security=BEARER,
    responses={
        200: Answer("the panel", media_type=HTML),
        404: Answer(NOT_VISIBLE, media_type=HTML),
    },
)
def panel(video_id: str) -> tuple[str, int]:
    video = visible_video(video_id)
    if video is None:
        return render_template("console/_missing.html", video_id=video_id), 404
    events = event_history(_content(), video_id)
    return render_template("console/_panel.html", video=video, events=events), 200


def _report_state(video_id: str) -> tuple[dict[str, Any] | None, int]:
    content = _content()
    video = visible_video(video_id)
    if video is None:
        return None, 404
    if video["status"] != "ready" or not video["master_playlist_key"]:
        return {"status": "unavailable", "report": None, "error": "the video is not ready"}, 409
    bucket = content.settings.bucket
    state = _reports().get(
        video_id,
        f"s3://{bucket}/{video['master_playlist_key']}",
        f"s3://{bucket}/{video['key']}",
    )
    return state, 200


@console.get("/console/videos/<video_id>/report.json")
@operation(
    "A ready video's ladder report, computed in the background on first ask",
    security=BEARER,
    responses={
        200: Answer("the report, or how far it is", JsonObject),
        404: NOT_VISIBLE,
        409: "the video is not ready",
    },
)
def report_json(video_id: str) -> tuple[Response, int]:
    state, status = _report_state(video_id)
    if state is None:
        return jsonify({"error": f"no video with id {video_id!r}", "field": "id"}), 404
    report = state.get("report")
    return jsonify({**state, "report": report.to_dict() if report else None}), status


@console.get("/console/videos/<video_id>/report")
@operation(
    "A ready video's ladder report, as HTML",
    security=BEARER,
    responses={
        200: Answer("the report, or how far it is", media_type=HTML),
        404: Answer(NOT_VISIBLE, media_type=HTML),
        409: Answer("the video is not ready", media_type=HTML),
    },
)
def report_html(video_id: str) -> tuple[str, int]:
    state, status = _report_state(video_id)
    if state is None:
        return render_template("console/_missing.html", video_id=video_id), 404
    report = state.get("report")
    charts = {
        # The chart escapes every text it holds; the rest is numbers.
        rung.name: Markup(bitrate_svg(rung))  # noqa: S704
        for rung in (report.rungs if report else [])
    }
    return render_template(
        "console/_report.html", state=state, report=report, charts=charts
    ), status

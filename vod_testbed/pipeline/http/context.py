"""What the pipeline's views read of their app: the content service, the video the
caller asks for, and the JSON error answer. The API, the webhooks and the console share
these; none of them imports another's views (docs/ARCHITECTURE.md, "The pipeline's HTTP
API")."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, jsonify

from vod_testbed.pipeline.assets.content_service import ContentService
from vod_testbed.pipeline.http.caller import current_caller

SERVICE = "vod_pipeline"


def content_service() -> ContentService:
    service: ContentService = current_app.extensions[SERVICE]
    return service


def visible_video(video_id: str) -> dict[str, Any] | None:
    """The video ``video_id`` if the request's caller may see it, else ``None``."""
    return content_service().get_visible(video_id, current_caller())


def error_response(status: int, message: str, field: str | None = None) -> tuple[Response, int]:
    body: dict[str, Any] = {"error": message}
    if field is not None:
        body["field"] = field
    return jsonify(body), status

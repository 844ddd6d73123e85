"""The pipeline's Flask application: :func:`create_app` from its collaborators, or
:func:`app_from_settings` from the settings alone."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, jsonify

from vod_testbed.common.errors import InvalidRequestError
from vod_testbed.pipeline.assets.content_service import ContentService
from vod_testbed.pipeline.assets.registrations import QuotaExceeded
from vod_testbed.pipeline.assets.upload_requests import RegistrationUnavailable
from vod_testbed.pipeline.auth import Authenticator
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.console import install as install_console
from vod_testbed.pipeline.console.reports import ReportCache
from vod_testbed.pipeline.db import Database
from vod_testbed.pipeline.http import caller
from vod_testbed.pipeline.http.api import api
from vod_testbed.pipeline.http.context import SERVICE, error_response
from vod_testbed.pipeline.http.courses import enrollments
from vod_testbed.pipeline.http.models import Health, JsonObject
from vod_testbed.pipeline.http.openapi import openapi_document
from vod_testbed.pipeline.http.operations import CONTEXT, PUBLIC, Answer, operation
from vod_testbed.pipeline.http.s3_events import s3_events
from vod_testbed.pipeline.http.webhook import webhooks
from vod_testbed.pipeline.playback import install as install_playback
from vod_testbed.pipeline.playback.service import PlaybackService
from vod_testbed.pipeline.trigger.handler import UploadTrigger
from vod_testbed.pipeline.workers.reaper import Reaper

# The routes' blueprints; the console's and playback's come with their install().
BLUEPRINTS = (api, enrollments, webhooks, s3_events)


def create_app(
    service: ContentService,
    *,
    trigger: UploadTrigger | None = None,
    playback: PlaybackService | None = None,
    reports: ReportCache | None = None,
    authenticator: Authenticator | None = None,
    reaper: Reaper | None = None,
    config: Mapping[str, Any] | None = None,
) -> Flask:
    """The pipeline app: the video API, the webhook receivers, playback and the console.

    Args:
        service: the content service (its settings configure the rest).
        trigger: the upload trigger ``POST /webhooks/s3`` feeds (none: 503).
        playback: the playback service (default: one over ``service``).
        reports: the console's ladder reports (default: built in the background).
        authenticator: who calls the API (default: from the settings' ``AUTH_*``).
        reaper: the reaper whose counts ``/healthz`` and ``/metrics`` show.
        config: Flask configuration keys (``TESTING``...).
    """
    app = Flask(__name__)
    # EventBridge events are at most 256 KiB; nothing this app accepts is larger.
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    app.config.from_mapping(config or {})
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions[SERVICE] = service
    app.extensions[CONTEXT] = service.settings
    app.extensions["vod_upload_trigger"] = trigger
    app.register_error_handler(InvalidRequestError, _invalid)
    app.register_error_handler(QuotaExceeded, _quota)
    app.register_error_handler(RegistrationUnavailable, _unavailable)
    caller.install(app, authenticator or caller.authenticator_for(service.settings))
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    install_playback(app, service, playback)
    install_console(app, service, reports)
    _serve_status(app, reaper)
    _serve_description(app)
    return app


def app_from_settings(settings: PipelineSettings | None = None) -> Flask:
    """The app over a content service of ``settings`` (default: from the environment),
    its database migrated; for a WSGI server that calls a factory."""
    settings = settings or PipelineSettings.from_env()
    database = Database(settings.database_url)
    database.migrate()
    return create_app(ContentService(settings, database))


def _invalid(error: InvalidRequestError) -> tuple[Response, int]:
    return error_response(400, error.message, error.field)


def _quota(error: QuotaExceeded) -> tuple[Response, int]:
    return error_response(429, str(error))


def _unavailable(error: RegistrationUnavailable) -> tuple[Response, int]:
    return error_response(503, str(error))


def _serve_status(app: Flask, reaper: Reaper | None) -> None:
    def counts() -> dict[str, int]:
        if reaper is None:
            return {"stuck_videos_failed": 0, "lost_outputs_failed": 0}
        return {
            "stuck_videos_failed": reaper.stuck_failed_total,
            "lost_outputs_failed": reaper.outputs_lost_total,
        }

    @app.get("/healthz")
    @operation(
        "Liveness, and the reaper's counts",
        security=PUBLIC,
        responses={200: Answer("alive", Health)},
    )
    def healthz() -> Response:
        return jsonify({"status": "ok", **counts()})

    @app.get("/metrics")
    @operation(
        "The reaper's counts, in Prometheus' text format",
        security=PUBLIC,
        responses={200: Answer("counters", media_type="text/plain")},
    )
    def metrics() -> Response:
        # Prometheus' text format: one counter per line.
        lines = [f"vod_pipeline_{name}_total {value}" for name, value in counts().items()]
        return Response("\n".join([*lines, ""]), mimetype="text/plain; version=0.0.4")


def _serve_description(app: Flask) -> None:
    """``GET /openapi.json``: the document of every route, written once all are there."""
    written: list[bytes] = []

    @app.get("/openapi.json")
    @operation(
        "This description",
        security=PUBLIC,
        responses={200: Answer("OpenAPI 3.1", JsonObject)},
    )
    def openapi_json() -> Response:
        if not written:
            written.append(json.dumps(openapi_document(app), indent=1).encode())
        return Response(written[0], mimetype="application/json")

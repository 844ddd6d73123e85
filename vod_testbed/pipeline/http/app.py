"""The pipeline's Flask application: ``create_app(test_config=None)``."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from typing import Any

from flask import Flask, Response, jsonify

from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.console import install as install_console
from vod_testbed.pipeline.content_service import ContentService
from vod_testbed.pipeline.db import Database
from vod_testbed.pipeline.http import caller
from vod_testbed.pipeline.http.api import api
from vod_testbed.pipeline.http.courses import enrollments
from vod_testbed.pipeline.http.s3_events import s3_events
from vod_testbed.pipeline.http.webhook import webhooks
from vod_testbed.pipeline.playback import install as install_playback


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the pipeline app: the video API and the webhook receiver.

    Args:
        test_config: overrides - ``CONTENT_SERVICE`` (a ready :class:`ContentService`),
            else ``PIPELINE_SETTINGS`` (a :class:`PipelineSettings`; default from the
            environment) from which one is built; ``UPLOAD_TRIGGER`` (an
            :class:`UploadTrigger` that ``POST /webhooks/s3`` feeds; none: that route
            answers 503); ``PLAYBACK_SERVICE`` (a ready
            :class:`PlaybackService`; default from the content service); ``REPORT_CACHE`` (a
            :class:`ReportCache` for the console's ladder reports); ``AUTHENTICATOR`` (an
            :class:`Authenticator`; default from the settings); ``REAPER`` (a
            :class:`Reaper` whose counts ``/healthz`` and ``/metrics`` show); plus Flask
            config keys.
    """
    app = Flask(__name__)
    config = dict(test_config or {})
    service = config.pop("CONTENT_SERVICE", None)
    if service is None:
        settings = config.pop("PIPELINE_SETTINGS", None) or PipelineSettings.from_env()
        database = Database(settings.database_url)
        database.migrate()
        service = ContentService(settings, database)
    config.pop("PIPELINE_SETTINGS", None)
    trigger = config.pop("UPLOAD_TRIGGER", None)
    playback_service = config.pop("PLAYBACK_SERVICE", None)
    report_cache = config.pop("REPORT_CACHE", None)
    authenticator = config.pop("AUTHENTICATOR", None) or caller.authenticator_for(service.settings)
    reaper = config.pop("REAPER", None)
    # EventBridge events are at most 256 KiB; nothing this app accepts is larger.
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    app.config.from_mapping(config)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["vod_pipeline"] = service
    app.extensions["vod_upload_trigger"] = trigger
    caller.install(app, authenticator)
    app.register_blueprint(api)
    app.register_blueprint(enrollments)
    app.register_blueprint(webhooks)
    app.register_blueprint(s3_events)
    install_playback(app, service, playback_service)
    install_console(app, service, report_cache)

    openapi = resources.files(__package__).joinpath("openapi.json").read_bytes()

    @app.get("/openapi.json")
    def openapi_json() -> Response:
        return Response(openapi, mimetype="application/json")

    def counts() -> dict[str, int]:
        if reaper is None:
            return {"stuck_videos_failed": 0, "lost_outputs_failed": 0}
        return {
            "stuck_videos_failed": reaper.stuck_failed_total,
            "lost_outputs_failed": reaper.outputs_lost_total,
        }

    @app.get("/healthz")
    def healthz() -> Response:
        return jsonify({"status": "ok", **counts()})

    @app.get("/metrics")
    def metrics() -> Response:
        # Prometheus' text format: one counter per line.
        lines = [f"vod_pipeline_{name}_total {value}" for name, value in counts().items()]
        return Response("\n".join([*lines, ""]), mimetype="text/plain; version=0.0.4")

    return app

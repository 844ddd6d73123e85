"""The emulator's Flask application: ``create_app(test_config=None)``."""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, jsonify, request

from vod_testbed.emulator.admin import admin
from vod_testbed.emulator.api import api, render_error
from vod_testbed.emulator.auth import Gatekeeper
from vod_testbed.emulator.config import EmulatorSettings
from vod_testbed.emulator.exceptions import (
    ForbiddenException,
    MediaConvertError,
    UnauthorizedException,
)
from vod_testbed.emulator.service import Emulator, ffmpeg_transcoder


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build an emulator app. Its state lives in the data dir; call
    ``app.extensions["emulator"].close()`` (or let the process exit) to stop its threads.

    Args:
        test_config: overrides - ``EMULATOR_SETTINGS`` (an :class:`EmulatorSettings`;
            default from the environment), ``TRANSCODER_FACTORY`` (a callable returning a
            Transcoder; default the FFmpeg backend), ``CLOCK`` (the current time in Unix
            seconds, for signatures and delivery ages; default ``time.time``), plus Flask
            config keys.
    """
    app = Flask(__name__)
    config = dict(test_config or {})
    settings = config.pop("EMULATOR_SETTINGS", None) or EmulatorSettings.from_env()
    clock = config.pop("CLOCK", time.time)
    service = Emulator(
        settings,
        transcoder_factory=config.pop("TRANSCODER_FACTORY", ffmpeg_transcoder),
        clock=clock,
    )
    gatekeeper = Gatekeeper(settings, clock)
    app.config.from_mapping(config)
    app.extensions["emulator"] = service
    app.register_blueprint(api)
    app.register_blueprint(admin)

    @app.get("/healthz")
    def healthz() -> Response:
        return jsonify({"status": "ok"})

    @app.before_request
    def refuse_browsers() -> Response | None:
        # SDKs never send Origin; a browser always does on a cross-site request. Refusing it
        # stops any web page a developer has open from starting jobs (which read and write
        # the bucket with the emulator's credentials) or resetting its state.
        if request.headers.get("Origin") or request.headers.get("Sec-Fetch-Site") == "cross-site":
            return render_error(
                ForbiddenException("cross-origin requests are refused by the emulator")
            )
        try:
            gatekeeper.check(request)
        except MediaConvertError as error:
            response = render_error(error)
            if isinstance(error, UnauthorizedException):
                response.headers["WWW-Authenticate"] = 'Bearer realm="emulator admin"'
            return response
        return None

    @app.after_request
    def add_request_id(response: Response) -> Response:
        # botocore copies this header into ResponseMetadata.RequestId.
        response.headers.setdefault("x-amzn-RequestId", str(uuid.uuid4()))
        return response

    return app

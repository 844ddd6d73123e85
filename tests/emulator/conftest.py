"""Fixtures of the emulator tests: fresh emulators (Flask test client or real HTTP), boto3
clients pointed at them, webhook receivers, and job settings builders."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from flask import Flask

from tests.emulator.fakes import FakeTranscoder, WebhookReceiver
from vod_testbed.backends.ffmpeg.backend import FFmpegBackend
from vod_testbed.backends.job import JobRequest
from vod_testbed.backends.ladder import DEFAULT_LADDER, Ladder
from vod_testbed.backends.mediaconvert.model import to_wire_case
from vod_testbed.backends.mediaconvert.render import render_job_settings
from vod_testbed.common.settings import BackendSettings
from vod_testbed.emulator.app import create_app
from vod_testbed.emulator.config import EmulatorSettings
from vod_testbed.emulator.server import EmulatorServer
from vod_testbed.storage.s3 import Storage

ROLE = "arn:aws:iam::123456789012:role/MediaConvertRole"
SECRET = "test-webhook-secret"


def ladder_settings(
    input_uri: str = "s3://media/video/u1/clip.mp4",
    prefix: str = "s3://media/video/u1/clip_processed",
    ladder: Ladder = DEFAULT_LADDER,
) -> dict[str, Any]:
    """CreateJob Settings (boto3 PascalCase) for a ladder plus thumbnails, as the
    MediaConvert backend renders them."""
    return render_job_settings(
        JobRequest(
            input_uri=input_uri,
            hls_destination=f"{prefix}/hls/master",
            thumbnail_destination=f"{prefix}/thumbnails/master",
            ladder=ladder,
        )
    )


def wire(settings: dict[str, Any]) -> dict[str, Any]:
    """boto3 PascalCase settings -> the camelCase wire form."""
    return to_wire_case(settings)


@pytest.fixture
def transcoder() -> FakeTranscoder:
    return FakeTranscoder()


@pytest.fixture
def emulator_settings(tmp_path: Path) -> EmulatorSettings:
    return EmulatorSettings(
        data_dir=tmp_path / "emulator-data",
        webhook_secret=SECRET,
        time_compression=100.0,
        delivery_base_delay_s=0.05,
        delivery_max_delay_s=0.2,
        delivery_timeout_s=2.0,
    )


AppFactory = Callable[..., Flask]


@pytest.fixture
def make_app(
    emulator_settings: EmulatorSettings, transcoder: FakeTranscoder
) -> Iterator[AppFactory]:
    """Build emulator apps (closed at teardown); keyword arguments override settings."""
    apps: list[Flask] = []

    def make(transcoder_factory: Callable[[], Any] | None = None, **overrides: Any) -> Flask:
        settings = dataclasses.replace(emulator_settings, **overrides)
        app = create_app(
            {
                "TESTING": True,
                "EMULATOR_SETTINGS": settings,
                "TRANSCODER_FACTORY": transcoder_factory or (lambda: transcoder),
            }
        )
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["emulator"].close()


@pytest.fixture
def app(make_app: AppFactory) -> Flask:
    return make_app()


@pytest.fixture
def client(app: Flask) -> Any:
    return app.test_client()


def boto_client(url: str, **config: Any) -> Any:
    return boto3.client(
        "mediaconvert",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="x",
        config=Config(**config) if config else None,
    )


@pytest.fixture
def serve() -> Iterator[Callable[[Flask], EmulatorServer]]:
    servers: list[EmulatorServer] = []

    def start(app: Flask) -> EmulatorServer:
        server = EmulatorServer(app).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def server(app: Flask, serve: Callable[[Flask], EmulatorServer]) -> EmulatorServer:
    return serve(app)


@pytest.fixture
def mc(server: EmulatorServer) -> Any:
    return boto_client(server.url)


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    hook = WebhookReceiver().start()
    yield hook
    hook.stop()


@pytest.fixture
def real_mc(
    make_app: Any,
    serve: Any,
    receiver: WebhookReceiver,
    backend_settings: BackendSettings,
    storage: Storage,
) -> Any:
    app = make_app(
        transcoder_factory=lambda: FFmpegBackend(settings=backend_settings, storage=storage),
        webhook_urls=(receiver.url,),
    )
    return boto_client(serve(app).url)

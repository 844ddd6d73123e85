"""Fixtures of the emulator tests: an app, a test client, a server and boto3 clients for each
test, and webhook receivers. The emulator fixtures the attack tests share (``make_app``,
``serve``, ``emulator_settings``, the fake ``transcoder``) are in ``tests/support/emulator.py``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from tests.support.emulator import AppFactory, boto_client
from tests.support.fakes import WebhookReceiver
from vod_testbed.backends.ffmpeg.backend import FFmpegBackend
from vod_testbed.common.settings import BackendSettings
from vod_testbed.emulator.server import EmulatorServer
from vod_testbed.storage.s3 import Storage


@pytest.fixture
def app(make_app: AppFactory) -> Flask:
    return make_app()


@pytest.fixture
def client(app: Flask) -> Any:
    return app.test_client()


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

"""Fixtures of the attack tests: the pipeline's (settings on the session's S3, a content
service), emulators over real HTTP with known credentials, and the attack files."""

from __future__ import annotations

import dataclasses
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from flask import Flask

from tests.emulator.conftest import ACCESS_KEY, ADMIN_TOKEN, REGION, SECRET_KEY, SigningClient
from tests.emulator.fakes import FakeTranscoder
from tests.pipeline.conftest import (  # noqa: F401 - fixtures
    database,
    new_asset,
    notifier,
    pipeline_settings,
    service,
)
from vod_testbed.backends.ffmpeg.binary import find_ffmpeg
from vod_testbed.emulator.app import create_app
from vod_testbed.emulator.config import EmulatorSettings
from vod_testbed.emulator.server import EmulatorServer
from vod_testbed.fixtures.media import clip_path

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


@pytest.fixture
def make_emulator(tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """Build emulator apps with the test credentials and a fake transcoder (unless given);
    keyword arguments override settings, ``clock``/``transcoder_factory`` the app's."""
    apps: list[Flask] = []

    def make(
        clock: Callable[[], float] | None = None,
        transcoder_factory: Callable[[], Any] | None = None,
        **overrides: Any,
    ) -> Flask:
        settings = EmulatorSettings(
            data_dir=tmp_path / f"emulator-{len(apps)}",
            access_key_id=ACCESS_KEY,
            secret_access_key=SECRET_KEY,
            admin_token=ADMIN_TOKEN,
            time_compression=100.0,
        )
        config: dict[str, Any] = {
            "EMULATOR_SETTINGS": dataclasses.replace(settings, **overrides),
            "TRANSCODER_FACTORY": transcoder_factory or FakeTranscoder,
        }
        if clock is not None:
            config["CLOCK"] = clock
        app = create_app(config)
        app.test_client_class = SigningClient
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["emulator"].close()


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


def mediaconvert(url: str, key: str = ACCESS_KEY, secret: str = SECRET_KEY, **kw: Any) -> Any:
    """A boto3 MediaConvert client for ``url`` (one attempt: refusals are not retried)."""
    return boto3.client(
        "mediaconvert",
        endpoint_url=url,
        region_name=kw.pop("region", REGION),
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        config=Config(retries={"max_attempts": 1}, **kw),
    )


@pytest.fixture(scope="session")
def host_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Uploads that are instructions, not media: a playlist naming a video file of the
    server, one naming /etc/passwd, and an ffconcat list naming the video file. (libav
    takes a playlist for one by its name: an upload keeps the extension its user gave.)"""
    root = tmp_path_factory.mktemp("attack")
    # A video of the server, in the form a playlist can play: another user's MPEG-TS.
    private = root / "server-only" / "private-lecture.ts"
    private.parent.mkdir()
    subprocess.run(
        [find_ffmpeg(os.environ.get("FFMPEG_BINARY")), "-v", "error", "-i",
         str(clip_path("short_2s")), "-c", "copy", "-f", "mpegts", str(private)],
        check=True,
    )  # fmt: skip
    playlist = "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:2,\n{}\n#EXT-X-ENDLIST\n"
    files = {
        "private": private,
        "hls-to-server-video": root / "lecture.m3u8",
        "hls-to-etc-passwd": root / "notes.m3u8",
        "concat-to-server-video": root / "talk.mp4",
    }
    files["hls-to-server-video"].write_text(playlist.format(f"file://{private}"))
    files["hls-to-etc-passwd"].write_text(playlist.format("file:///etc/passwd"))
    files["concat-to-server-video"].write_text(f"ffconcat version 1.0\nfile '{private}'\n")
    return files


ATTACKS = ("hls-to-server-video", "hls-to-etc-passwd", "concat-to-server-video")

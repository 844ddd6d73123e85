"""The transcoder contract's backends: FFmpeg in-process, and MediaConvert over HTTP
against the emulator (which runs its jobs with its own FFmpeg backend). Both use the
session's S3 server, so their outputs can be compared object by object."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from vod_testbed.backends.ffmpeg.backend import FFmpegBackend
from vod_testbed.backends.interface import Transcoder
from vod_testbed.backends.mediaconvert.backend import MediaConvertBackend
from vod_testbed.common.settings import BackendSettings
from vod_testbed.emulator.app import create_app
from vod_testbed.emulator.config import EmulatorSettings
from vod_testbed.emulator.server import EmulatorServer
from vod_testbed.storage.s3 import Storage


@pytest.fixture(scope="session")
def make_transcoder(
    backend_settings: BackendSettings,
    storage: Storage,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[[str], Transcoder]]:
    """Build a backend by name; everything it started is stopped at the end of the session."""
    started: list[Transcoder] = []
    servers: list[EmulatorServer] = []

    def make(name: str) -> Transcoder:
        transcoder: Transcoder
        if name == "ffmpeg":
            transcoder = FFmpegBackend(settings=backend_settings, storage=storage)
        else:
            emulator_settings = EmulatorSettings(
                data_dir=Path(tmp_path_factory.mktemp("emulator")),
                time_compression=100.0,
                # The MediaConvert backend signs with the environment's credentials.
                access_key_id=os.environ["AWS_ACCESS_KEY_ID"],
                secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"],
            )
            app = create_app(
                {
                    "EMULATOR_SETTINGS": emulator_settings,
                    # The emulator closes its transcoder when it stops: give it its own.
                    "TRANSCODER_FACTORY": lambda: FFmpegBackend(
                        settings=backend_settings, storage=storage
                    ),
                }
            )
            server = EmulatorServer(app).start()
            servers.append(server)
            transcoder = MediaConvertBackend(
                backend_settings.replace(mediaconvert_endpoint=server.url),
                storage=storage,
                poll_interval_s=0.1,
            )
        started.append(transcoder)
        return transcoder

    yield make
    for transcoder in started:
        transcoder.close()
    for server in servers:
        server.stop()

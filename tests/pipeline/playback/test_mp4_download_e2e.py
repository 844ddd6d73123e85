"""End to end with MP4_DOWNLOADS on: an upload through the API, transcoded for real by the
FFmpeg backend, ends with a progressive MP4 beside its ladder."""

from __future__ import annotations

import io
import posixpath
from collections.abc import Iterator
from typing import Any

import av
import pytest

from tests.support.e2e_helpers import AUTH_SECRET, upload, wait_for
from vod_testbed.backends.ffmpeg.backend import FFmpegBackend
from vod_testbed.fixtures.media import clip_path
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.server import PipelineServer
from vod_testbed.storage.s3 import Storage

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def ready(
    pipeline_settings_module: PipelineSettings, ffmpeg_backend: FFmpegBackend
) -> Iterator[tuple[PipelineServer, dict[str, Any]]]:
    settings = pipeline_settings_module.replace(mp4_downloads=True)
    server = PipelineServer(settings, transcoder=ffmpeg_backend, port=0).start()
    try:
        video = wait_for(server.url, upload(server.url, clip_path("short_2s")), timeout_s=120)
        assert video["status"] == "ready", video
        yield server, video
    finally:
        server.stop()


@pytest.fixture(scope="module")
def pipeline_settings_module(
    backend_settings: object, module_database_url: str
) -> PipelineSettings:
    return PipelineSettings(backend=backend_settings).replace(  # type: ignore[arg-type]
        database_url=module_database_url,
        webhook_secret="e2e",
        auth_jwt_secret=AUTH_SECRET,
        watch_interval_s=0.2,
        port=0,
    )


def _top_level_boxes(data: bytes) -> list[str]:
    boxes, offset = [], 0
    while offset + 8 <= len(data):
        size = int.from_bytes(data[offset : offset + 4], "big")
        boxes.append(data[offset + 4 : offset + 8].decode("latin-1"))
        if size < 8:
            break
        offset += size
    return boxes


def test_the_mp4_lies_beside_the_ladder_moov_first_and_plays(
    ready: tuple[PipelineServer, dict[str, Any]], storage: Storage
) -> None:
    server, video = ready
    prefix = posixpath.dirname(posixpath.dirname(video["master_playlist_key"]))
    body = storage.client.get_object(
        Bucket=server.settings.bucket, Key=f"{prefix}/mp4/master_720p.mp4"
    )["Body"].read()
    boxes = _top_level_boxes(body)
    assert boxes.index("moov") < boxes.index("mdat"), boxes
    with av.open(io.BytesIO(body), "r") as container:
        (picture,) = container.streams.video
        (sound,) = container.streams.audio
        assert (picture.codec_context.name, picture.width, picture.height) == ("h264", 1280, 720)
        assert sound.codec_context.name == "aac"
        frames = len(list(container.decode(video=0)))
    assert frames >= 50  # 2 s at 30 fps (MediaConvert keeps the source's rate)
    # The ladder is untouched: its HLS outputs are where they always were.
    assert video["master_playlist_key"].endswith("_processed/hls/master.m3u8")

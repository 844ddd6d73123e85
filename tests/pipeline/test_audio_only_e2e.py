"""Audio-only uploads through the pipeline: by default a ready, playable audio item (what a
learning platform wants of a recorded talk); with AUDIO_ONLY_UPLOADS off, a failure that
says why."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from tests.support.e2e_helpers import upload, wait_for
from vod_testbed.backends.ffmpeg.backend import FFmpegBackend
from vod_testbed.fixtures.media import clip_path
from vod_testbed.hls.validation import validate_hls
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.server import PipelineServer
from vod_testbed.storage.s3 import Storage

pytestmark = pytest.mark.e2e


def _server(settings: PipelineSettings, backend: FFmpegBackend) -> PipelineServer:
    return PipelineServer(settings, transcoder=backend, port=0).start()


@pytest.fixture
def server(
    pipeline_settings: PipelineSettings, ffmpeg_backend: FFmpegBackend
) -> Iterator[PipelineServer]:
    running = _server(pipeline_settings, ffmpeg_backend)
    yield running
    running.stop()


def test_an_audio_upload_becomes_a_ready_playable_audio_item(
    server: PipelineServer, storage: Storage
) -> None:
    video_id = upload(server.url, clip_path("audio_mp3"), "lecture.mp3", content_type="audio/mpeg")
    video = wait_for(server.url, video_id, timeout_s=90)
    assert (video["status"], video["error"]) == ("ready", None)
    assert video["thumbnail_keys"] == []
    report = validate_hls(
        f"s3://{server.settings.bucket}/{video['master_playlist_key']}", storage=storage
    )
    assert report.ok, report.render_text()
    master = requests.get(video["playback"]["master_playlist_url"], timeout=10).text
    variants = [
        line.split("?", 1)[0] for line in master.splitlines() if line and not line.startswith("#")
    ]
    assert variants == ["master_audio_128k.m3u8", "master_audio_96k.m3u8", "master_audio_64k.m3u8"]
    assert 'CODECS="mp4a.40.2"' in master and "RESOLUTION" not in master


def test_with_the_policy_off_an_audio_upload_fails_saying_why(
    pipeline_settings: PipelineSettings, ffmpeg_backend: FFmpegBackend
) -> None:
    running = _server(pipeline_settings.replace(audio_only_uploads=False), ffmpeg_backend)
    try:
        video_id = upload(
            running.url, clip_path("audio_wav"), "lecture.wav", content_type="audio/wav"
        )
        video = wait_for(running.url, video_id, timeout_s=60)
    finally:
        running.stop()
    assert video["status"] == "failed"
    assert video["error"]["code"] == 1010
    assert "no video stream" in video["error"]["message"]

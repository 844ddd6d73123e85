"""End to end with ``TRANSCODER_BACKEND=mediaconvert`` against the emulator on 127.0.0.1:
the trigger creates jobs over the MediaConvert API, the emulator transcodes and delivers
signed EventBridge events to the pipeline's webhook on 127.0.0.1."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.e2e_helpers import upload, wait_for
from tests.support.net import free_port, serving
from tests.support.pipeline import SECRET
from vod_testbed.backends.ffmpeg.backend import FFmpegBackend
from vod_testbed.backends.mediaconvert.backend import MediaConvertBackend
from vod_testbed.common.settings import BackendSettings
from vod_testbed.emulator.app import create_app as create_emulator_app
from vod_testbed.emulator.config import EmulatorSettings
from vod_testbed.emulator.server import EmulatorServer
from vod_testbed.fixtures.media import clip_path
from vod_testbed.hls.validation import validate_hls
from vod_testbed.pipeline.assets.content_service import ContentService, ServiceReporter
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.http.app import create_app
from vod_testbed.pipeline.server import PipelineServer
from vod_testbed.pipeline.trigger.handler import UploadTrigger
from vod_testbed.pipeline.workers.watcher import object_created_event
from vod_testbed.storage.s3 import Storage

pytestmark = pytest.mark.e2e


@pytest.fixture
def webhook_port() -> int:
    return free_port()


@pytest.fixture
def emulator(
    tmp_path: Path, webhook_port: int, backend_settings: BackendSettings, storage: Storage
) -> Iterator[EmulatorServer]:
    settings = EmulatorSettings(
        data_dir=tmp_path / "emulator",
        webhook_urls=(f"http://127.0.0.1:{webhook_port}/webhooks/mediaconvert",),
        webhook_secret=SECRET,
        time_compression=100.0,
        delivery_base_delay_s=0.1,
        delivery_max_delay_s=0.5,
        delivery_timeout_s=5.0,
        # The MediaConvert backend signs with the environment's credentials.
        access_key_id=os.environ["AWS_ACCESS_KEY_ID"],
        secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"],
    )
    app = create_emulator_app(
        {
            "EMULATOR_SETTINGS": settings,
            "TRANSCODER_FACTORY": lambda: FFmpegBackend(settings=backend_settings, storage=storage),
        }
    )
    server = EmulatorServer(app).start()
    yield server
    server.stop()


@pytest.fixture
def mc_settings(pipeline_settings: PipelineSettings, emulator: EmulatorServer) -> PipelineSettings:
    backend = pipeline_settings.backend.replace(
        transcoder_backend="mediaconvert",
        mediaconvert_endpoint=emulator.url,
    )
    return pipeline_settings.replace(backend=backend)


@pytest.fixture
def mediaconvert(mc_settings: PipelineSettings, storage: Storage) -> Iterator[MediaConvertBackend]:
    backend = MediaConvertBackend(settings=mc_settings.backend, storage=storage)
    yield backend
    backend.close()


def test_upload_ends_ready_through_emulator_events(
    mc_settings: PipelineSettings,
    mediaconvert: MediaConvertBackend,
    webhook_port: int,
    storage: Storage,
) -> None:
    server = PipelineServer(mc_settings, transcoder=mediaconvert, port=webhook_port).start()
    try:
        assert server.bridge is None  # job changes come only as webhook events
        video = wait_for(server.url, upload(server.url, clip_path("short_2s")), timeout_s=90)
    finally:
        server.stop()
    assert (video["status"], video["progress"]) == ("ready", 100), video
    master = f"s3://{mc_settings.bucket}/{video['master_playlist_key']}"
    report = validate_hls(master, storage=storage)
    assert report.ok, report.render_text()
    (thumbnail,) = video["thumbnail_keys"]  # MediaConvert names the last capture only
    assert storage.client.head_object(Bucket=mc_settings.bucket, Key=thumbnail)["ContentLength"]


def test_events_sent_while_the_receiver_is_down_still_end_ready(
    mc_settings: PipelineSettings,
    mediaconvert: MediaConvertBackend,
    webhook_port: int,
    service: ContentService,
    storage: Storage,
) -> None:
    clip = clip_path("short_2s")
    ticket = service.handle_video_upload(
        "down", "clip.mp4", "video/mp4", clip.stat().st_size, "course-1"
    )
    storage.put(clip, f"s3://{mc_settings.bucket}/{ticket.key}")
    trigger = UploadTrigger(mc_settings, mediaconvert, ServiceReporter(service))
    trigger.handle(object_created_event(mc_settings.bucket, ticket.key, clip.stat().st_size))
    job_id = _video(service, ticket.video["id"])["job_id"]
    assert mediaconvert.wait(job_id, timeout=90).status.value == "COMPLETE"
    # The job is over and every delivery has failed so far: nothing listens on the port.
    assert _video(service, ticket.video["id"])["status"] == "processing"
    with serving(create_app(service), webhook_port, name="pipeline") as url:
        video = wait_for(url, ticket.video["id"], timeout_s=30, user_id="down")
    assert video["status"] == "ready"
    assert video["master_playlist_key"].endswith("_processed/hls/master.m3u8")


def _video(service: ContentService, video_id: str) -> dict[str, Any]:
    found = service.get(video_id)
    assert found is not None
    return found


def test_with_mp4_downloads_the_emulator_writes_the_mp4_beside_the_ladder(
    mc_settings: PipelineSettings,
    mediaconvert: MediaConvertBackend,
    webhook_port: int,
    storage: Storage,
) -> None:
    settings = mc_settings.replace(mp4_downloads=True)
    server = PipelineServer(settings, transcoder=mediaconvert, port=webhook_port).start()
    try:
        video = wait_for(server.url, upload(server.url, clip_path("short_2s")), timeout_s=90)
    finally:
        server.stop()
    assert (video["status"], video["progress"]) == ("ready", 100), video
    master = video["master_playlist_key"]
    assert validate_hls(f"s3://{settings.bucket}/{master}", storage=storage).ok
    # The MP4's group is no frame capture: the thumbnails are still the JPEGs alone.
    assert [Path(k).suffix for k in video["thumbnail_keys"]] == [".jpg"]
    mp4 = master.removesuffix("hls/master.m3u8") + "mp4/master_720p.mp4"
    head = storage.client.get_object(Bucket=settings.bucket, Key=mp4, Range="bytes=0-65535")
    data = head["Body"].read()
    boxes = []
    offset = 0
    while offset + 8 <= len(data):
        boxes.append(data[offset + 4 : offset + 8])
        offset += int.from_bytes(data[offset : offset + 4], "big") or len(data)
    assert boxes[:2] == [b"ftyp", b"moov"] or boxes[:3] == [b"ftyp", b"free", b"moov"], boxes

"""End to end with the in-process FFmpeg backend: presigned upload over HTTP -> watcher ->
trigger -> job -> job changes -> the asset in the database, and the outputs in S3."""

from __future__ import annotations

import argparse
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.e2e_helpers import bearer, upload, wait_for
from tests.support.fakes import WebhookReceiver
from tests.support.pipeline import SECRET
from tests.support.polling import eventually
from vod_testbed.backends.ffmpeg.backend import FFmpegBackend
from vod_testbed.cli import upload as upload_cli
from vod_testbed.common import signing
from vod_testbed.fixtures.media import clip_path
from vod_testbed.hls.validation import validate_hls
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.server import PipelineServer
from vod_testbed.storage.s3 import Storage

pytestmark = pytest.mark.e2e


@pytest.fixture
def ready_hook() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def server(
    pipeline_settings: PipelineSettings, ffmpeg_backend: FFmpegBackend, ready_hook: WebhookReceiver
) -> Iterator[PipelineServer]:
    settings = pipeline_settings.replace(video_ready_webhook_url=ready_hook.url)
    running = PipelineServer(settings, transcoder=ffmpeg_backend, port=0).start()
    yield running
    running.stop()


def test_upload_with_the_cli_ends_ready_with_valid_hls(
    server: PipelineServer,
    storage: Storage,
    ready_hook: WebhookReceiver,
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = argparse.Namespace(
        file=clip_path("short_2s"),
        api=server.url,
        token=bearer("cli-user", roles=["instructor"])["Authorization"].removeprefix("Bearer "),
        course="cli-course",
        content_type=None,
        wait=True,
        timeout=90,
        poll=0.2,
    )
    assert upload_cli.run(args) == upload_cli.EXIT_OK
    assert "playback: http" in capsys.readouterr().out
    (video,) = server.service.list(user_id="cli-user")
    assert (video["status"], video["progress"], video["error"]) == ("ready", 100, None)
    bucket = server.settings.bucket
    report = validate_hls(f"s3://{bucket}/{video['master_playlist_key']}", storage=storage)
    assert report.ok, report.render_text()
    assert video["thumbnail_keys"]
    for key in video["thumbnail_keys"]:
        assert storage.client.head_object(Bucket=bucket, Key=key)["ContentLength"] > 0
    eventually(lambda: ready_hook.posts, 1, what="the video.ready webhook")
    (post,) = ready_hook.posts
    signing.verify(post.headers, post.body, SECRET)
    assert post.event["type"] == "video.ready"
    assert post.event["video"]["id"] == video["id"]


def test_non_video_upload_fails_with_the_reason(server: PipelineServer) -> None:
    video = wait_for(server.url, upload(server.url, clip_path("not_video"), "notes.mp4"))
    assert video["status"] == "failed"
    assert video["job_id"] is None
    assert video["error"]["reason"] == "invalid_input"
    assert video["error"]["code"] == 1010


def test_corrupt_video_fails_with_the_jobs_error_code(
    server: PipelineServer, ffmpeg_backend: FFmpegBackend
) -> None:
    video = wait_for(server.url, upload(server.url, clip_path("truncated_faststart")))
    assert video["status"] == "failed"
    job = ffmpeg_backend.get(video["job_id"])
    assert video["error"] == {
        "reason": "job_error",
        "code": job.error_code,
        "message": job.error_message,
    }
    assert job.error_code is not None


def test_canceled_job_fails_the_asset_as_canceled(
    server: PipelineServer, ffmpeg_backend: FFmpegBackend
) -> None:
    video_id = upload(server.url, clip_path("landscape_1080p"))
    processing = wait_for(server.url, video_id, ("processing", "ready", "failed"))
    assert processing["status"] == "processing"
    ffmpeg_backend.cancel(processing["job_id"])
    video = wait_for(server.url, video_id)
    assert (video["status"], video["error"]["reason"]) == ("failed", "canceled")


def test_two_uploads_at_once_one_named_with_spaces_and_non_ascii(server: PipelineServer) -> None:
    names = ["Mon été à la plage (1).mp4", "second clip.mp4"]
    ids: list[str] = []

    def send(name: str) -> None:
        ids.append(upload(server.url, clip_path("short_2s"), name))

    threads = [threading.Thread(target=send, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    videos = [wait_for(server.url, video_id, timeout_s=90) for video_id in ids]
    assert [v["status"] for v in videos] == ["ready", "ready"]
    keys = sorted(Path(v["key"]).name.split("Z-", 1)[1] for v in videos)
    assert keys == ["Mon-ete-a-la-plage-1.mp4", "second-clip.mp4"]
    assert len({v["master_playlist_key"] for v in videos}) == 2

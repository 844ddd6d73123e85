"""Uploads are what was registered: the trigger acts only on the object a video owns - its
key, its size, its content type - ignores anything else with a log line, and a write to
the key after the job started cannot swap the content the job reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.fakes import FakeTranscoder
from vod_testbed.fixtures.media import clip_path
from vod_testbed.pipeline.assets.content_service import ContentService, ServiceReporter
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.trigger.handler import UploadTrigger
from vod_testbed.pipeline.workers.watcher import object_created_event
from vod_testbed.storage.s3 import Storage

VIDEO = clip_path("short_2s")
OTHER = clip_path("no_audio")  # the intruder's content


def put(storage: Storage, settings: PipelineSettings, key: str, body: bytes, kind: str) -> None:
    """Write an object as anyone who can write to the bucket could (no presigned URL)."""
    storage.client.put_object(Bucket=settings.bucket, Key=key, Body=body, ContentType=kind)


def handle(trigger: UploadTrigger, settings: PipelineSettings, key: str, size: int) -> Any:
    return trigger.handle(object_created_event(settings.bucket, key, size))


def untouched(service: ContentService, video: dict[str, Any], jobs: FakeTranscoder) -> bool:
    """No job, and the video still waits for its upload."""
    found = service.get(video["id"])
    return jobs.jobs == {} and found is not None and found["status"] == "pending_upload"


def registered(service: ContentService, user: str = "victim") -> dict[str, Any]:
    return service.handle_video_upload(
        user, "lecture.mp4", "video/mp4", VIDEO.stat().st_size, "course-1"
    ).video


def test_an_object_under_another_prefix_with_the_victims_asset_id_is_ignored(
    trigger: UploadTrigger,
    transcoder: FakeTranscoder,
    service: ContentService,
    storage: Storage,
    pipeline_settings: PipelineSettings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    victim = registered(service)
    # The key names the victim's asset; the intruder wrote it under their own prefix.
    forged = victim["key"].replace("video/victim/", "video/intruder/")
    put(storage, pipeline_settings, forged, OTHER.read_bytes(), "video/mp4")
    assert handle(trigger, pipeline_settings, forged, OTHER.stat().st_size)["skipped"] == [forged]
    assert untouched(service, victim, transcoder)
    assert "the object is not at the key registered for the video" in caplog.text


@pytest.mark.parametrize(
    ("body", "kind", "why"),
    [
        (OTHER.read_bytes(), "video/mp4", "bytes;"),
        (VIDEO.read_bytes(), "text/html", "'text/html'; 'video/mp4' was registered"),
    ],
    ids=["another-size", "another-content-type"],
)
def test_an_object_at_the_key_but_not_as_registered_is_ignored(
    trigger: UploadTrigger,
    transcoder: FakeTranscoder,
    service: ContentService,
    storage: Storage,
    pipeline_settings: PipelineSettings,
    caplog: pytest.LogCaptureFixture,
    body: bytes,
    kind: str,
    why: str,
) -> None:
    video = registered(service)
    put(storage, pipeline_settings, video["key"], body, kind)
    assert handle(trigger, pipeline_settings, video["key"], len(body))["skipped"] == [video["key"]]
    assert untouched(service, video, transcoder)
    assert why in caplog.text


def test_a_second_write_after_the_job_started_does_not_swap_the_content(
    trigger: UploadTrigger,
    transcoder: FakeTranscoder,
    service: ContentService,
    storage: Storage,
    pipeline_settings: PipelineSettings,
    tmp_path: Path,
) -> None:
    video = registered(service)
    put(storage, pipeline_settings, video["key"], VIDEO.read_bytes(), "video/mp4")
    assert handle(trigger, pipeline_settings, video["key"], VIDEO.stat().st_size)["submitted"]
    (job,) = transcoder.jobs.values()
    put(storage, pipeline_settings, video["key"], OTHER.read_bytes(), "video/mp4")
    assert handle(trigger, pipeline_settings, video["key"], OTHER.stat().st_size)["skipped"]
    read = storage.fetch(job.request.input_uri, tmp_path / "what-the-job-reads.mp4")
    assert read.read_bytes() == VIDEO.read_bytes()
    assert len(transcoder.jobs) == 1


def test_content_replaced_while_it_was_checked_gets_no_job(
    transcoder: FakeTranscoder,
    service: ContentService,
    storage: Storage,
    pipeline_settings: PipelineSettings,
) -> None:
    class RacedTrigger(UploadTrigger):
        def _check(self, obj: Any, size: int, etag: str) -> Any:
            problem = super()._check(obj, size, etag)
            # Swapped between the check and the job: the checked ETag no longer holds.
            put(storage, pipeline_settings, obj.key, OTHER.read_bytes(), "video/mp4")
            return problem

    video = registered(service)
    put(storage, pipeline_settings, video["key"], VIDEO.read_bytes(), "video/mp4")
    raced = RacedTrigger(pipeline_settings, transcoder, ServiceReporter(service))
    assert handle(raced, pipeline_settings, video["key"], VIDEO.stat().st_size)["skipped"]
    assert transcoder.jobs == {}

"""Job snapshots of an in-process transcoder become the same changes as webhook events."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.support.doubles import RecordingTranscoder
from tests.support.pipeline import record_job
from vod_testbed.backends.job import Job, JobOutputs, JobPhase, JobRequest, JobStatus
from vod_testbed.pipeline.assets.content_service import ContentService
from vod_testbed.pipeline.assets.job_events import change_from_job
from vod_testbed.pipeline.workers.job_bridge import JobBridge


def job(asset_id: str, **changes: Any) -> Job:
    request = JobRequest.for_prefix("s3://b/video/k.mp4", user_metadata={"assetId": asset_id})
    return Job(id="1-bridge", request=request).evolve(**changes)


def test_submitted_snapshots_are_not_changes() -> None:
    assert change_from_job(job("a")) is None


def test_snapshots_map_onto_event_statuses() -> None:
    progressing = change_from_job(
        job("a", status=JobStatus.PROGRESSING, phase=JobPhase.TRANSCODING, percent_complete=40)
    )
    assert progressing is not None
    assert (progressing.status, progressing.percent, progressing.asset_id) == (
        "STATUS_UPDATE",
        40,
        "a",
    )
    outputs = JobOutputs("s3://b/o/hls/master.m3u8", (), ("s3://b/o/thumbnails/t.0000000.jpg",))
    complete = change_from_job(job("a", status=JobStatus.COMPLETE, outputs=outputs))
    assert complete is not None
    assert (complete.status, complete.master_playlist_uri) == (
        "COMPLETE",
        "s3://b/o/hls/master.m3u8",
    )
    error = change_from_job(job("a", status=JobStatus.ERROR, error_code=1020, error_message="m"))
    assert error is not None
    assert (error.status, error.error_code) == ("ERROR", 1020)


def test_the_same_snapshot_gives_the_same_event_id() -> None:
    snapshot = job("a", status=JobStatus.PROGRESSING, percent_complete=10)
    first, second = change_from_job(snapshot), change_from_job(snapshot)
    assert first is not None and second is not None
    assert first.event_id == second.event_id


def test_bridge_retries_a_failed_application(
    service: ContentService,
    new_asset: Callable[..., dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asset = new_asset()
    record_job(service, asset, "1-bridge")
    transcoder = RecordingTranscoder()
    original = service.apply_job_change
    failures = iter([RuntimeError("database is locked")])

    def flaky(change: Any) -> str:
        error = next(failures, None)
        if error is not None:
            raise error
        return original(change)

    monkeypatch.setattr(service, "apply_job_change", flaky)
    bridge = JobBridge(transcoder, service, retry_base_s=0.01)
    try:
        outputs = JobOutputs("s3://b/o/hls/master.m3u8", ())
        transcoder._notify(job(asset["id"], status=JobStatus.COMPLETE, outputs=outputs))
        assert bridge.drain(10)
    finally:
        bridge.close()
    found = service.get(asset["id"])
    assert found is not None
    assert found["status"] == "ready"

"""The reaper: videos stuck in uploaded or processing past their limits are failed, logged
and counted; ready videos whose outputs are gone are failed at start. Time is a clock the
tests move, never a sleep."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.support.pipeline import RecordingNotifier
from vod_testbed.pipeline.assets.asset_states import AssetStatus
from vod_testbed.pipeline.assets.content_service import ContentService
from vod_testbed.pipeline.db import VideoAsset, utcnow
from vod_testbed.pipeline.http.app import create_app
from vod_testbed.pipeline.workers.reaper import Reaper

UPLOADED_LIMIT_S, PROCESSING_LIMIT_S = 600, 3600


class Clock:
    """Now, moved by the test."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def reaper(service: ContentService, clock: Clock) -> Reaper:
    return Reaper(service, UPLOADED_LIMIT_S, PROCESSING_LIMIT_S, clock=clock)


def put_in(service: ContentService, video_id: str, status: AssetStatus, **fields: Any) -> None:
    with service.db.sessions.begin() as session:
        asset = session.get(VideoAsset, video_id)
        assert asset is not None
        asset.status = status.value
        for name, value in fields.items():
            setattr(asset, name, value)


def status_of(service: ContentService, video_id: str) -> dict[str, Any]:
    video = service.get(video_id)
    assert video is not None
    return video


def test_a_video_uploaded_past_the_limit_is_failed_with_a_sentence(
    service: ContentService, reaper: Reaper, clock: Clock, new_asset: Callable[..., Any]
) -> None:
    video = new_asset()
    put_in(service, video["id"], AssetStatus.UPLOADED)
    clock.advance(UPLOADED_LIMIT_S + 1)
    assert reaper.sweep() == 1
    failed = status_of(service, video["id"])
    assert failed["status"] == "failed"
    assert failed["error"] == {
        "reason": "stuck",
        "code": 1999,
        "message": "The video stayed uploaded for more than 600 s without news of its "
        "transcoding job. Upload the video again.",
    }


def test_a_video_uploaded_within_the_limit_is_left_alone(
    service: ContentService, reaper: Reaper, clock: Clock, new_asset: Callable[..., Any]
) -> None:
    video = new_asset()
    put_in(service, video["id"], AssetStatus.UPLOADED)
    clock.advance(UPLOADED_LIMIT_S - 5)
    assert reaper.sweep() == 0
    assert status_of(service, video["id"])["status"] == "uploaded"


def test_a_video_processing_past_its_limit_is_failed_and_its_owner_told(
    service: ContentService,
    reaper: Reaper,
    clock: Clock,
    new_asset: Callable[..., Any],
    notifier: RecordingNotifier,
) -> None:
    video = new_asset()
    put_in(service, video["id"], AssetStatus.PROCESSING, job_id="job-1")
    clock.advance(UPLOADED_LIMIT_S + 1)
    assert reaper.sweep() == 0  # processing has the longer limit
    clock.advance(PROCESSING_LIMIT_S)
    assert reaper.sweep() == 1
    assert [v["id"] for v in notifier.videos] == [video["id"]]
    assert notifier.videos[0]["error"]["reason"] == "stuck"


def test_a_video_waiting_for_its_upload_expires_only_past_its_limit(
    service: ContentService, reaper: Reaper, clock: Clock, new_asset: Callable[..., Any]
) -> None:
    video = new_asset()
    clock.advance(service.settings.pending_upload_expires_s - 1)
    assert reaper.sweep() == 0
    assert status_of(service, video["id"])["status"] == "pending_upload"
    clock.advance(2)
    assert reaper.sweep() == 1
    assert status_of(service, video["id"])["status"] == "failed"


def test_reaped_videos_are_counted_in_healthz_and_metrics(
    service: ContentService, reaper: Reaper, clock: Clock, new_asset: Callable[..., Any]
) -> None:
    for _ in range(2):
        put_in(service, new_asset()["id"], AssetStatus.UPLOADED)
    clock.advance(UPLOADED_LIMIT_S + 1)
    reaper.sweep()
    client: FlaskClient = create_app(service, reaper=reaper).test_client()
    assert client.get("/healthz").get_json()["stuck_videos_failed"] == 2
    metrics = client.get("/metrics").get_data(as_text=True)
    assert "vod_pipeline_stuck_videos_failed_total 2\n" in metrics


def test_a_ready_video_whose_playlist_is_gone_is_failed(
    service: ContentService, reaper: Reaper, new_asset: Callable[..., Any]
) -> None:
    kept, lost = new_asset(), new_asset()
    put_in(service, kept["id"], AssetStatus.READY, master_playlist_key="kept/master.m3u8")
    put_in(service, lost["id"], AssetStatus.READY, master_playlist_key="lost/master.m3u8")
    assert reaper.check_outputs(lambda key: key.startswith("kept/")) == 1
    assert status_of(service, kept["id"])["status"] == "ready"
    gone = status_of(service, lost["id"])
    assert gone["status"] == "failed"
    assert gone["error"]["reason"] == "outputs_lost"
    assert gone["error"]["message"] == (
        "The video's HLS outputs are gone from storage. Upload the video again."
    )
    assert reaper.outputs_lost_total == 1

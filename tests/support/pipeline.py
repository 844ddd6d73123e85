"""What the pipeline tests share: the webhook secret, a notifier that remembers, stored S3
notifications, MediaConvert events as AWS documents them, and the fixtures of a pipeline on
the session's S3 (settings, a fresh database per test, the content service, the upload
trigger). This module is a plugin of the suite (tests/support/__init__.py)."""

from __future__ import annotations

import json
import shutil
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import make_url

from tests.support.e2e_helpers import AUTH_SECRET, COURSE
from vod_testbed.backends.interface import Transcoder
from vod_testbed.backends.mediaconvert.events import EventStatus
from vod_testbed.common.clock import Clock
from vod_testbed.common.settings import BackendSettings
from vod_testbed.pipeline.assets.content_service import ContentService, ServiceReporter
from vod_testbed.pipeline.assets.job_events import JobStateChange
from vod_testbed.pipeline.config import PipelineSettings, PlaybackSettings
from vod_testbed.pipeline.db import Database
from vod_testbed.pipeline.http.app import create_app
from vod_testbed.pipeline.playback import build_playback_service
from vod_testbed.pipeline.trigger.handler import UploadTrigger
from vod_testbed.pipeline.trigger.notices import NoticeStatus, TriggerNotice
from vod_testbed.storage.s3 import Storage

SECRET = "pipeline-test-secret"
EVENTS_DIR = Path(__file__).resolve().parents[2] / "vod_testbed" / "fixtures" / "events"


class RecordingNotifier:
    """Stands in for VideoReadyNotifier: remembers what it was told."""

    def __init__(self) -> None:
        self.videos: list[dict[str, Any]] = []

    def notify(self, video: dict[str, Any]) -> None:
        self.videos.append(video)

    def close(self) -> None:
        pass


def load_event(name: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((EVENTS_DIR / name).read_text(encoding="utf-8"))
    return result


def s3_notification(
    name: str, *, bucket: str, size_bytes: int, key: str | None = None
) -> dict[str, Any]:
    """The stored S3 notification ``name`` (AWS's or MinIO's shape) retargeted at an object
    of ``bucket``: its size, and its key (decoded; sent URL-encoded, as S3 does) if given."""
    event = load_event(name)
    record = event["Records"][0]
    record["s3"]["bucket"]["name"] = bucket
    record["s3"]["object"]["size"] = size_bytes
    if key is not None:
        record["s3"]["object"]["key"] = urllib.parse.quote_plus(key, safe="/")
    if "Key" in event:  # MinIO also names the object at the top: "<bucket>/<encoded key>"
        event["Key"] = f"{bucket}/{record['s3']['object']['key']}"
    return event


def mc_event(
    status: str,
    job_id: str,
    asset_id: str | None = None,
    event_id: str | None = None,
    **detail: Any,
) -> dict[str, Any]:
    """An EventBridge "MediaConvert Job State Change" event, as AWS documents it."""
    return {
        "version": "0",
        "id": event_id or str(uuid.uuid4()),
        "detail-type": "MediaConvert Job State Change",
        "source": "aws.mediaconvert",
        "account": "111122223333",
        "time": "2026-11-25T09:52:05Z",
        "region": "us-east-1",
        "resources": [f"arn:aws:mediaconvert:us-east-1:111122223333:jobs/{job_id}"],
        "detail": {
            "timestamp": 1764064325000,
            "accountId": "111122223333",
            "queue": "arn:aws:mediaconvert:us-east-1:111122223333:queues/Default",
            "jobId": job_id,
            "status": status,
            "userMetadata": {"assetId": asset_id} if asset_id else {},
            **detail,
        },
    }


def complete_detail(prefix: str = "s3://vod-testbed/video/u/clip_processed") -> dict[str, Any]:
    """COMPLETE's outputGroupDetails for the ladder (wire reference, section 4.10)."""
    return {
        "outputGroupDetails": [
            {
                "type": "HLS_GROUP",
                "playlistFilePaths": [f"{prefix}/hls/master.m3u8"],
                "outputDetails": [
                    {
                        "outputFilePaths": [f"{prefix}/hls/master_{name}.m3u8"],
                        "durationInMs": 2000,
                        "videoDetails": {"widthInPx": w, "heightInPx": h},
                    }
                    for name, w, h in (("1080p", 1920, 1080), ("720p", 1280, 720))
                ],
            },
            {
                "type": "FILE_GROUP",
                "outputDetails": [
                    {
                        "outputFilePaths": [f"{prefix}/thumbnails/master_thumb.0000001.jpg"],
                        "durationInMs": 2000,
                        "videoDetails": {"widthInPx": 1280, "heightInPx": 720},
                    }
                ],
            },
        ],
        "warnings": [],
    }


@pytest.fixture
def pipeline_settings(backend_settings: BackendSettings, database_url: str) -> PipelineSettings:
    return PipelineSettings(
        backend=backend_settings,
        database_url=database_url,
        webhook_secret=SECRET,
        auth_jwt_secret=AUTH_SECRET,
        probe_sample_bytes=256 * 1024,
        watch_interval_s=0.2,
        port=0,
    )


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite pipeline database at the newest revision, made once per worker."""
    path = tmp_path_factory.mktemp("template") / "pipeline.sqlite3"
    db = Database(f"sqlite:///{path}")
    db.migrate()
    db.dispose()
    return path


@pytest.fixture
def database(pipeline_settings: PipelineSettings, migrated_sqlite: Path) -> Iterator[Database]:
    url = make_url(pipeline_settings.database_url)
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).exists():
        # A copy of one made once: building the schema for every test cost more than the test.
        shutil.copyfile(migrated_sqlite, url.database)
    db = Database(pipeline_settings.database_url)
    db.migrate()  # finds nothing to do on the copy; builds the schema on PostgreSQL
    yield db
    db.dispose()


@pytest.fixture
def notifier() -> RecordingNotifier:
    return RecordingNotifier()


@pytest.fixture
def service(
    pipeline_settings: PipelineSettings,
    database: Database,
    notifier: RecordingNotifier,
    storage: Any,
) -> ContentService:
    return ContentService(pipeline_settings, database, notifier=notifier)  # type: ignore[arg-type]


@pytest.fixture
def new_asset(service: ContentService) -> Callable[..., dict[str, Any]]:
    """Register an upload; returns the new video's description."""

    def make(
        user_id: str = "user-1", filename: str = "clip.mp4", size: int = 1000, course: str = COURSE
    ) -> dict[str, Any]:
        return service.handle_video_upload(user_id, filename, "video/mp4", size, course).video

    return make


@pytest.fixture
def trigger(
    pipeline_settings: PipelineSettings, service: ContentService, transcoder: Transcoder
) -> UploadTrigger:
    """The upload trigger, handing jobs to this directory's ``transcoder`` fixture."""
    return UploadTrigger(pipeline_settings, transcoder, ServiceReporter(service))


def record_job(service: ContentService, video: dict[str, Any], job_id: str) -> None:
    """Record ``job_id`` as the video's job, as the upload trigger does once CreateJob has
    answered: only that job's events move the video."""
    outcome = service.apply_trigger_notice(
        TriggerNotice(NoticeStatus.JOB_SUBMITTED, video["id"], video["key"], job_id=job_id)
    )
    assert outcome == "applied", outcome


def playback_app(service: ContentService, clock: Clock, secret: str = "playback-secret") -> Flask:
    """The pipeline's app with tokened playback, its tokens minted and checked on ``clock``."""
    playback = build_playback_service(service, PlaybackSettings(token_secret=secret), clock=clock)
    return create_app(service, playback=playback, config={"TESTING": True})


def publish_ready(
    service: ContentService,
    storage: Storage,
    video: dict[str, Any],
    objects: dict[str, bytes],
    master_key: str,
    thumbnail_keys: tuple[str, ...] = (),
) -> None:
    """Put a job's ``objects`` in the bucket and make ``video`` ready through that job's
    COMPLETE event, as the webhook would."""
    bucket = service.settings.bucket
    for key, body in objects.items():
        storage.client.put_object(Bucket=bucket, Key=key, Body=body)
    job_id = f"job-{video['id'][:8]}"
    record_job(service, video, job_id)
    service.apply_job_change(
        JobStateChange(
            event_id=str(uuid.uuid4()),
            job_id=job_id,
            status=EventStatus.COMPLETE,
            asset_id=video["id"],
            master_playlist_uri=f"s3://{bucket}/{master_key}",
            thumbnail_uris=tuple(f"s3://{bucket}/{key}" for key in thumbnail_keys),
        )
    )

"""``POST /webhooks/s3``: MinIO's bucket notifications feed the upload trigger in-process."""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable
from typing import Any

import pytest

from tests.pipeline.conftest import SECRET, load_event
from tests.pipeline.doubles import RecordingTranscoder
from vod_testbed.fixtures.media import clip_path
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.content_service import ContentService
from vod_testbed.pipeline.http.app import create_app
from vod_testbed.pipeline.trigger.handler import UploadTrigger


def minio_event_for(key: str, size: int, bucket: str) -> dict[str, Any]:
    event = load_event("s3-object-created-minio.json")
    record = event["Records"][0]
    record["s3"]["bucket"]["name"] = bucket
    record["s3"]["object"].update(key=urllib.parse.quote_plus(key, safe="/"), size=size)
    event["Key"] = f"{bucket}/{record['s3']['object']['key']}"
    return event


@pytest.mark.e2e  # its upload is a clip the fixtures make with ffmpeg
def test_minio_notification_with_bearer_secret_starts_the_job(
    service: ContentService,
    trigger: UploadTrigger,
    transcoder: RecordingTranscoder,
    uploaded: Callable[..., dict[str, Any]],
    pipeline_settings: PipelineSettings,
) -> None:
    video = uploaded(clip_path("short_2s"), "été clip.mp4")
    client = create_app({"CONTENT_SERVICE": service, "UPLOAD_TRIGGER": trigger}).test_client()
    event = minio_event_for(video["key"], video["size_bytes"], pipeline_settings.bucket)
    response = client.post(
        "/webhooks/s3", json=event, headers={"Authorization": f"Bearer {SECRET}"}
    )
    assert response.status_code == 200
    assert response.get_json()["submitted"] == [video["key"]]
    (job,) = transcoder.jobs.values()
    assert job.request.user_metadata["assetId"] == video["id"]


@pytest.mark.e2e  # its upload is a clip the fixtures make with ffmpeg
def test_minio_notification_with_a_wrong_token_is_401(
    service: ContentService,
    trigger: UploadTrigger,
    transcoder: RecordingTranscoder,
    uploaded: Callable[..., dict[str, Any]],
    pipeline_settings: PipelineSettings,
) -> None:
    video = uploaded(clip_path("short_2s"))
    client = create_app({"CONTENT_SERVICE": service, "UPLOAD_TRIGGER": trigger}).test_client()
    event = minio_event_for(video["key"], video["size_bytes"], pipeline_settings.bucket)
    response = client.post("/webhooks/s3", json=event, headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert transcoder.jobs == {}
    found = service.get(video["id"])
    assert found is not None
    assert found["status"] == "pending_upload"


def test_s3_events_without_a_trigger_in_process_are_503(client: Any) -> None:
    response = client.post("/webhooks/s3", json={}, headers={"Authorization": f"Bearer {SECRET}"})
    assert response.status_code == 503

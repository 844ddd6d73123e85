"""``POST /webhooks/s3``: MinIO's bucket notifications feed the upload trigger in-process."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from werkzeug.test import TestResponse

from tests.support.doubles import RecordingTranscoder
from tests.support.pipeline import SECRET, s3_notification
from vod_testbed.fixtures.media import clip_path
from vod_testbed.pipeline.assets.content_service import ContentService
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.http.app import create_app
from vod_testbed.pipeline.trigger.handler import UploadTrigger

Notify = Callable[[dict[str, Any], str], TestResponse]


@pytest.fixture
def notify(
    service: ContentService, trigger: UploadTrigger, pipeline_settings: PipelineSettings
) -> Notify:
    """POST MinIO's notification of an uploaded ``video`` with a bearer ``token``."""
    client = create_app(service, trigger=trigger).test_client()

    def post(video: dict[str, Any], token: str) -> TestResponse:
        event = s3_notification(
            "s3-object-created-minio.json",
            bucket=pipeline_settings.bucket,
            key=video["key"],
            size_bytes=video["size_bytes"],
        )
        return client.post("/webhooks/s3", json=event, headers={"Authorization": f"Bearer {token}"})

    return post


@pytest.mark.e2e  # its upload is a clip the fixtures make with ffmpeg
def test_minio_notification_with_bearer_secret_starts_the_job(
    notify: Notify, transcoder: RecordingTranscoder, uploaded: Callable[..., dict[str, Any]]
) -> None:
    video = uploaded(clip_path("short_2s"), "été clip.mp4")
    response = notify(video, SECRET)
    assert response.status_code == 200
    assert response.get_json()["submitted"] == [video["key"]]
    (job,) = transcoder.jobs.values()
    assert job.request.user_metadata["assetId"] == video["id"]


@pytest.mark.e2e  # its upload is a clip the fixtures make with ffmpeg
def test_minio_notification_with_a_wrong_token_is_401(
    notify: Notify,
    transcoder: RecordingTranscoder,
    uploaded: Callable[..., dict[str, Any]],
    service: ContentService,
) -> None:
    video = uploaded(clip_path("short_2s"))
    response = notify(video, "nope")
    assert response.status_code == 401
    assert transcoder.jobs == {}
    found = service.get(video["id"])
    assert found is not None
    assert found["status"] == "pending_upload"


def test_s3_events_without_a_trigger_in_process_are_503(client: Any) -> None:
    response = client.post("/webhooks/s3", json={}, headers={"Authorization": f"Bearer {SECRET}"})
    assert response.status_code == 503

"""POST /webhooks/mediaconvert: authentication, event mapping, idempotency, ordering,
failures answered 5xx."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.support.pipeline import (
    SECRET,
    RecordingNotifier,
    complete_detail,
    mc_event,
    record_job,
)
from vod_testbed.common import signing
from vod_testbed.pipeline.assets import content_service
from vod_testbed.pipeline.assets.content_service import ContentService
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.http.app import create_app
from vod_testbed.pipeline.trigger.notices import NoticeStatus, TriggerNotice

Post = Callable[..., Any]
NewAsset = Callable[..., dict[str, Any]]
JOB = "1764064325000-abc123"


@pytest.fixture
def new_asset(service: ContentService, new_asset: NewAsset) -> NewAsset:
    """Register an upload and record job ``JOB`` as its job (``job=None``: no job yet)."""

    def make(job: str | None = JOB, **kwargs: Any) -> dict[str, Any]:
        asset = new_asset(**kwargs)
        if job is not None:
            record_job(service, asset, job)
        return asset

    return make


def video(service: ContentService, asset_id: str) -> dict[str, Any]:
    found = service.get(asset_id)
    assert found is not None
    return found


# -- authentication ---------------------------------------------------------------------


def test_unsigned_request_is_401_and_changes_nothing(
    post_event: Post, service: ContentService, new_asset: NewAsset
) -> None:
    asset = new_asset()
    response = post_event(mc_event("COMPLETE", JOB, asset["id"], **complete_detail()), secret=None)
    assert response.status_code == 401
    assert response.get_json()["reason"] == "missing"
    assert video(service, asset["id"])["status"] == "processing"


def test_wrong_secret_is_401_and_changes_nothing(
    post_event: Post, service: ContentService, new_asset: NewAsset
) -> None:
    asset = new_asset()
    response = post_event(mc_event("ERROR", JOB, asset["id"], errorCode=1010), secret="other")
    assert response.status_code == 401
    assert response.get_json()["reason"] == "bad"
    assert video(service, asset["id"])["status"] == "processing"


def test_tampered_body_is_401(
    client: FlaskClient, service: ContentService, new_asset: NewAsset
) -> None:
    asset = new_asset()
    signed = json.dumps(mc_event("PROGRESSING", JOB, asset["id"])).encode()
    headers = signing.sign(signed, SECRET)
    tampered = json.dumps(mc_event("COMPLETE", JOB, asset["id"], **complete_detail())).encode()
    response = client.post("/webhooks/mediaconvert", data=tampered, headers=headers)
    assert response.status_code == 401
    assert video(service, asset["id"])["status"] == "processing"


def test_stale_signature_is_401(
    client: FlaskClient, service: ContentService, new_asset: NewAsset
) -> None:
    asset = new_asset()
    body = json.dumps(mc_event("PROGRESSING", JOB, asset["id"])).encode()
    headers = signing.sign(body, SECRET, timestamp=int(time.time()) - 3600)
    response = client.post("/webhooks/mediaconvert", data=body, headers=headers)
    assert response.status_code == 401
    assert response.get_json()["reason"] == "stale"
    assert video(service, asset["id"])["status"] == "processing"


def test_eventbridge_api_key_header_is_accepted(post_event: Post, new_asset: NewAsset) -> None:
    asset = new_asset()
    response = post_event(
        mc_event("PROGRESSING", JOB, asset["id"]),
        secret=None,
        headers={signing.API_KEY_HEADER: SECRET},
    )
    assert response.status_code == 200
    assert response.get_json()["outcome"] == "applied"


def test_wrong_api_key_is_401(post_event: Post, new_asset: NewAsset) -> None:
    response = post_event(
        mc_event("PROGRESSING", JOB, new_asset()["id"]),
        secret=None,
        headers={signing.API_KEY_HEADER: "guess"},
    )
    assert response.status_code == 401


# -- mapping ----------------------------------------------------------------------------


def test_progress_from_status_update_inside_job_progress(
    post_event: Post, service: ContentService, new_asset: NewAsset
) -> None:
    asset = new_asset()
    progress: dict[str, Any] = {
        "jobProgress": {"jobPercentComplete": 42, "currentPhase": "TRANSCODING"}
    }
    assert post_event(mc_event("STATUS_UPDATE", JOB, asset["id"], **progress)).status_code == 200
    found = video(service, asset["id"])
    assert (found["status"], found["progress"], found["job_id"]) == ("processing", 42, JOB)


def test_progress_directly_under_detail_is_read_too(
    post_event: Post, service: ContentService, new_asset: NewAsset
) -> None:
    asset = new_asset()
    post_event(mc_event("STATUS_UPDATE", JOB, asset["id"], jobPercentComplete=17))
    assert video(service, asset["id"])["progress"] == 17


def test_complete_records_playlist_and_thumbnails(
    post_event: Post, service: ContentService, new_asset: NewAsset, notifier: RecordingNotifier
) -> None:
    asset = new_asset()
    post_event(mc_event("COMPLETE", JOB, asset["id"], **complete_detail("s3://b/v/x_processed")))
    found = video(service, asset["id"])
    assert found["status"] == "ready"
    assert found["progress"] == 100
    assert found["master_playlist_key"] == "v/x_processed/hls/master.m3u8"
    assert found["thumbnail_keys"] == ["v/x_processed/thumbnails/master_thumb.0000001.jpg"]
    assert [v["id"] for v in notifier.videos] == [asset["id"]]


def test_error_records_code_and_message(
    post_event: Post, service: ContentService, new_asset: NewAsset, notifier: RecordingNotifier
) -> None:
    asset = new_asset()
    post_event(
        mc_event("ERROR", JOB, asset["id"], errorCode=1030, errorMessage="Unsupported codec")
    )
    found = video(service, asset["id"])
    assert found["status"] == "failed"
    assert found["error"] == {"reason": "job_error", "code": 1030, "message": "Unsupported codec"}
    assert notifier.videos[0]["status"] == "failed"


def test_canceled_fails_the_asset_as_canceled(
    post_event: Post, service: ContentService, new_asset: NewAsset
) -> None:
    asset = new_asset()
    post_event(mc_event("CANCELED", JOB, asset["id"]))
    found = video(service, asset["id"])
    assert (found["status"], found["error"]["reason"]) == ("failed", "canceled")


@pytest.mark.parametrize("status", ["INPUT_INFORMATION", "NEW_WARNING", "PROGRESSING"])
def test_informational_events_mark_processing(
    post_event: Post, service: ContentService, new_asset: NewAsset, status: str
) -> None:
    asset = new_asset()
    extra = {"warningCode": "230002", "warningMessage": "w"} if status == "NEW_WARNING" else {}
    assert post_event(mc_event(status, JOB, asset["id"], **extra)).status_code == 200
    assert video(service, asset["id"])["status"] == "processing"


def test_asset_is_found_by_job_id_without_user_metadata(
    post_event: Post, service: ContentService, new_asset: NewAsset
) -> None:
    asset = new_asset()
    post_event(mc_event("PROGRESSING", JOB, asset["id"]))
    post_event(mc_event("COMPLETE", JOB, None, **complete_detail()))
    assert video(service, asset["id"])["status"] == "ready"


def test_event_of_an_unknown_asset_is_acknowledged(post_event: Post) -> None:
    response = post_event(mc_event("PROGRESSING", "1-other", None))
    assert response.status_code == 200
    assert response.get_json()["outcome"] == "unknown_asset"


def test_events_of_another_job_are_ignored(
    post_event: Post, service: ContentService, new_asset: NewAsset
) -> None:
    asset = new_asset()
    post_event(mc_event("PROGRESSING", JOB, asset["id"]))
    response = post_event(mc_event("ERROR", "999-second", asset["id"], errorCode=1999))
    assert response.get_json()["outcome"] == "ignored"
    assert video(service, asset["id"])["status"] == "processing"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b"not json", "body"),
        (json.dumps({"source": "aws.s3"}).encode(), "detail-type"),
        (json.dumps(mc_event("EXPLODED", JOB)).encode(), "detail.status"),
    ],
)
def test_malformed_bodies_are_400(client: FlaskClient, body: bytes, field: str) -> None:
    response = client.post("/webhooks/mediaconvert", data=body, headers=signing.sign(body, SECRET))
    assert response.status_code == 400
    assert response.get_json()["field"] == field


# -- idempotency and ordering -------------------------------------------------------------


def test_duplicate_event_id_is_applied_once(
    post_event: Post, service: ContentService, new_asset: NewAsset, notifier: RecordingNotifier
) -> None:
    asset = new_asset()
    event = mc_event("COMPLETE", JOB, asset["id"], event_id="dup-1", **complete_detail())
    first, second = post_event(event), post_event(event)
    assert (first.get_json()["outcome"], second.get_json()["outcome"]) == ("applied", "duplicate")
    assert len(notifier.videos) == 1


def test_late_status_update_after_complete_stays_ready(
    post_event: Post, service: ContentService, new_asset: NewAsset
) -> None:
    asset = new_asset()
    post_event(mc_event("COMPLETE", JOB, asset["id"], **complete_detail()))
    late = post_event(mc_event("STATUS_UPDATE", JOB, asset["id"], jobPercentComplete=30))
    assert late.get_json()["outcome"] == "ignored"
    found = video(service, asset["id"])
    assert (found["status"], found["progress"]) == ("ready", 100)


def test_progress_never_goes_down(
    post_event: Post, service: ContentService, new_asset: NewAsset
) -> None:
    asset = new_asset()
    post_event(mc_event("STATUS_UPDATE", JOB, asset["id"], jobPercentComplete=60))
    post_event(mc_event("STATUS_UPDATE", JOB, asset["id"], jobPercentComplete=20))
    assert video(service, asset["id"])["progress"] == 60


def test_complete_after_failed_stays_failed(
    post_event: Post, service: ContentService, new_asset: NewAsset
) -> None:
    asset = new_asset()
    post_event(mc_event("ERROR", JOB, asset["id"], errorCode=1010, errorMessage="bad input"))
    post_event(mc_event("COMPLETE", JOB, asset["id"], **complete_detail()))
    assert video(service, asset["id"])["status"] == "failed"


def test_job_events_before_the_trigger_notice_still_end_ready(
    post_event: Post, service: ContentService, new_asset: NewAsset
) -> None:
    asset = new_asset(job=None)
    early = post_event(mc_event("COMPLETE", JOB, asset["id"], **complete_detail()))
    assert early.get_json()["outcome"] == "held"
    assert video(service, asset["id"])["status"] == "pending_upload"
    notice = TriggerNotice(NoticeStatus.JOB_SUBMITTED, asset["id"], asset["key"], 10, JOB)
    assert post_event(notice.to_event()).get_json()["outcome"] == "applied"
    assert video(service, asset["id"])["status"] == "ready"


# -- the trigger's notices ----------------------------------------------------------------


def test_trigger_notices_move_the_asset(
    post_event: Post, service: ContentService, new_asset: NewAsset
) -> None:
    asset = new_asset(job=None)
    received = TriggerNotice(NoticeStatus.UPLOAD_RECEIVED, asset["id"], asset["key"], 1000)
    post_event(received.to_event())
    assert video(service, asset["id"])["status"] == "uploaded"
    submitted = TriggerNotice(NoticeStatus.JOB_SUBMITTED, asset["id"], asset["key"], 1000, JOB)
    post_event(submitted.to_event())
    found = video(service, asset["id"])
    assert (found["status"], found["job_id"]) == ("processing", JOB)


def test_rejection_notice_records_the_reason(
    post_event: Post, service: ContentService, new_asset: NewAsset
) -> None:
    asset = new_asset(job=None)
    rejected = TriggerNotice(
        NoticeStatus.UPLOAD_REJECTED,
        asset["id"],
        asset["key"],
        64,
        error_code=1010,
        error_message="The input has no video stream",
    )
    post_event(rejected.to_event())
    error = video(service, asset["id"])["error"]
    assert error == {
        "reason": "invalid_input",
        "code": 1010,
        "message": "The input has no video stream",
    }


# -- failures -----------------------------------------------------------------------------


def test_failure_while_applying_is_500_and_the_retry_applies(
    post_event: Post, service: ContentService, new_asset: NewAsset, monkeypatch: pytest.MonkeyPatch
) -> None:
    asset = new_asset()
    event = mc_event("COMPLETE", JOB, asset["id"], event_id="retry-1", **complete_detail())
    original = content_service.job_transition

    def broken(*args: Any) -> bool:
        raise RuntimeError("database went away")

    monkeypatch.setattr(content_service, "job_transition", broken)
    failed = post_event(event)
    assert failed.status_code == 500
    assert video(service, asset["id"])["status"] == "processing"
    monkeypatch.setattr(content_service, "job_transition", original)
    retried = post_event(event)
    assert (retried.status_code, retried.get_json()["outcome"]) == (200, "applied")
    assert video(service, asset["id"])["status"] == "ready"


def test_a_receiver_without_a_secret_answers_503_so_the_event_is_retried(
    pipeline_settings: PipelineSettings,
    database: Any,
    notifier: Any,
    new_asset: Callable[..., dict[str, Any]],
) -> None:
    """EventBridge API destinations retry 429 and 5xx and drop other 4xx answers: a receiver
    that is not configured yet must not answer 4xx for an event it will accept later."""
    unconfigured = pipeline_settings.replace(webhook_secret="")
    service = ContentService(unconfigured, database, notifier=notifier)
    client = create_app(service, config={"TESTING": True}).test_client()
    asset = new_asset()
    body = json.dumps(mc_event("PROGRESSING", JOB, asset["id"])).encode()
    response = client.post(
        "/webhooks/mediaconvert", data=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 503
    assert response.get_json()["reason"] == "not_configured"
    assert video(service, asset["id"])["status"] == "processing"

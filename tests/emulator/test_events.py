"""EventBridge "MediaConvert Job State Change" events: shapes as AWS documents them
(docs: ev_status_*.html, apple-hls-group.html) and the order a job emits them in."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import pytest
import requests

from tests.support.emulator import (
    ADMIN,
    SECRET,
    boto_client,
    create,
    done,
    ladder_settings,
    statuses,
    wait_status,
)
from tests.support.fakes import FakeTranscoder, WebhookReceiver
from tests.support.polling import eventually
from vod_testbed.common.clock import ManualClock
from vod_testbed.common.signing import verify
from vod_testbed.emulator.service import Emulator

ENVELOPE_KEYS = {
    "version",
    "id",
    "detail-type",
    "source",
    "account",
    "time",
    "region",
    "resources",
    "detail",
}
COMMON_DETAIL = {"timestamp", "accountId", "queue", "jobId", "status", "userMetadata"}


@pytest.fixture
def mc(make_app: Any, serve: Any, receiver: WebhookReceiver) -> Any:
    return boto_client(serve(make_app(webhook_urls=(receiver.url,))).url)


def assert_envelope(event: dict[str, Any], job: dict[str, Any], status: str) -> dict[str, Any]:
    assert set(event) == ENVELOPE_KEYS
    assert event["version"] == "0"
    assert uuid.UUID(event["id"]).version == 4
    assert event["detail-type"] == "MediaConvert Job State Change"
    assert event["source"] == "aws.mediaconvert"
    assert event["account"] == "123456789012"
    assert event["region"] == "us-east-1"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", event["time"])
    assert event["resources"] == [job["Arn"]]
    detail = event["detail"]
    assert set(detail) >= COMMON_DETAIL
    assert detail["status"] == status
    assert detail["jobId"] == job["Id"]
    assert detail["accountId"] == "123456789012"
    assert detail["queue"] == "arn:aws:mediaconvert:us-east-1:123456789012:queues/Default"
    assert detail["userMetadata"] == job["UserMetadata"]
    assert (
        isinstance(detail["timestamp"], int) and abs(detail["timestamp"] / 1000 - time.time()) < 30
    )
    return dict(detail)


def test_a_completed_job_emits_progressing_input_information_complete(
    mc: Any, receiver: WebhookReceiver
) -> None:
    job = create(mc, UserMetadata={"videoId": "v1"})
    events = receiver.wait_for(done(job["Id"]))
    assert statuses(events) == ["PROGRESSING", "INPUT_INFORMATION", "COMPLETE"]
    assert_envelope(events[0], job, "PROGRESSING")
    info = assert_envelope(events[1], job, "INPUT_INFORMATION")
    assert info["inputDetails"] == [
        {"id": 1, "uri": "s3://media/video/u1/clip.mp4", "audio": [], "video": []}
    ]
    complete = assert_envelope(events[2], job, "COMPLETE")
    assert complete["warnings"] == []
    hls, thumbs = complete["outputGroupDetails"]
    prefix = "s3://media/video/u1/clip_processed"
    assert hls["type"] == "HLS_GROUP"
    assert hls["playlistFilePaths"] == [f"{prefix}/hls/master.m3u8"]
    assert [d["outputFilePaths"] for d in hls["outputDetails"]] == [
        [f"{prefix}/hls/master_{r}.m3u8"] for r in ("1080p", "720p", "480p", "360p")
    ]
    assert hls["outputDetails"][1]["durationInMs"] == 4000
    assert hls["outputDetails"][1]["videoDetails"] == {"widthInPx": 1280, "heightInPx": 720}
    assert thumbs["type"] == "FILE_GROUP"
    assert thumbs["outputDetails"][0]["outputFilePaths"] == [
        f"{prefix}/thumbnails/master_thumb.0000000.jpg"
    ]
    assert "playlistFilePaths" not in thumbs


def test_every_delivery_is_signed(mc: Any, receiver: WebhookReceiver) -> None:
    job = create(mc)
    receiver.wait_for(done(job["Id"]))
    for request in receiver.received:
        verify(request.headers, request.body, SECRET)
        assert request.headers["X-Vod-Event-Id"] == request.event["id"]
        assert request.headers["Content-Type"] == "application/json"


@pytest.fixture
def clocked(
    make_app: Any, serve: Any, receiver: WebhookReceiver, transcoder: FakeTranscoder
) -> tuple[Any, Emulator, ManualClock]:
    """A client, its emulator and the emulator's clock, which moves only when told."""
    clock = ManualClock()
    app = make_app(webhook_urls=(receiver.url,), clock=clock)
    return boto_client(serve(app).url), app.extensions["emulator"], clock


def transcoding_job(mc: Any, emulator: Emulator, transcoder: FakeTranscoder) -> dict[str, Any]:
    """A job held at TRANSCODING 50 % (every 10 s of status update is 0.1 s here)."""
    transcoder.gate.clear()
    job = create(mc, StatusUpdateInterval="SECONDS_10")
    eventually(lambda: emulator.model.get_job(job["Id"]).job_percent_complete == 50)
    return job


def status_update_times_ms(emulator: Emulator, job_id: str) -> list[int]:
    """The timestamps of the job's recorded STATUS_UPDATE events, after one scheduling pass
    (the runner's passes are serialised: after this one, every due update is recorded)."""
    emulator.runner.run_once()
    recorded = emulator.store.list_events(job_id=job_id, status="STATUS_UPDATE")
    return [event["detail"]["timestamp"] for event in recorded]


def test_no_status_update_is_sent_before_the_compressed_interval(
    clocked: tuple[Any, Emulator, ManualClock], transcoder: FakeTranscoder
) -> None:
    mc, emulator, clock = clocked
    job = transcoding_job(mc, emulator, transcoder)
    clock.advance(0.099)
    assert status_update_times_ms(emulator, job["Id"]) == []


def test_status_updates_follow_the_compressed_interval(
    clocked: tuple[Any, Emulator, ManualClock], transcoder: FakeTranscoder
) -> None:
    mc, emulator, clock = clocked
    job = transcoding_job(mc, emulator, transcoder)
    started_ms = int(clock() * 1000)
    for _ in range(3):
        clock.advance(0.1)
        status_update_times_ms(emulator, job["Id"])
    stamps = status_update_times_ms(emulator, job["Id"])
    assert [stamp - started_ms for stamp in stamps] == [100, 200, 300]


def test_a_late_status_update_does_not_bring_the_next_one_closer(
    clocked: tuple[Any, Emulator, ManualClock], transcoder: FakeTranscoder
) -> None:
    mc, emulator, clock = clocked
    job = transcoding_job(mc, emulator, transcoder)
    clock.advance(0.25)  # the pass due at 0.1 s ran late
    first = status_update_times_ms(emulator, job["Id"])
    clock.advance(0.099)
    assert status_update_times_ms(emulator, job["Id"]) == first
    clock.advance(0.001)
    (late, following) = status_update_times_ms(emulator, job["Id"])
    assert following - late == 100


def test_a_status_update_carries_the_jobs_progress(
    clocked: tuple[Any, Emulator, ManualClock],
    receiver: WebhookReceiver,
    transcoder: FakeTranscoder,
) -> None:
    mc, emulator, clock = clocked
    job = transcoding_job(mc, emulator, transcoder)
    clock.advance(0.1)
    emulator.runner.run_once()
    transcoder.gate.set()
    events = receiver.wait_for(done(job["Id"]))
    update = assert_envelope(receiver.events("STATUS_UPDATE")[0], job, "STATUS_UPDATE")
    progress = update["jobProgress"]
    assert set(progress) == {"phaseProgress", "jobPercentComplete", "currentPhase", "retryCount"}
    assert progress["currentPhase"] == "TRANSCODING"
    assert progress["jobPercentComplete"] == 50
    assert progress["retryCount"] == 0
    assert progress["phaseProgress"] == {
        "PROBING": {"status": "COMPLETE", "percentComplete": 100},
        "TRANSCODING": {"status": "PROGRESSING", "percentComplete": 50},
        "UPLOADING": {"status": "PENDING", "percentComplete": 0},
    }
    assert statuses(events)[-1] == "COMPLETE"


def test_injected_failure_emits_error_with_the_code(mc: Any, receiver: WebhookReceiver) -> None:
    admin = mc.meta.endpoint_url + "/_emulator/faults/jobs"
    assert (
        requests.post(
            admin,
            json={"errorCode": 1404, "errorMessage": "no such object"},
            headers=ADMIN,
            timeout=5,
        ).status_code
        == 201
    )
    job = create(mc)
    events = receiver.wait_for(done(job["Id"]))
    assert statuses(events) == ["PROGRESSING", "ERROR"]
    error = assert_envelope(events[-1], job, "ERROR")
    assert (error["errorCode"], error["errorMessage"]) == (1404, "no such object")
    got = mc.get_job(Id=job["Id"])["Job"]
    assert (got["Status"], got["ErrorCode"], got["ErrorMessage"]) == (
        "ERROR",
        1404,
        "no such object",
    )


def test_cancel_emits_canceled(
    mc: Any, receiver: WebhookReceiver, transcoder: FakeTranscoder
) -> None:
    transcoder.gate.clear()
    job = create(mc)
    wait_status(mc, job["Id"], "PROGRESSING")
    mc.cancel_job(Id=job["Id"])
    events = receiver.wait_for(done(job["Id"]))
    assert_envelope(events[-1], job, "CANCELED")
    transcoder.gate.set()


def test_settings_warnings_emit_new_warning_and_count_in_complete(
    mc: Any, receiver: WebhookReceiver
) -> None:
    settings = ladder_settings()
    h264 = settings["OutputGroups"][0]["Outputs"][0]["VideoDescription"]["CodecSettings"]
    h264["H264Settings"]["RateControlMode"] = "CBR"  # its MaxBitrate now has no effect
    job = create(mc, Settings=settings)
    events = receiver.wait_for(done(job["Id"]))
    warning = assert_envelope(receiver.events("NEW_WARNING")[0], job, "NEW_WARNING")
    assert isinstance(warning["warningCode"], str)
    assert "maxBitrate has no effect with CBR" in warning["warningMessage"]
    complete = events[-1]["detail"]
    assert complete["warnings"] == [{"code": int(warning["warningCode"]), "count": 1}]
    got = mc.get_job(Id=job["Id"])["Job"]
    assert got["Warnings"] == [{"Code": int(warning["warningCode"]), "Count": 1}]
    assert "maxBitrate has no effect with CBR" in got["Messages"]["Warning"][0]


def test_events_are_recorded_and_listable(mc: Any, receiver: WebhookReceiver) -> None:
    job = create(mc)
    receiver.wait_for(done(job["Id"]))
    base = mc.meta.endpoint_url + "/_emulator/events"
    recorded = requests.get(base, params={"jobId": job["Id"]}, headers=ADMIN, timeout=5).json()[
        "events"
    ]
    assert statuses(recorded) == ["PROGRESSING", "INPUT_INFORMATION", "COMPLETE"]
    assert [e["id"] for e in recorded] == [e["id"] for e in receiver.events()]
    only = requests.get(base, params={"status": "COMPLETE"}, headers=ADMIN, timeout=5).json()[
        "events"
    ]
    assert statuses(only) == ["COMPLETE"]

"""The plugin's event log: waits that wake on arrival, fail fast and say what came."""

from __future__ import annotations

import json
import threading
import time

import pytest

from vod_testbed.backends.job import Job, JobRequest, JobStatus
from vod_testbed.common import signing
from vod_testbed.testing.events import (
    EventLog,
    EventTimeout,
    JobEvent,
    VideoNotice,
    receiver_app,
)

SECRET = "test-secret"


def job_event(
    status: str, event_id: str | None = None, job_id: str = "job-1", **detail
) -> JobEvent:
    detail = {"jobId": job_id, "status": status, **detail}
    return JobEvent(event_id or f"{job_id}-{status}", job_id, status, detail, time.monotonic())


def test_wait_for_returns_the_event_recorded_by_another_thread():
    log = EventLog()
    complete = job_event("COMPLETE")
    threading.Timer(0.05, log.record_job_event, args=(complete,)).start()

    assert log.wait_for("job-1", "COMPLETE", timeout=30) == complete


def test_wait_for_an_event_already_recorded_returns_at_once():
    log = EventLog()
    log.record_job_event(job_event("PROGRESSING"))

    assert log.wait_for("job-1", "PROGRESSING", timeout=0).status == "PROGRESSING"


def test_a_wait_that_times_out_names_the_job_and_what_arrived():
    log = EventLog()
    log.record_job_event(job_event("PROGRESSING"))

    with pytest.raises(EventTimeout) as timeout:
        log.wait_for("job-1", "COMPLETE", timeout=0.1)

    assert str(timeout.value) == (
        "job job-1 never reached COMPLETE: nothing after 0.1 s (received: PROGRESSING)"
    )


def test_a_job_that_ended_in_error_fails_a_wait_for_complete_at_once():
    log = EventLog()
    log.record_job_event(job_event("ERROR", errorCode=1010, errorMessage="unreadable"))
    started = time.monotonic()

    with pytest.raises(EventTimeout) as failed:
        log.wait_for("job-1", "COMPLETE", timeout=60)

    assert time.monotonic() - started < 5
    assert "it ended ERROR [1010] unreadable" in str(failed.value)


def test_duplicates_lists_each_event_received_again():
    log = EventLog()
    for event in (job_event("PROGRESSING", "e1"), job_event("PROGRESSING", "e1"),
                  job_event("COMPLETE", "e2")):  # fmt: skip
        log.record_job_event(event)

    assert [event.id for event in log.duplicates("job-1")] == ["e1"]
    assert log.statuses("job-1") == ["PROGRESSING", "PROGRESSING", "COMPLETE"]


def test_clear_forgets_job_events_and_video_notices():
    log = EventLog()
    log.record_job_event(job_event("COMPLETE"))
    log.record_video_notice(VideoNotice("n1", "v1", "ready", {"id": "v1"}))

    log.clear()

    assert log.statuses("job-1") == []
    with pytest.raises(EventTimeout):
        log.wait_for_video("v1", "ready", timeout=0)
    log.record_job_event(job_event("PROGRESSING"))
    assert log.statuses("job-1") == ["PROGRESSING"]


def test_a_failed_video_fails_a_wait_for_ready_with_its_error():
    log = EventLog()
    video = {"id": "v1", "status": "failed", "error": {"code": 1010, "message": "not a video"}}
    log.record_video_notice(VideoNotice("n1", "v1", "failed", video))

    with pytest.raises(EventTimeout) as failed:
        log.wait_for_video("v1", "ready", timeout=60)

    assert str(failed.value) == "video v1 is failed, not ready: [1010] not a video"


def test_in_process_jobs_are_recorded_once_per_status():
    log = EventLog()
    job = Job("job-9", JobRequest.for_prefix("s3://b/video/x.mp4"))
    for snapshot in (job, job.evolve(status=JobStatus.PROGRESSING, percent_complete=10),
                     job.evolve(status=JobStatus.PROGRESSING, percent_complete=50),
                     job.evolve(status=JobStatus.COMPLETE)):  # fmt: skip
        log.on_job_change(snapshot)

    assert log.statuses("job-9") == ["SUBMITTED", "PROGRESSING", "COMPLETE"]


def signed_post(client, path: str, payload: dict, secret: str = SECRET):
    body = json.dumps(payload).encode()
    headers = {"Content-Type": "application/json", **signing.sign(body, secret)}
    return client.post(path, data=body, headers=headers)


def test_the_receiver_records_a_signed_job_event():
    log = EventLog()
    client = receiver_app(log, SECRET).test_client()
    event = {"id": "e1", "detail": {"jobId": "job-1", "status": "COMPLETE"}}

    assert signed_post(client, "/events", event).status_code == 200
    assert log.statuses("job-1") == ["COMPLETE"]


def test_the_receiver_refuses_a_wrongly_signed_event_and_records_nothing():
    log = EventLog()
    client = receiver_app(log, SECRET).test_client()
    event = {"id": "e1", "detail": {"jobId": "job-1", "status": "COMPLETE"}}

    answer = signed_post(client, "/events", event, secret="another-secret")

    assert answer.status_code == 401
    assert log.for_job("job-1") == []


def test_the_receiver_records_a_video_notice():
    log = EventLog()
    client = receiver_app(log, SECRET).test_client()
    notice = {"id": "n1", "type": "video.ready", "video": {"id": "v1", "status": "ready"}}

    assert signed_post(client, "/videos", notice).status_code == 200
    assert log.wait_for_video("v1", "ready", timeout=0) == {"id": "v1", "status": "ready"}

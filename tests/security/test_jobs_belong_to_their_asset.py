"""A job belongs to its asset, and the trigger to its bucket, over real HTTP: an event of a
job the pipeline did not record for a video - whatever its ``userMetadata.assetId`` says -
changes nothing; an event that arrives before its own job is recorded is held, then applied;
an S3 notification naming another bucket starts nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.support.doubles import RecordingTranscoder
from tests.support.e2e_helpers import bearer
from tests.support.pipeline import SECRET, complete_detail, mc_event
from vod_testbed.common import signing
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.server import PipelineServer
from vod_testbed.pipeline.trigger.notices import NoticeStatus, TriggerNotice
from vod_testbed.pipeline.workers.watcher import object_created_event

SIZE = 1000
NEW_VIDEO: dict[str, Any] = {"filename": "lecture.mp4", "content_type": "video/mp4", "size": SIZE}


@pytest.fixture
def server(pipeline_settings: PipelineSettings) -> Iterator[PipelineServer]:
    running = PipelineServer(
        pipeline_settings, transcoder=RecordingTranscoder(), port=0, watch=False
    ).start()
    yield running
    running.stop()


def post(url: str, event: dict[str, Any]) -> requests.Response:
    """Deliver ``event`` signed, as the emulator (or the trigger's Lambda) does."""
    body = json.dumps(event).encode()
    headers = {"Content-Type": "application/json", **signing.sign(body, SECRET)}
    return requests.post(url, data=body, headers=headers, timeout=10)


def registered(server: PipelineServer) -> dict[str, Any]:
    body = {**NEW_VIDEO, "course_id": "course-1"}
    answer = requests.post(
        f"{server.url}/videos",
        json=body,
        headers=bearer("victim", roles=["instructor"]),
        timeout=10,
    )
    assert answer.status_code == 201, answer.text
    video: dict[str, Any] = answer.json()["video"]
    return video


def status(server: PipelineServer, video: dict[str, Any]) -> tuple[str, str | None]:
    found = requests.get(f"{server.url}/videos/{video['id']}", headers=bearer("victim"), timeout=10)
    return found.json()["status"], found.json()["job_id"]


def test_another_jobs_events_naming_a_pending_video_change_nothing(
    server: PipelineServer, caplog: pytest.LogCaptureFixture
) -> None:
    video = registered(server)
    hook = f"{server.url}/webhooks/mediaconvert"
    # Someone else's job claims the video in its userMetadata and completes first.
    forged = mc_event("COMPLETE", "1-intruder", video["id"], **complete_detail())
    assert post(hook, forged).json()["outcome"] == "held"
    assert status(server, video) == ("pending_upload", None)
    # The pipeline's own job: its first event comes before CreateJob's answer is recorded.
    early = post(hook, mc_event("PROGRESSING", "1-own", video["id"]))
    assert early.json()["outcome"] == "held"
    submitted = TriggerNotice(NoticeStatus.JOB_SUBMITTED, video["id"], video["key"], 1000, "1-own")
    assert post(hook, submitted.to_event()).json()["outcome"] == "applied"
    assert status(server, video) == ("processing", "1-own")
    # Later events of the other job are ignored, with a log line.
    again = mc_event("COMPLETE", "1-intruder", video["id"], **complete_detail())
    assert post(hook, again).json()["outcome"] == "ignored"
    assert status(server, video) == ("processing", "1-own")
    assert "of job 1-intruder ignored: the asset belongs to job 1-own" in caplog.text
    # The own job's events still move it.
    done = post(hook, mc_event("COMPLETE", "1-own", video["id"], **complete_detail()))
    assert done.json()["outcome"] == "applied"
    assert status(server, video) == ("ready", "1-own")


def test_an_s3_notification_of_another_bucket_starts_nothing(
    server: PipelineServer, storage: Any, caplog: pytest.LogCaptureFixture
) -> None:
    video = registered(server)
    # Another bucket holds an object at the registered key, of the registered size and type.
    other = "someone-elses-bucket"
    storage.client.create_bucket(Bucket=other)
    storage.client.put_object(
        Bucket=other, Key=video["key"], Body=b"\0" * SIZE, ContentType="video/mp4"
    )
    event = object_created_event(other, video["key"], SIZE)
    answer = requests.post(
        f"{server.url}/webhooks/s3",
        json=event,
        headers={"Authorization": f"Bearer {SECRET}"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["skipped"] == [video["key"]]
    assert status(server, video) == ("pending_upload", None)
    transcoder = server.transcoder
    assert isinstance(transcoder, RecordingTranscoder)
    assert transcoder.jobs == {}
    assert "not the pipeline's bucket 'someone-elses-bucket'" in caplog.text

"""The job-state event: built by the emulator, read by the backend and the pipeline
(docs/ARCHITECTURE.md, "The event contract")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from vod_testbed.backends.job import JobPhase
from vod_testbed.backends.mediaconvert import events
from vod_testbed.backends.mediaconvert.events import EventFormatError, EventStatus


@dataclass(frozen=True)
class Origin:
    account_id: str = "111122223333"
    region: str = "eu-west-1"


JOB: dict[str, Any] = {
    "id": "1671477617078-2886ye",
    "arn": "arn:aws:mediaconvert:eu-west-1:111122223333:jobs/1671477617078-2886ye",
    "queue": "arn:aws:mediaconvert:eu-west-1:111122223333:queues/Default",
    "userMetadata": {"assetId": "a-1"},
    "currentPhase": "TRANSCODING",
    "jobPercentComplete": 40,
}


def test_a_built_status_update_reads_back_with_its_job_phase_and_progress() -> None:
    event = events.status_update(Origin(), JOB)
    read = events.parse_event(event)
    assert (read.event_id, read.job_id, read.status) == (
        event["id"],
        JOB["id"],
        EventStatus.STATUS_UPDATE,
    )
    assert (read.phase, read.percent, read.user_metadata) == (
        JobPhase.TRANSCODING,
        40,
        {"assetId": "a-1"},
    )
    assert read.timestamp_s == pytest.approx(event["detail"]["timestamp"] / 1000)


def test_the_envelope_is_eventbridges() -> None:
    event = events.progressing(Origin(), JOB)
    assert (event["source"], event["detail-type"], event["account"], event["region"]) == (
        "aws.mediaconvert",
        "MediaConvert Job State Change",
        "111122223333",
        "eu-west-1",
    )
    assert event["resources"] == [JOB["arn"]]
    assert event["time"].endswith("Z")


def test_phase_progress_completes_earlier_phases_and_leaves_later_ones_pending() -> None:
    assert events.phase_progress("TRANSCODING", 40) == {
        "PROBING": {"status": "COMPLETE", "percentComplete": 100},
        "TRANSCODING": {"status": "PROGRESSING", "percentComplete": 40},
        "UPLOADING": {"status": "PENDING", "percentComplete": 0},
    }


def test_progress_directly_under_detail_is_read_too() -> None:
    event = events.job_event(
        Origin(),
        JOB,
        EventStatus.STATUS_UPDATE,
        {"jobPercentComplete": 130, "currentPhase": "UPLOADING"},
    )
    read = events.parse_event(event)
    assert (read.percent, read.phase) == (100, JobPhase.UPLOADING)


def test_a_complete_event_names_the_master_playlist_and_the_last_capture() -> None:
    groups = [
        {
            "type": "HLS_GROUP",
            "playlistFilePaths": ["s3://b/p/hls/master.m3u8"],
            "outputDetails": [{"outputFilePaths": ["s3://b/p/hls/master_1080p.m3u8"]}],
        },
        {
            "type": "FILE_GROUP",
            "outputDetails": [
                {"outputFilePaths": ["s3://b/p/thumbnails/master_thumb.0000002.jpg"]}
            ],
        },
    ]
    read = events.parse_event(events.complete(Origin(), JOB, groups))
    assert read.master_playlist_uri == "s3://b/p/hls/master.m3u8"
    assert read.frame_capture_uris == ("s3://b/p/thumbnails/master_thumb.0000002.jpg",)


def test_an_error_event_carries_mediaconverts_code() -> None:
    failed = {**JOB, "errorCode": 1010, "errorMessage": "The input is not a media file"}
    read = events.parse_event(events.error(Origin(), failed))
    assert (read.status, read.error_code, read.error_message) == (
        EventStatus.ERROR,
        1010,
        "The input is not a media file",
    )


def test_a_new_warning_carries_its_code_as_a_string() -> None:
    event = events.new_warning(Origin(), JOB, 230001, "approximated")
    assert event["detail"]["warningCode"] == "230001"
    assert events.parse_event(event).warning == "230001: approximated"


def _valid() -> dict[str, Any]:
    return events.progressing(Origin(), JOB)


@pytest.mark.parametrize(
    ("mutate", "field", "message"),
    [
        (lambda e: ["not", "an", "object"], "body", "must be a JSON object"),
        (lambda e: {**e, "source": "aws.s3"}, "detail-type", "expected source 'aws.mediaconvert'"),
        (lambda e: {**e, "id": ""}, "id", "missing or not a str"),
        (lambda e: {**e, "detail": {**e["detail"], "jobId": None}}, "detail.jobId", "missing"),
        (
            lambda e: {**e, "detail": {**e["detail"], "status": "SUBMITTED"}},
            "detail.status",
            "unknown status 'SUBMITTED'",
        ),
    ],
)
def test_a_body_that_is_not_a_job_state_event_is_refused_naming_the_field(
    mutate: Any, field: str, message: str
) -> None:
    with pytest.raises(EventFormatError) as caught:
        events.parse_event(mutate(_valid()))
    assert caught.value.field == field
    assert message in caught.value.message

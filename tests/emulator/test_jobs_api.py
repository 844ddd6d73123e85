"""CreateJob, GetJob, ListJobs, CancelJob through boto3 against the emulator over HTTP."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from botocore.exceptions import ParamValidationError

from tests.support.emulator import ROLE, boto_client, create, ladder_settings, wait_status
from tests.support.fakes import FakeTranscoder, WebhookReceiver
from tests.support.polling import eventually
from vod_testbed.backends.job import JobStatus
from vod_testbed.common.clock import ManualClock


def test_create_job_answers_201_with_an_aws_shaped_job(mc: Any) -> None:
    response = mc.create_job(Role=ROLE, Settings=ladder_settings(), UserMetadata={"assetId": "a1"})
    job = response["Job"]
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert response["ResponseMetadata"]["RequestId"]
    assert job["Id"].split("-")[0].isdigit() and len(job["Id"].split("-")[1]) == 6
    assert job["Arn"] == f"arn:aws:mediaconvert:us-east-1:123456789012:jobs/{job['Id']}"
    assert job["Status"] == "SUBMITTED"
    assert job["Queue"] == "arn:aws:mediaconvert:us-east-1:123456789012:queues/Default"
    assert job["UserMetadata"] == {"assetId": "a1"}
    assert job["Role"] == ROLE
    assert job["Priority"] == 0
    assert job["StatusUpdateInterval"] == "SECONDS_60"
    assert job["Settings"]["OutputGroups"][0]["Outputs"][0]["NameModifier"] == "_1080p"
    assert abs(job["CreatedAt"].timestamp() - time.time()) < 5


def test_wire_timestamps_are_epoch_seconds(client: Any) -> None:
    from tests.support.emulator import wire

    created = client.post(
        "/2017-08-29/jobs", json={"role": ROLE, "settings": wire(ladder_settings())}
    )
    job = created.get_json()["job"]
    assert created.status_code == 201
    assert isinstance(job["createdAt"], int)
    assert isinstance(job["timing"]["submitTime"], int)
    assert created.headers["x-amzn-RequestId"]


def test_job_runs_to_complete_with_output_group_details(mc: Any) -> None:
    job = create(mc)
    done = wait_status(mc, job["Id"], "COMPLETE")
    assert done["JobPercentComplete"] == 100
    assert "CurrentPhase" not in done
    timing = done["Timing"]
    assert timing["SubmitTime"] <= timing["StartTime"] <= timing["FinishTime"]
    hls, thumbs = done["OutputGroupDetails"]
    assert [d["VideoDetails"]["HeightInPx"] for d in hls["OutputDetails"]] == [1080, 720, 480, 360]
    assert hls["OutputDetails"][0]["DurationInMs"] == 4000
    assert thumbs["OutputDetails"][0]["VideoDetails"] == {"WidthInPx": 1280, "HeightInPx": 720}


def test_job_request_carries_input_destinations_and_metadata(
    mc: Any, transcoder: FakeTranscoder
) -> None:
    job = create(mc, UserMetadata={"videoId": "v9"})
    wait_status(mc, job["Id"], "COMPLETE")
    request = transcoder.submitted[0]
    assert request.input_uri == "s3://media/video/u1/clip.mp4"
    assert request.hls_destination == "s3://media/video/u1/clip_processed/hls/master"
    assert request.user_metadata == {"videoId": "v9"}


def test_get_unknown_job_is_not_found(mc: Any) -> None:
    with pytest.raises(mc.exceptions.NotFoundException) as info:
        mc.get_job(Id="1700000000000-abcdef")
    assert info.value.response["Error"]["Message"] == "The job 1700000000000-abcdef does not exist."
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_client_request_token_replays_the_original_job(mc: Any) -> None:
    first = create(mc, ClientRequestToken="token-1")
    again = create(mc, ClientRequestToken="token-1", UserMetadata={"other": "x"})
    other = create(mc, ClientRequestToken="token-2")
    assert again["Id"] == first["Id"]
    assert again["UserMetadata"] == {}
    assert other["Id"] != first["Id"]


def test_client_request_token_expires_after_the_window(make_app: Any, serve: Any) -> None:
    from tests.support.emulator import boto_client

    clock = ManualClock()
    mc = boto_client(serve(make_app(idempotency_window_s=60, clock=clock)).url)
    first = create(mc, ClientRequestToken="token-1")
    clock.advance(61)
    assert create(mc, ClientRequestToken="token-1")["Id"] != first["Id"]


def test_list_jobs_newest_first_and_filtered_by_status(mc: Any, transcoder: FakeTranscoder) -> None:
    done = create(mc)
    wait_status(mc, done["Id"], "COMPLETE")
    transcoder.gate.clear()
    running = create(mc)
    wait_status(mc, running["Id"], "PROGRESSING")
    waiting = create(mc)
    ids = [j["Id"] for j in mc.list_jobs()["Jobs"]]
    assert ids == [waiting["Id"], running["Id"], done["Id"]]
    assert [j["Id"] for j in mc.list_jobs(Order="ASCENDING")["Jobs"]] == ids[::-1]
    assert [j["Id"] for j in mc.list_jobs(Status="SUBMITTED")["Jobs"]] == [waiting["Id"]]
    assert [j["Id"] for j in mc.list_jobs(Status="COMPLETE")["Jobs"]] == [done["Id"]]
    assert [j["Id"] for j in mc.list_jobs(Queue="Default", Status="PROGRESSING")["Jobs"]] == [
        running["Id"]
    ]
    transcoder.gate.set()


def test_list_jobs_paginator_walks_every_page(mc: Any, transcoder: FakeTranscoder) -> None:
    transcoder.gate.clear()
    created = [create(mc)["Id"] for _ in range(7)]
    pages = list(mc.get_paginator("list_jobs").paginate(PaginationConfig={"PageSize": 3}))
    assert [len(p["Jobs"]) for p in pages] == [3, 3, 1]
    assert [j["Id"] for p in pages for j in p["Jobs"]] == created[::-1]
    assert "NextToken" not in pages[-1]
    transcoder.gate.set()


def test_list_jobs_rejects_out_of_range_and_unknown_values(mc: Any) -> None:
    with pytest.raises(mc.exceptions.BadRequestException) as info:
        mc.list_jobs(MaxResults=50)
    assert (
        info.value.response["Error"]["Message"]
        == "/maxResults: 50 is greater than the maximum of 20"
    )
    with pytest.raises(mc.exceptions.BadRequestException) as info:
        mc.list_jobs(Status="FOO")
    assert "/status: 'FOO' is not one of" in info.value.response["Error"]["Message"]
    with pytest.raises(mc.exceptions.BadRequestException, match="Invalid nextToken"):
        mc.list_jobs(NextToken="not-a-token")


def test_create_job_validates_what_boto3_does_not(mc: Any) -> None:
    with pytest.raises(mc.exceptions.BadRequestException) as info:
        create(mc, Priority=99)
    assert (
        info.value.response["Error"]["Message"] == "/priority: 99 is greater than the maximum of 50"
    )
    settings = ladder_settings()
    settings["OutputGroups"][0]["Outputs"][0]["VideoDescription"]["Width"] = 9000
    with pytest.raises(mc.exceptions.BadRequestException) as info:
        create(mc, Settings=settings)
    assert info.value.response["Error"]["Message"] == (
        "/outputGroups/0/outputs/0/videoDescription/width: 9000 is greater than the maximum of 8192"
    )
    settings = ladder_settings()
    del settings["OutputGroups"][0]["Outputs"][0]["ContainerSettings"]
    with pytest.raises(mc.exceptions.BadRequestException) as info:
        create(mc, Settings=settings)
    assert info.value.response["Error"]["Message"] == (
        "/outputGroups/0/outputs/0: containerSettings is a required property"
    )


def test_create_job_rejects_bad_enum_and_role(mc: Any) -> None:
    settings = ladder_settings()
    settings["OutputGroups"][0]["Outputs"][0]["ContainerSettings"]["Container"] = "AVI"
    with pytest.raises(
        mc.exceptions.BadRequestException,
        match="/outputGroups/0/outputs/0/containerSettings/container: 'AVI' is not one of",
    ):
        create(mc, Settings=settings)
    with pytest.raises(
        mc.exceptions.BadRequestException, match="/role: 'admin' is not an IAM role ARN"
    ):
        create(mc, Role="admin")


def test_boto3_checks_required_members_itself(mc: Any) -> None:
    with pytest.raises(ParamValidationError, match='Missing required parameter in input: "Role"'):
        mc.create_job(Settings=ladder_settings())


def test_cancel_submitted_job(mc: Any) -> None:
    mc.update_queue(Name="Default", Status="PAUSED")
    job = create(mc)
    response = mc.cancel_job(Id=job["Id"])
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 202
    canceled = mc.get_job(Id=job["Id"])["Job"]
    assert canceled["Status"] == "CANCELED"
    assert "FinishTime" in canceled["Timing"]


def test_a_cancel_shows_in_the_very_next_get_job(mc: Any) -> None:
    mc.update_queue(Name="Default", Status="PAUSED")
    job = create(mc)
    assert [mc.get_job(Id=job["Id"])["Job"]["Status"] for _ in range(2)] == ["SUBMITTED"] * 2
    mc.cancel_job(Id=job["Id"])
    assert mc.get_job(Id=job["Id"])["Job"]["Status"] == "CANCELED"


def test_a_job_is_complete_in_get_job_by_the_time_its_event_arrives(
    make_app: Any, serve: Any, receiver: WebhookReceiver, transcoder: FakeTranscoder
) -> None:
    mc = boto_client(serve(make_app(webhook_urls=(receiver.url,))).url)
    transcoder.gate.clear()
    job_id = create(mc)["Id"]
    eventually(lambda: mc.get_job(Id=job_id)["Job"].get("JobPercentComplete") == 50)
    transcoder.gate.set()
    # The event is published once the job is stored COMPLETE: GetJob must not lag behind it.
    receiver.wait_for(lambda events: [e["detail"]["status"] for e in events][-1:] == ["COMPLETE"])
    done = mc.get_job(Id=job_id)["Job"]
    assert (done["Status"], done["JobPercentComplete"]) == ("COMPLETE", 100)
    assert done["OutputGroupDetails"]


def canceled_while_transcoding(mc: Any, transcoder: FakeTranscoder) -> dict[str, Any]:
    """A job canceled once the transcoder holds it (its gate closed)."""
    transcoder.gate.clear()
    job = create(mc)
    wait_status(mc, job["Id"], "PROGRESSING")
    eventually(lambda: bool(transcoder.jobs))
    mc.cancel_job(Id=job["Id"])
    return job


def test_cancel_progressing_job_stops_the_transcode(mc: Any, transcoder: FakeTranscoder) -> None:
    job = canceled_while_transcoding(mc, transcoder)
    assert mc.get_job(Id=job["Id"])["Job"]["Status"] == "CANCELED"
    assert len(transcoder.canceled) == 1


def test_a_transcode_finishing_after_its_cancel_leaves_the_job_canceled(
    app: Any, mc: Any, transcoder: FakeTranscoder
) -> None:
    job = canceled_while_transcoding(mc, transcoder)
    (backend_id,) = transcoder.jobs
    transcoder.emit(backend_id, status=JobStatus.COMPLETE)
    app.extensions["emulator"].runner.run_once()  # the late snapshot is read in this pass
    assert mc.get_job(Id=job["Id"])["Job"]["Status"] == "CANCELED"


def test_cancel_finished_job_is_a_conflict(mc: Any) -> None:
    job = create(mc)
    wait_status(mc, job["Id"], "COMPLETE")
    with pytest.raises(mc.exceptions.ConflictException) as info:
        mc.cancel_job(Id=job["Id"])
    assert info.value.response["Error"]["Message"] == (
        f"The job {job['Id']} is COMPLETE and can no longer be canceled."
    )


def test_transcode_failure_ends_in_error_with_its_code(mc: Any, transcoder: FakeTranscoder) -> None:
    transcoder.fail_with = (1010, "The input is not a media file that can be read.")
    job = create(mc)
    failed = wait_status(mc, job["Id"], "ERROR")
    assert failed["ErrorCode"] == 1010
    assert failed["ErrorMessage"] == "The input is not a media file that can be read."


def test_describe_endpoints_names_the_emulator(mc: Any, server: Any) -> None:
    assert mc.describe_endpoints()["Endpoints"] == [{"Url": server.url}]


def test_unsupported_operation_is_a_clear_bad_request(mc: Any) -> None:
    with pytest.raises(
        mc.exceptions.BadRequestException, match="not supported by the MediaConvert emulator"
    ):
        mc.list_tags_for_resource(Arn="arn:aws:mediaconvert:us-east-1:123456789012:queues/Default")


def test_a_transcoder_that_cannot_start_ends_the_job_in_error(make_app: Any, serve: Any) -> None:
    from tests.support.emulator import boto_client

    def no_ffmpeg() -> Any:
        raise RuntimeError("ffmpeg not found")

    mc = boto_client(serve(make_app(transcoder_factory=no_ffmpeg)).url)
    failed = wait_status(mc, create(mc)["Id"], "ERROR")
    assert failed["ErrorCode"] == 1999
    assert failed["ErrorMessage"] == (
        "The transcoder could not start the job: RuntimeError: ffmpeg not found"
    )


def test_concurrent_retries_with_one_token_create_one_job(mc: Any) -> None:
    token = "retry-after-timeout-0001"
    with ThreadPoolExecutor(6) as pool:
        ids = set(pool.map(lambda _: create(mc, ClientRequestToken=token)["Id"], range(6)))
    assert len(ids) == 1
    assert len(mc.list_jobs()["Jobs"]) == 1

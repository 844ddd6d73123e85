"""Our job submission and our webhook against what AWS does: throttling, failed jobs and
events delivered twice (EventBridge delivers at least once)."""

import uuid

import pytest
from botocore.exceptions import ClientError
from fixtures import hls_job_settings

pytestmark = pytest.mark.e2e

ROLE = "arn:aws:iam::123456789012:role/MediaConvertRole"


def submit(vod_stack, mediaconvert, clip) -> str:
    """Our submission code: the source to S3, then CreateJob with our template."""
    key = f"incoming/{uuid.uuid4()}.mp4"
    vod_stack.client("s3").upload_file(str(clip), vod_stack.bucket, key)
    settings = hls_job_settings(
        f"s3://{vod_stack.bucket}/{key}", f"s3://{vod_stack.bucket}/out/{key}"
    )
    return mediaconvert.create_job(Role=ROLE, Settings=settings)["Job"]["Id"]


def test_throttled_create_job_calls_are_retried(
    vod_stack, mediaconvert_client, vod_events, sample_video, our_webhook
):
    vod_stack.throttle(count=2, operations=["CreateJob"])

    job_id = submit(vod_stack, mediaconvert_client, sample_video())

    assert our_webhook.wait_for(job_id, "COMPLETE")


def test_a_client_without_retries_sees_the_throttling_error(vod_stack, sample_video):
    vod_stack.throttle(count=1, operations=["CreateJob"])
    no_retries = vod_stack.client("mediaconvert", retries={"total_max_attempts": 1})

    with pytest.raises(ClientError) as refused:
        submit(vod_stack, no_retries, sample_video())

    assert refused.value.response["Error"]["Code"] == "TooManyRequestsException"


def test_a_failed_job_is_failed_on_our_side_with_its_code(
    vod_stack, mediaconvert_client, vod_events, sample_video, our_webhook
):
    vod_stack.fail_next_job(error_code=1040, message="Injected: the input is unreadable")

    job_id = submit(vod_stack, mediaconvert_client, sample_video())

    assert our_webhook.wait_for(job_id, "ERROR")
    assert our_webhook.error_code[job_id] == 1040
    assert vod_events.wait_for(job_id, "ERROR").detail["errorCode"] == 1040


def test_a_duplicated_event_changes_our_state_once(
    vod_stack, mediaconvert_client, vod_events, sample_video, our_webhook
):
    vod_stack.duplicate_events(count=10)
    ignored_before = our_webhook.duplicates_ignored

    job_id = submit(vod_stack, mediaconvert_client, sample_video())

    assert our_webhook.wait_for(job_id, "COMPLETE")
    assert vod_events.duplicates(job_id)  # the emulator did deliver events twice
    assert our_webhook.duplicates_ignored > ignored_before
    transitions = our_webhook.transitions[job_id]
    assert transitions == sorted(set(transitions), key=transitions.index)
    assert transitions[-1] == "COMPLETE"

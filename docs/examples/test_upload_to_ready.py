"""An upload through our API's flow becomes a valid HLS ladder, with the events we expect."""

import pytest

from vod_testbed.backends.ladder import DEFAULT_LADDER

pytestmark = pytest.mark.e2e


def test_an_uploaded_video_becomes_a_valid_ladder(
    vod_stack, vod_events, sample_video, assert_valid_hls
):
    clip = sample_video(duration_s=4, size=(1280, 720))

    upload = vod_stack.upload_video(clip, course_id="c-101")  # POST /videos + presigned PUT
    video = vod_events.wait_for_video(upload["id"], "ready", timeout=120)

    assert_valid_hls(
        f"s3://{vod_stack.bucket}/{video['master_playlist_key']}",
        ladder=DEFAULT_LADDER,
        source_duration_s=4,
    )
    statuses = vod_events.statuses(video["job_id"])  # as our webhook would receive them
    assert statuses[0] == "PROGRESSING"
    assert "INPUT_INFORMATION" in statuses
    assert statuses[-1] == "COMPLETE"
    assert set(statuses) <= {"PROGRESSING", "INPUT_INFORMATION", "STATUS_UPDATE", "COMPLETE"}
    assert vod_stack.video(upload["id"])["playback"]["master_playlist_url"]

"""Real jobs: the emulator runs the FFmpeg backend against S3 (the test run's S3 server)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.support.emulator import create, done, ladder_settings
from tests.support.fakes import WebhookReceiver
from vod_testbed.backends.ladder import Ladder, Rung
from vod_testbed.fixtures.jobs import aws_doc_ladder_settings
from vod_testbed.fixtures.media import clip_path
from vod_testbed.hls.validation import validate_hls
from vod_testbed.storage.s3 import Storage

pytestmark = pytest.mark.e2e

# Job settings for (source URI, output prefix).
SettingsFor = Callable[[str, str], dict[str, Any]]
StartJob = Callable[..., tuple[str, dict[str, Any]]]


@pytest.fixture
def start_job(real_mc: Any, put_clip: Callable[..., str], s3_prefix: str) -> StartJob:
    """Put the fixture clip ``clip`` in this test's S3 folder as ``<stem>.mp4`` and create a
    job on the emulator with the settings ``settings_for`` gives for it and the output
    prefix ``<stem>_processed`` (default: the ladder as the MediaConvert backend renders
    it). Returns the source's URI and the job."""

    def start(
        clip: str, stem: str, settings_for: SettingsFor = ladder_settings, **create_args: Any
    ) -> tuple[str, dict[str, Any]]:
        source = put_clip(clip_path(clip), f"{stem}.mp4")
        settings = settings_for(source, f"{s3_prefix}/{stem}_processed")
        return source, create(real_mc, Settings=settings, **create_args)

    return start


def completed(receiver: WebhookReceiver, job_id: str) -> list[dict[str, Any]]:
    """The events received up to the job's last, which must be COMPLETE."""
    events = receiver.wait_for(done(job_id), timeout=120)
    assert events[-1]["detail"]["status"] == "COMPLETE", events[-1]["detail"]
    return events


def test_a_real_job_writes_what_its_events_name(
    real_mc: Any,
    start_job: StartJob,
    receiver: WebhookReceiver,
    s3_prefix: str,
    storage: Storage,
) -> None:
    started = time.monotonic()
    source, job = start_job("short_2s", "clip", StatusUpdateInterval="SECONDS_10")
    events = completed(receiver, job["Id"])
    elapsed = time.monotonic() - started
    complete = events[-1]["detail"]
    hls, thumbs = complete["outputGroupDetails"]
    named = hls["playlistFilePaths"] + [
        p for d in hls["outputDetails"] for p in d["outputFilePaths"]
    ]
    named += thumbs["outputDetails"][0]["outputFilePaths"]
    assert named[0] == f"{s3_prefix}/clip_processed/hls/master.m3u8"
    assert all(storage.exists(uri) for uri in named), named
    assert [d["videoDetails"]["heightInPx"] for d in hls["outputDetails"]] == [1080, 720, 480, 360]
    assert all(1800 <= d["durationInMs"] <= 2200 for d in hls["outputDetails"])
    info = next(e for e in events if e["detail"]["status"] == "INPUT_INFORMATION")["detail"]
    assert info["inputDetails"][0]["uri"] == source
    assert (
        info["inputDetails"][0]["video"][0]["width"],
        info["inputDetails"][0]["video"][0]["height"],
    ) == (1280, 720)
    got = real_mc.get_job(Id=job["Id"])["Job"]
    assert got["Status"] == "COMPLETE" and got["JobPercentComplete"] == 100
    assert (
        got["OutputGroupDetails"][0]["OutputDetails"][0]["DurationInMs"]
        == hls["outputDetails"][0]["durationInMs"]
    )
    updates = [
        e["detail"]["jobProgress"] for e in events if e["detail"]["status"] == "STATUS_UPDATE"
    ]
    assert updates and all(0 <= u["jobPercentComplete"] <= 100 for u in updates)
    assert elapsed < 90


def test_canceling_a_real_transcode_stops_it_and_publishes_nothing(
    real_mc: Any,
    start_job: StartJob,
    receiver: WebhookReceiver,
    s3_prefix: str,
    storage: Storage,
) -> None:
    _, job = start_job("landscape_1080p", "long")
    deadline = time.monotonic() + 60
    while real_mc.get_job(Id=job["Id"])["Job"].get("CurrentPhase") != "TRANSCODING":
        assert time.monotonic() < deadline, "the job never reached TRANSCODING"
        time.sleep(0.02)
    real_mc.cancel_job(Id=job["Id"])
    events = receiver.wait_for(done(job["Id"]))
    assert events[-1]["detail"]["status"] == "CANCELED"
    time.sleep(1.0)
    assert real_mc.get_job(Id=job["Id"])["Job"]["Status"] == "CANCELED"
    assert not storage.exists(f"{s3_prefix}/long_processed/hls/master.m3u8")
    assert [e["detail"]["status"] for e in receiver.events() if e["detail"]["jobId"] == job["Id"]][
        -1
    ] == "CANCELED"


def test_the_aws_documentation_job_runs_unchanged_and_validates(
    start_job: StartJob, receiver: WebhookReceiver, s3_prefix: str, storage: Storage
) -> None:
    _, job = start_job("short_2s", "lecture", aws_doc_ladder_settings)
    complete = completed(receiver, job["Id"])[-1]["detail"]
    master = complete["outputGroupDetails"][0]["playlistFilePaths"][0]
    assert master == f"{s3_prefix}/lecture_processed/hls/master.m3u8"
    report = validate_hls(master, storage=storage)
    assert report.ok, report.render_text()
    assert [r.name for r in report.renditions] == ["1080p", "720p", "480p", "360p"]


def test_average_bitrate_is_the_video_outputs_own(
    start_job: StartJob, receiver: WebhookReceiver, storage: Storage
) -> None:
    """The COMPLETE event's ``videoDetails.averageBitrate`` is the video output's average
    bitrate (MediaConvert user guide, "Events with COMPLETE status",
    https://docs.aws.amazon.com/mediaconvert/latest/ug/ev_status_complete.html): the video
    stream's bits over its duration, without the audio and the MPEG-TS overhead that HLS's
    AVERAGE-BANDWIDTH counts."""
    _, job = start_job("short_2s", "bitrate")
    hls = completed(receiver, job["Id"])[-1]["detail"]["outputGroupDetails"][0]
    report = validate_hls(hls["playlistFilePaths"][0], storage=storage)
    assert report.ok, report.render_text()
    for detail, measured in zip(hls["outputDetails"], report.renditions, strict=True):
        average = detail["videoDetails"]["averageBitrate"]
        assert measured.video_bitrate is not None and measured.average_bandwidth is not None
        assert abs(average - measured.video_bitrate) <= 0.01 * measured.video_bitrate
        assert average < measured.average_bandwidth


@pytest.mark.parametrize(("mode", "target"), [("LEGACY", 3), ("SPEC_COMPLIANT", 2), (None, 3)])
def test_target_duration_compatibility_mode_rounds_as_mediaconvert_does(
    start_job: StartJob,
    receiver: WebhookReceiver,
    storage: Storage,
    tmp_path: Path,
    mode: str | None,
    target: int,
) -> None:
    """HlsGroupSettings.TargetDurationCompatibilityMode (MediaConvert API reference,
    https://docs.aws.amazon.com/mediaconvert/latest/apireference/jobs.html#jobs-prop-hlsgroupsettings-targetdurationcompatibilitymode):
    LEGACY, the default, rounds the target duration up; SPEC_COMPLIANT rounds at .5. At
    29.97 fps a 2 s segment lasts 2.002 s: 3 or 2."""
    ladder = Ladder(rungs=(Rung("360p", 640, 360, 800_000),), segment_seconds=2, thumbnails=None)

    def settings_for(source: str, prefix: str) -> dict[str, Any]:
        settings = ladder_settings(source, prefix, ladder)
        hls = settings["OutputGroups"][0]["OutputGroupSettings"]["HlsGroupSettings"]
        assert hls.pop("TargetDurationCompatibilityMode") == "SPEC_COMPLIANT"
        if mode is not None:
            hls["TargetDurationCompatibilityMode"] = mode
        return settings

    _, job = start_job("fps_29_97", f"td-{mode}", settings_for)
    hls = completed(receiver, job["Id"])[-1]["detail"]["outputGroupDetails"][0]
    (playlist,) = hls["outputDetails"][0]["outputFilePaths"]
    text = storage.fetch(playlist, tmp_path / "rung.m3u8").read_text()
    assert "#EXTINF:2.002" in text
    assert f"#EXT-X-TARGETDURATION:{target}\n" in text

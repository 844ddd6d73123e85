"""AWS's rules that only a real transcode shows: FIT_NO_UPSCALE geometry, the limits of
automatic rotation, a job that asks for audio an input does not have, scene-change IDRs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.support.emulator import ROLE, done, ladder_settings
from tests.support.fakes import WebhookReceiver
from vod_testbed.backends.ladder import DEFAULT_LADDER, Ladder, RotatePolicy, UpscalePolicy
from vod_testbed.fixtures.media import clip_path
from vod_testbed.media.segments import inspect_segment
from vod_testbed.storage.s3 import Storage

pytestmark = pytest.mark.e2e

FIT_NO_UPSCALE = DEFAULT_LADDER.with_policies(upscale=UpscalePolicy.FIT_NO_UPSCALE)
# One rung is enough to see the geometry, and keeps these jobs short.
TOP_RUNG = replace(FIT_NO_UPSCALE, rungs=FIT_NO_UPSCALE.rungs[:1], thumbnails=None)
ONE_SMALL_RUNG = replace(DEFAULT_LADDER, rungs=DEFAULT_LADDER.rungs[-1:], thumbnails=None)


Run = Callable[..., dict[str, Any]]


@pytest.fixture
def run(
    real_mc: Any, receiver: WebhookReceiver, put_clip: Callable[..., str], s3_prefix: str
) -> Run:
    """Run a ladder on a clip through the emulator, its rendered settings changed by
    ``edit``; returns the final event's detail."""

    def transcode(
        clip: str,
        ladder: Ladder,
        edit: Callable[[dict[str, Any]], None] = lambda settings: None,
    ) -> dict[str, Any]:
        source = put_clip(clip_path(clip), f"{clip}.mp4")
        settings = ladder_settings(source, f"{s3_prefix}/{clip}_processed", ladder)
        edit(settings)
        job = real_mc.create_job(Role=ROLE, Settings=settings)["Job"]
        detail: dict[str, Any] = receiver.wait_for(done(job["Id"]), timeout=120)[-1]["detail"]
        return detail

    return transcode


def sizes(detail: dict[str, Any]) -> list[tuple[int, int]]:
    assert detail["status"] == "COMPLETE", detail
    outputs = detail["outputGroupDetails"][0]["outputDetails"]
    return [(o["videoDetails"]["widthInPx"], o["videoDetails"]["heightInPx"]) for o in outputs]


def test_fit_no_upscale_keeps_every_rung_at_the_smaller_source_size(run: Run) -> None:
    """ "If your input image is smaller than your output image, MediaConvert does not
    increase the size of your image [...] does not add padding" (MediaConvert user guide,
    "Configuring fit without upscaling scaling"): no rung is dropped, none is padded."""
    detail = run("small", FIT_NO_UPSCALE)
    assert sizes(detail) == [(640, 360)] * 4


def test_auto_rotation_turns_an_mp4_with_rotation_metadata(run: Run) -> None:
    """ "to use automatic rotation your input file must conform to these limitations: Input
    container: .mov or .mp4; Rotation metadata specifying 90, 180, or 270-degree rotation"
    (user guide, "Input file requirements for video rotation"). 1280x720 stored, 720x1280
    shown: fit into 1920x1080 without upscaling, it is 608x1080."""
    detail = run("rotated", TOP_RUNG)
    assert sizes(detail) == [(608, 1080)]


def test_rotate_degree_0_ignores_rotation_metadata(run: Run) -> None:
    """ "By default, the service does no rotation, even if your input video has rotation
    metadata" (service model, VideoSelector.Rotate)."""
    ladder = replace(TOP_RUNG, rotate=RotatePolicy.NONE)
    detail = run("rotated", ladder)
    assert sizes(detail) == [(1280, 720)]


@pytest.mark.parametrize(
    ("clip", "rotate", "size"),
    [
        ("small", RotatePolicy.DEGREES_90, (360, 640)),  # 640x360 stored, no metadata
        ("rotated", RotatePolicy.DEGREES_180, (1280, 720)),  # its 90-degree metadata ignored
    ],
)
def test_a_fixed_rotation_turns_the_stored_picture_whatever_its_metadata(
    run: Run, clip: str, rotate: RotatePolicy, size: tuple[int, int]
) -> None:
    """ "You can specify a clockwise rotation of 0, 90, 180, or 270 degrees" (service model,
    VideoSelector.Rotate): the stored picture is turned; the metadata is for AUTO only."""
    detail = run(clip, replace(TOP_RUNG, rotate=rotate))
    assert sizes(detail) == [size]


def test_auto_rotation_leaves_a_444_source_unturned(run: Run) -> None:
    """ "You can use rotation for inputs that have the following video characteristics:
    Progressive video; Chroma subsampling scheme 4:2:2 or 4:2:0" (user guide, "Input file
    requirements for video rotation"): 4:4:4 video keeps its stored orientation."""
    detail = run("rotated_yuv444", TOP_RUNG)
    assert sizes(detail) == [(1280, 720)]


def test_a_job_asking_for_audio_of_a_silent_input_fails_with_1021(run: Run) -> None:
    """Error 1021, "Audio Error: The service can't find any audio in your input stream"
    (user guide, "Error codes"). The MediaConvert backend never sends such a job: it renders
    a video-only job for a source without audio."""
    detail = run("no_audio", TOP_RUNG)
    assert detail["status"] == "ERROR"
    assert detail["errorCode"] == 1021
    assert detail["errorMessage"].startswith("Audio Error: the outputs take audio from the input")


def keyframe_times(storage: Storage, detail: dict[str, Any], folder: Path) -> list[float]:
    """IDR times of the job's first rendition, from its first one."""
    assert detail["status"] == "COMPLETE", detail
    playlist = detail["outputGroupDetails"][0]["outputDetails"][0]["outputFilePaths"][0]
    hls = playlist.rpartition("/")[0]
    storage.download_tree(hls, folder)
    segments = sorted(folder.glob("*.ts"))
    times = [t for segment in segments for t in inspect_segment(segment).keyframe_times]
    return [round(t - times[0], 2) for t in times]


def test_scene_change_detection_by_default_adds_an_idr_at_a_cut(
    run: Run, storage: Storage, tmp_path: Path
) -> None:
    """Scene change detection "is enabled by default" and inserts I-frames "at scene changes
    that the service automatically detects" (service model, H264Settings.SceneChangeDetect);
    IDRs then leave the 2 s grid, so rungs need not align. The cut is at 3 s."""

    def aws_defaults(settings: dict[str, Any]) -> None:
        for output in settings["OutputGroups"][0]["Outputs"]:
            h264 = output["VideoDescription"]["CodecSettings"]["H264Settings"]
            del h264["SceneChangeDetect"], h264["MinIInterval"]

    detail = run("scene_cut", ONE_SMALL_RUNG, aws_defaults)
    assert keyframe_times(storage, detail, tmp_path) == [0.0, 2.0, 3.0]


def test_rendered_settings_keep_idrs_on_the_grid_across_a_cut(
    run: Run, storage: Storage, tmp_path: Path
) -> None:
    """MinIInterval 0: "MediaConvert will only create IDR-frames at the start of your
    output's cadence-driven GOP" (service model, H264Settings.MinIInterval)."""
    detail = run("scene_cut", ONE_SMALL_RUNG)
    assert keyframe_times(storage, detail, tmp_path) == [0.0, 2.0]

"""AWS's rules that only a real transcode shows: FIT_NO_UPSCALE geometry, the limits of
automatic rotation, a job that asks for audio an input does not have."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from tests.emulator.conftest import ROLE, ladder_settings
from tests.emulator.fakes import WebhookReceiver
from tests.emulator.test_events import done
from vod_testbed.backends.ladder import DEFAULT_LADDER, Ladder, RotatePolicy, UpscalePolicy
from vod_testbed.fixtures.media import clip_path

pytestmark = pytest.mark.e2e

FIT_NO_UPSCALE = DEFAULT_LADDER.with_policies(upscale=UpscalePolicy.FIT_NO_UPSCALE)
# One rung is enough to see the geometry, and keeps these jobs short.
TOP_RUNG = replace(FIT_NO_UPSCALE, rungs=FIT_NO_UPSCALE.rungs[:1], thumbnails=None)


def run(
    mc: Any,
    receiver: WebhookReceiver,
    put_clip: Callable[..., str],
    s3_prefix: str,
    clip: str,
    ladder: Ladder,
) -> dict[str, Any]:
    """Run ``ladder`` on ``clip`` through the emulator; the final event's detail."""
    source = put_clip(clip_path(clip), f"{clip}.mp4")
    settings = ladder_settings(source, f"{s3_prefix}/{clip}_processed", ladder)
    job = mc.create_job(Role=ROLE, Settings=settings)["Job"]
    detail: dict[str, Any] = receiver.wait_for(done(job["Id"]), timeout=120)[-1]["detail"]
    return detail


def sizes(detail: dict[str, Any]) -> list[tuple[int, int]]:
    assert detail["status"] == "COMPLETE", detail
    outputs = detail["outputGroupDetails"][0]["outputDetails"]
    return [(o["videoDetails"]["widthInPx"], o["videoDetails"]["heightInPx"]) for o in outputs]


def test_fit_no_upscale_keeps_every_rung_at_the_smaller_source_size(
    real_mc: Any, receiver: WebhookReceiver, put_clip: Callable[..., str], s3_prefix: str
) -> None:
    """ "If your input image is smaller than your output image, MediaConvert does not
    increase the size of your image [...] does not add padding" (MediaConvert user guide,
    "Configuring fit without upscaling scaling"): no rung is dropped, none is padded."""
    detail = run(real_mc, receiver, put_clip, s3_prefix, "small", FIT_NO_UPSCALE)
    assert sizes(detail) == [(640, 360)] * 4


def test_auto_rotation_turns_an_mp4_with_rotation_metadata(
    real_mc: Any, receiver: WebhookReceiver, put_clip: Callable[..., str], s3_prefix: str
) -> None:
    """ "to use automatic rotation your input file must conform to these limitations: Input
    container: .mov or .mp4; Rotation metadata specifying 90, 180, or 270-degree rotation"
    (user guide, "Input file requirements for video rotation"). 1280x720 stored, 720x1280
    shown: fit into 1920x1080 without upscaling, it is 608x1080."""
    detail = run(real_mc, receiver, put_clip, s3_prefix, "rotated", TOP_RUNG)
    assert sizes(detail) == [(608, 1080)]


def test_rotate_degree_0_ignores_rotation_metadata(
    real_mc: Any, receiver: WebhookReceiver, put_clip: Callable[..., str], s3_prefix: str
) -> None:
    """ "By default, the service does no rotation, even if your input video has rotation
    metadata" (service model, VideoSelector.Rotate)."""
    ladder = replace(TOP_RUNG, rotate=RotatePolicy.NONE)
    detail = run(real_mc, receiver, put_clip, s3_prefix, "rotated", ladder)
    assert sizes(detail) == [(1280, 720)]


def test_auto_rotation_leaves_a_444_source_unturned(
    real_mc: Any, receiver: WebhookReceiver, put_clip: Callable[..., str], s3_prefix: str
) -> None:
    """ "You can use rotation for inputs that have the following video characteristics:
    Progressive video; Chroma subsampling scheme 4:2:2 or 4:2:0" (user guide, "Input file
    requirements for video rotation"): 4:4:4 video keeps its stored orientation."""
    detail = run(real_mc, receiver, put_clip, s3_prefix, "rotated_yuv444", TOP_RUNG)
    assert sizes(detail) == [(1280, 720)]


def test_a_job_asking_for_audio_of_a_silent_input_fails_with_1021(
    real_mc: Any, receiver: WebhookReceiver, put_clip: Callable[..., str], s3_prefix: str
) -> None:
    """Error 1021, "Audio Error: The service can't find any audio in your input stream"
    (user guide, "Error codes"). The MediaConvert backend never sends such a job: it renders
    a video-only job for a source without audio."""
    detail = run(real_mc, receiver, put_clip, s3_prefix, "no_audio", TOP_RUNG)
    assert detail["status"] == "ERROR"
    assert detail["errorCode"] == 1021
    assert detail["errorMessage"].startswith("Audio Error: the outputs take audio from the input")

"""Rungs at their sizes: the exact box, except under AWS's FIT_NO_UPSCALE, which shrinks the
picture into the box and never pads or grows it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest

from vod_testbed.backends.ladder import DEFAULT_LADDER, UpscalePolicy
from vod_testbed.hls.checks.ladder import check_expected
from vod_testbed.hls.model import Context, Rendition
from vod_testbed.hls.report import ValidationReport


def declared(name: str, width: int, height: int) -> Rendition:
    """A rendition known only by its declared RESOLUTION (no segment read)."""
    info = SimpleNamespace(
        resolution=(width, height), codecs=None, frame_rate=None, bandwidth=None,
        average_bandwidth=None,
    )  # fmt: skip
    return Rendition(name, f"master_{name}.m3u8", info)


def renditions_check(upscale: UpscalePolicy, sizes: dict[str, tuple[int, int]]) -> tuple[bool, str]:
    ladder = replace(DEFAULT_LADDER, upscale=upscale)
    report = ValidationReport(master="master.m3u8")
    ctx = Context(Path("master.m3u8"), ladder, None, None, False, report)
    check_expected(ctx, ladder, [declared(name, w, h) for name, (w, h) in sizes.items()])
    [check] = [c for c in report.checks if c.id == "ladder.renditions"]
    return check.ok, check.message


# A 1440x1080 (4:3) source: FIT_NO_UPSCALE gives each rung the source's shape inside the box.
FOUR_THIRDS = {"1080p": (1440, 1080), "720p": (960, 720), "480p": (640, 480), "360p": (480, 360)}


def test_fit_no_upscale_accepts_pictures_smaller_than_their_boxes() -> None:
    ok, message = renditions_check(UpscalePolicy.FIT_NO_UPSCALE, FOUR_THIRDS)
    assert ok, message


def test_fit_no_upscale_refuses_a_picture_larger_than_its_box() -> None:
    ok, message = renditions_check(
        UpscalePolicy.FIT_NO_UPSCALE, {**FOUR_THIRDS, "360p": (800, 360)}
    )
    assert not ok
    assert "360p is 800x360, larger than the rung's 640x360 box" in message


@pytest.mark.parametrize("upscale", [UpscalePolicy.UPSCALE, UpscalePolicy.DROP])
def test_other_policies_want_the_exact_box(upscale: UpscalePolicy) -> None:
    ok, message = renditions_check(upscale, FOUR_THIRDS)
    assert not ok
    assert "1080p is 1440x1080, rung is 1920x1080" in message

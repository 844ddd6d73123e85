"""``sample_video``: generated media as asked for, and arguments out of range refused."""

from __future__ import annotations

import pytest

from vod_testbed.media.probe import probe
from vod_testbed.testing.media import sample_video


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"duration_s": 0}, "duration_s must be positive, got 0"),
        ({"size": (8, 360)}, "size must be at least 16x16 pixels, got (8, 360)"),
        ({"rotation": 45}, "rotation must be one of (0, 90, 180, 270), got 45"),
        ({"rate": 0}, "rate must be 1 to 120 frames per second, got 0"),
    ],
)
def test_an_argument_out_of_range_is_refused_by_name(arguments, message):
    with pytest.raises(ValueError) as refused:
        sample_video(**arguments)
    assert str(refused.value) == message


@pytest.mark.e2e
def test_a_rotated_silent_sample_is_what_was_asked_for():
    clip = sample_video(duration_s=1.5, size=(320, 240), audio=False, rotation=90, rate=25)

    info = probe(clip)

    assert info.video is not None
    assert (info.video.width, info.video.height, info.video.rotation) == (320, 240, 90)
    assert info.audio is None
    assert info.duration_s == pytest.approx(1.5, abs=0.1)


@pytest.mark.e2e
def test_the_same_request_reuses_the_cached_file():
    first = sample_video(duration_s=1, size=(160, 120))
    assert sample_video(duration_s=1, size=(160, 120)) == first
    assert first.stat().st_size > 0

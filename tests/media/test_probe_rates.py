"""The frame rate a ladder is encoded at when it follows the source."""

from __future__ import annotations

from fractions import Fraction

import pytest

from tests.support.sources import media_info
from vod_testbed.media.probe import follow_source_rate, output_frame_rate


@pytest.mark.parametrize(
    ("average", "expected"),
    [(Fraction(400, 19), 24), (Fraction(59, 2), 30), (Fraction(12), 15), (Fraction(61), 60)],
)
def test_a_variable_rate_source_is_rounded_up_to_a_standard_rate(
    average: Fraction, expected: int
) -> None:
    """ "a frame rate that is the average of the input frame rates, rounded up to the
    nearest whole number standard frame rate: 1, 5, 10, 15, 24, 30, 50, or 60 fps"
    (MediaConvert user guide, "Using variable frame rate inputs"). Above 60 the list ends."""
    video = media_info(rate=Fraction(90000), average_rate=average).video
    assert video is not None
    assert follow_source_rate(video) == expected


@pytest.mark.parametrize("rate", [Fraction(30000, 1001), Fraction(25, 2), Fraction(60)])
def test_a_constant_rate_source_keeps_its_rate(rate: Fraction) -> None:
    """ "For constant frame rate inputs, Follow source results in outputs that have the same
    frame rate as the input video" (user guide, "Using variable frame rate inputs")."""
    video = media_info(rate=rate).video
    assert video is not None
    assert output_frame_rate(video) == rate


def test_the_ladder_halves_a_rate_above_60_where_follow_source_would_keep_it() -> None:
    video = media_info(rate=Fraction(120)).video
    assert video is not None
    assert (follow_source_rate(video), output_frame_rate(video)) == (120, 60)

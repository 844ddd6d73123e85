"""InputClippings and timecodes, as the service model documents them (``InputClipping``,
``Input.TimecodeSource``, ``Input.TimecodeStart``) and the user guide's "Assembling
multiple inputs and input clips"."""

from __future__ import annotations

from fractions import Fraction

import pytest

from vod_testbed.backends.jobmodel.model import Clipping
from vod_testbed.backends.jobmodel.timecodes import (
    AUDIO_ONLY_RATE,
    ClippingError,
    ClipWindow,
    Timecode,
    check_clippings,
    clip_windows,
    origin_frame,
)

NTSC = Fraction(30000, 1001)


def test_non_drop_timecodes_count_frames_at_the_nominal_rate() -> None:
    assert Timecode.parse("00:00:01:00").frame_number(Fraction(25)) == 25
    assert Timecode.parse("01:00:00:00").frame_number(Fraction(30)) == 108_000
    # 29.97 fps non-drop: one "minute" of timecode is 1800 frames, 60.06 s of video.
    assert Timecode.parse("00:01:00:00").frame_number(NTSC) == 1800


def test_drop_frame_timecodes_skip_two_frame_numbers_a_minute_but_every_tenth() -> None:
    # SMPTE 12M: 00:01:00;02 is the first frame of minute 1; 00:10:00;00 is frame 17982.
    assert Timecode.parse("00:01:00;02").frame_number(NTSC) == 1800
    assert Timecode.parse("00:10:00;00").frame_number(NTSC) == 17_982
    assert Timecode.parse("01:00:00;00").frame_number(NTSC) == 107_892


def test_the_model_pattern_rate_suffix_is_honoured() -> None:
    # StartTimecode's pattern allows "@<rate>" after the timecode.
    assert Timecode.parse("00:00:02:00@25").frame_number(Fraction(30)) == 50


@pytest.mark.parametrize("text", ["1:00:00:00", "00:00:00", "00:00:00.00", ""])
def test_malformed_timecodes_are_refused(text: str) -> None:
    with pytest.raises(ClippingError, match="is not a timecode"):
        Timecode.parse(text)


def test_a_frame_number_beyond_the_rate_is_refused() -> None:
    with pytest.raises(ClippingError, match="frame 30 does not exist"):
        Timecode.parse("00:00:01:30").frame_number(Fraction(30))


def test_no_clipping_or_an_empty_list_is_the_whole_input() -> None:
    whole = (ClipWindow(Fraction(0), Fraction(4), to_end=True),)
    assert clip_windows(None, rate=Fraction(30), duration_s=4.0) == whole
    assert clip_windows([], rate=Fraction(30), duration_s=4.0) == whole


def test_both_frames_are_included_and_clips_keep_their_order() -> None:
    # "The frame corresponding to the End timecode value is included in the clip."
    windows = clip_windows(
        [
            Clipping(start_timecode="00:00:00:15", end_timecode="00:00:00:29"),
            Clipping(start_timecode="00:00:02:00", end_timecode="00:00:02:29"),
        ],
        rate=Fraction(30),
        duration_s=4.0,
    )
    assert windows == (
        ClipWindow(Fraction(1, 2), Fraction(1)),
        ClipWindow(Fraction(2), Fraction(3)),
    )


def test_clips_out_of_order_or_overlapping_are_refused() -> None:
    # "Multiple clips must be in chronological order and can't overlap; each Start timecode
    # must come after the previous clip's End timecode."
    clips = [
        Clipping(start_timecode="00:00:02:00", end_timecode="00:00:02:29"),
        Clipping(start_timecode="00:00:00:15", end_timecode="00:00:00:29"),
    ]
    with pytest.raises(ClippingError, match="chronological order"):
        clip_windows(clips, rate=Fraction(30), duration_s=4.0)
    assert check_clippings(clips, "/inputs/0/inputClippings") == [
        "/inputs/0/inputClippings/1/startTimecode: clips must be in chronological order and "
        "must not overlap (the previous clip ends at 00:00:02:29)"
    ]


def test_audio_only_frame_digits_are_hundredths() -> None:
    # "00:00:30:75 is the same as 30.75 seconds."
    (window,) = clip_windows(
        [Clipping(start_timecode="00:00:30:75")], rate=AUDIO_ONLY_RATE, duration_s=60.0
    )
    assert window.start_s == Fraction(3075, 100)


def test_one_end_may_be_blank() -> None:
    # "If you provide only a start time, the clip will be the entire input from that point
    # to the end. If you provide only an end time, it will be the entire input up to that
    # point."
    assert clip_windows(
        [Clipping(start_timecode="00:00:01:00")], rate=Fraction(30), duration_s=4.0
    ) == (ClipWindow(Fraction(1), Fraction(4), to_end=True),)
    assert clip_windows(
        [Clipping(end_timecode="00:00:00:29")], rate=Fraction(30), duration_s=4.0
    ) == (ClipWindow(Fraction(0), Fraction(1)),)


def test_embedded_timecodes_shift_the_clock() -> None:
    # "if you have embedded timecodes that start at 01:00:00:00 and you want your clip to
    # begin five minutes into the video, use 01:05:00:00."
    origin = origin_frame("EMBEDDED", Fraction(30), embedded="01:00:00:00")
    (window,) = clip_windows(
        [Clipping(start_timecode="01:05:00:00", end_timecode="01:06:00:00")],
        rate=Fraction(30),
        duration_s=600.0,
        origin=origin,
    )
    assert (window.start_s, window.end_s) == (300, Fraction(360 * 30 + 1, 30))


def test_timecode_sources_and_their_default() -> None:
    # "If you don't specify a value for Timecode source, the service will use Embedded".
    rate = Fraction(25)
    assert origin_frame("EMBEDDED", rate, embedded="00:00:10:00") == 250
    assert origin_frame("EMBEDDED", rate, embedded=None) == 0
    assert origin_frame("ZEROBASED", rate, embedded="00:00:10:00") == 0
    assert origin_frame("SPECIFIEDSTART", rate, specified="00:00:01:00") == 25
    with pytest.raises(ClippingError, match="needs a TimecodeStart"):
        origin_frame("SPECIFIEDSTART", rate)


def test_clips_that_select_nothing_end_the_job_with_a_sentence() -> None:
    with pytest.raises(ClippingError, match="after the end of the input"):
        clip_windows([Clipping(start_timecode="00:00:05:00")], rate=Fraction(30), duration_s=4.0)
    with pytest.raises(ClippingError, match="before it starts"):
        clip_windows(
            [Clipping(start_timecode="00:00:02:00", end_timecode="00:00:01:00")],
            rate=Fraction(30),
            duration_s=4.0,
        )
    with pytest.raises(ClippingError, match="set a start timecode, an end timecode or both"):
        clip_windows([Clipping()], rate=Fraction(30), duration_s=4.0)
    assert ClippingError.code == 1040


def test_settings_checks_name_the_clip() -> None:
    assert check_clippings(
        [Clipping(), Clipping(start_timecode="00:00:02:00", end_timecode="00:00:01:00")],
        "/inputs/0/inputClippings",
    ) == [
        "/inputs/0/inputClippings/0: startTimecode or endTimecode is required",
        "/inputs/0/inputClippings/1/endTimecode: 00:00:01:00 is before 00:00:02:00",
    ]

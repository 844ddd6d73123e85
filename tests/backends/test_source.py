"""What both backends decide from a probed source: rotation, display size, missing audio,
the frame-rate note."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest

from tests.support.sources import media_info
from vod_testbed.backends.ladder import DEFAULT_LADDER, AudioSpec, MissingAudio, RotatePolicy
from vod_testbed.backends.source import (
    applied_rotation,
    auto_rotation,
    check_audio,
    display_size,
    frame_rate_warning,
)
from vod_testbed.common import errors
from vod_testbed.media.probe import MediaInfo


@pytest.mark.parametrize(("metadata", "turned"), [(90, 90), (-90, 270), (180, 180), (91, 90)])
def test_auto_rotation_turns_an_mp4_by_its_right_angle_metadata(metadata: int, turned: int) -> None:
    """MP4/MOV with 90, 180 or 270 degrees, "within one degree" rounded (MediaConvert user
    guide, "Input file requirements for video rotation")."""
    assert auto_rotation(media_info(1280, 720, rotation=metadata)) == turned


def test_auto_rotation_ignores_metadata_that_is_not_a_right_angle() -> None:
    """ "If your input file has rotation metadata that specifies a rotation other than those
    listed here, the service defaults to no rotation" (user guide)."""
    assert auto_rotation(media_info(1280, 720, rotation=45)) == 0


@pytest.mark.parametrize(
    "source",
    [
        media_info(1280, 720, rotation=90, format_name="matroska,webm"),
        media_info(1280, 720, rotation=90, pix_fmt="yuv444p"),
        media_info(1280, 720, rotation=90, interlaced=True),
    ],
    ids=["mkv", "yuv444", "interlaced"],
)
def test_auto_rotation_leaves_what_mediaconvert_cannot_rotate(source: MediaInfo) -> None:
    """Rotation needs progressive 4:2:0 or 4:2:2 video, automatic rotation a .mov or .mp4
    container (user guide, "Input file requirements for video rotation")."""
    assert auto_rotation(source) == 0


def test_ten_bit_422_video_can_be_rotated() -> None:
    assert auto_rotation(media_info(1280, 720, rotation=90, pix_fmt="yuv422p10le")) == 90


def test_rotation_policy_none_never_turns() -> None:
    source = media_info(1280, 720, rotation=90)
    assert applied_rotation(source, RotatePolicy.NONE) == 0
    assert display_size(source, RotatePolicy.NONE) == (1280, 720)
    assert display_size(source, RotatePolicy.AUTO) == (720, 1280)


@pytest.mark.parametrize(
    ("policy", "metadata", "turned", "size"),
    [
        (RotatePolicy.DEGREES_90, 0, 90, (720, 1280)),
        (RotatePolicy.DEGREES_180, 0, 180, (1280, 720)),
        (RotatePolicy.DEGREES_270, 90, 270, (720, 1280)),  # the metadata is ignored
        (RotatePolicy.DEGREES_90, 90, 90, (720, 1280)),
    ],
)
def test_a_fixed_rotation_turns_the_stored_picture_whatever_its_metadata(
    policy: RotatePolicy, metadata: int, turned: int, size: tuple[int, int]
) -> None:
    source = media_info(1280, 720, rotation=metadata, format_name="matroska,webm")
    assert applied_rotation(source, policy) == turned
    assert display_size(source, policy) == size


@pytest.mark.parametrize(
    "source",
    [media_info(1280, 720, pix_fmt="yuv444p"), media_info(1280, 720, interlaced=True)],
    ids=["yuv444", "interlaced"],
)
def test_a_fixed_rotation_leaves_what_mediaconvert_cannot_rotate(source: MediaInfo) -> None:
    """ "You can use rotation for inputs that have the following video characteristics:
    Progressive video; Chroma subsampling scheme 4:2:2 or 4:2:0" (user guide, "Input file
    requirements for video rotation")."""
    assert applied_rotation(source, RotatePolicy.DEGREES_90) == 0


def test_display_size_applies_the_pixel_aspect_ratio() -> None:
    assert display_size(media_info(1440, 1080, sar=Fraction(4, 3)), RotatePolicy.AUTO) == (
        1920,
        1080,
    )


def test_a_required_audio_on_a_silent_source_fails_with_1021() -> None:
    ladder = replace(DEFAULT_LADDER, audio=AudioSpec(when_absent=MissingAudio.FAIL))
    with pytest.raises(errors.TranscodeError) as caught:
        check_audio(ladder, media_info(audio=False))
    assert caught.value.code == errors.AUDIO_ERROR
    assert "the input has no audio stream" in caught.value.message


def test_the_default_ladder_leaves_out_audio_a_source_does_not_have() -> None:
    check_audio(DEFAULT_LADDER, media_info(audio=False))


def test_a_source_above_60_fps_gets_a_note_about_its_halved_rate() -> None:
    assert frame_rate_warning(DEFAULT_LADDER, media_info(rate=Fraction(120))) == (
        "The source runs at 120 fps, above 60: the renditions are encoded at 60 fps."
    )
    assert frame_rate_warning(DEFAULT_LADDER, media_info(rate=Fraction(60))) is None

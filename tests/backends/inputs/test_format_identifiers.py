"""Format identifiers as the user guide lists them ("List of settings variables with
examples", "Specifying a minimum number of digits", "Using settings variables with
streaming outputs"), and segment modifiers applied to a written HLS output."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from vod_testbed.backends.ffmpeg.segment_modifiers import apply_segment_modifier
from vod_testbed.backends.jobmodel.format_identifiers import (
    DESTINATION_IDENTIFIERS,
    MODIFIER_IDENTIFIERS,
    FormatIdentifierError,
    OutputFacts,
    check_identifiers,
    resolve,
)

# "For a job that starts at 3:05:28 PM on June 4, 2020, $dt$ resolves to 20200604T150528."
STARTED = datetime(2020, 6, 4, 15, 5, 28, tzinfo=UTC)
INPUT = "s3://mediaconvert-input/my-video.mov"


def test_date_and_time_identifiers_are_the_job_start_in_utc() -> None:
    assert resolve("$dt$", started=STARTED, input_uri=INPUT) == "20200604T150528"
    assert resolve("s3://b/$d$/", started=STARTED, input_uri=INPUT) == "s3://b/20200604/"
    assert resolve("_$t$", started=STARTED, input_uri=INPUT) == "_150528"


def test_output_identifiers_follow_the_guide_examples() -> None:
    facts = OutputFacts(
        video_bitrate=5_000_000, audio_bitrates=(96_000,), width=1280, height=720,
        frame_rate=59.94, extension="m3u8",
    )  # fmt: skip
    text = "_$rv$_$ra$_$rc$_$w$x$h$_$f$_$fn$.$ex$"
    assert resolve(text, started=STARTED, input_uri=INPUT, facts=facts) == (
        "_5000_96_5096_1280x720_59_my-video.m3u8"
    )


def test_minimum_digits_pad_numbers_and_never_cut_them() -> None:
    facts = OutputFacts(height=720, width=12345)
    assert resolve("$h%04$", started=STARTED, input_uri=INPUT, facts=facts) == "0720"
    assert resolve("$w%03$", started=STARTED, input_uri=INPUT, facts=facts) == "12345"


def test_escaped_dollar() -> None:
    # "Name modifier: my-video$$hi-res-" -> "my-video$hi-res-".
    assert resolve("my-video$$hi-res-", started=STARTED, input_uri=INPUT) == "my-video$hi-res-"


def test_identifiers_a_setting_does_not_take_are_named() -> None:
    assert check_identifiers("s3://b/$rv$/$d$/", DESTINATION_IDENTIFIERS, "a destination") == [
        "$rv$ is not a format identifier a destination takes"
    ]
    assert check_identifiers("_$foo$", MODIFIER_IDENTIFIERS, "a name modifier") == [
        "$foo$ is not a format identifier a name modifier takes"
    ]
    assert check_identifiers("_$d%04$", MODIFIER_IDENTIFIERS, "a name modifier") == [
        "$d$ is not a number: it takes no minimum number of digits"
    ]
    with pytest.raises(FormatIdentifierError, match=r"\$rv\$ has no value"):
        resolve("$rv$", started=STARTED, input_uri=INPUT)


def test_segment_modifiers_take_each_segments_completion_time(tmp_path: Path) -> None:
    playlist = tmp_path / "master_720p.m3u8"
    names = ["master_720p_00001.ts", "master_720p_00002.ts"]
    playlist.write_text(
        "#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:6.0,\n"
        f"{names[0]}\n#EXTINF:2.0,\n{names[1]}\n#EXT-X-ENDLIST\n"
    )
    for second, name in enumerate(names):
        (tmp_path / name).write_bytes(b"\x47" * 188)
        stamp = STARTED.timestamp() + 10 + second
        os.utime(tmp_path / name, (stamp, stamp))
    renamed = apply_segment_modifier(
        playlist,
        lambda completed: resolve(
            "$dt$", started=STARTED, input_uri=INPUT, segment_completed=completed
        ),
    )
    assert renamed == ["master_720p20200604T150538_00001.ts", "master_720p20200604T150539_00002.ts"]
    assert sorted(p.name for p in tmp_path.glob("*.ts")) == renamed
    text = playlist.read_text()
    assert renamed[0] in text and renamed[1] in text and names[0] not in text

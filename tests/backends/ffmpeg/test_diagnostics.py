"""Reading ffmpeg's stderr: the MediaConvert code a failure stands for, concealed damage."""

from __future__ import annotations

import pytest

from vod_testbed.backends.ffmpeg.diagnostics import (
    classify_failure,
    count_concealed_errors,
    stderr_tail,
)
from vod_testbed.common import errors


@pytest.mark.parametrize(
    ("line", "code", "start"),
    [
        ("[mov,mp4] moov atom not found", errors.INPUT_ERROR, "The input cannot be read"),
        ("Error writing trailer: No space left on device", errors.DISK_FULL, "The work disk"),
        ("Decoder (codec prores) not found", errors.UNSUPPORTED_CODEC, "Unsupported input"),
        ("Conversion failed!", errors.UNKNOWN_ERROR, "The encoder failed"),
    ],
)
def test_a_failed_run_is_classified_with_mediaconverts_code(
    line: str, code: int, start: str
) -> None:
    failure = classify_failure(["ffmpeg version 9", line])
    assert failure.code == code
    assert failure.message.startswith(start)
    assert line in failure.message


def test_a_failure_with_no_output_says_so() -> None:
    assert classify_failure([]).message == "The encoder failed: no diagnostics"


def test_the_tail_keeps_the_last_non_blank_lines() -> None:
    lines = [f"line {i}\n" for i in range(30)] + ["\n", "  \n"]
    assert stderr_tail(lines, count=4) == ["line 28", "line 29"]


def test_concealed_decode_errors_are_counted() -> None:
    lines = [
        "[h264 @ 0x1] error while decoding MB 3 4, bytestream -5\n",
        "[h264 @ 0x1] concealing 120 DC, 120 AC, 120 MV errors in P frame\n",
        "frame=  100 fps= 50\n",
    ]
    assert count_concealed_errors(lines) == 2

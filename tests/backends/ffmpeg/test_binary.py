"""Finding an ffmpeg."""

from __future__ import annotations

import pytest

from vod_testbed.backends.ffmpeg.binary import find_ffmpeg


def test_an_ffmpeg_is_always_found():
    assert find_ffmpeg()
    with pytest.raises(FileNotFoundError, match="FFMPEG_BINARY"):
        find_ffmpeg("/nonexistent/ffmpeg")

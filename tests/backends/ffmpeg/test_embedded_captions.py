"""Embedded CEA-608 captions read by ffmpeg from an input whose path holds every character
a filter graph reserves."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.embedded_captions import write_captioned_clip
from vod_testbed.backends.ffmpeg import binary
from vod_testbed.backends.ffmpeg.embedded_captions import embedded_argv
from vod_testbed.media.captions import CaptionFormat, read_cues

pytestmark = pytest.mark.e2e


def test_captions_are_read_from_a_path_of_reserved_characters(tmp_path: Path) -> None:
    clip = write_captioned_clip(tmp_path / "clip.mp4", "1\n00:00:00,300 --> 00:00:01,200\nHi\n")
    folder = tmp_path / "a b:[c],d;e'f\\g"
    folder.mkdir()
    source = Path(shutil.copy(clip, folder / "in put.mp4"))
    argv, out = embedded_argv(binary.find_ffmpeg(), source, folder)
    subprocess.run(argv, check=True, capture_output=True)
    ((start, end, text),) = [
        (c.start_s, c.end_s, c.text) for c in read_cues(out.read_bytes(), CaptionFormat.WEBVTT)
    ]
    # The pop-on caption shows when its end-of-caption code arrives: within a few frames.
    assert text == "Hi"
    assert start == pytest.approx(0.3, abs=0.3) and end == pytest.approx(1.2, abs=0.3)

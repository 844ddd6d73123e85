"""An audio upload with its cover art (an MP3's ID3 picture, an M4A's ``covr``: what most
podcast and music files carry) is sound, not a one-frame video: it becomes the audio-only
ladder, as a file without the picture does, instead of failing with an encoder error."""

from __future__ import annotations

import os
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.support.ffmpeg_jobs import run_job
from vod_testbed.backends.ffmpeg.binary import find_ffmpeg
from vod_testbed.backends.job import JobRequest, JobStatus
from vod_testbed.backends.ladder import DEFAULT_LADDER
from vod_testbed.media.probe import probe

pytestmark = pytest.mark.e2e

AUDIO_LADDER = replace(DEFAULT_LADDER, audio_only=True)


@pytest.fixture(scope="module")
def song_with_cover(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cover") / "song.mp3"
    subprocess.run(
        [find_ffmpeg(os.environ.get("FFMPEG_BINARY")), "-v", "error",
         "-f", "lavfi", "-i", "sine=d=2", "-f", "lavfi", "-i", "color=red:s=64x64:d=1",
         "-map", "0:a", "-map", "1:v", "-frames:v", "1", "-c:v", "mjpeg",
         "-disposition:v", "attached_pic", "-id3v2_version", "3", str(path)],
        check=True,
    )  # fmt: skip
    return path


def test_cover_art_is_not_a_video_stream(song_with_cover: Path) -> None:
    media = probe(song_with_cover, audio_only=True)
    assert media.video is None
    assert media.audio is not None


def test_a_song_with_cover_art_makes_the_audio_only_ladder(
    song_with_cover: Path, ffmpeg_backend: Any, put_clip: Any
) -> None:
    source = put_clip(song_with_cover, "song.mp3")
    job, _ = run_job(ffmpeg_backend, JobRequest.for_prefix(source, ladder=AUDIO_LADDER))
    assert job.status is JobStatus.COMPLETE, job.error_message
    assert job.outputs is not None
    assert [(r.name, r.width) for r in job.outputs.renditions] == [
        ("audio_128k", 0),
        ("audio_96k", 0),
        ("audio_64k", 0),
    ]

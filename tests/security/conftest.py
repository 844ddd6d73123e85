"""Fixtures of the attack tests: the attack files. The attack tests also use the shared
pipeline fixtures (settings on the session's S3, a content service, the upload trigger,
whose jobs go to the emulator's fake transcoder) and emulator apps and servers with known
credentials, from tests/support/."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from vod_testbed.backends.ffmpeg.binary import find_ffmpeg
from vod_testbed.fixtures.media import clip_path


@pytest.fixture(scope="session")
def host_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Uploads that are instructions, not media: a playlist naming a video file of the
    server, one naming /etc/passwd, and an ffconcat list naming the video file. (libav
    takes a playlist for one by its name: an upload keeps the extension its user gave.)"""
    root = tmp_path_factory.mktemp("attack")
    # A video of the server, in the form a playlist can play: another user's MPEG-TS.
    private = root / "server-only" / "private-lecture.ts"
    private.parent.mkdir()
    subprocess.run(
        [find_ffmpeg(os.environ.get("FFMPEG_BINARY")), "-v", "error", "-i",
         str(clip_path("short_2s")), "-c", "copy", "-f", "mpegts", str(private)],
        check=True,
    )  # fmt: skip
    playlist = "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:2,\n{}\n#EXT-X-ENDLIST\n"
    files = {
        "private": private,
        "hls-to-server-video": root / "lecture.m3u8",
        "hls-to-etc-passwd": root / "notes.m3u8",
        "concat-to-server-video": root / "talk.mp4",
    }
    files["hls-to-server-video"].write_text(playlist.format(f"file://{private}"))
    files["hls-to-etc-passwd"].write_text(playlist.format("file:///etc/passwd"))
    files["concat-to-server-video"].write_text(f"ffconcat version 1.0\nfile '{private}'\n")
    return files

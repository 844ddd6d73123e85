"""Small sources for the input and audio tests, written with ffmpeg into a test's folder.

320x180 at 30 fps, a frame counter burnt in by ``testsrc``; each audio track a sine of its
own frequency, so a test can tell which track an output carries.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from vod_testbed.backends.ffmpeg import binary


def write_source(
    path: Path,
    *,
    duration_s: float = 2.0,
    tracks: Sequence[tuple[int, str | None, int]] = ((440, None, 2),),
    timecode: str | None = None,
    size: str = "320x180",
    rate: int = 30,
    volume_db: float = 0.0,
) -> Path:
    """A video with one audio track per ``(frequency, language, channels)``."""
    argv = [
        binary.find_ffmpeg(), "-hide_banner", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", f"testsrc=size={size}:rate={rate}:duration={duration_s}",
    ]  # fmt: skip
    for frequency, _, _ in tracks:
        argv += ["-f", "lavfi", "-i", f"sine=frequency={frequency}:duration={duration_s}"]
    argv += ["-map", "0:v"]
    for index, (_, language, channels) in enumerate(tracks):
        argv += ["-map", f"{index + 1}:a", f"-ac:a:{index}", str(channels)]
        if language:
            argv += [f"-metadata:s:a:{index}", f"language={language}"]
    if volume_db:
        argv += ["-af", f"volume={volume_db}dB"]
    argv += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", str(rate)]
    if tracks:
        argv += ["-c:a", "aac", "-b:a", "96k"]
    if timecode:
        argv += ["-timecode", timecode]
    argv.append(str(path))
    subprocess.run(argv, check=True, timeout=60)
    return path

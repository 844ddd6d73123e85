"""Finding an ffmpeg (docs/ARCHITECTURE.md, "FFmpeg"): FFMPEG_BINARY, else PATH, else the pip
wheel's."""

from __future__ import annotations

import functools
import shutil


@functools.cache
def find_ffmpeg(configured: str | None = None) -> str:
    """Path of the ffmpeg to run.

    Raises:
        FileNotFoundError: ``configured`` does not exist, or no ffmpeg is available at all.
    """
    if configured:
        found = shutil.which(configured)
        if not found:
            raise FileNotFoundError(f"FFMPEG_BINARY={configured!r} is not an executable")
        return found
    on_path = shutil.which("ffmpeg")
    if on_path:
        return on_path
    try:
        import imageio_ffmpeg
    except ImportError:  # pragma: no cover - it is a hard dependency
        raise FileNotFoundError("no ffmpeg on PATH and imageio-ffmpeg is not installed") from None
    return str(imageio_ffmpeg.get_ffmpeg_exe())

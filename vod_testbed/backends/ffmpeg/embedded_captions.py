"""CEA-608 captions embedded in the input's H.264 video (ATSC A/53 user data in SEI
messages), read by ffmpeg: the ``movie`` source's ``subcc`` output carries them as a
caption stream, which ffmpeg's closed-caption decoder turns into text (channel CC1) and
its WebVTT encoder writes. The text is then read and checked as any caption file
(docs/captions.md, "Embedded captions").
"""

from __future__ import annotations

import re
from pathlib import Path

# The path the filter graph names: the job's own work folder, without the characters a
# filter graph gives a meaning to.
_SAFE_PATH = re.compile(r"[A-Za-z0-9/_.+-]+")


def embedded_argv(ffmpeg: str, source: Path, work: Path) -> tuple[list[str], Path]:
    """The command that writes the input's CC1 captions as WebVTT, and where.

    Raises:
        ValueError: a work folder whose path a filter graph cannot name as it is.
    """
    link = work / "embedded-captions-source"
    if not link.exists():
        link.symlink_to(source.resolve())
    out = work / "embedded-captions.vtt"
    if not _SAFE_PATH.fullmatch(str(link)):
        raise ValueError("the work folder's path holds characters a filter graph reserves")
    argv = [
        ffmpeg,
        "-nostdin",
        "-hide_banner",
        "-y",
        "-f",
        "lavfi",
        "-i",
        f"movie={link}[out+subcc]",
        "-map",
        "0:s",
        "-c:s",
        "webvtt",
        "-f",
        "webvtt",
        str(out),
    ]
    return argv, out

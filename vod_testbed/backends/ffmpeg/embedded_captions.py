"""CEA-608 captions embedded in the input's H.264 video (ATSC A/53 user data in SEI
messages), read by ffmpeg: the ``movie`` source's ``subcc`` output carries them as a
caption stream, which ffmpeg's closed-caption decoder turns into text (channel CC1) and
its WebVTT encoder writes. The text is then read and checked as any caption file
(docs/captions.md, "Embedded captions").
"""

from __future__ import annotations

import re
from pathlib import Path


def graph_escaped(path: Path) -> str:
    """``path`` as a filter graph names it: escaped once as an option's value (``\\``,
    ``'``, ``:``) and once more as part of the graph (``\\``, ``'``, ``[``, ``]``, ``,``,
    ``;``), as ffmpeg's filter documentation describes ("Notes on filtergraph escaping")."""
    value = re.sub(r"([\\':])", r"\\\1", str(path))
    return re.sub(r"([\\'\[\],;])", r"\\\1", value)


def embedded_argv(ffmpeg: str, source: Path, work: Path) -> tuple[list[str], Path]:
    """The command that writes the input's CC1 captions as WebVTT, and where."""
    out = work / "embedded-captions.vtt"
    argv = [
        ffmpeg,
        "-nostdin",
        "-hide_banner",
        "-y",
        "-f",
        "lavfi",
        "-i",
        f"movie={graph_escaped(source)}[out+subcc]",
        "-map",
        "0:s",
        "-c:s",
        "webvtt",
        "-f",
        "webvtt",
        str(out),
    ]
    return argv, out

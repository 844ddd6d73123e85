"""Which inputs count as media: video containers from an allow-list, read as plain files.

libav picks a demuxer from a file's bytes and name, and some demuxers are instructions
rather than media: an HLS playlist or a concat list names other files (``file:///...``
included) and libav reads them, so an "upload" of a three-line playlist would publish a
file of the server. Every open here therefore restricts libav to

* the demuxers of real video containers (``format_whitelist``), and
* the ``file`` protocol (``protocol_whitelist``), on an explicit ``file:`` URL;

and ffmpeg, which reads the input again, is forced to the demuxer the probe found (``-f``),
so it cannot choose another one from the same bytes.
"""

from __future__ import annotations

import os
from pathlib import Path

# libav demuxer names: MP4/MOV family, Matroska/WebM, AVI, MPEG-TS, MPEG-PS, FLV, MXF,
# ASF (WMV). Not raw elementary streams, images, playlists, concat lists or anything that
# refers to other files.
ACCEPTED_DEMUXERS = (
    "mov",
    "mp4",
    "m4a",
    "3gp",
    "3g2",
    "mj2",
    "matroska",
    "webm",
    "avi",
    "mpegts",
    "mpeg",
    "flv",
    "mxf",
    "asf",
)
ACCEPTED_DESCRIPTION = "MP4/MOV, Matroska/WebM, AVI, MPEG-TS, MPEG-PS, FLV, MXF or ASF"
FORMAT_WHITELIST = ",".join(ACCEPTED_DEMUXERS)
PROTOCOL_WHITELIST = "file"

# First bytes of inputs that are instructions, to say what was refused.
_SIGNATURES = (
    (b"#EXTM3U", "an HLS/M3U playlist"),
    (b"ffconcat", "an ffconcat list"),
    (b"<?xml", "an XML document (a DASH manifest?)"),
    (b"<MPD", "a DASH manifest"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x89PNG", "a PNG image"),
)


def file_url(path: Path | str) -> str:
    """``file:`` URL of a local path: libav reads it as a file whatever its name looks
    like (``http:x.mp4`` or ``concat:a|b`` are file names here, not protocols)."""
    return "file:" + os.path.abspath(path)


def open_options() -> dict[str, str]:
    """Options for ``av.open``: accepted demuxers only, local files only."""
    return {"format_whitelist": FORMAT_WHITELIST, "protocol_whitelist": PROTOCOL_WHITELIST}


def forced_demuxer(format_name: str) -> str:
    """The ``-f`` name of a probed format (``mov,mp4,m4a,...`` -> ``mov``).

    Raises:
        ValueError: the format is not an accepted one (the probe would have refused it).
    """
    demuxer = format_name.split(",")[0].strip()
    if demuxer not in ACCEPTED_DEMUXERS:
        raise ValueError(f"{format_name!r} is not an accepted container")
    return demuxer


def ffmpeg_input_options(format_name: str) -> dict[str, str]:
    """Input options of the ffmpeg command for a source probed as ``format_name``."""
    return {
        "f": forced_demuxer(format_name),
        "protocol_whitelist": PROTOCOL_WHITELIST,
        "format_whitelist": FORMAT_WHITELIST,
    }


def looks_like(path: Path | str) -> str | None:
    """What a file's first bytes say it is when it is an instruction or an image, else None."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        head = b""
    return next((what for magic, what in _SIGNATURES if head.startswith(magic)), None)


def refusal_message(path: Path | str) -> str:
    """The sentence a refused input fails with, naming what it looks like when known."""
    found = looks_like(path)
    what = f"The input is {found}" if found else "The input is not in an accepted container"
    return (
        f"{what}; only video files in {ACCEPTED_DESCRIPTION} are accepted "
        "(no playlists, concat lists, image sequences or references to other files)."
    )

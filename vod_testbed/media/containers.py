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
    # Sound alone (audio-only ladders; M4A is the MP4 family's).
    "mp3",
    "wav",
    "flac",
)
ACCEPTED_DESCRIPTION = (
    "MP4/MOV, Matroska/WebM, AVI, MPEG-TS, MPEG-PS, FLV, MXF, ASF, or MP3, WAV or FLAC audio"
)
FORMAT_WHITELIST = ",".join(ACCEPTED_DEMUXERS)
PROTOCOL_WHITELIST = "file"

# First bytes of inputs that are instructions, to say what was refused.
_SIGNATURES = (
    (b"#EXTM3U", "an HLS/M3U playlist"),
    (b"ffconcat", "an ffconcat list"),
    (b"<?xml", "an XML document (a DASH manifest?)"),
    (b"<MPD", "a DASH manifest"),
)
# Still pictures, whatever the file is named: a person uploaded the wrong file.
_IMAGES = ((b"\xff\xd8\xff", "JPEG"), (b"\x89PNG", "PNG"), (b"GIF8", "GIF"))


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


def _head(path: Path | str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return b""


def recognised(path: Path | str) -> bool:
    """Whether the first bytes say what the file is (an instruction or a picture), so a
    refusal can name it whatever the file is called."""
    head = _head(path)
    return any(head.startswith(magic) for magic, _ in (*_SIGNATURES, *_IMAGES))


def refusal_message(path: Path | str) -> str:
    """The sentence a refused input fails with, naming what it looks like when known."""
    head = _head(path)
    image = next((kind for magic, kind in _IMAGES if head.startswith(magic)), None)
    if image:
        return (
            f"The input is a still image ({image}), not a video: "
            "an HLS ladder needs moving pictures."
        )
    found = next((what for magic, what in _SIGNATURES if head.startswith(magic)), None)
    what = f"The input is {found}" if found else "The input is not in an accepted container"
    return (
        f"{what}; only video files in {ACCEPTED_DESCRIPTION} are accepted "
        "(no playlists, concat lists, image sequences or references to other files)."
    )

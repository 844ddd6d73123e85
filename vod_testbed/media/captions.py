"""Reading sidecar caption files (SRT, WebVTT, SCC) into timed cues, and writing WebVTT.

pycaption parses the three formats (SCC's CEA-608 byte pairs included); this module adds
what a transcoder needs before it trusts a caption file: it is text, it is UTF-8 (SCC is
ASCII by definition), it parses, it holds at least one cue, and, once MediaConvert's
``TimeDelta`` is applied, no cue starts after the end of the video. A file that fails any of
these raises :class:`CaptionFileError` with a sentence a person can act on: a job must end in
ERROR rather than publish a silent, empty caption track (docs/captions.md).
"""

from __future__ import annotations

import enum
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

# A cue may end this much past the video (a last caption held over the final frame); it is
# cut at the end. One that *starts* after the end is a timing error in the file.
END_SLACK_S = 0.5


class CaptionFormat(enum.StrEnum):
    """MediaConvert's ``CaptionSourceType`` names for the sidecar formats read here."""

    SRT = "SRT"
    WEBVTT = "WEBVTT"
    SCC = "SCC"

    @classmethod
    def from_name(cls, filename: str) -> CaptionFormat | None:
        """The format a file's extension names (``.srt``, ``.vtt``/``.webvtt``, ``.scc``)."""
        ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        return {"srt": cls.SRT, "vtt": cls.WEBVTT, "webvtt": cls.WEBVTT, "scc": cls.SCC}.get(ext)


class CaptionFileError(ValueError):
    """A caption file that cannot be used; the message says why, without host paths."""


@dataclass(frozen=True)
class Cue:
    """One caption: shown from ``start_s`` to ``end_s`` (seconds on the video's timeline)."""

    start_s: float
    end_s: float
    text: str


# Bytes that never occur in a text caption file (NUL and the C0 controls other than tab,
# newline, carriage return and form feed).
_BINARY = frozenset(range(0x00, 0x09)) | {0x0B, 0x0E, 0x0F} | frozenset(range(0x10, 0x1B))


def _decode(data: bytes, fmt: CaptionFormat) -> str:
    if not data.strip():
        raise CaptionFileError("is empty")
    if any(b in _BINARY for b in data[:4096]):
        raise CaptionFileError(f"is not a text file (binary data where {fmt} text was expected)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CaptionFileError(
            f"is not UTF-8: byte 0x{data[exc.start]:02X} at offset {exc.start} "
            f"({fmt} captions must be UTF-8 encoded)"
        ) from None
    if fmt is CaptionFormat.SCC and not text.isascii():
        raise CaptionFileError("is not ASCII (an SCC file holds only hexadecimal byte pairs)")
    return text


def _reader(fmt: CaptionFormat) -> Any:
    # Imported on first use: pycaption brings lxml and BeautifulSoup, which a process that
    # only names caption formats (the upload trigger) does not need.
    from pycaption import SCCReader, SRTReader, WebVTTReader

    if fmt is CaptionFormat.SRT:
        return SRTReader()
    if fmt is CaptionFormat.WEBVTT:
        # Cue timing is the file's own; the writer below sets positions.
        return WebVTTReader(ignore_timing_errors=False)
    return SCCReader()


def read_cues(data: bytes, fmt: CaptionFormat, *, time_delta_s: float = 0.0) -> tuple[Cue, ...]:
    """The cues of a caption file, shifted by ``time_delta_s`` (MediaConvert's TimeDelta:
    positive shows every caption later). Cues that end before 0 after the shift are dropped.

    Raises:
        CaptionFileError: not text, not UTF-8, unparseable, or no cue at all.
    """
    from pycaption.exceptions import CaptionReadError, CaptionReadNoCaptions

    text = _decode(data, fmt)
    reader = _reader(fmt)
    if not reader.detect(text):
        raise CaptionFileError(f"does not read as {fmt} captions")
    try:
        captions = reader.read(text)
    except CaptionReadNoCaptions:
        raise CaptionFileError("holds no captions") from None
    except CaptionReadError as exc:
        raise CaptionFileError(f"cannot be read as {fmt}: {exc}") from None
    except (ValueError, IndexError, KeyError) as exc:  # pycaption's parsers raise these too
        raise CaptionFileError(f"cannot be read as {fmt}: {exc}") from None
    cues: list[Cue] = []
    for language in captions.get_languages():
        for caption in captions.get_captions(language):
            content = caption.get_text().strip()
            if not content:
                continue
            start = caption.start / 1_000_000 + time_delta_s
            end = caption.end / 1_000_000 + time_delta_s
            if end <= 0:
                continue
            cues.append(Cue(max(0.0, start), end, content))
        break  # a sidecar file is one track; pycaption keys it by one language
    if not cues:
        raise CaptionFileError("holds no captions")
    return tuple(sorted(cues, key=lambda c: (c.start_s, c.end_s)))


def fit_to_duration(cues: Sequence[Cue], duration_s: float) -> tuple[Cue, ...]:
    """The cues on a video of ``duration_s``: the last ones cut at its end.

    Raises:
        CaptionFileError: a cue starts after the end of the video (its timing is wrong, or
            the file belongs to another video).
    """
    late = [c for c in cues if c.start_s >= duration_s + END_SLACK_S]
    if late:
        raise CaptionFileError(
            f"has {len(late)} caption(s) past the end of the video: the first starts at "
            f"{_clock(late[0].start_s)}, the video lasts {_clock(duration_s)}"
        )
    return tuple(
        Cue(c.start_s, min(c.end_s, duration_s), c.text) for c in cues if c.start_s < duration_s
    )


def _clock(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


# Bold, italic and underline: the tags SRT and WebVTT share, kept; any other markup is text.
_KEPT_TAGS = re.compile(r"&lt;(/?[biu])&gt;")


def _cue_text(line: str) -> str:
    return _KEPT_TAGS.sub(r"<\1>", html.escape(line, quote=False))


def webvtt(cues: Iterable[Cue], *, header: Sequence[str] = ()) -> str:
    """A WebVTT document of ``cues`` (text escaped); ``header`` lines follow ``WEBVTT``
    (HLS segments put ``X-TIMESTAMP-MAP`` there)."""
    lines = ["WEBVTT", *header, ""]
    for cue in cues:
        lines.append(f"{_clock(cue.start_s)} --> {_clock(cue.end_s)}")
        lines.extend(_cue_text(line) for line in cue.text.splitlines())
        lines.append("")
    return "\n".join(lines) + "\n"

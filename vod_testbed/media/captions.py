"""Reading sidecar caption files (SRT, WebVTT, SCC) into timed cues, and writing WebVTT and
SRT.

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


# Byte order marks of the encodings text editors save captions in besides UTF-8; UTF-32's
# little-endian mark starts with UTF-16's, so it is looked for first.
_OTHER_UNICODE = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def _decode(data: bytes, fmt: CaptionFormat) -> str:
    if not data.strip():
        raise CaptionFileError("is empty")
    encoding = next((name for bom, name in _OTHER_UNICODE if data.startswith(bom)), None)
    if encoding:
        raise CaptionFileError(
            f"is {encoding}, not UTF-8 (re-save it as UTF-8: {fmt} captions must be UTF-8)"
        )
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


# An SCC line: a timecode, then the byte pairs it carries.
_SCC_EVENT = re.compile(r"^\d\d:\d\d:\d\d[:;.]\d\d\s", re.MULTILINE)
_SCC_PAIR = re.compile(r"\b[0-9a-fA-F]{4}\b")
# A pop-on caption's 608 byte pairs: its control codes, each sent twice (resume, erase,
# position, end of caption), and its text, two characters a pair; "Hello world" takes 16.
_SCC_PAIRS_PER_CUE = 16


def count_cues(text: str, fmt: CaptionFormat) -> int:
    """How many cues a caption text holds, counted without parsing it: its timing lines
    (``-->`` in SRT and WebVTT); in SCC its timecoded lines, or its byte pairs at 16 a
    caption when they say more (one line may carry many captions' pairs)."""
    if fmt is CaptionFormat.SCC:
        lines = sum(1 for _ in _SCC_EVENT.finditer(text))
        return max(lines, sum(1 for _ in _SCC_PAIR.finditer(text)) // _SCC_PAIRS_PER_CUE)
    return text.count("-->")


def _said(exc: Exception) -> str:
    """A parser's complaint, short enough for a job's error message (pycaption quotes the
    offending text whole)."""
    said = str(exc)
    return said if len(said) <= 200 else said[:200] + "..."


def read_cues(
    data: bytes, fmt: CaptionFormat, *, time_delta_s: float = 0.0, max_cues: int | None = None
) -> tuple[Cue, ...]:
    """The cues of a caption file, shifted by ``time_delta_s`` (MediaConvert's TimeDelta:
    positive shows every caption later). Cues that end before 0 after the shift are dropped.
    A file with more than ``max_cues`` timing lines is refused before it is parsed, so a
    hostile file costs one scan of its text, not a parser's objects for each cue.

    Raises:
        CaptionFileError: not text, not UTF-8, too many cues, unparseable, or no cue at all.
    """
    from pycaption.exceptions import CaptionReadError, CaptionReadNoCaptions

    text = _decode(data, fmt)
    if max_cues is not None:
        found = count_cues(text, fmt)
        if found > max_cues:
            raise CaptionFileError(
                f"has {found} cues, more than the {max_cues} a caption file may hold "
                "(a lecture of several hours has a few thousand)"
            )
    reader = _reader(fmt)
    if not reader.detect(text):
        raise CaptionFileError(f"does not read as {fmt} captions")
    try:
        captions = reader.read(text)
    except CaptionReadNoCaptions:
        raise CaptionFileError("holds no captions") from None
    except CaptionReadError as exc:
        raise CaptionFileError(f"cannot be read as {fmt}: {_said(exc)}") from None
    except (ValueError, IndexError, KeyError) as exc:  # pycaption's parsers raise these too
        raise CaptionFileError(f"cannot be read as {fmt}: {_said(exc)}") from None
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
            the file belongs to another video), or none starts before it.
    """
    late = [c for c in cues if c.start_s >= duration_s + END_SLACK_S]
    if late:
        raise CaptionFileError(
            f"has {len(late)} caption(s) past the end of the video: the first starts at "
            f"{_clock(late[0].start_s)}, the video lasts {_clock(duration_s)}"
        )
    kept = tuple(
        Cue(c.start_s, min(c.end_s, duration_s), c.text) for c in cues if c.start_s < duration_s
    )
    if cues and not kept:
        # Never a silent, empty track: every cue starts at or just past the end.
        raise CaptionFileError(
            f"has no caption within the video: the first starts at {_clock(cues[0].start_s)}, "
            f"the video lasts {_clock(duration_s)}"
        )
    return kept


def _clock(seconds: float, separator: str = ".") -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


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


def srt(cues: Iterable[Cue]) -> str:
    """An SRT document of ``cues``: numbered from 1, ``HH:MM:SS,mmm`` times. Blank lines in
    a cue's text are left out, since a blank line ends an SRT cue."""
    blocks = []
    for number, cue in enumerate(cues, 1):
        text = [line for line in cue.text.splitlines() if line.strip()]
        timing = f"{_clock(cue.start_s, ',')} --> {_clock(cue.end_s, ',')}"
        blocks.append("\n".join([str(number), timing, *text]))
    return "\n\n".join(blocks) + "\n"

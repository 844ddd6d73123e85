"""Caption tracks of an FFmpeg job: read and checked before the encode, written as
MediaConvert writes them after it (docs/captions.md).

A WebVTT track becomes a caption rendition of the HLS group: ``<base><modifier>.m3u8`` and
segments ``<base><modifier>_00001.vtt`` cut on the video's own segment boundaries
(MediaConvert's ``CaptionSegmentLengthControl: MATCH_VIDEO``), each opening with an
``X-TIMESTAMP-MAP`` that ties its cue times to the video's first MPEG-TS timestamp, so a
player lines the captions up with the picture. A burnt-in track becomes one WebVTT file that
ffmpeg's ``subtitles`` filter draws into the picture.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from vod_testbed.backends.captions import CAPTION_SEGMENT_EXTENSION, CaptionTrack
from vod_testbed.backends.ffmpeg.playlist_text import quoted_string
from vod_testbed.common import errors
from vod_testbed.media.captions import CaptionFileError, Cue, fit_to_duration, read_cues, webvtt

# The MPEG-TS clock: 90 kHz.
_TS_HZ = 90_000
# A whole season of captions is a few MiB; anything far larger is not a caption file.
MAX_CAPTION_FILE_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class CaptionCues:
    """A track with its cues, already shifted by TimeDelta and fitted to the video."""

    track: CaptionTrack
    cues: tuple[Cue, ...]


@dataclass(frozen=True)
class CaptionFiles:
    """One written caption rendition."""

    track: CaptionTrack
    playlist: Path
    segments: tuple[Path, ...]


def check_captions(
    track: CaptionTrack, data: bytes, duration_s: float, max_cues: int | None = None
) -> CaptionCues:
    """Read and check one caption file (of at most ``max_cues`` cues) against a video of
    ``duration_s``.

    Raises:
        TranscodeError: 1010 with a sentence naming the file and what is wrong with it
            (MediaConvert documents no code of its own for a bad caption file; 1010 is its
            input file error).
    """
    label = track.source_uri.rsplit("/", 1)[-1]
    try:
        cues = read_cues(
            data, track.source_format, time_delta_s=track.time_delta_s, max_cues=max_cues
        )
        return CaptionCues(track, fit_to_duration(cues, duration_s))
    except CaptionFileError as exc:
        raise errors.TranscodeError(
            errors.INPUT_ERROR,
            f"Caption file {label} ({track.source_format}, {track.language}) {exc}.",
        ) from None


def read_caption_file(track: CaptionTrack, path: Path) -> bytes:
    """The bytes of a fetched caption file, refused before reading when it is far larger
    than any caption file (hours of captions are a few megabytes of text).

    Raises:
        TranscodeError: 1010, naming the file and its size.
    """
    size = path.stat().st_size
    if size > MAX_CAPTION_FILE_BYTES:
        label = track.source_uri.rsplit("/", 1)[-1]
        raise errors.TranscodeError(
            errors.INPUT_ERROR,
            f"Caption file {label} is {size} bytes; a caption file is text of at most "
            f"{MAX_CAPTION_FILE_BYTES // (1024 * 1024)} MiB.",
        )
    return path.read_bytes()


def segment_name(base: str, name_modifier: str, index: int) -> str:
    return f"{base}{name_modifier}_{index:05d}.{CAPTION_SEGMENT_EXTENSION}"


def _per_segment(cues: Sequence[Cue], segment_durations: Sequence[float]) -> list[list[Cue]]:
    """The cues shown in each segment; a cue that spans a boundary is repeated in each
    segment it overlaps, as segmented WebVTT requires. One pass over the cues (sorted by
    start), keeping those still showing: a file of a million cues over thousands of
    segments costs their sum, not their product."""
    result: list[list[Cue]] = []
    showing: list[Cue] = []
    ordered = sorted(cues, key=lambda c: c.start_s)
    following = 0
    start = 0.0
    for duration in segment_durations:
        end = start + duration
        first = following
        while following < len(ordered) and ordered[following].start_s < end:
            following += 1
        # A new list each time: the previous segment's stays as it was.
        showing = [c for c in (*showing, *ordered[first:following]) if c.end_s > start]
        result.append(showing)
        start = end
    return result


def write_caption_rendition(
    hls_dir: Path,
    base: str,
    captions: CaptionCues,
    segment_durations: Sequence[float],
    first_pts_s: float,
) -> CaptionFiles:
    """Write one caption rendition whose segments follow ``segment_durations`` (the video's).

    ``first_pts_s`` is the presentation time of the video's first frame in its MPEG-TS
    segments: cue time 0 maps to it.
    """
    track = captions.track
    header = f"X-TIMESTAMP-MAP=MPEGTS:{round(first_pts_s * _TS_HZ)},LOCAL:00:00:00.000"
    target = max(1, max(math.ceil(d - 1e-6) for d in segment_durations))
    lines = [
        "#EXTM3U",
        "#EXT-X-VERSION:3",
        f"#EXT-X-TARGETDURATION:{target}",
        "#EXT-X-MEDIA-SEQUENCE:1",
        "#EXT-X-PLAYLIST-TYPE:VOD",
    ]
    segments = []
    shown = _per_segment(captions.cues, segment_durations)
    for index, (duration, cues) in enumerate(zip(segment_durations, shown, strict=True), 1):
        name = segment_name(base, track.name_modifier, index)
        path = hls_dir / name
        path.write_text(webvtt(cues, header=[header]), "utf-8")
        segments.append(path)
        lines += [f"#EXTINF:{duration:.3f},", name]
    lines.append("#EXT-X-ENDLIST")
    playlist = hls_dir / f"{base}{track.name_modifier}.m3u8"
    playlist.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return CaptionFiles(track, playlist, tuple(segments))


def write_burn_in(work: Path, captions: CaptionCues) -> Path:
    """The WebVTT file the ``subtitles`` filter draws (outside the published folders)."""
    path = work / "burn-in.vtt"
    path.write_text(webvtt(captions.cues), encoding="utf-8")
    return path


def media_lines(files: Sequence[CaptionFiles], group_id: str) -> list[str]:
    """The multivariant playlist's ``EXT-X-MEDIA`` lines, in MediaConvert's attribute
    order; the first track is the default, as AWS signals the first caption track."""
    lines = []
    for i, f in enumerate(files):
        default = "YES" if i == 0 else "NO"
        lines.append(
            f'#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="{group_id}",'
            f'NAME="{quoted_string(f.track.name)}",'
            f"DEFAULT={default},AUTOSELECT=YES,FORCED=NO,"
            f'LANGUAGE="{f.track.language}",URI="{f.playlist.name}"'
        )
    return lines

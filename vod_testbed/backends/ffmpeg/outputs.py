"""Checking what ffmpeg wrote and writing the master playlist from measurements.

ffmpeg's exit code is not proof of success: a truncated input can exit 0 with 0.13 s of
output, and a muxer that cannot open a file logs it and still exits 0. So every expected
playlist and segment must exist and every rendition must last as long as the source before
a job may complete. The master playlist is then rewritten from the media that exists:
BANDWIDTH as the RFC 8216 peak, AVERAGE-BANDWIDTH, CODECS from the bitstream, RESOLUTION,
FRAME-RATE and EXT-X-INDEPENDENT-SEGMENTS, which ffmpeg's own master lacks or estimates.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import m3u8

from vod_testbed.backends import naming
from vod_testbed.backends.captions import SUBTITLES_GROUP_ID
from vod_testbed.backends.ffmpeg.captions import CaptionFiles, media_lines
from vod_testbed.backends.ladder import AudioRendition, RenditionPlan
from vod_testbed.common import errors
from vod_testbed.media.iframes import iframe_bandwidth, iframe_playlist, rendition_iframes
from vod_testbed.media.measure import SegmentSize, average_bitrate, peak_bitrate
from vod_testbed.media.segments import codecs_attribute, inspect_segment


@dataclass(frozen=True)
class RenditionFiles:
    """One variant as written; ``plan`` is None for an audio-only variant."""

    name: str
    plan: RenditionPlan | None
    playlist: Path
    segments: tuple[Path, ...]
    sizes: tuple[SegmentSize, ...]
    target_duration: int
    version: int
    # The segments in the clear when ``segments`` are encrypted (backends/ffmpeg/encryption.py).
    clear_segments: tuple[Path, ...] = ()

    @property
    def duration_s(self) -> float:
        return sum(s.duration_s for s in self.sizes)

    @property
    def average_bandwidth(self) -> int:
        return average_bitrate(self.sizes)

    @property
    def peak_bandwidth(self) -> int:
        return peak_bitrate(self.sizes, self.target_duration)

    def video_bitrate(self) -> int:
        """The video stream's bits over the rendition's duration (every segment demuxed)."""
        clear = self.clear_segments or self.segments
        video_bytes = sum(inspect_segment(segment).video_bytes for segment in clear)
        return round(video_bytes * 8 / self.duration_s) if self.duration_s else 0


_TARGET_DURATION = re.compile(r"^#EXT-X-TARGETDURATION:\d+$", re.M)
_EXTINF = re.compile(r"^#EXTINF:([0-9.]+)", re.M)


def round_target_duration_up(playlist: Path) -> None:
    """Rewrite the playlist's EXT-X-TARGETDURATION as MediaConvert's LEGACY mode writes it:
    the longest segment rounded up (ffmpeg rounds to the nearest second, as RFC 8216)."""
    text = playlist.read_text(encoding="utf-8")
    longest = max((float(d) for d in _EXTINF.findall(text)), default=0.0)
    rounded = f"#EXT-X-TARGETDURATION:{math.ceil(round(longest, 6))}"
    playlist.write_text(_TARGET_DURATION.sub(rounded, text, count=1), encoding="utf-8")


def read_rendition(
    hls_dir: Path, base: str, plan: RenditionPlan | AudioRendition, *, round_up: bool = False
) -> RenditionFiles:
    """Parse one media playlist and stat its segments (its target duration first rounded up
    with ``round_up``). Raises TranscodeError if incomplete."""
    name = plan.name if isinstance(plan, AudioRendition) else plan.rung.name
    video_plan = None if isinstance(plan, AudioRendition) else plan
    playlist = hls_dir / naming.media_playlist_name(base, f"_{name}")
    if not playlist.is_file():
        raise errors.TranscodeError(
            errors.UNKNOWN_ERROR, f"The encoder wrote no playlist for rendition {name}."
        )
    if round_up:
        round_target_duration_up(playlist)
    parsed = m3u8.load(str(playlist))
    if not parsed.is_endlist or not parsed.segments:
        raise errors.TranscodeError(
            errors.UNKNOWN_ERROR,
            f"The playlist of rendition {name} is incomplete (no segments or no ENDLIST).",
        )
    segments, sizes = [], []
    for segment in parsed.segments:
        path = hls_dir / segment.uri
        if not path.is_file():
            raise errors.TranscodeError(
                errors.UNKNOWN_ERROR,
                f"Segment {segment.uri} of rendition {name} was not written.",
            )
        segments.append(path)
        sizes.append(SegmentSize(float(segment.duration), path.stat().st_size))
    return RenditionFiles(
        name,
        video_plan,
        playlist,
        tuple(segments),
        tuple(sizes),
        int(parsed.target_duration or 0),
        int(parsed.version or 3),
    )


def check_complete(
    renditions: list[RenditionFiles], source_duration_s: float, tolerance_s: float
) -> None:
    """Every rendition as long as the source, give or take ``tolerance_s`` (frame rate
    conversion and stream ends that differ). Raises TranscodeError (1010) when short."""
    for rendition in renditions:
        shortfall = source_duration_s - rendition.duration_s
        if shortfall > tolerance_s:
            raise errors.TranscodeError(
                errors.INPUT_ERROR,
                f"The input is truncated or corrupt: it declares {source_duration_s:.2f} s but "
                f"only {rendition.duration_s:.2f} s could be decoded "
                f"(rendition {rendition.name}).",
            )


def write_master(
    hls_dir: Path,
    base: str,
    renditions: list[RenditionFiles],
    frame_rate: Fraction,
    captions: Sequence[CaptionFiles] = (),
    iframe_modifiers: frozenset[str] = frozenset(),
    image_lines: Sequence[str] = (),
) -> Path:
    """Write ``<base>.m3u8`` from the measured renditions, replacing ffmpeg's; caption
    renditions become a SUBTITLES group every variant names, as MediaConvert writes it, and
    the renditions whose name modifier is in ``iframe_modifiers`` also get an I-frame-only
    playlist."""
    version = max(r.version for r in renditions)
    lines = ["#EXTM3U", f"#EXT-X-VERSION:{version}", "#EXT-X-INDEPENDENT-SEGMENTS"]
    subtitles = f',SUBTITLES="{SUBTITLES_GROUP_ID}"' if captions else ""
    iframe_lines: list[str] = []
    for rendition in renditions:
        media = inspect_segment(rendition.segments[0])
        try:
            codecs = codecs_attribute(media)
        except ValueError as exc:
            raise errors.TranscodeError(
                errors.VIDEO_ERROR, f"The encoder output is unusable: {exc}."
            ) from exc
        # What the segments hold, not what was asked for: the master must tell the truth.
        # An audio-only variant has no RESOLUTION or FRAME-RATE to tell.
        picture = (
            f",RESOLUTION={media.width}x{media.height},FRAME-RATE={float(frame_rate):.3f}"
            if rendition.plan is not None
            else ""
        )
        lines.append(
            "#EXT-X-STREAM-INF:"
            f"BANDWIDTH={rendition.peak_bandwidth},"
            f"AVERAGE-BANDWIDTH={rendition.average_bandwidth},"
            f'CODECS="{codecs}"'
            f"{picture}{subtitles}"
        )
        lines.append(rendition.playlist.name)
        modifier = rendition.plan.rung.name_modifier if rendition.plan is not None else None
        if modifier is not None and modifier in iframe_modifiers:
            uri, peak, average = _write_iframes(hls_dir, base, rendition, modifier)
            iframe_lines.append(
                "#EXT-X-I-FRAME-STREAM-INF:"
                f"BANDWIDTH={peak},AVERAGE-BANDWIDTH={average},"
                f'CODECS="{codecs.split(",")[0]}",'
                f'RESOLUTION={media.width}x{media.height},URI="{uri}"'
            )
    lines += media_lines(captions, SUBTITLES_GROUP_ID)
    lines += iframe_lines
    lines += image_lines  # EXT-X-IMAGE-STREAM-INF of trick play (backends/ffmpeg/trickplay.py)
    master = hls_dir / naming.master_playlist_name(base)
    tmp = master.with_suffix(".m3u8.tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(master)
    return master


def _write_iframes(
    hls_dir: Path, base: str, rendition: RenditionFiles, modifier: str
) -> tuple[str, int, int]:
    """Write a rendition's ``_I-Frame.m3u8`` from its segments' keyframes; returns its name
    and its peak and average bandwidth."""
    frames = rendition_iframes(list(rendition.segments))
    if not frames:
        raise errors.TranscodeError(
            errors.VIDEO_ERROR,
            f"Rendition {rendition.name} holds no keyframe for its I-frame playlist.",
        )
    end_s = frames[0].time_s + rendition.duration_s
    name = naming.iframe_playlist_name(base, modifier)
    text = iframe_playlist(frames, end_s, max(rendition.version, 4), hls_dir)
    (hls_dir / name).write_text(text, encoding="utf-8")
    return (name, *iframe_bandwidth(frames, end_s))

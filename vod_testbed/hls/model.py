"""The output under validation as the checks see it: renditions, their segments (each
demuxed once), and the context every check family reports into."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vod_testbed.backends.ladder import Ladder
from vod_testbed.hls.report import Check, RenditionFigures, Severity, ValidationReport
from vod_testbed.media.segments import SegmentMedia

DEFAULT_FRAME_S = 1 / 30
# Slack for float sums of durations; far below one frame at any rate.
EPSILON_S = 0.001


class HlsInputError(Exception):
    """The input cannot be validated at all: missing, unreadable, or not a master playlist."""


@dataclass
class Segment:
    """One segment as listed (``uri``, ``extinf``) and as found (``size``, ``media``)."""

    uri: str
    path: Path
    extinf: float
    size: int | None = None  # None: the file is missing
    media: SegmentMedia | None = None


@dataclass
class Rendition:
    """One variant of the master: its playlist once parsed, its segments once demuxed."""

    name: str
    uri: str
    stream_info: Any
    playlist: Any = None  # m3u8.M3U8 once parsed
    text: str = ""
    segments: list[Segment] = field(default_factory=list)
    # The codecs of the audio group the variant names (checks/audio_groups): its CODECS
    # lists them beside its own streams'.
    group_codecs: frozenset[str] = frozenset()
    # Segments that could not be decrypted, and why (hls/checks/encryption.py).
    key_problems: list[str] = field(default_factory=list)
    figures: RenditionFigures = field(init=False)

    def __post_init__(self) -> None:
        info = self.stream_info
        self.figures = RenditionFigures(
            name=self.name,
            playlist=self.uri,
            declared_resolution="{}x{}".format(*info.resolution) if info.resolution else None,
            declared_codecs=info.codecs,
            declared_frame_rate=info.frame_rate,
            declared_bandwidth=info.bandwidth,
            declared_average_bandwidth=info.average_bandwidth,
        )

    @property
    def complete(self) -> bool:
        """Playlist parsed and every segment present and demuxed."""
        return (
            self.playlist is not None
            and bool(self.segments)
            and all(s.media is not None for s in self.segments)
        )

    @property
    def audio_only(self) -> bool:
        """Sound alone: the segments hold no video (or, unread, CODECS names none)."""
        if self.media:
            return all(m.video_packets == 0 and m.audio is not None for m in self.media)
        codecs = (self.stream_info.codecs or "").lower()
        return bool(codecs) and not any(v in codecs for v in ("avc1", "avc3", "hvc1", "hev1"))

    @property
    def media(self) -> list[SegmentMedia]:
        return [s.media for s in self.segments if s.media is not None]

    @property
    def frame_s(self) -> float:
        rates = [m.frame_rate for m in self.media if m.frame_rate]
        return float(1 / rates[0]) if rates else DEFAULT_FRAME_S

    @property
    def keyframes(self) -> list[float]:
        return [t for m in self.media for t in m.keyframe_times]

    @property
    def media_duration(self) -> float | None:
        starts = [m.start_time for m in self.media if m.start_time is not None]
        ends = [m.end_time for m in self.media if m.end_time is not None]
        return max(ends) - min(starts) if starts and ends else None

    @property
    def size(self) -> tuple[int, int] | None:
        """Width and height of the video, or as declared when no segment could be read."""
        if self.media:
            return self.media[0].width, self.media[0].height
        res = self.stream_info.resolution
        return (int(res[0]), int(res[1])) if res else None


@dataclass
class Context:
    """One validation run: what is validated, against what, and the report it fills."""

    master: Path
    expected: Ladder | None
    source_duration_s: float | None
    thumbnails: Path | None
    thumbnails_explicit: bool
    report: ValidationReport
    master_independent: bool = False
    # The AES-128 key of encrypted segments, when the caller has it.
    key: bytes | None = None

    @property
    def folder(self) -> Path:
        return self.master.parent

    @property
    def base(self) -> str:
        """The destination base name (``master``), which every file name starts with."""
        return self.master.stem

    def add(
        self,
        check_id: str,
        ok: bool,
        message: str,
        rendition: str | None = None,
        severity: Severity = "error",
    ) -> None:
        """Record the outcome of one rule."""
        self.report.checks.append(Check(check_id, ok, message, rendition, severity))

    def resolve(self, uri: str) -> Path | None:
        """The local file a URI names; None for absolute or remote URIs."""
        if "://" in uri or uri.startswith("/"):
            return None  # only relative URIs can be checked against the folder
        return self.folder / uri

    def rendition_name(self, uri: str) -> str:
        """``master_720p.m3u8`` -> ``720p``: the name modifier without its underscore."""
        stem = Path(uri).stem
        prefix = self.base + "_"
        return stem[len(prefix) :] if stem.startswith(prefix) and len(stem) > len(prefix) else stem

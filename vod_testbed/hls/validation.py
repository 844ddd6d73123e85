"""Validating an HLS output: master and media playlists, segments and thumbnails.

:func:`validate_hls` checks what Apple's HLS authoring rules and RFC 8216 require of a VOD
ladder, plus what this project promises (MediaConvert naming, the ladder's bit rates,
profiles and keyframe cadence), and returns a :class:`ValidationReport`: one :class:`Check`
per rule and rendition, and the figures it measured. Every segment is demuxed once with
:func:`~vod_testbed.media.inspect.inspect_segment`; all checks reuse that pass.

Check ids (stable, used by tests and tooling):

* ``master.attributes`` - BANDWIDTH, AVERAGE-BANDWIDTH, CODECS, RESOLUTION, FRAME-RATE present
* ``master.independent-segments`` - EXT-X-INDEPENDENT-SEGMENTS in master or every media playlist
* ``playlist.syntax`` - #EXTM3U header, parseable, one EXT-X-VERSION high enough for its tags
* ``playlist.type`` / ``playlist.endlist`` - EXT-X-PLAYLIST-TYPE:VOD and EXT-X-ENDLIST
* ``playlist.target-duration`` - round(EXTINF) <= TARGETDURATION and EXTINF <= TD + 0.5 s
* ``files.exist`` / ``files.orphans`` / ``files.naming`` - referenced files, strays, names
* ``segments.readable`` / ``segments.keyframe-start`` - demuxable, each opens on a keyframe
* ``bandwidth.peak`` / ``bandwidth.average`` - declared vs measured within 10 %
* ``bandwidth.peak-to-average`` - measured peak <= 2 x average (a SHOULD: warning)
* ``media.resolution`` / ``media.codecs`` / ``media.frame-rate`` - master tells the truth
* ``media.profile-level`` - H.264 Baseline/Main/High, level <= 5.2
* ``duration.extinf`` - EXTINF equals the media duration of each segment (one frame)
* ``duration.renditions`` / ``duration.source`` - no rendition shorter than the others or
  than the source (silent truncation)
* ``audio.presence`` / ``audio.format`` - audio in all renditions or none; AAC-LC 2 ch 48 kHz
* ``ladder.target-duration`` / ``ladder.keyframe-alignment`` - same TD and IDR times everywhere
* with an expected ladder: ``ladder.renditions``, ``ladder.video-bitrate``, ``ladder.profile``,
  ``ladder.segment-duration``, ``ladder.keyframe-interval``
* ``playlist.media-sequence`` - EXT-X-MEDIA-SEQUENCE:1 (segments count from 00001)
* ``thumbnails.size`` - (with a ladder) the thumbnail box the ladder asks for
* ``thumbnails.present`` / ``thumbnails.naming`` / ``thumbnails.decodable`` /
  ``thumbnails.count``
"""

from __future__ import annotations

import itertools
import math
import re
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import av
import m3u8
from botocore.exceptions import BotoCoreError, ClientError

from vod_testbed.backends import naming
from vod_testbed.backends.ladder import (
    AudioSpec,
    Ladder,
    PortraitPolicy,
    RateControl,
    Rung,
    UpscalePolicy,
)
from vod_testbed.common import errors
from vod_testbed.media.hls_measure import SegmentSize, average_bitrate, peak_bitrate
from vod_testbed.media.inspect import SegmentMedia, inspect_segment
from vod_testbed.storage.s3 import Storage, is_s3, storage_error

Severity = Literal["error", "warning"]

BANDWIDTH_TOLERANCE = 0.10  # Apple authoring spec 1.26 / 1.27
VIDEO_BITRATE_TOLERANCE = 0.10
# Rate control needs a few GOPs to settle; below this a bit-rate miss is only a warning.
MIN_SECONDS_FOR_BITRATE = 4.0
SOURCE_DURATION_TOLERANCE_S = 0.1
MAX_H264_LEVEL = 52  # Apple authoring spec 1.3 (newest revision)
REQUIRED_ATTRIBUTES = ("BANDWIDTH", "AVERAGE-BANDWIDTH", "CODECS", "RESOLUTION", "FRAME-RATE")
H264_PROFILES = {"baseline": 0x42, "main": 0x4D, "high": 0x64}
_PROFILE_NAMES = {v: k for k, v in H264_PROFILES.items()}
_DEFAULT_FRAME_S = 1 / 30
_EPS = 0.001
_EXTINF_RE = re.compile(r"^#EXTINF:([0-9.]+)", re.MULTILINE)


class HlsInputError(Exception):
    """The input cannot be validated at all: missing, unreadable, or not a master playlist."""


@dataclass(frozen=True)
class Check:
    """One rule applied to the output (``rendition`` is None for ladder-wide rules)."""

    id: str
    ok: bool
    message: str
    rendition: str | None = None
    severity: Severity = "error"


@dataclass
class RenditionFigures:
    """What the master declares for one rendition next to what was measured."""

    name: str
    playlist: str
    declared_resolution: str | None = None
    resolution: str | None = None
    declared_codecs: str | None = None
    codecs: str | None = None
    declared_frame_rate: float | None = None
    frame_rate: float | None = None
    declared_bandwidth: int | None = None
    peak_bandwidth: int | None = None
    declared_average_bandwidth: int | None = None
    average_bandwidth: int | None = None
    video_bitrate: int | None = None
    duration_s: float | None = None  # sum of EXTINF
    media_duration_s: float | None = None
    segment_count: int = 0
    target_duration: int | None = None
    audio: str | None = None


@dataclass
class ValidationReport:
    """Every check run against one HLS output, and the figures measured on the way."""

    master: str
    checks: list[Check] = field(default_factory=list)
    renditions: list[RenditionFigures] = field(default_factory=list)
    thumbnail_count: int | None = None
    elapsed_s: float = 0.0

    @property
    def ok(self) -> bool:
        """True when no check of severity ``error`` failed (warnings do not invalidate)."""
        return not self.errors

    @property
    def errors(self) -> list[Check]:
        return [c for c in self.checks if not c.ok and c.severity == "error"]

    @property
    def warnings(self) -> list[Check]:
        return [c for c in self.checks if not c.ok and c.severity == "warning"]

    def failed(self, check_id: str) -> list[Check]:
        """The failed checks with this id (any rendition, any severity)."""
        return [c for c in self.checks if c.id == check_id and not c.ok]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return {
            "master": self.master,
            "ok": self.ok,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "elapsed_s": round(self.elapsed_s, 3),
            "thumbnail_count": self.thumbnail_count,
            "renditions": [asdict(r) for r in self.renditions],
            "checks": [asdict(c) for c in self.checks],
        }

    def render_text(self, unicode: bool = True) -> str:
        """A readable report: one line per check, grouped by rendition, then the verdict."""
        marks = (
            {"pass": "✓", "error": "✗", "warning": "!"}
            if unicode
            else {"pass": "PASS", "error": "FAIL", "warning": "WARN"}
        )
        width = max((len(c.id) for c in self.checks), default=0)
        lines = [f"HLS validation of {self.master}"]
        figures = {r.name: r for r in self.renditions}
        for group, checks in self._groups():
            lines.append("")
            lines.append(_group_heading(group, figures.get(group), self.thumbnail_count))
            for c in checks:
                mark = marks["pass"] if c.ok else marks[c.severity]
                lines.append(f"  {mark} {c.id.ljust(width)}  {c.message}")
        lines.append("")
        n_err, n_warn = len(self.errors), len(self.warnings)
        verdict = "VALID" if self.ok else "INVALID"
        lines.append(
            f"{verdict}: {len(self.checks)} checks, {n_err} error(s), {n_warn} warning(s) "
            f"({self.elapsed_s:.2f} s)"
        )
        return "\n".join(lines)

    def _groups(self) -> list[tuple[str, list[Check]]]:
        order = ["ladder", *(r.name for r in self.renditions), "thumbnails"]
        grouped: dict[str, list[Check]] = {}
        for c in self.checks:
            key = c.rendition or ("thumbnails" if c.id.startswith("thumbnails.") else "ladder")
            grouped.setdefault(key, []).append(c)
            if key not in order:
                order.append(key)
        return [(k, grouped[k]) for k in order if k in grouped]


def _group_heading(group: str, fig: RenditionFigures | None, thumbs: int | None) -> str:
    if group == "thumbnails":
        return f"thumbnails ({thumbs if thumbs is not None else 0} found)"
    if fig is None:
        return group
    parts = [f"{group} ({fig.playlist})"]
    if fig.resolution:
        parts.append(fig.resolution)
    if fig.codecs:
        parts.append(fig.codecs)
    if fig.frame_rate:
        parts.append(f"{fig.frame_rate:.3f} fps")
    if fig.duration_s is not None:
        parts.append(f"{fig.segment_count} segment(s), {fig.duration_s:.3f} s")
    if fig.peak_bandwidth:
        parts.append(f"peak {_kbps(fig.peak_bandwidth)}")
    if fig.average_bandwidth:
        parts.append(f"avg {_kbps(fig.average_bandwidth)}")
    if fig.video_bitrate:
        parts.append(f"video {_kbps(fig.video_bitrate)}")
    return ", ".join(parts)


def _kbps(bits_per_s: float) -> str:
    return f"{bits_per_s / 1000:.0f} kb/s"


def validate_hls(
    master: str | Path,
    *,
    expected: Ladder | None = None,
    source_duration_s: float | None = None,
    thumbnails: str | Path | None = None,
    storage: Storage | None = None,
) -> ValidationReport:
    """Validate an HLS output and report every check.

    Args:
        master: local path or ``s3://.../master.m3u8``; an S3 folder is downloaded to a
            temporary directory (removed afterwards) and validated locally.
        expected: the ladder the output was made with; enables the ladder checks.
        source_duration_s: the source's duration; every rendition must match it.
        thumbnails: folder of the frame captures; defaults to ``../thumbnails`` next to
            the HLS folder when that exists.
        storage: used for ``s3://`` inputs (default: ``Storage()`` from the environment).

    Raises:
        HlsInputError: the master is missing or unreadable, or is not a master playlist.
    """
    started = time.perf_counter()
    master_str = str(master)
    thumbs_str = str(thumbnails) if thumbnails is not None else None
    if is_s3(master_str) or (thumbs_str is not None and is_s3(thumbs_str)):
        with tempfile.TemporaryDirectory(prefix="hls-validate-") as tmp:
            local_master, local_thumbs, explicit = _download(
                master_str, thumbs_str, Path(tmp), storage or Storage()
            )
            report = _Validator(
                local_master, master_str, expected, source_duration_s, local_thumbs, explicit
            ).run()
    else:
        master_path = Path(master_str)
        if thumbs_str is not None:
            thumbs_path: Path | None = Path(thumbs_str)
        else:
            default = master_path.parent.parent / naming.THUMBNAIL_FOLDER
            thumbs_path = default if default.is_dir() else None
        report = _Validator(
            master_path,
            master_str,
            expected,
            source_duration_s,
            thumbs_path,
            thumbs_str is not None,
        ).run()
    report.elapsed_s = time.perf_counter() - started
    return report


def _download(
    master: str, thumbnails: str | None, tmp: Path, storage: Storage
) -> tuple[Path, Path | None, bool]:
    """Mirror the HLS folder (and thumbnails) locally; returns local master, thumbs, explicit."""
    try:
        if is_s3(master):
            folder, _, name = master.rpartition("/")
            hls_dir = storage.download_tree(folder, tmp / naming.HLS_FOLDER)
            local_master = hls_dir / name
            default_thumbs = folder.rpartition("/")[0] + "/" + naming.THUMBNAIL_FOLDER
        else:
            local_master = Path(master)
            default_thumbs = str(local_master.parent.parent / naming.THUMBNAIL_FOLDER)
        source = thumbnails or default_thumbs
        if is_s3(source):
            local_thumbs: Path | None = storage.download_tree(source, tmp / "thumbnails")
        else:
            local_thumbs = Path(source)
    except errors.TranscodeError as exc:
        raise HlsInputError(str(exc)) from exc
    except (BotoCoreError, ClientError) as exc:  # listing is not wrapped by Storage
        raise HlsInputError(str(storage_error(exc, master, "read"))) from exc
    if local_thumbs is not None and not local_thumbs.is_dir():
        local_thumbs = None if thumbnails is None else local_thumbs
    return local_master, local_thumbs, thumbnails is not None


@dataclass
class _Segment:
    uri: str
    path: Path
    extinf: float
    size: int | None = None  # None: the file is missing
    media: SegmentMedia | None = None


@dataclass
class _Rendition:
    name: str
    uri: str
    stream_info: Any
    playlist: Any = None  # m3u8.M3U8 once parsed
    text: str = ""
    segments: list[_Segment] = field(default_factory=list)
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
    def media(self) -> list[SegmentMedia]:
        return [s.media for s in self.segments if s.media is not None]

    @property
    def frame_s(self) -> float:
        rates = [m.frame_rate for m in self.media if m.frame_rate]
        return float(1 / rates[0]) if rates else _DEFAULT_FRAME_S

    @property
    def keyframes(self) -> list[float]:
        return [t for m in self.media for t in m.keyframe_times]

    @property
    def media_duration(self) -> float | None:
        starts = [m.start_time for m in self.media if m.start_time is not None]
        ends = [m.end_time for m in self.media if m.end_time is not None]
        return max(ends) - min(starts) if starts and ends else None


class _Validator:
    def __init__(
        self,
        master: Path,
        label: str,
        expected: Ladder | None,
        source_duration_s: float | None,
        thumbnails: Path | None,
        thumbnails_explicit: bool,
    ) -> None:
        self.master = master
        self.folder = master.parent
        self.base = master.stem
        self.expected = expected
        self.source_duration_s = source_duration_s
        self.thumbnails = thumbnails
        self.thumbnails_explicit = thumbnails_explicit
        self.report = ValidationReport(master=label)
        self.master_independent = False

    def add(
        self,
        check_id: str,
        ok: bool,
        message: str,
        rendition: str | None = None,
        severity: Severity = "error",
    ) -> None:
        self.report.checks.append(Check(check_id, ok, message, rendition, severity))

    # -- loading -------------------------------------------------------------------------

    def run(self) -> ValidationReport:
        master_pl, master_text = self._load_master()
        self.master_independent = bool(master_pl.is_independent_segments)
        renditions = [
            _Rendition(self._rendition_name(v.uri), v.uri, v.stream_info)
            for v in master_pl.playlists
        ]
        self._check_master(master_pl, master_text, renditions)
        for r in renditions:
            self._load_rendition(r)
        self.report.renditions = [r.figures for r in renditions]
        for r in renditions:
            if r.playlist is not None:
                self._check_rendition(r)
        self._check_ladder(renditions)
        self._check_files(renditions)
        if self.expected is not None:
            self._check_expected(self.expected, renditions)
        self._check_thumbnails(renditions)
        return self.report

    def _load_master(self) -> tuple[Any, str]:
        if not self.master.is_file():
            raise HlsInputError(f"no such file: {self.report.master}")
        try:
            data = self.master.read_bytes()
        except OSError as exc:
            raise HlsInputError(f"cannot read {self.report.master}: {exc.strerror}") from exc
        if not data.removeprefix(b"\xef\xbb\xbf").startswith(b"#EXTM3U"):
            raise HlsInputError(f"not an HLS playlist (no #EXTM3U header): {self.report.master}")
        text = data.decode("utf-8", errors="replace")
        try:
            pl = m3u8.loads(text)
        except Exception as exc:  # m3u8 raises bare ValueError/IndexError on bad attributes
            raise HlsInputError(f"unparseable playlist {self.report.master}: {exc}") from exc
        if not pl.is_variant:
            raise HlsInputError(
                f"{self.report.master} is a media playlist, not a master (multivariant) playlist"
            )
        return pl, text

    def _rendition_name(self, uri: str) -> str:
        stem = Path(uri).stem
        prefix = self.base + "_"
        return stem[len(prefix) :] if stem.startswith(prefix) and len(stem) > len(prefix) else stem

    def _resolve(self, uri: str) -> Path | None:
        if "://" in uri or uri.startswith("/"):
            return None  # only relative URIs can be checked against the folder
        return self.folder / uri

    def _load_rendition(self, r: _Rendition) -> None:
        path = self._resolve(r.uri)
        if path is None or not path.is_file():
            self.add("files.exist", False, f"media playlist {r.uri} does not exist", r.name)
            return
        r.text = path.read_text(encoding="utf-8", errors="replace")
        problem = _syntax_problem(r.text)
        pl = None
        if problem is None:
            try:
                pl = m3u8.loads(r.text)
            except Exception as exc:  # m3u8 raises bare ValueError/IndexError on bad tags
                problem = f"cannot be parsed: {exc}"
        if pl is not None and pl.is_variant:
            problem = "is a master playlist, not a media playlist"
        if problem is not None or pl is None:
            self.add("playlist.syntax", False, f"{r.uri} {problem}", r.name)
            return
        self.add("playlist.syntax", True, f"{r.uri} parses, EXT-X-VERSION {pl.version}", r.name)
        r.playlist = pl
        missing, unreadable = [], []
        for seg in pl.segments:
            seg_path = self._resolve(seg.uri)
            item = _Segment(seg.uri, seg_path or self.folder / seg.uri, float(seg.duration or 0))
            r.segments.append(item)
            if seg_path is None or not seg_path.is_file():
                missing.append(seg.uri)
                continue
            item.size = seg_path.stat().st_size
            try:
                item.media = inspect_segment(seg_path)
            except av.error.FFmpegError as exc:
                unreadable.append(f"{seg.uri} ({exc.strerror or exc})")
        if unreadable:
            self.add(
                "segments.readable", False, f"not readable media: {', '.join(unreadable)}", r.name
            )
        elif r.media:
            self.add("segments.readable", True, f"all {len(r.media)} segment(s) demux", r.name)
        if missing:
            self.add(
                "files.exist",
                False,
                f"{len(missing)} segment file(s) missing: {', '.join(missing)}",
                r.name,
            )
        else:
            self.add(
                "files.exist", True, f"{r.uri} and its {len(r.segments)} segment(s) exist", r.name
            )
        self._fill_figures(r)

    def _fill_figures(self, r: _Rendition) -> None:
        fig = r.figures
        fig.segment_count = len(r.segments)
        fig.target_duration = r.playlist.target_duration
        fig.duration_s = round(sum(s.extinf for s in r.segments), 6)
        media = r.media
        if media:
            first = media[0]
            fig.resolution = f"{first.width}x{first.height}"
            fig.codecs = _measured_codecs(first)
            fig.frame_rate = float(first.frame_rate) if first.frame_rate else None
            if first.audio:
                a = first.audio
                fig.audio = f"{a.codec} {a.profile or '?'} {a.channels} ch {a.sample_rate} Hz"
        if r.complete:
            duration = r.media_duration
            fig.media_duration_s = round(duration, 6) if duration is not None else None
            if duration:
                fig.video_bitrate = round(sum(m.video_bytes for m in media) * 8 / duration)
            if r.playlist.target_duration:
                sizes = [SegmentSize(s.extinf, s.size or 0) for s in r.segments]
                fig.peak_bandwidth = peak_bitrate(sizes, r.playlist.target_duration)
                fig.average_bandwidth = average_bitrate(sizes)

    # -- master --------------------------------------------------------------------------

    def _check_master(self, pl: Any, text: str, renditions: list[_Rendition]) -> None:
        versions = len(re.findall(r"^#EXT-X-VERSION:", text, re.MULTILINE))
        self.add(
            "playlist.syntax",
            versions <= 1,
            f"{self.master.name} has {versions} EXT-X-VERSION tags (at most one allowed)"
            if versions > 1
            else f"{self.master.name} parses, {len(renditions)} variant(s)",
        )
        for r in renditions:
            missing = [a for a in REQUIRED_ATTRIBUTES if _attribute(r.stream_info, a) is None]
            self.add(
                "master.attributes",
                not missing,
                f"EXT-X-STREAM-INF lacks {', '.join(missing)}"
                if missing
                else "EXT-X-STREAM-INF has " + ", ".join(REQUIRED_ATTRIBUTES),
                r.name,
            )

    # -- one rendition -------------------------------------------------------------------

    def _check_rendition(self, r: _Rendition) -> None:
        pl, name = r.playlist, r.name
        self._check_version(r)
        ptype = (pl.playlist_type or "").upper()
        self.add(
            "playlist.type",
            ptype == "VOD",
            "EXT-X-PLAYLIST-TYPE:VOD"
            if ptype == "VOD"
            else f"EXT-X-PLAYLIST-TYPE is {ptype or 'missing'}, VOD expected",
            name,
        )
        self.add(
            "playlist.endlist",
            bool(pl.is_endlist),
            "EXT-X-ENDLIST present"
            if pl.is_endlist
            else f"{r.uri} has no EXT-X-ENDLIST: players treat it as a live playlist",
            name,
        )
        self._check_target_duration(r)
        sequence = r.playlist.media_sequence
        sequence = 0 if sequence is None else int(sequence)  # RFC 8216: absent means 0
        self.add(
            "playlist.media-sequence",
            sequence == 1,
            "EXT-X-MEDIA-SEQUENCE:1, as MediaConvert numbers segments"
            if sequence == 1
            else f"EXT-X-MEDIA-SEQUENCE is {sequence}, 1 expected (segments count from 00001)",
            name,
        )
        if not r.segments:
            self.add("files.exist", False, f"{r.uri} lists no segments", name)
            return
        media = r.media
        if media:
            self._check_keyframe_start(r)
            self._check_media_attributes(r)
            self._check_audio_format(r)
        if r.complete:
            self._check_bandwidth(r)
            self._check_extinf(r)

    def _check_version(self, r: _Rendition) -> None:
        versions = len(re.findall(r"^#EXT-X-VERSION:", r.text, re.MULTILINE))
        version = r.playlist.version or 1
        floats = any("." in v for v in _EXTINF_RE.findall(r.text))
        problems = []
        if versions > 1:
            problems.append(f"{versions} EXT-X-VERSION tags")
        if floats and version < 3:
            problems.append(f"decimal EXTINF needs EXT-X-VERSION >= 3, found {version}")
        if problems:
            self.add("playlist.syntax", False, f"{r.uri}: " + "; ".join(problems), r.name)

    def _check_target_duration(self, r: _Rendition) -> None:
        td = r.playlist.target_duration
        if td is None:
            self.add("playlist.target-duration", False, "no EXT-X-TARGETDURATION", r.name)
            return
        # RFC 8216 4.3.3.1 (rounded EXTINF <= TD) and Apple 7.7 (never more than TD + 0.5 s).
        # RFC rounding is half-up (6.5 -> 7); Python's round() would make it 6.
        over = [s for s in r.segments if math.floor(s.extinf + 0.5) > td or s.extinf > td + 0.5]
        if over:
            worst = max(over, key=lambda s: s.extinf)
            self.add(
                "playlist.target-duration",
                False,
                f"{len(over)} segment(s) longer than EXT-X-TARGETDURATION {td} s: "
                f"{worst.uri} lasts {worst.extinf:.3f} s",
                r.name,
            )
        else:
            longest = max((s.extinf for s in r.segments), default=0.0)
            self.add(
                "playlist.target-duration",
                True,
                f"every EXTINF within TARGETDURATION {td} s (longest {longest:.3f} s)",
                r.name,
            )

    def _check_keyframe_start(self, r: _Rendition) -> None:
        bad = [s.uri for s in r.segments if s.media and not s.media.first_packet_is_keyframe]
        self.add(
            "segments.keyframe-start",
            not bad,
            f"segment(s) not starting with a keyframe: {', '.join(bad)}"
            if bad
            else f"all {len(r.media)} segment(s) start with a keyframe",
            r.name,
        )

    def _check_media_attributes(self, r: _Rendition) -> None:
        info, name, media = r.stream_info, r.name, r.media
        sizes = sorted({f"{m.width}x{m.height}" for m in media})
        declared = "{}x{}".format(*info.resolution) if info.resolution else None
        if declared is not None:
            ok = sizes == [declared]
            self.add(
                "media.resolution",
                ok,
                f"RESOLUTION={declared} matches the video"
                if ok
                else f"RESOLUTION={declared} but the video is {', '.join(sizes)}",
                name,
            )
        measured = sorted({_measured_codecs(m) for m in media})
        if info.codecs:
            ok = len(measured) == 1 and _codec_set(info.codecs) == _codec_set(measured[0])
            self.add(
                "media.codecs",
                ok,
                f'CODECS="{info.codecs}" matches the streams'
                if ok
                else f'CODECS="{info.codecs}" but the segments hold {" / ".join(measured)}',
                name,
            )
        self._check_profile_level(r)
        rates = sorted({float(m.frame_rate) for m in media if m.frame_rate})
        if info.frame_rate is not None and rates:
            ok = len(rates) == 1 and abs(rates[0] - info.frame_rate) <= 0.01
            self.add(
                "media.frame-rate",
                ok,
                f"FRAME-RATE={info.frame_rate:.3f} matches the video"
                if ok
                else f"FRAME-RATE={info.frame_rate:.3f} but the video runs at "
                + ", ".join(f"{x:.3f}" for x in rates)
                + " fps",
                name,
            )

    def _check_profile_level(self, r: _Rendition) -> None:
        avc = r.media[0].avc_codecs
        if avc is None:
            self.add("media.profile-level", False, "no H.264 SPS found in the video", r.name)
            return
        profile, level = _avc_profile(avc), int(avc[-2:], 16)
        ok = profile in _PROFILE_NAMES and level <= MAX_H264_LEVEL
        self.add(
            "media.profile-level",
            ok,
            f"H.264 {_PROFILE_NAMES.get(profile, hex(profile))} level {level / 10:.1f}"
            + ("" if ok else " (Apple allows Baseline/Main/High up to level 5.2)"),
            r.name,
        )

    def _check_audio_format(self, r: _Rendition) -> None:
        media = r.media
        with_audio = [m for m in media if m.audio is not None]
        if not with_audio:
            return
        if len(with_audio) != len(media):
            self.add(
                "audio.presence",
                False,
                f"audio in {len(with_audio)} of {len(media)} segments",
                r.name,
            )
        spec = self.expected.audio if self.expected else AudioSpec()
        if spec is None:
            self.add(
                "audio.format",
                False,
                "the rendition has audio; the ladder asks for video only",
                r.name,
            )
            return
        found = sorted(
            {
                f"{a.codec} {a.profile or '?'} {a.channels} ch {a.sample_rate} Hz"
                for a in (m.audio for m in with_audio)
                if a is not None
            }
        )
        wanted = f"{spec.codec} {spec.profile} {spec.channels} ch {spec.sample_rate} Hz"
        ok = found == [wanted]
        self.add(
            "audio.format",
            ok,
            f"audio is {wanted}" if ok else f"audio is {', '.join(found)}; {wanted} expected",
            r.name,
        )

    def _check_bandwidth(self, r: _Rendition) -> None:
        fig = r.figures
        for check_id, attr, declared, measured in (
            ("bandwidth.peak", "BANDWIDTH", fig.declared_bandwidth, fig.peak_bandwidth),
            (
                "bandwidth.average",
                "AVERAGE-BANDWIDTH",
                fig.declared_average_bandwidth,
                fig.average_bandwidth,
            ),
        ):
            if declared is None or not measured:
                continue
            error = (declared - measured) / measured
            ok = abs(error) <= BANDWIDTH_TOLERANCE
            kind = "peak" if attr == "BANDWIDTH" else "average"
            self.add(
                check_id,
                ok,
                f"{attr}={declared} vs measured {kind} {measured} ({error:+.1%}"
                + (")" if ok else f", beyond ±{BANDWIDTH_TOLERANCE:.0%})"),
                r.name,
            )
        if fig.peak_bandwidth and fig.average_bandwidth:
            ratio = fig.peak_bandwidth / fig.average_bandwidth
            self.add(
                "bandwidth.peak-to-average",
                ratio <= 2.0,
                f"measured peak is {ratio:.2f} x the average"
                + ("" if ratio <= 2.0 else " (Apple: should be at most 2 x)"),
                r.name,
                severity="warning",
            )

    def _check_extinf(self, r: _Rendition) -> None:
        frame_s = r.frame_s
        # MediaConvert's ManifestDurationFormat INTEGER rounds every EXTINF: allow that
        # rounding (half a second each), and no more.
        integer = all(float(s.extinf).is_integer() for s in r.segments)
        slack = 0.5 if integer else 0.0
        bad = []
        for i, seg in enumerate(r.segments):
            media = seg.media
            if media is None or media.start_time is None or media.end_time is None:
                continue
            nxt = r.segments[i + 1].media if i + 1 < len(r.segments) else None
            if nxt is not None and nxt.start_time is not None:
                real = nxt.start_time - media.start_time
            else:
                real = media.end_time - media.start_time
            if abs(real - seg.extinf) > frame_s + slack + _EPS:
                bad.append(f"{seg.uri} EXTINF {seg.extinf:.3f} s, media {real:.3f} s")
        total = r.media_duration or 0.0
        listed = r.figures.duration_s or 0.0
        if abs(total - listed) > frame_s + slack * len(r.segments) + _EPS:
            bad.append(f"sum of EXTINF {listed:.3f} s, media {total:.3f} s")
        self.add(
            "duration.extinf",
            not bad,
            "; ".join(bad) if bad else f"EXTINF matches the media within one frame ({total:.3f} s)",
            r.name,
        )

    # -- across renditions ---------------------------------------------------------------

    def _check_ladder(self, renditions: list[_Rendition]) -> None:
        parsed = [r for r in renditions if r.playlist is not None]
        if parsed:
            master_flag = self.master_independent
            every_media = all(r.playlist.is_independent_segments for r in parsed)
            ok = master_flag or every_media
            where = "the master" if master_flag else "every media playlist"
            self.add(
                "master.independent-segments",
                ok,
                f"EXT-X-INDEPENDENT-SEGMENTS in {where}"
                if ok
                else "EXT-X-INDEPENDENT-SEGMENTS is in neither the master nor every media "
                "playlist (missing from "
                + ", ".join(r.uri for r in parsed if not r.playlist.is_independent_segments)
                + ")",
            )
            tds = {r.name: r.playlist.target_duration for r in parsed}
            ok = len(set(tds.values())) == 1
            message = (
                f"every rendition has TARGETDURATION {next(iter(tds.values()))}"
                if ok
                else "TARGETDURATION differs: " + ", ".join(f"{k} {v}" for k, v in tds.items())
            )
            if ok and self.expected is not None:
                td = next(iter(tds.values())) or 0
                longest = max((s.extinf for r in parsed for s in r.segments), default=0.0)
                # The ladder's segment length, or less for a source shorter than one segment.
                want = self.expected.segment_seconds
                ok = td == want or (td < want and td == math.floor(longest + 0.5))
                if not ok:
                    message = f"TARGETDURATION is {td}; the ladder's segments are {want} s"
            self.add("ladder.target-duration", ok, message)
        complete = [r for r in renditions if r.complete]
        self._check_keyframe_alignment(complete)
        self._check_durations(complete)
        with_media = [r for r in renditions if r.media]
        if with_media:
            audio = {r.name: any(m.audio for m in r.media) for r in with_media}
            ok = len(set(audio.values())) == 1
            self.add(
                "audio.presence",
                ok,
                ("every rendition has audio" if all(audio.values()) else "no rendition has audio")
                if ok
                else "audio only in " + ", ".join(k for k, v in audio.items() if v),
            )

    def _check_keyframe_alignment(self, renditions: list[_Rendition]) -> None:
        if len(renditions) < 2:
            return

        def mismatch(a: _Rendition, b: _Rendition) -> str | None:
            tol = min(a.frame_s, b.frame_s) / 2
            ka, kb = a.keyframes, b.keyframes
            for i, (ta, tb) in enumerate(zip(ka, kb, strict=False)):
                if abs(ta - tb) > tol:
                    return f"keyframe {i + 1} at {tb:.3f} s, {a.name} has it at {ta:.3f} s"
            if len(ka) != len(kb):
                return f"{len(kb)} keyframes, {a.name} has {len(ka)}"
            return None

        # The reference is the rendition most others agree with, so one odd rendition is
        # the one blamed rather than all the good ones.
        ref = max(
            renditions,
            key=lambda a: sum(mismatch(a, b) is None for b in renditions if b is not a),
        )
        for r in renditions:
            if r is ref:
                continue
            problem = mismatch(ref, r)
            self.add(
                "ladder.keyframe-alignment",
                problem is None,
                f"{len(r.keyframes)} keyframes aligned with {ref.name}"
                if problem is None
                else f"keyframes not aligned with {ref.name}: {problem}",
                r.name,
            )

    def _check_durations(self, renditions: list[_Rendition]) -> None:
        def duration(r: _Rendition) -> float:
            return min(r.figures.duration_s or 0.0, r.media_duration or 0.0)

        if len(renditions) >= 2:
            # Truncation is the failure to catch, so the longest rendition is the yardstick.
            longest = max(renditions, key=duration)
            for r in renditions:
                if r is longest:
                    continue
                d, ref = duration(r), duration(longest)
                tol = max(r.frame_s, longest.frame_s) + _EPS
                ok = abs(d - ref) <= tol
                self.add(
                    "duration.renditions",
                    ok,
                    f"lasts {d:.3f} s like {longest.name}"
                    if ok
                    else f"lasts {d:.3f} s but {longest.name} lasts {ref:.3f} s "
                    f"({d - ref:+.3f} s): truncated or padded",
                    r.name,
                )
        if self.source_duration_s is None:
            return
        for r in renditions:
            d = duration(r)
            tol = max(SOURCE_DURATION_TOLERANCE_S, r.frame_s)
            ok = abs(d - self.source_duration_s) <= tol
            self.add(
                "duration.source",
                ok,
                f"lasts {d:.3f} s, source {self.source_duration_s:.3f} s"
                + ("" if ok else f" ({d - self.source_duration_s:+.3f} s): truncated or padded"),
                r.name,
            )

    # -- files ---------------------------------------------------------------------------

    def _check_files(self, renditions: list[_Rendition]) -> None:
        referenced = {self.master.resolve()}
        for r in renditions:
            path = self._resolve(r.uri)
            if path is not None:
                referenced.add(path.resolve())
            referenced.update(s.path.resolve() for s in r.segments)
        strays = sorted(
            str(p.relative_to(self.folder))
            for p in self.folder.rglob("*")
            if p.suffix in (".ts", ".m3u8") and p.is_file() and p.resolve() not in referenced
        )
        self.add(
            "files.orphans",
            not strays,
            f"file(s) no playlist references: {', '.join(strays)}"
            if strays
            else "no unreferenced .ts or .m3u8 files",
        )
        for r in renditions:
            self._check_naming(r)

    def _check_naming(self, r: _Rendition) -> None:
        problems = []
        modifier = "_" + r.name
        wanted = naming.media_playlist_name(self.base, modifier)
        if r.uri != wanted:
            problems.append(f"playlist {r.uri} (MediaConvert writes {wanted})")
        for i, seg in enumerate(r.segments):
            expected = naming.segment_name(self.base, modifier, i + 1)
            if seg.uri != expected:
                problems.append(f"segment {i + 1} is {seg.uri}, expected {expected}")
                break  # the first misnumbering explains the rest
        self.add(
            "files.naming",
            not problems,
            "; ".join(problems)
            if problems
            else f"MediaConvert names {wanted}, "
            + naming.segment_pattern(self.base, modifier).replace("%05d", "NNNNN")
            + " from 00001",
            r.name,
        )

    # -- expected ladder -----------------------------------------------------------------

    def _check_expected(self, ladder: Ladder, renditions: list[_Rendition]) -> None:
        rungs = {rung.name: rung for rung in ladder.rungs}
        present = [r for r in renditions if r.name in rungs]
        unknown = [r.name for r in renditions if r.name not in rungs]
        missing = [rung for rung in ladder.rungs if rung.name not in {r.name for r in present}]
        problems = []
        if unknown:
            problems.append(f"renditions not in the ladder: {', '.join(unknown)}")
        notes = []
        if missing:
            smallest_present = min((rungs[r.name].height for r in present), default=0)
            # DROP removes rungs larger than the source, so only the top of the ladder may be
            # absent; a hole in the middle, or any gap under UPSCALE, is a failed rendition.
            explained = ladder.upscale is UpscalePolicy.DROP and all(
                rung.height > smallest_present for rung in missing
            )
            names = ", ".join(rung.name for rung in missing)
            if explained and present:
                notes.append(f"{names} absent (upscale policy DROP: source smaller)")
            else:
                problems.append(f"missing rendition(s): {names}")
        for r in present:
            size = _size(r)
            if size is None:
                continue
            rung = rungs[r.name]
            boxes = {(rung.width, rung.height)}
            if ladder.portrait is PortraitPolicy.ROTATE_BOX:
                boxes.add((rung.height, rung.width))
            if size not in boxes:
                problems.append(
                    f"{r.name} is {size[0]}x{size[1]}, rung is {rung.width}x{rung.height}"
                )
        self.add(
            "ladder.renditions",
            not problems,
            "; ".join(problems + notes)
            if problems or notes
            else f"all {len(ladder.rungs)} rungs present at their sizes",
        )
        for r in present:
            rung = rungs[r.name]
            if r.media:
                self._check_rung_profile(r, rung)
            if r.complete:
                self._check_video_bitrate(r, rung)
                self._check_segment_cadence(r, ladder)

    def _check_rung_profile(self, r: _Rendition, rung: Rung) -> None:
        avc = r.media[0].avc_codecs
        found = _PROFILE_NAMES.get(_avc_profile(avc), "unknown") if avc else "unknown"
        wanted = H264_PROFILES.get(rung.profile.lower())
        ok = avc is not None and _avc_profile(avc) == wanted
        self.add(
            "ladder.profile",
            ok,
            f"H.264 {found} profile as the rung says"
            if ok
            else f"H.264 {found} profile ({avc}), rung asks for {rung.profile}",
            r.name,
        )

    def _check_video_bitrate(self, r: _Rendition, rung: Rung) -> None:
        measured = r.figures.video_bitrate
        duration = r.media_duration or 0.0
        if not measured:
            return
        short = duration < MIN_SECONDS_FOR_BITRATE
        severity: Severity = "warning" if short else "error"
        why = f" (only {duration:.1f} s of media: rate control cannot settle)" if short else ""
        if rung.rate_control is RateControl.QVBR:
            # QVBR aims at a quality, not a rate: only the cap is a promise.
            ok = measured <= rung.max_bitrate * (1 + VIDEO_BITRATE_TOLERANCE)
            msg = f"video {_kbps(measured)} under the QVBR cap {_kbps(rung.max_bitrate)}"
        else:
            error = (measured - rung.video_bitrate) / rung.video_bitrate
            ok = abs(error) <= VIDEO_BITRATE_TOLERANCE
            msg = f"video {_kbps(measured)} vs target {_kbps(rung.video_bitrate)} ({error:+.1%})"
        self.add(
            "ladder.video-bitrate",
            ok,
            msg if ok else msg + f", beyond ±{VIDEO_BITRATE_TOLERANCE:.0%}{why}",
            r.name,
            severity="error" if ok else severity,
        )

    def _check_segment_cadence(self, r: _Rendition, ladder: Ladder) -> None:
        frame_s = r.frame_s
        off = [
            f"{s.uri} {s.extinf:.3f} s"
            for s in r.segments[:-1]
            if abs(s.extinf - ladder.segment_seconds) > frame_s + _EPS
        ]
        self.add(
            "ladder.segment-duration",
            not off,
            f"segments other than the last must last {ladder.segment_seconds} s: " + ", ".join(off)
            if off
            else f"segments last {ladder.segment_seconds} s (the last may be shorter)",
            r.name,
        )
        keys = r.keyframes
        gaps = [b - a for a, b in itertools.pairwise(keys)]
        end = r.media[-1].end_time
        if keys and end is not None:
            gaps.append(end - keys[-1])  # the tail after the last IDR counts too
        widest = max(gaps, default=0.0)
        ok = widest <= ladder.gop_seconds + frame_s / 2
        self.add(
            "ladder.keyframe-interval",
            ok,
            f"keyframes at most {widest:.3f} s apart (GOP {ladder.gop_seconds} s)"
            if ok
            else f"keyframes up to {widest:.3f} s apart, the ladder's GOP is "
            f"{ladder.gop_seconds} s",
            r.name,
        )

    # -- thumbnails ----------------------------------------------------------------------

    def _check_thumbnails(self, renditions: list[_Rendition]) -> None:
        spec = self.expected.thumbnails if self.expected else None
        wanted = self.thumbnails_explicit or spec is not None
        folder = self.thumbnails
        jpegs = sorted(folder.glob("*.jpg")) if folder is not None and folder.is_dir() else []
        if not jpegs:
            if wanted:
                where = folder.name if folder is not None else "../" + naming.THUMBNAIL_FOLDER
                self.add("thumbnails.present", False, f"no JPEG thumbnails in {where}/")
            return
        self.report.thumbnail_count = len(jpegs)
        self.add("thumbnails.present", True, f"{len(jpegs)} JPEG thumbnail(s)")
        modifier = spec.name_modifier if spec else "_thumb"
        # Both output groups of a job share the destination base name ("master").
        pattern = naming.thumbnail_regex(self.base, modifier)
        indexes = []
        misnamed = []
        for p in jpegs:
            m = pattern.fullmatch(p.name)
            if m:
                indexes.append(int(m.group(1)))
            else:
                misnamed.append(p.name)
        gaps = indexes != list(range(len(indexes)))
        example = naming.thumbnail_name(self.base, modifier, 0)
        self.add(
            "thumbnails.naming",
            not misnamed and not gaps,
            f"named {example} onwards"
            if not misnamed and not gaps
            else (f"not MediaConvert names: {', '.join(misnamed)}; " if misnamed else "")
            + ("numbers do not run from 0000000 without gaps" if gaps else f"expected {example}"),
        )
        bad = []
        sizes = set()
        for p in jpegs:
            try:
                with av.open(str(p)) as container:
                    frame = next(container.decode(video=0))
                    sizes.add(f"{frame.width}x{frame.height}")
            except (av.error.FFmpegError, StopIteration, IndexError) as exc:
                bad.append(f"{p.name} ({exc or 'no frame'})")
        self.add(
            "thumbnails.decodable",
            not bad,
            f"not decodable: {', '.join(bad)}"
            if bad
            else f"all decode as JPEG, {', '.join(sorted(sizes))}",
        )
        if spec is not None and sizes:
            # The spec's box, or the same box turned for a portrait source (ROTATE_BOX).
            boxes = {f"{spec.width}x{spec.height}", f"{spec.height}x{spec.width}"}
            ok = sizes <= boxes
            self.add(
                "thumbnails.size",
                ok,
                f"thumbnails are {', '.join(sorted(sizes))}"
                + ("" if ok else f"; the ladder asks for {spec.width}x{spec.height}"),
            )
        durations = [r.figures.duration_s for r in renditions if r.figures.duration_s]
        duration = self.source_duration_s or max(durations, default=0.0)
        if spec is not None and duration > 0:
            expect = min(math.ceil(duration / spec.interval_s), spec.max_captures)
            # Capture times fall on frame boundaries, so one more or one fewer is normal.
            ok = len(jpegs) >= 1 and abs(len(jpegs) - expect) <= 1
            self.add(
                "thumbnails.count",
                ok,
                f"{len(jpegs)} thumbnail(s) for {duration:.1f} s at one per {spec.interval_s} s "
                f"(about {expect} expected)",
            )


# -- helpers -------------------------------------------------------------------------------


def _syntax_problem(text: str) -> str | None:
    if not text.lstrip("\ufeff").startswith("#EXTM3U"):
        return "has no #EXTM3U header"
    return None


def _attribute(info: Any, name: str) -> Any:
    return {
        "BANDWIDTH": info.bandwidth,
        "AVERAGE-BANDWIDTH": info.average_bandwidth,
        "CODECS": info.codecs,
        "RESOLUTION": info.resolution,
        "FRAME-RATE": info.frame_rate,
    }[name]


def _measured_codecs(media: SegmentMedia) -> str:
    parts = [media.avc_codecs or "unknown video"]
    if media.audio is not None:
        parts.append(media.audio.codecs_tag or media.audio.codec)
    return ",".join(parts)


def _codec_set(codecs: str) -> set[str]:
    return {c.strip().lower() for c in codecs.split(",") if c.strip()}


def _avc_profile(avc: str) -> int:
    return int(avc[5:7], 16)


def _size(r: _Rendition) -> tuple[int, int] | None:
    media = r.media
    if media:
        return media[0].width, media[0].height
    res = r.stream_info.resolution
    return (int(res[0]), int(res[1])) if res else None


__all__ = [
    "Check",
    "HlsInputError",
    "RenditionFigures",
    "ValidationReport",
    "validate_hls",
]

"""Parity: two outputs of the same source side by side, and where they differ beyond the
tolerances below (docs/parity.md).

An output is the folder a job writes (``..._processed/``: ``hls/`` and ``thumbnails/``),
local or on S3. Each rendition is measured as the ladder report measures it
(:func:`~vod_testbed.report.measure.measure_ladder`), its keyframes read from its segments
(:func:`~vod_testbed.media.segments.inspect_segment`), and matching renditions are compared
picture by picture (:func:`~vod_testbed.report.quality.compare`, B against A).

What must agree, and how closely (:data:`TOLERANCES`): the object keys, the renditions,
each one's resolution, segment count, target duration and audio exactly; durations within
0.1 s; video bit rates within 15 % of each other; keyframes as many, each within 0.05 s;
the thumbnails' count and size exactly; the jobs' final status (when parity ran them); and
the picture: VMAF at least 90 (PSNR at least 35 dB without libvmaf).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import av

from vod_testbed.backends.ffmpeg.binary import find_ffmpeg
from vod_testbed.backends.naming import DEFAULT_BASE_NAME, HLS_FOLDER, THUMBNAIL_FOLDER
from vod_testbed.hls.model import HlsInputError
from vod_testbed.media.segments import inspect_segment
from vod_testbed.report.measure import measure_ladder
from vod_testbed.report.model import RungReport
from vod_testbed.report.quality import VMAF, QualityError, available_metric, compare
from vod_testbed.storage.s3 import Storage, is_s3

DURATION_S = 0.1
BITRATE_FRACTION = 0.15
KEYFRAME_S = 0.05
MIN_VMAF = 90.0
MIN_PSNR_DB = 35.0
TOLERANCES = {
    "duration": f"within {DURATION_S:g} s",
    "video bit rate": f"within {BITRATE_FRACTION:.0%} of each other",
    "keyframes": f"as many, each within {KEYFRAME_S:g} s",
    "vmaf": f"at least {MIN_VMAF:g}",
    "psnr": f"at least {MIN_PSNR_DB:g} dB",
}


class ParityInputError(ValueError):
    """An output cannot be read: missing, empty, or without a multivariant playlist."""


@dataclass
class Rung:
    """One rendition's facts."""

    report: RungReport
    keyframes: list[float]


@dataclass
class Output:
    """What one output holds."""

    label: str
    folder: Path
    keys: list[str]
    rungs: dict[str, Rung]
    thumbnail_sizes: list[str]
    events: list[str] = field(default_factory=list)


@dataclass
class Row:
    """One fact of both outputs, and whether they agree."""

    what: str
    a: Any
    b: Any
    ok: bool
    tolerance: str = "equal"


@dataclass
class ParityReport:
    a: str
    b: str
    rows: list[Row]
    quality_metric: str | None = None

    @property
    def differences(self) -> list[Row]:
        return [row for row in self.rows if not row.ok]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["equal"] = not self.differences
        data["tolerances"] = TOLERANCES
        return data


def read_output(location: str, folder: Path, storage: Storage | None = None) -> Output:
    """The output at ``location`` (an ``s3://`` prefix or a local folder), downloaded into
    ``folder`` if on S3, and measured.

    Raises:
        ParityInputError: no output there.
    """
    if is_s3(location):
        try:
            local = (storage or Storage()).download_tree(location, folder)
        except Exception as exc:
            raise ParityInputError(f"cannot read {location}: {exc}") from exc
    else:
        local = Path(location)
    master = local / HLS_FOLDER / f"{DEFAULT_BASE_NAME}.m3u8"
    if not master.is_file():
        raise ParityInputError(f"{location}: no {HLS_FOLDER}/{master.name} (not a job's output)")
    try:
        ladder = measure_ladder(master, location)
    except HlsInputError as exc:
        raise ParityInputError(f"{location}: {exc}") from exc
    keys = sorted(p.relative_to(local).as_posix() for p in local.rglob("*") if p.is_file())
    rungs = {r.name: Rung(r, _keyframes(master.parent, r)) for r in ladder.rungs}
    thumbnails = sorted((local / THUMBNAIL_FOLDER).glob("*.jpg"))
    return Output(location, local, keys, rungs, [_picture_size(p) for p in thumbnails])


def _keyframes(folder: Path, rung: RungReport) -> list[float]:
    """IDR times from the rendition's first frame, over all its segments."""
    import m3u8

    times: list[float] = []
    for segment in m3u8.load(str(folder / rung.playlist)).segments:
        path = folder / segment.uri
        if path.is_file():
            times.extend(inspect_segment(path).keyframe_times)
    start = times[0] if times else 0.0
    return [round(t - start, 3) for t in times]


def _picture_size(path: Path) -> str:
    with av.open(str(path)) as image:
        context = image.streams.video[0].codec_context
        return f"{context.width}x{context.height}"


def compare_outputs(
    a: Output,
    b: Output,
    *,
    quality_seconds: float | None = 10.0,
    metric: str | None = None,
    ffmpeg: str | None = None,
) -> ParityReport:
    """Every fact of ``a`` and ``b`` side by side; ``quality_seconds`` None skips the
    picture comparison."""
    rows = [
        _equal("keys", a.keys, b.keys),
        _equal("renditions", sorted(a.rungs), sorted(b.rungs)),
        _equal("thumbnails", a.thumbnail_sizes, b.thumbnail_sizes),
    ]
    if a.events or b.events:
        rows.append(Row("events", a.events, b.events, a.events[-1:] == b.events[-1:], "same end"))
    both = [name for name in a.rungs if name in b.rungs]
    for name in both:
        rows.extend(_rung_rows(name, a.rungs[name], b.rungs[name]))
    report = ParityReport(a.label, b.label, rows)
    if quality_seconds is not None and both:
        binary = find_ffmpeg(ffmpeg)
        report.quality_metric = metric or available_metric(binary)
        for name in both:
            rows.append(_quality_row(binary, name, a, b, quality_seconds, report.quality_metric))
    return report


def _equal(what: str, a: Any, b: Any) -> Row:
    return Row(what, a, b, a == b)


def _close(what: str, a: float | None, b: float | None, within: float, tolerance: str) -> Row:
    ok = a is not None and b is not None and abs(a - b) <= within
    return Row(what, a, b, ok or a == b, tolerance)


def _rung_rows(name: str, a: Rung, b: Rung) -> list[Row]:
    ra, rb = a.report, b.report
    rate_ok = bool(ra.video_bps and rb.video_bps) and abs(
        (ra.video_bps or 0) - (rb.video_bps or 0)
    ) <= BITRATE_FRACTION * max(ra.video_bps or 0, rb.video_bps or 0)
    keyframes_ok = len(a.keyframes) == len(b.keyframes) and all(
        abs(x - y) <= KEYFRAME_S for x, y in zip(a.keyframes, b.keyframes, strict=False)
    )
    return [
        _equal(f"{name} resolution", ra.resolution, rb.resolution),
        _close(
            f"{name} duration s", ra.duration_s, rb.duration_s, DURATION_S, TOLERANCES["duration"]
        ),
        _equal(f"{name} segments", ra.segment_count, rb.segment_count),
        _equal(f"{name} target duration", ra.target_duration, rb.target_duration),
        Row(
            f"{name} video bit rate (target {ra.target_video_bps})",
            ra.video_bps,
            rb.video_bps,
            rate_ok or ra.video_bps == rb.video_bps,
            TOLERANCES["video bit rate"],
        ),
        Row(f"{name} keyframes s", a.keyframes, b.keyframes, keyframes_ok, TOLERANCES["keyframes"]),
        _equal(f"{name} audio", ra.audio, rb.audio),
    ]


def _quality_row(ffmpeg: str, name: str, a: Output, b: Output, seconds: float, metric: str) -> Row:
    """Rendition ``name`` of B against A's, at A's resolution."""
    ra, rb = a.rungs[name].report, b.rungs[name].report
    width, height = (int(n) for n in (ra.resolution or "0x0").split("x"))
    hls_a, hls_b = a.folder / HLS_FOLDER, b.folder / HLS_FOLDER
    what = f"{name} {metric} (B against A)"
    try:
        quality = compare(
            ffmpeg, hls_b / rb.playlist, hls_a / ra.playlist, (width, height), seconds, metric
        )
    except QualityError as exc:
        return Row(what, None, str(exc), False, "computed")
    if metric == VMAF:
        return Row(what, None, quality.vmaf, (quality.vmaf or 0) >= MIN_VMAF, TOLERANCES["vmaf"])
    psnr = quality.psnr_db or 0
    return Row(what, None, quality.psnr_db, psnr >= MIN_PSNR_DB, TOLERANCES["psnr"])


# Rows whose values are lists of names: a difference shows what only one side has.
_NAME_LISTS = ("keys", "renditions")


def render_text(report: ParityReport) -> str:
    """The report as two columns, differences marked."""

    def cell(value: Any) -> str:
        if isinstance(value, list):
            shown = ", ".join(str(v) for v in value[:6])
            return f"[{len(value)}] {shown}{', ...' if len(value) > 6 else ''}"
        return "-" if value is None else str(value)

    lines = [f"A: {report.a}", f"B: {report.b}", ""]
    width = max(len(row.what) for row in report.rows)
    for row in report.rows:
        a, b, tolerance = row.a, row.b, row.tolerance
        if not row.ok and row.what in _NAME_LISTS:
            a, b = [v for v in a if v not in b], [v for v in b if v not in a]
            tolerance += " (shown: what only one has)"
        mark = "  " if row.ok else "!="
        lines.append(f"{mark} {row.what:<{width}}  A {cell(a):<40}  B {cell(b)}")
        if not row.ok:
            lines.append(f"   {'':<{width}}  tolerance: {tolerance}")
    count = len(report.differences)
    lines.append("")
    lines.append("equal within the tolerances" if not count else f"{count} difference(s)")
    return "\n".join(lines)


def parity(
    a: str,
    b: str,
    *,
    storage: Storage | None = None,
    events: Callable[[str], list[str]] | None = None,
    quality_seconds: float | None = 10.0,
    metric: str | None = None,
) -> ParityReport:
    """Compare the outputs at ``a`` and ``b`` (``s3://`` prefixes or local folders);
    ``events(location)`` gives the event sequence of the job that wrote one, if known."""
    with tempfile.TemporaryDirectory(prefix="vod-parity-") as tmp:
        out_a = read_output(a, Path(tmp) / "a", storage)
        out_b = read_output(b, Path(tmp) / "b", storage)
        if events is not None:
            out_a.events, out_b.events = events(a), events(b)
        return compare_outputs(out_a, out_b, quality_seconds=quality_seconds, metric=metric)

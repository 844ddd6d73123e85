"""Measuring a ladder: HLS validation's figures per rendition, plus the bit rate of every
segment (size over EXTINF, container overhead included, as RFC 8216 counts it)."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import m3u8

from vod_testbed.backends.ladder import DEFAULT_LADDER, Ladder
from vod_testbed.hls.validation import RenditionFigures, validate_hls
from vod_testbed.report.model import BitratePoint, CaptionTrackReport, LadderReport, RungReport


def measure_ladder(master: Path, label: str, ladder: Ladder = DEFAULT_LADDER) -> LadderReport:
    """The report of the local HLS output at ``master`` (quality not yet computed).

    Args:
        master: the local multivariant playlist; its segments lie next to it.
        label: how the report names the output (its original URI).
        ladder: where rung targets come from, matched by rendition name.

    Raises:
        HlsInputError: ``master`` is missing or not a multivariant playlist.
    """
    validation = validate_hls(master, expected=None)
    targets = {rung.name: rung for rung in ladder.rungs}
    rungs = []
    for figures in validation.renditions:
        rung = targets.get(figures.name)
        rungs.append(
            RungReport(
                name=figures.name,
                playlist=figures.playlist,
                resolution=figures.resolution,
                target_video_bps=rung.video_bitrate if rung else None,
                target_peak_bps=rung.max_bitrate if rung else None,
                video_bps=figures.video_bitrate,
                average_bps=figures.average_bandwidth,
                peak_bps=figures.peak_bandwidth,
                declared_bandwidth=figures.declared_bandwidth,
                segment_count=figures.segment_count,
                duration_s=figures.duration_s,
                series=_series(master.parent, figures),
                target_duration=figures.target_duration,
                audio=figures.audio,
            )
        )
    return LadderReport(
        master=label,
        valid=validation.ok,
        errors=[f"{c.rendition or 'ladder'}: {c.message}" for c in validation.errors],
        warnings=[f"{c.rendition or 'ladder'}: {c.message}" for c in validation.warnings],
        rungs=rungs,
        captions=[CaptionTrackReport(**asdict(s)) for s in validation.subtitles],
        source=None,
    )


def _series(folder: Path, figures: RenditionFigures) -> list[BitratePoint]:
    path = folder / figures.playlist
    if not path.is_file():
        return []
    points, start_s = [], 0.0
    for segment in m3u8.load(str(path)).segments:
        duration_s = float(segment.duration or 0)
        file = folder / segment.uri
        if duration_s > 0 and file.is_file():
            bps = round(file.stat().st_size * 8 / duration_s)
            points.append(BitratePoint(round(start_s, 3), duration_s, bps))
        start_s += duration_s
    return points

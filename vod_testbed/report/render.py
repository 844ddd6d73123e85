"""The ladder report as text for a terminal or a CI log."""

from __future__ import annotations

from vod_testbed.report.model import LadderReport, RungReport


def _kbps(bps: int | None) -> str:
    return f"{bps / 1000:,.0f}" if bps else "-"


def _quality(rung: RungReport) -> str:
    q = rung.quality
    if q is None:
        return "-"
    parts = [f"VMAF {q.vmaf:.1f}"] if q.vmaf is not None else []
    if q.psnr_db is not None:
        parts.append(f"PSNR {q.psnr_db:.1f} dB")
    if q.ssim is not None:
        parts.append(f"SSIM {q.ssim:.4f}")
    return ", ".join(parts)


def render_text(report: LadderReport) -> str:
    """A table, one line per rung, then the verdict and what quality was measured with."""
    header = (
        f"{'rung':<7} {'resolution':<10} {'target':>8} {'video':>8} {'vs':>7} "
        f"{'average':>8} {'peak':>8} {'segs':>5}  quality"
    )
    lines = [f"Ladder report of {report.master}", "", header + "   (kb/s)", "-" * len(header)]
    for rung in report.rungs:
        error = rung.video_error
        lines.append(
            f"{rung.name:<7} {rung.resolution or '-':<10} {_kbps(rung.target_video_bps):>8} "
            f"{_kbps(rung.video_bps):>8} {f'{error:+.1%}' if error is not None else '-':>7} "
            f"{_kbps(rung.average_bps):>8} {_kbps(rung.peak_bps):>8} {rung.segment_count:>5}  "
            f"{_quality(rung)}"
        )
    for track in report.captions:
        lines.append(
            f"captions {track.language or '-'} {track.name or ''!r}: {track.playlist}, "
            f"{track.segment_count} segment(s), {track.cue_count} cue(s)"
            + (", default" if track.default else "")
        )
    lines.append("")
    lines.append(
        "HLS validation: "
        + ("valid" if report.valid else f"INVALID ({len(report.errors)} error(s))")
        + (f", {len(report.warnings)} warning(s)" if report.warnings else "")
    )
    lines.extend(f"  error: {e}" for e in report.errors)
    if report.quality_status == "done":
        seconds = report.rungs[0].quality.seconds if report.rungs and report.rungs[0].quality else 0
        lines.append(
            f"Quality: {report.quality_label} against {report.source}, first {seconds:g} s"
        )
    elif report.quality_status == "failed":
        lines.append(f"Quality: not computed: {report.quality_error}")
    else:
        lines.append("Quality: not computed (no --source)")
    return "\n".join(lines)

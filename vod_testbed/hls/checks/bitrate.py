"""Bit rates: declared BANDWIDTH and AVERAGE-BANDWIDTH against the RFC 8216 measurement,
peak against average, and each rung's video bit rate against its target."""

from __future__ import annotations

from vod_testbed.backends.ladder import RateControl, Rung
from vod_testbed.hls.model import Context, Rendition
from vod_testbed.hls.report import Severity, kbps

BANDWIDTH_TOLERANCE = 0.10  # Apple authoring spec 1.26 / 1.27
VIDEO_BITRATE_TOLERANCE = 0.10
# Rate control needs a few GOPs to settle; below this a bit-rate miss is only a warning.
MIN_SECONDS_FOR_BITRATE = 4.0


def check_bandwidth(ctx: Context, r: Rendition) -> None:
    """``bandwidth.peak`` / ``bandwidth.average`` within 10 %; ``peak-to-average`` <= 2."""
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
        ctx.add(
            check_id,
            ok,
            f"{attr}={declared} vs measured {kind} {measured} ({error:+.1%}"
            + (")" if ok else f", beyond ±{BANDWIDTH_TOLERANCE:.0%})"),
            r.name,
        )
    if fig.peak_bandwidth and fig.average_bandwidth:
        ratio = fig.peak_bandwidth / fig.average_bandwidth
        ctx.add(
            "bandwidth.peak-to-average",
            ratio <= 2.0,
            f"measured peak is {ratio:.2f} x the average"
            + ("" if ratio <= 2.0 else " (Apple: should be at most 2 x)"),
            r.name,
            severity="warning",
        )


def check_video_bitrate(ctx: Context, r: Rendition, rung: Rung) -> None:
    """``ladder.video-bitrate``: the measured video bit rate against the rung's target."""
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
        msg = f"video {kbps(measured)} under the QVBR cap {kbps(rung.max_bitrate)}"
    else:
        error = (measured - rung.video_bitrate) / rung.video_bitrate
        ok = abs(error) <= VIDEO_BITRATE_TOLERANCE
        msg = f"video {kbps(measured)} vs target {kbps(rung.video_bitrate)} ({error:+.1%})"
    ctx.add(
        "ladder.video-bitrate",
        ok,
        msg if ok else msg + f", beyond ±{VIDEO_BITRATE_TOLERANCE:.0%}{why}",
        r.name,
        severity="error" if ok else severity,
    )

"""Bit rates: declared BANDWIDTH and AVERAGE-BANDWIDTH against the RFC 8216 measurement,
peak against average, and each rung's video bit rate against its target."""

from __future__ import annotations

from vod_testbed.backends.ladder import RateControl, Rung
from vod_testbed.hls.model import Context, Rendition
from vod_testbed.hls.report import kbps

BANDWIDTH_TOLERANCE = 0.10  # Apple authoring spec 1.26 / 1.27
VIDEO_BITRATE_TOLERANCE = 0.10
# Rate control needs a few GOPs to settle; below this an overshoot is only a warning.
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
    """``ladder.video-bitrate``: the measured average video bit rate against the rung.

    A target is a ceiling for the average, not a floor: capped VBR spends fewer bits on a
    picture that needs fewer (a slide, colour bars), so an average under the target is a
    note. An average more than 10 % over the target (over the cap, for QVBR) is the error,
    or a warning for media too short for rate control to settle.
    """
    measured = r.figures.video_bitrate
    if not measured:
        return
    duration = r.media_duration or 0.0
    qvbr = rung.rate_control is RateControl.QVBR
    # QVBR aims at a quality, not a rate: only its cap is a promise.
    ceiling = rung.max_bitrate if qvbr else rung.video_bitrate
    share = (measured - ceiling) / ceiling
    msg = (
        f"video {kbps(measured)} vs {'the QVBR cap' if qvbr else 'target'} {kbps(ceiling)} "
        f"({share:+.1%})"
    )
    if share > VIDEO_BITRATE_TOLERANCE:
        short = duration < MIN_SECONDS_FOR_BITRATE
        why = f" (only {duration:.1f} s of media: rate control cannot settle)" if short else ""
        ctx.add(
            "ladder.video-bitrate",
            False,
            f"{msg}: more than {VIDEO_BITRATE_TOLERANCE:.0%} over{why}",
            r.name,
            severity="warning" if short else "error",
        )
    elif share < -VIDEO_BITRATE_TOLERANCE and not qvbr:
        ctx.add(
            "ladder.video-bitrate",
            False,
            f"{msg}: the picture needed fewer bits than the target allows (a ceiling for "
            "the average, not a floor)",
            r.name,
            severity="note",
        )
    else:
        ctx.add("ladder.video-bitrate", True, msg, r.name)

"""Time: EXTINF against the media, renditions against each other and the source
(truncation), keyframes aligned across renditions, segment length and GOP cadence."""

from __future__ import annotations

import itertools

from vod_testbed.backends.ladder import Ladder
from vod_testbed.hls.model import EPSILON_S, Context, Rendition

SOURCE_DURATION_TOLERANCE_S = 0.1


def check_extinf(ctx: Context, r: Rendition) -> None:
    """``duration.extinf``: each EXTINF, and their sum, equal the media (one frame)."""
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
        if abs(real - seg.extinf) > frame_s + slack + EPSILON_S:
            bad.append(f"{seg.uri} EXTINF {seg.extinf:.3f} s, media {real:.3f} s")
    total = r.media_duration or 0.0
    listed = r.figures.duration_s or 0.0
    if abs(total - listed) > frame_s + slack * len(r.segments) + EPSILON_S:
        bad.append(f"sum of EXTINF {listed:.3f} s, media {total:.3f} s")
    ctx.add(
        "duration.extinf",
        not bad,
        "; ".join(bad) if bad else f"EXTINF matches the media within one frame ({total:.3f} s)",
        r.name,
    )


def check_keyframe_alignment(ctx: Context, renditions: list[Rendition]) -> None:
    """``ladder.keyframe-alignment``: IDRs at the same times in every rendition."""
    if len(renditions) < 2:
        return

    def mismatch(a: Rendition, b: Rendition) -> str | None:
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
        ctx.add(
            "ladder.keyframe-alignment",
            problem is None,
            f"{len(r.keyframes)} keyframes aligned with {ref.name}"
            if problem is None
            else f"keyframes not aligned with {ref.name}: {problem}",
            r.name,
        )


def check_durations(ctx: Context, renditions: list[Rendition]) -> None:
    """``duration.renditions`` / ``duration.source``: nothing silently truncated."""

    def duration(r: Rendition) -> float:
        return min(r.figures.duration_s or 0.0, r.media_duration or 0.0)

    if len(renditions) >= 2:
        # Truncation is the failure to catch, so the longest rendition is the yardstick.
        longest = max(renditions, key=duration)
        for r in renditions:
            if r is longest:
                continue
            d, ref = duration(r), duration(longest)
            tol = max(r.frame_s, longest.frame_s) + EPSILON_S
            ok = abs(d - ref) <= tol
            ctx.add(
                "duration.renditions",
                ok,
                f"lasts {d:.3f} s like {longest.name}"
                if ok
                else f"lasts {d:.3f} s but {longest.name} lasts {ref:.3f} s "
                f"({d - ref:+.3f} s): truncated or padded",
                r.name,
            )
    source_s = ctx.source_duration_s
    if source_s is None:
        return
    for r in renditions:
        d = duration(r)
        tol = max(SOURCE_DURATION_TOLERANCE_S, r.frame_s)
        ok = abs(d - source_s) <= tol
        ctx.add(
            "duration.source",
            ok,
            f"lasts {d:.3f} s, source {source_s:.3f} s"
            + ("" if ok else f" ({d - source_s:+.3f} s): truncated or padded"),
            r.name,
        )


def check_segment_cadence(ctx: Context, r: Rendition, ladder: Ladder) -> None:
    """``ladder.segment-duration`` and ``ladder.keyframe-interval`` of one rendition."""
    frame_s = r.frame_s
    off = [
        f"{s.uri} {s.extinf:.3f} s"
        for s in r.segments[:-1]
        if abs(s.extinf - ladder.segment_seconds) > frame_s + EPSILON_S
    ]
    ctx.add(
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
    ctx.add(
        "ladder.keyframe-interval",
        ok,
        f"keyframes at most {widest:.3f} s apart (GOP {ladder.gop_seconds} s)"
        if ok
        else f"keyframes up to {widest:.3f} s apart, the ladder's GOP is {ladder.gop_seconds} s",
        r.name,
    )

"""Conformance to the ladder the output was made with: rungs present at their sizes (or
dropped by policy), profiles, video bit rates, segment and GOP cadence."""

from __future__ import annotations

from vod_testbed.backends.ladder import (
    Ladder,
    PortraitPolicy,
    Rung,
    UpscalePolicy,
    audio_renditions,
)
from vod_testbed.hls.checks.bitrate import check_video_bitrate
from vod_testbed.hls.checks.media import H264_PROFILES, PROFILE_NAMES, avc_profile
from vod_testbed.hls.checks.timing import check_segment_cadence
from vod_testbed.hls.model import Context, Rendition
from vod_testbed.media import hevc


def check_expected(ctx: Context, ladder: Ladder, renditions: list[Rendition]) -> None:
    """Every ``ladder.*`` check of the renditions against ``ladder``."""
    if renditions and all(r.audio_only for r in renditions):
        _check_audio_only(ctx, ladder, renditions)
        return
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
        size = r.size
        if size is None:
            continue
        rung = rungs[r.name]
        boxes = {(rung.width, rung.height)}
        if ladder.portrait is PortraitPolicy.ROTATE_BOX:
            boxes.add((rung.height, rung.width))
        if ladder.upscale is UpscalePolicy.FIT_NO_UPSCALE:
            # AWS's FIT_NO_UPSCALE shrinks the picture into the box and never pads or grows
            # it: any size within the box (either way round) is the rung.
            fits = any(
                size[0] <= w and size[1] <= h for w, h in boxes | {(rung.height, rung.width)}
            )
            if not fits:
                problems.append(
                    f"{r.name} is {size[0]}x{size[1]}, larger than the rung's "
                    f"{rung.width}x{rung.height} box"
                )
        elif size not in boxes:
            problems.append(f"{r.name} is {size[0]}x{size[1]}, rung is {rung.width}x{rung.height}")
    ctx.add(
        "ladder.renditions",
        not problems,
        "; ".join(problems + notes)
        if problems or notes
        else f"all {len(ladder.rungs)} rungs present at their sizes",
    )
    for r in present:
        rung = rungs[r.name]
        if r.media:
            _check_rung_profile(ctx, r, rung)
        if r.complete:
            check_video_bitrate(ctx, r, rung)
            check_segment_cadence(ctx, r, ladder)


def _check_rung_profile(ctx: Context, r: Rendition, rung: Rung) -> None:
    avc = r.media[0].video_codecs
    if rung.codec == "h265":
        profile = hevc.profile_of(avc or "")
        ctx.add(
            "ladder.profile",
            profile == 1,
            "H.265 Main profile as the rung says"
            if profile == 1
            else f"the video is {avc}, the rung asks for H.265 Main",
            r.name,
        )
        return
    if avc is not None and not avc.startswith("avc"):
        avc = None  # not H.264: reported as an unknown H.264 profile below
    found = PROFILE_NAMES.get(avc_profile(avc), "unknown") if avc else "unknown"
    wanted = H264_PROFILES.get(rung.profile.lower())
    ok = avc is not None and avc_profile(avc) == wanted
    ctx.add(
        "ladder.profile",
        ok,
        f"H.264 {found} profile as the rung says"
        if ok
        else f"H.264 {found} profile ({avc}), rung asks for {rung.profile}",
        r.name,
    )


def _check_audio_only(ctx: Context, ladder: Ladder, renditions: list[Rendition]) -> None:
    """``ladder.renditions`` of an audio-only output: the ladder allows one, and its
    variants are :func:`~vod_testbed.backends.ladder.audio_renditions`."""
    wanted = [a.name for a in audio_renditions(ladder)]
    found = [r.name for r in renditions]
    ok = ladder.audio_only and sorted(found) == sorted(wanted)
    ctx.add(
        "ladder.renditions",
        ok,
        f"audio-only variants {', '.join(found)}"
        if ok
        else (
            f"audio-only variants {', '.join(found)}; the ladder "
            + (f"makes {', '.join(wanted)}" if ladder.audio_only else "makes no audio-only ladder")
        ),
    )

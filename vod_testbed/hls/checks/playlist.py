"""Playlist rules (RFC 8216, Apple's authoring spec): syntax and version, the master's
attributes, VOD type and ENDLIST, target durations, media sequence, independent segments."""

from __future__ import annotations

import math
import re
from typing import Any

from vod_testbed.hls.model import Context, Rendition

REQUIRED_ATTRIBUTES = ("BANDWIDTH", "AVERAGE-BANDWIDTH", "CODECS", "RESOLUTION", "FRAME-RATE")
AUDIO_ONLY_ATTRIBUTES = ("BANDWIDTH", "AVERAGE-BANDWIDTH", "CODECS")
_VERSION_TAG_RE = re.compile(r"^#EXT-X-VERSION:", re.MULTILINE)
_EXTINF_RE = re.compile(r"^#EXTINF:([0-9.]+)", re.MULTILINE)


def check_master(ctx: Context, text: str, renditions: list[Rendition]) -> None:
    """``playlist.syntax`` of the master and ``master.attributes`` of every variant."""
    versions = len(_VERSION_TAG_RE.findall(text))
    ctx.add(
        "playlist.syntax",
        versions <= 1,
        f"{ctx.master.name} has {versions} EXT-X-VERSION tags (at most one allowed)"
        if versions > 1
        else f"{ctx.master.name} parses, {len(renditions)} variant(s)",
    )
    for r in renditions:
        # An audio-only variant has no picture to give RESOLUTION or FRAME-RATE of.
        required = AUDIO_ONLY_ATTRIBUTES if r.audio_only else REQUIRED_ATTRIBUTES
        missing = [a for a in required if _attribute(r.stream_info, a) is None]
        ctx.add(
            "master.attributes",
            not missing,
            f"EXT-X-STREAM-INF lacks {', '.join(missing)}"
            if missing
            else "EXT-X-STREAM-INF has " + ", ".join(required),
            r.name,
        )


def check_media_playlist(ctx: Context, r: Rendition) -> None:
    """Version, VOD type, ENDLIST, target duration and media sequence of one playlist."""
    pl, name = r.playlist, r.name
    _check_version(ctx, r)
    ptype = (pl.playlist_type or "").upper()
    ctx.add(
        "playlist.type",
        ptype == "VOD",
        "EXT-X-PLAYLIST-TYPE:VOD"
        if ptype == "VOD"
        else f"EXT-X-PLAYLIST-TYPE is {ptype or 'missing'}, VOD expected",
        name,
    )
    ctx.add(
        "playlist.endlist",
        bool(pl.is_endlist),
        "EXT-X-ENDLIST present"
        if pl.is_endlist
        else f"{r.uri} has no EXT-X-ENDLIST: players treat it as a live playlist",
        name,
    )
    _check_target_duration(ctx, r)
    sequence = pl.media_sequence
    sequence = 0 if sequence is None else int(sequence)  # RFC 8216: absent means 0
    ctx.add(
        "playlist.media-sequence",
        sequence == 1,
        "EXT-X-MEDIA-SEQUENCE:1, as MediaConvert numbers segments"
        if sequence == 1
        else f"EXT-X-MEDIA-SEQUENCE is {sequence}, 1 expected (segments count from 00001)",
        name,
    )


def _check_version(ctx: Context, r: Rendition) -> None:
    versions = len(_VERSION_TAG_RE.findall(r.text))
    version = r.playlist.version or 1
    floats = any("." in v for v in _EXTINF_RE.findall(r.text))
    problems = []
    if versions > 1:
        problems.append(f"{versions} EXT-X-VERSION tags")
    if floats and version < 3:
        problems.append(f"decimal EXTINF needs EXT-X-VERSION >= 3, found {version}")
    if problems:
        ctx.add("playlist.syntax", False, f"{r.uri}: " + "; ".join(problems), r.name)


def _check_target_duration(ctx: Context, r: Rendition) -> None:
    td = r.playlist.target_duration
    if td is None:
        ctx.add("playlist.target-duration", False, "no EXT-X-TARGETDURATION", r.name)
        return
    # RFC 8216 4.3.3.1 (rounded EXTINF <= TD) and Apple 7.7 (never more than TD + 0.5 s).
    # RFC rounding is half-up (6.5 -> 7); Python's round() would make it 6.
    over = [s for s in r.segments if math.floor(s.extinf + 0.5) > td or s.extinf > td + 0.5]
    if over:
        worst = max(over, key=lambda s: s.extinf)
        ctx.add(
            "playlist.target-duration",
            False,
            f"{len(over)} segment(s) longer than EXT-X-TARGETDURATION {td} s: "
            f"{worst.uri} lasts {worst.extinf:.3f} s",
            r.name,
        )
    else:
        longest = max((s.extinf for s in r.segments), default=0.0)
        ctx.add(
            "playlist.target-duration",
            True,
            f"every EXTINF within TARGETDURATION {td} s (longest {longest:.3f} s)",
            r.name,
        )


def check_independent_segments(ctx: Context, parsed: list[Rendition]) -> None:
    """EXT-X-INDEPENDENT-SEGMENTS in the master, or else in every media playlist."""
    master_flag = ctx.master_independent
    every_media = all(r.playlist.is_independent_segments for r in parsed)
    ok = master_flag or every_media
    where = "the master" if master_flag else "every media playlist"
    ctx.add(
        "master.independent-segments",
        ok,
        f"EXT-X-INDEPENDENT-SEGMENTS in {where}"
        if ok
        else "EXT-X-INDEPENDENT-SEGMENTS is in neither the master nor every media "
        "playlist (missing from "
        + ", ".join(r.uri for r in parsed if not r.playlist.is_independent_segments)
        + ")",
    )


def check_target_durations_agree(ctx: Context, parsed: list[Rendition]) -> None:
    """One TARGETDURATION everywhere; with a ladder, the ladder's (or less, for a source
    shorter than one segment)."""
    tds = {r.name: r.playlist.target_duration for r in parsed}
    ok = len(set(tds.values())) == 1
    message = (
        f"every rendition has TARGETDURATION {next(iter(tds.values()))}"
        if ok
        else "TARGETDURATION differs: " + ", ".join(f"{k} {v}" for k, v in tds.items())
    )
    if ok and ctx.expected is not None:
        td = next(iter(tds.values())) or 0
        longest = max((s.extinf for r in parsed for s in r.segments), default=0.0)
        want = ctx.expected.segment_seconds
        ok = td == want or (td < want and td == math.floor(longest + 0.5))
        if not ok:
            message = f"TARGETDURATION is {td}; the ladder's segments are {want} s"
    ctx.add("ladder.target-duration", ok, message)


def _attribute(info: Any, name: str) -> Any:
    return {
        "BANDWIDTH": info.bandwidth,
        "AVERAGE-BANDWIDTH": info.average_bandwidth,
        "CODECS": info.codecs,
        "RESOLUTION": info.resolution,
        "FRAME-RATE": info.frame_rate,
    }[name]

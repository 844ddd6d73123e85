"""WebVTT caption renditions (``SUBTITLES`` groups), as MediaConvert writes them.

Check ids:

* ``subtitles.group`` - each SUBTITLES rendition has URI, LANGUAGE and NAME, at most one
  is DEFAULT, and every variant names an existing group (and only then)
* ``subtitles.playlist`` - the caption playlist exists, parses, is VOD with ENDLIST, names
  its segments as MediaConvert does and every segment exists
* ``subtitles.segments`` - each segment is WebVTT with an ``X-TIMESTAMP-MAP`` whose MPEGTS
  is the video's first timestamp (else captions drift from the picture), and its cues parse
  and fall inside the segment
* ``subtitles.duration`` - the captions last as long as the video (one segment of slack)
* ``subtitles.cues`` - the track holds at least one cue: never a silent, empty track
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import m3u8

from vod_testbed.backends.captions import CAPTION_SEGMENT_EXTENSION
from vod_testbed.hls.model import EPSILON_S, Context, Rendition
from vod_testbed.hls.report import SubtitleFigures
from vod_testbed.media.captions import CaptionFileError, CaptionFormat, read_cues

_MAP = re.compile(r"^X-TIMESTAMP-MAP=MPEGTS:(\d+),LOCAL:00:00:00\.000$", re.MULTILINE)
_TS_HZ = 90_000


def check_subtitles(ctx: Context, master: Any, renditions: list[Rendition]) -> set[Path]:
    """Run the subtitle checks; returns the files the caption renditions reference."""
    tracks = [m for m in master.media if m.type == "SUBTITLES"]
    groups = {m.group_id for m in tracks}
    _check_group(ctx, tracks, groups, renditions)
    referenced: set[Path] = set()
    video = next((r for r in renditions if r.complete), None)
    for track in tracks:
        referenced |= _check_track(ctx, track, video)
    return referenced


def _check_group(
    ctx: Context, tracks: list[Any], groups: set[str], renditions: list[Rendition]
) -> None:
    if not tracks and not any(_subtitles_of(r) for r in renditions):
        return
    problems = []
    for track in tracks:
        missing = [a for a in ("uri", "language", "name") if not getattr(track, a)]
        if missing:
            problems.append(
                f"{track.name or track.uri}: no {', '.join(m.upper() for m in missing)}"
            )
    for group in groups:
        defaults = [t for t in tracks if t.group_id == group and t.default == "YES"]
        if len(defaults) > 1:
            problems.append(f'group "{group}" has {len(defaults)} DEFAULT=YES renditions')
    for r in renditions:
        named = _subtitles_of(r)
        if named is None:
            problems.append(f"variant {r.uri} names no SUBTITLES group")
        elif named not in groups:
            problems.append(f'variant {r.uri} names SUBTITLES="{named}", which does not exist')
    ctx.add(
        "subtitles.group",
        not problems,
        "; ".join(problems)
        if problems
        else f"{len(tracks)} caption rendition(s) in group(s) "
        + ", ".join(sorted(groups))
        + ", named by every variant",
    )


def _subtitles_of(r: Rendition) -> str | None:
    return getattr(r.stream_info, "subtitles", None)


def _check_track(ctx: Context, track: Any, video: Rendition | None) -> set[Path]:
    label = f"captions {track.language or '?'}"
    figures = SubtitleFigures(track.language, track.name, track.uri or "", track.default == "YES")
    ctx.report.subtitles.append(figures)
    path = ctx.resolve(track.uri or "")
    if path is None or not path.is_file():
        ctx.add("subtitles.playlist", False, f"{track.uri} does not exist", label)
        return set()
    try:
        playlist = m3u8.loads(path.read_text(encoding="utf-8"))
    except Exception as exc:  # m3u8 raises bare ValueError/IndexError on bad tags
        ctx.add("subtitles.playlist", False, f"{track.uri} cannot be parsed: {exc}", label)
        return {path.resolve()}
    referenced = {path.resolve()}
    problems = []
    if playlist.playlist_type != "vod" or not playlist.is_endlist:
        problems.append("not a VOD playlist with EXT-X-ENDLIST")
    if not playlist.segments:
        problems.append("lists no segments")
    modifier = Path(track.uri).stem[len(ctx.base) :]
    segments: list[tuple[Path, float, float]] = []
    start = 0.0
    for i, segment in enumerate(playlist.segments, start=1):
        expected = f"{ctx.base}{modifier}_{i:05d}.{CAPTION_SEGMENT_EXTENSION}"
        if segment.uri != expected and not any("named" in p for p in problems):
            problems.append(f"segment {i} named {segment.uri} (MediaConvert writes {expected})")
        seg_path = ctx.resolve(segment.uri)
        end = start + float(segment.duration)
        if seg_path is None or not seg_path.is_file():
            problems.append(f"segment {segment.uri} does not exist")
        else:
            referenced.add(seg_path.resolve())
            segments.append((seg_path, start, end))
        start = end
    ctx.add(
        "subtitles.playlist",
        not problems,
        f"{track.uri}: " + "; ".join(problems)
        if problems
        else f"{track.uri}: VOD, {len(playlist.segments)} segment(s) named as MediaConvert does",
        label,
    )
    figures.segment_count = len(segments)
    figures.cue_count = _check_segments(ctx, segments, video, label)
    if video is not None and video.media_duration is not None:
        slack = max((float(s.duration) for s in playlist.segments), default=0.0)
        gap = abs(start - video.media_duration)
        ctx.add(
            "subtitles.duration",
            gap <= slack + EPSILON_S,
            f"captions last {start:.3f} s, the video {video.media_duration:.3f} s",
            label,
        )
    return referenced


def _check_segments(
    ctx: Context, segments: list[tuple[Path, float, float]], video: Rendition | None, label: str
) -> int:
    """The segment checks; returns the number of cues (a cue repeated across a segment
    boundary counts once per segment)."""
    first_pts = None
    if video is not None and video.media and video.media[0].start_time is not None:
        first_pts = round(video.media[0].start_time * _TS_HZ)
    frame_ticks = round(video.frame_s * _TS_HZ) if video is not None else 0
    problems: list[str] = []
    cue_count = 0
    for path, start, end in segments:
        text = path.read_text(encoding="utf-8", errors="replace")
        if not text.startswith("WEBVTT"):
            problems.append(f"{path.name} does not start with WEBVTT")
            continue
        mapping = _MAP.search(text)
        if mapping is None:
            problems.append(f"{path.name} has no X-TIMESTAMP-MAP")
        elif first_pts is not None and abs(int(mapping.group(1)) - first_pts) > frame_ticks:
            problems.append(
                f"{path.name} maps cue time 0 to MPEGTS {mapping.group(1)}, "
                f"the video starts at {first_pts}"
            )
        if "-->" not in text:
            continue
        try:
            cues = read_cues(text.encode("utf-8"), CaptionFormat.WEBVTT)
        except CaptionFileError as exc:
            problems.append(f"{path.name} {exc}")
            continue
        cue_count += len(cues)
        outside = [c for c in cues if c.end_s <= start or c.start_s >= end]
        if outside:
            problems.append(f"{path.name} holds a cue at {outside[0].start_s:.3f} s, outside it")
    ctx.add(
        "subtitles.segments",
        not problems,
        "; ".join(problems[:3])
        if problems
        else f"{len(segments)} WebVTT segment(s) mapped to the video's timestamps",
        label,
    )
    ctx.add(
        "subtitles.cues",
        cue_count > 0,
        f"{cue_count} cue(s)" if cue_count else "the caption track holds no cue",
        label,
    )
    return cue_count

"""Audio rendition groups (``EXT-X-MEDIA:TYPE=AUDIO``), as MediaConvert writes them
(docs/audio-groups.md).

Check ids:

* ``audio.group`` - each AUDIO rendition has GROUP-ID, NAME and URI, a LANGUAGE that is a
  language tag when given, at most one DEFAULT=YES per group, and every ``AUDIO=`` of a
  variant names an existing group
* ``audio.renditions`` - each rendition's playlist and segments are read and checked as a
  variant's are (syntax, VOD, ENDLIST, segments present and demuxed, EXTINF), and its
  segments hold audio and no video

A variant that names an audio group plays that group's audio with its own segments: its
measured bandwidth (peak and average) includes the group's largest rendition, as RFC 8216
(4.3.4.2) counts BANDWIDTH and as the master declares it, and its CODECS name the
group's codecs beside its own streams'.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from vod_testbed.hls.checks import playlist, timing
from vod_testbed.hls.loading import load_rendition
from vod_testbed.hls.model import Context, Rendition

# RFC 5646 in outline: a primary subtag of 2-3 letters, then subtags.
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


def audio_group_of(r: Rendition) -> str | None:
    """The audio group a variant names (its ``AUDIO=``), or None."""
    return getattr(r.stream_info, "audio", None)


def load_audio_renditions(ctx: Context, master: Any) -> dict[str, list[Rendition]]:
    """Every AUDIO rendition of the master with a URI, read as variants are, by group."""
    groups: dict[str, list[Rendition]] = {}
    for media in master.media:
        if media.type != "AUDIO" or not media.uri:
            continue
        info = SimpleNamespace(
            resolution=None, codecs=None, frame_rate=None, bandwidth=None, average_bandwidth=None
        )
        rendition = Rendition(ctx.rendition_name(media.uri), media.uri, info)
        load_rendition(ctx, rendition)
        groups.setdefault(media.group_id or "", []).append(rendition)
    return groups


def add_group_media(renditions: list[Rendition], groups: dict[str, list[Rendition]]) -> None:
    """A variant naming an audio group is measured with the group's largest rendition, and
    its CODECS must name the group's codecs too."""
    for r in renditions:
        members = groups.get(audio_group_of(r) or "", [])
        r.group_codecs = frozenset(
            c for m in members if m.figures.codecs for c in m.figures.codecs.split(",")
        )
        fig = r.figures
        peaks = [m.figures.peak_bandwidth for m in members if m.figures.peak_bandwidth]
        averages = [m.figures.average_bandwidth for m in members if m.figures.average_bandwidth]
        if fig.peak_bandwidth and peaks:
            fig.peak_bandwidth += max(peaks)
        if fig.average_bandwidth and averages:
            fig.average_bandwidth += max(averages)


def check_audio_groups(
    ctx: Context, master: Any, renditions: list[Rendition], groups: dict[str, list[Rendition]]
) -> set[Path]:
    """Run the audio group checks; returns the files the audio renditions reference."""
    tracks = [m for m in master.media if m.type == "AUDIO"]
    named = {audio_group_of(r) for r in renditions} - {None}
    if not tracks and not named:
        return set()
    problems = []
    for track in tracks:
        label = track.name or track.uri or "?"
        missing = [a for a in ("group_id", "name", "uri") if not getattr(track, a)]
        if missing:
            problems.append(
                f"{label}: no {', '.join(m.upper().replace('_', '-') for m in missing)}"
            )
        if track.language is not None and not _LANGUAGE.match(track.language):
            problems.append(f'{label}: LANGUAGE="{track.language}" is not a language tag')
    for group in {t.group_id for t in tracks}:
        defaults = [t for t in tracks if t.group_id == group and t.default == "YES"]
        if len(defaults) > 1:
            problems.append(f'group "{group}" has {len(defaults)} DEFAULT=YES renditions')
    existing = {t.group_id for t in tracks}
    for r in renditions:
        wanted = audio_group_of(r)
        if wanted is not None and wanted not in existing:
            problems.append(f'variant {r.uri} names AUDIO="{wanted}", which does not exist')
    ctx.add(
        "audio.group",
        not problems,
        "; ".join(problems)
        if problems
        else f"{len(tracks)} audio rendition(s) in group(s) {', '.join(sorted(existing))}; "
        "every AUDIO= resolves",
    )
    referenced: set[Path] = set()
    for members in groups.values():
        for r in members:
            referenced |= _check_rendition(ctx, r)
    return referenced


def _check_rendition(ctx: Context, r: Rendition) -> set[Path]:
    path = ctx.resolve(r.uri)
    referenced = {path.resolve()} if path is not None and path.is_file() else set()
    referenced |= {s.path.resolve() for s in r.segments if s.size is not None}
    if r.playlist is None:
        return referenced  # load_rendition reported why
    playlist.check_media_playlist(ctx, r)
    if r.complete:
        timing.check_extinf(ctx, r)
    video = [s.uri for s in r.segments if s.media is not None and s.media.video_packets]
    silent = [s.uri for s in r.segments if s.media is not None and s.media.audio is None]
    ok = r.complete and not video and not silent
    ctx.add(
        "audio.renditions",
        ok,
        f"{len(r.segments)} segment(s) of audio alone"
        if ok
        else "; ".join(
            p
            for p in (
                "" if r.complete else "not every segment could be read",
                f"video in {', '.join(video)}" if video else "",
                f"no audio in {', '.join(silent)}" if silent else "",
            )
            if p
        ),
        r.name,
    )
    return referenced

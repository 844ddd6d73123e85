"""Fragmented-MP4 HLS (CMAF): the init segment of ``EXT-X-MAP`` and the boxes of every
segment, read with :mod:`vod_testbed.media.fmp4`, for the variants and for the audio
renditions (``EXT-X-MEDIA``) that the master names.

Check ids:

* ``fmp4.init`` - the map's file is ftyp + moov of one track (CMAF brand ``cmfc`` noted)
* ``fmp4.fragments`` - each segment is moof + mdat fragments, numbered upwards, each
  fragment starting where the previous one ended (tfdt), the first on a sync sample
* ``fmp4.duration`` - each segment's samples last its EXTINF (within 50 ms)
* ``fmp4.fragment-length`` - no fragment longer than ``fragment_seconds`` plus one frame,
  when the caller says what was asked for

Segments are demuxed for the other checks as their init segment followed by them
(:func:`inspect_fmp4`), which is what a player feeds its decoder.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import m3u8

from vod_testbed.hls.model import Context
from vod_testbed.media.fmp4 import Fmp4Error, Fragment, Init, read_fragments, read_init
from vod_testbed.media.segments import SegmentMedia, inspect_segment

EXTINF_TOLERANCE_S = 0.05


def map_path(playlist: Any, folder: Path) -> Path | None:
    """The local init segment a media playlist maps (``EXT-X-MAP``), if it maps one."""
    maps = getattr(playlist, "segment_map", None) or []
    uri = maps[0].uri if maps else None
    if not uri or "://" in uri or uri.startswith("/"):
        return None
    return folder / uri


def inspect_fmp4(init: Path, segment: Path) -> SegmentMedia:
    """Demux one fMP4 segment behind its init segment.

    Raises:
        av.error.FFmpegError: the two do not make readable media.
        OSError: either cannot be read.
    """
    with tempfile.NamedTemporaryFile(suffix=".mp4") as joined:
        joined.write(init.read_bytes() + segment.read_bytes())
        joined.flush()
        media = inspect_segment(Path(joined.name))
    media.path = segment
    return media


def sync_offsets(init: Path, segment: Path) -> set[int]:
    """Byte offsets of the fragments of ``segment`` that open on a sync sample (where an
    I-frame range may start).

    Raises:
        Fmp4Error, OSError: the files are not readable fMP4.
    """
    track = read_init(init.read_bytes())
    return {f.offset for f in read_fragments(segment.read_bytes(), track) if f.starts_with_sync}


def check_fmp4_playlists(
    ctx: Context, master: Any, fragment_seconds: float | None = None
) -> set[Path]:
    """Every check above for each fMP4 media playlist the master names; returns the files
    they reference (audio renditions' playlists and segments, init segments)."""
    uris = [v.uri for v in master.playlists]
    uris += [m.uri for m in master.media if m.type == "AUDIO" and m.uri]
    referenced: set[Path] = set()
    for uri in uris:
        path = ctx.resolve(uri)
        if path is None or not path.is_file():
            ctx.add("files.exist", False, f"media playlist {uri} does not exist", uri)
            continue
        try:
            playlist = m3u8.loads(path.read_text(encoding="utf-8", errors="replace"))
        except Exception as exc:  # m3u8 raises bare ValueError/IndexError on bad tags
            ctx.add("playlist.syntax", False, f"{uri} cannot be parsed: {exc}", uri)
            continue
        init = map_path(playlist, ctx.folder)
        if init is None:
            continue
        referenced |= {path.resolve(), init.resolve()}
        referenced |= {(ctx.folder / s.uri).resolve() for s in playlist.segments}
        _check_playlist(ctx, uri, playlist, init, fragment_seconds)
    return referenced


def _check_playlist(
    ctx: Context, name: str, playlist: Any, init_path: Path, fragment_seconds: float | None
) -> None:
    try:
        init = read_init(init_path.read_bytes())
    except (OSError, Fmp4Error) as exc:
        ctx.add("fmp4.init", False, f"{init_path.name}: {exc}", name)
        return
    brand = "CMAF brand cmfc" if "cmfc" in init.brands else f"brands {', '.join(init.brands)}"
    ctx.add("fmp4.init", True, f"{init_path.name}: {init.codecs} track, {brand}", name)
    problems, timing, longest = [], [], 0.0
    previous: Fragment | None = None
    for segment in playlist.segments:
        try:
            fragments = read_fragments((ctx.folder / segment.uri).read_bytes(), init)
        except (OSError, Fmp4Error) as exc:
            problems.append(f"{segment.uri}: {exc}")
            continue
        problems += _order(segment.uri, fragments, previous, init)
        previous = fragments[-1]
        seconds = sum(f.duration for f in fragments) / init.timescale
        if abs(seconds - float(segment.duration or 0)) > EXTINF_TOLERANCE_S:
            timing.append(f"{segment.uri} lasts {seconds:.3f} s, EXTINF {segment.duration}")
        longest = max([longest] + [f.duration / init.timescale for f in fragments[:-1]])
    ctx.add(
        "fmp4.fragments",
        not problems,
        "; ".join(problems[:5])
        if problems
        else f"{len(playlist.segments)} segment(s) of fragments",
        name,
    )
    ctx.add(
        "fmp4.duration",
        not timing,
        "; ".join(timing[:5]) if timing else "every segment's samples last its EXTINF",
        name,
    )
    if fragment_seconds is not None:
        frame = 0.1  # a frame at 10 fps or more; AAC frames are shorter
        ok = longest <= fragment_seconds + frame
        ctx.add(
            "fmp4.fragment-length",
            ok,
            f"longest fragment {longest:.3f} s for {fragment_seconds:g} s asked for",
            name,
        )


def _order(uri: str, fragments: list[Fragment], previous: Fragment | None, init: Init) -> list[str]:
    """Sequence numbers upwards, decode times without gaps, a sync sample first."""
    problems = []
    if init.handler == "vide" and not fragments[0].starts_with_sync:
        problems.append(f"{uri} does not start with a sync sample")
    for fragment in fragments:
        if previous is not None:
            if fragment.sequence <= previous.sequence:
                problems.append(f"{uri}: fragment {fragment.sequence} after {previous.sequence}")
            if fragment.decode_time != previous.decode_time + previous.duration:
                problems.append(
                    f"{uri}: a fragment starts at {fragment.decode_time}, the previous one "
                    f"ended at {previous.decode_time + previous.duration}"
                )
        previous = fragment
    return problems

"""Trick-play tiles (``EXT-X-IMAGE-STREAM-INF``, Image Media Playlist v0.4): each image
playlist is one, its ``EXT-X-TILES`` agree with the multivariant playlist and with each
other, every tile is a JPEG of the grid's size (read from the file, not the playlist), and
the tiles cover the video: as many as its duration over the thumbnails' interval calls for.

The playlists are read by :func:`~vod_testbed.backends.trickplay.parse_image_playlist`
(the m3u8 library does not read ``EXT-X-TILES``); a playlist that is broken or hostile
gets a failed check naming what is wrong, never an exception.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from vod_testbed.backends.trickplay import ImagePlaylistError, Tile, parse_image_playlist
from vod_testbed.hls.model import Context, Rendition
from vod_testbed.media.tiles import jpeg_file_size

# The playlist of an hour at one thumbnail a second is a few hundred kB; past this it is not
# a trick-play playlist.
MAX_PLAYLIST_BYTES = 8 << 20


def _tile_problems(folder: Path, tiles: list[Tile]) -> list[str]:
    """Tiles missing, escaping the folder, not JPEG, or not of the grid's size."""
    problems = []
    for tile in tiles:
        if "/" in tile.uri or "\\" in tile.uri or tile.uri.startswith("."):
            problems.append(f"{tile.uri[:80]} (not a file beside the playlist)")
            continue
        want = (tile.resolution[0] * tile.layout[0], tile.resolution[1] * tile.layout[1])
        try:
            size = jpeg_file_size(folder / tile.uri)
        except (OSError, ValueError) as exc:
            problems.append(f"{tile.uri} ({exc.strerror if isinstance(exc, OSError) else exc})")
            continue
        if size != want:
            problems.append(f"{tile.uri} is {size[0]}x{size[1]}, the grid {want[0]}x{want[1]}")
    return problems


def _check_count(ctx: Context, name: str, tiles: list[Tile], duration_s: float) -> None:
    interval = tiles[0].duration
    per_tile = tiles[0].layout[0] * tiles[0].layout[1]
    covered = sum(t.extinf for t in tiles)
    thumbnails = max(1, math.ceil(duration_s / interval - 1e-6))
    expected = math.ceil(thumbnails / per_tile)
    overfull = [t.uri for t in tiles if t.extinf > per_tile * t.duration + 0.01]
    problems = []
    if abs(len(tiles) - expected) > 1:
        problems.append(f"{len(tiles)} tile(s) where {expected} are due")
    if abs(covered - duration_s) > interval + 0.05:
        problems.append(f"the tiles cover {covered:.3f} s of {duration_s:.3f} s")
    if overfull:
        problems.append(f"EXTINF longer than the grid's thumbnails: {', '.join(overfull[:5])}")
    ctx.add(
        "tiles.count",
        not problems,
        "; ".join(problems)
        if problems
        else f"{len(tiles)} tile(s) of {per_tile} thumbnail(s), one per {interval:g} s, "
        f"cover {covered:.3f} s of {duration_s:.3f} s",
        name,
    )


def check_image_playlists(ctx: Context, master: Any, renditions: list[Rendition]) -> None:
    """``tiles.playlist``, ``tiles.image`` and ``tiles.count`` for each image playlist."""
    durations = [r.figures.duration_s for r in renditions if r.figures.duration_s]
    duration = ctx.source_duration_s or max(durations, default=0.0)
    for variant in master.image_playlists:
        name = str(variant.uri or "")
        path = ctx.resolve(name)
        try:
            if path is None or "/" in name or not path.is_file():
                raise ImagePlaylistError("is not a playlist beside the multivariant playlist")
            if path.stat().st_size > MAX_PLAYLIST_BYTES:
                raise ImagePlaylistError(f"is larger than {MAX_PLAYLIST_BYTES} bytes")
            tiles = parse_image_playlist(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ImagePlaylistError) as exc:
            ctx.add("tiles.playlist", False, f"{name[:120]}: {exc}", name[:120])
            continue
        first = tiles[0]
        info = variant.image_stream_info
        mixed = {(t.resolution, t.layout, t.duration) for t in tiles[:-1]}
        problems = []
        if len(mixed) > 1:
            problems.append("EXT-X-TILES differ between tiles")
        if info is None or tuple(info.resolution or ()) != first.resolution:
            problems.append(
                f"EXT-X-IMAGE-STREAM-INF RESOLUTION is not the tiles' {first.resolution[0]}x"
                f"{first.resolution[1]}"
            )
        if info is None or (info.codecs or "").lower() != "jpeg":
            problems.append('EXT-X-IMAGE-STREAM-INF lacks CODECS="jpeg"')
        ctx.add(
            "tiles.playlist",
            not problems,
            "; ".join(problems)
            if problems
            else f"{len(tiles)} tile(s) of {first.layout[0]}x{first.layout[1]} thumbnails of "
            f"{first.resolution[0]}x{first.resolution[1]}",
            name,
        )
        bad = _tile_problems(ctx.folder, tiles)
        ctx.add(
            "tiles.image",
            not bad,
            f"tile(s) wrong: {', '.join(bad[:5])}"
            if bad
            else f"every tile is a JPEG of {first.resolution[0] * first.layout[0]}x"
            f"{first.resolution[1] * first.layout[1]}",
            name,
        )
        if duration > 0:
            _check_count(ctx, name, tiles, duration)

"""Image-based trick play: what MediaConvert's ``ImageBasedTrickPlay`` asks for, the tile
sets it becomes for one source, their object names and their image media playlists
(docs/packaging.md, "Image-based trick play"). Pure: nothing here runs ffmpeg.

A :class:`TrickPlay` is the group setting (``THUMBNAIL``, ``THUMBNAIL_AND_FULLFRAME`` or
``ADVANCED`` with its ``ImageBasedTrickPlaySettings``). :func:`tile_sets` resolves it for a
source: each :class:`TileSet` is one image playlist of JPEG tiles, a grid of
``columns`` x ``rows`` thumbnails of ``width`` x ``height``, one thumbnail every
``interval_s`` seconds (the first frame, then one per interval, as frame captures are
taken). :func:`image_playlist` writes its playlist as the Image Media Playlist
specification (v0.4, which Roku implements) describes it.
"""

from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass
from fractions import Fraction


class TrickPlayMode(enum.StrEnum):
    """``HlsImageBasedTrickPlay`` (and CMAF's and DASH's, which share the values)."""

    THUMBNAIL = "THUMBNAIL"
    THUMBNAIL_AND_FULLFRAME = "THUMBNAIL_AND_FULLFRAME"
    ADVANCED = "ADVANCED"


# ThumbnailWidth: "Default is 312" (service model). The 3x3 grid is that of the Roku
# specification's example playlist, whose 312x176 thumbnails are MediaConvert's default
# width on a 16:9 source; AWS documents no other default (docs/packaging.md).
DEFAULT_THUMBNAIL_WIDTH = 312
DEFAULT_TILE_COLUMNS = 3
DEFAULT_TILE_ROWS = 3
# ThumbnailHeight: "If following the aspect ratio would lead to a total tile height greater
# than 4096, then the job will be rejected" (service model).
MAX_TILE_HEIGHT = 4096


@dataclass(frozen=True)
class TrickPlay:
    """An output group's image-based trick play. ``interval_s`` None is ``FOLLOW_IFRAME``
    (one thumbnail per IDR frame, the GOP's cadence); a number is ``FOLLOW_CUSTOM``.
    ``thumbnail_height`` None keeps the source's aspect ratio."""

    mode: TrickPlayMode = TrickPlayMode.THUMBNAIL
    tile_columns: int = DEFAULT_TILE_COLUMNS
    tile_rows: int = DEFAULT_TILE_ROWS
    thumbnail_width: int = DEFAULT_THUMBNAIL_WIDTH
    thumbnail_height: int | None = None
    interval_s: Fraction | None = None

    def __post_init__(self) -> None:
        if self.thumbnail_width % 8 or not 8 <= self.thumbnail_width <= 4096:
            raise ValueError("ThumbnailWidth must be 8..4096 and divisible by 8")
        if self.thumbnail_height is not None and (
            self.thumbnail_height % 2 or not 2 <= self.thumbnail_height <= 4096
        ):
            raise ValueError("ThumbnailHeight must be 2..4096 and divisible by 2")
        if not 1 <= self.tile_columns <= 512 or not 1 <= self.tile_rows <= 2048:
            raise ValueError("TileWidth must be 1..512 and TileHeight 1..2048")
        if self.thumbnail_height is not None and self.thumbnail_height * self.tile_rows > (
            MAX_TILE_HEIGHT
        ):
            raise ValueError(f"a tile may be at most {MAX_TILE_HEIGHT} px tall")
        if self.interval_s is not None and self.interval_s <= 0:
            raise ValueError("ThumbnailInterval must be above 0 with FOLLOW_CUSTOM")


@dataclass(frozen=True)
class TileSet:
    """One image playlist: its name part (``Thumbnail``, ``FullFrame``), the thumbnail size,
    the grid and the cadence."""

    kind: str
    width: int
    height: int
    columns: int
    rows: int
    interval_s: Fraction

    @property
    def per_tile(self) -> int:
        return self.columns * self.rows

    @property
    def tile_size(self) -> tuple[int, int]:
        return self.width * self.columns, self.height * self.rows


def _even(value: Fraction) -> int:
    return max(2, int(value / 2 + Fraction(1, 2)) * 2)


def thumbnail_size(spec: TrickPlay, display: tuple[int, int]) -> tuple[int, int]:
    """The thumbnail's size: the width asked for, the height by the source's aspect ratio
    (rounded to an even number) unless it was given."""
    width, height = display
    if spec.thumbnail_height is not None:
        return spec.thumbnail_width, spec.thumbnail_height
    return spec.thumbnail_width, _even(Fraction(spec.thumbnail_width * height, width))


def check_tile_height(spec: TrickPlay, display: tuple[int, int]) -> None:
    """Raises ValueError when the tile would be taller than MediaConvert accepts."""
    _, height = thumbnail_size(spec, display)
    if height * spec.tile_rows > MAX_TILE_HEIGHT:
        raise ValueError(
            f"a tile of {spec.tile_rows} thumbnails of {height} px is taller than "
            f"{MAX_TILE_HEIGHT} px"
        )


def interval_frames(spec: TrickPlay, frame_rate: Fraction, gop_seconds: Fraction) -> int:
    """Frames between thumbnails: the GOP's (``FOLLOW_IFRAME``), or the interval rounded to
    whole frames, as MediaConvert rounds it ("at 29.97 fps, 5 s is a 150 frame interval")."""
    seconds = spec.interval_s if spec.interval_s is not None else gop_seconds
    return max(1, round(seconds * frame_rate))


def tile_sets(
    spec: TrickPlay,
    display: tuple[int, int],
    frame_rate: Fraction,
    gop_seconds: Fraction,
    full_frame: tuple[int, int],
) -> tuple[TileSet, ...]:
    """The image playlists a group writes for a source whose picture is ``display`` (after
    rotation), at ``frame_rate`` on a keyframe grid of ``gop_seconds``, whose largest
    rendition is ``full_frame``.

    Raises:
        ValueError: the tile would be taller than MediaConvert accepts.
    """
    check_tile_height(spec, display)
    interval = Fraction(interval_frames(spec, frame_rate, gop_seconds)) / frame_rate
    width, height = thumbnail_size(spec, display)
    sets = [TileSet("Thumbnail", width, height, spec.tile_columns, spec.tile_rows, interval)]
    if spec.mode is TrickPlayMode.THUMBNAIL_AND_FULLFRAME:
        sets.append(TileSet("FullFrame", full_frame[0], full_frame[1], 1, 1, interval))
    return tuple(sets)


# -- names ---------------------------------------------------------------------------------


def image_playlist_name(base: str, tiles: TileSet) -> str:
    """``master_Thumbnail.m3u8``: the destination's base and the set's kind."""
    return f"{base}_{tiles.kind}.m3u8"


def tile_pattern(base: str, tiles: TileSet) -> str:
    """printf-style pattern of a set's tile images (ffmpeg's ``%09d``)."""
    return f"{base}_{tiles.kind}_%09d.jpg"


def tile_name(base: str, tiles: TileSet, index: int) -> str:
    """``master_Thumbnail_000000001.jpg``: nine digits, from 1."""
    return f"{base}_{tiles.kind}_{index:09d}.jpg"


# -- playlists ------------------------------------------------------------------------------


def thumbnail_count(duration_s: float, interval_s: Fraction) -> int:
    """Thumbnails of a picture ``duration_s`` long: the first frame, then one per interval
    started before the end."""
    if duration_s <= 0:
        return 0
    return max(1, math.ceil(Fraction(duration_s) / interval_s - Fraction(1, 10**6)))


def tile_count(duration_s: float, tiles: TileSet) -> int:
    return math.ceil(thumbnail_count(duration_s, tiles.interval_s) / tiles.per_tile)


def tile_spans(duration_s: float, tiles: TileSet, count: int | None = None) -> list[float]:
    """The time each of ``count`` tiles (by default as many as the duration gives) covers:
    its thumbnails' intervals, the last one cut at the end (or one interval when a last
    thumbnail falls on the end itself)."""
    per_tile = float(tiles.interval_s) * tiles.per_tile
    count = tile_count(duration_s, tiles) if count is None else count
    spans = [per_tile] * count
    if spans:
        rest = duration_s - (count - 1) * per_tile
        spans[-1] = min(per_tile, rest) if rest > 1e-6 else float(tiles.interval_s)
    return spans


def image_playlist(base: str, tiles: TileSet, spans: list[float]) -> str:
    """The image media playlist of a set (Image Media Playlist v0.4): ``EXT-X-IMAGES-ONLY``,
    and for each tile its ``EXTINF`` (the time it covers, ``spans``) and ``EXT-X-TILES``
    (each thumbnail's RESOLUTION, the grid as LAYOUT, each thumbnail's DURATION)."""
    lines = [
        "#EXTM3U",
        "#EXT-X-VERSION:7",
        f"#EXT-X-TARGETDURATION:{max([math.ceil(s) for s in spans] + [1])}",
        "#EXT-X-MEDIA-SEQUENCE:1",
        "#EXT-X-PLAYLIST-TYPE:VOD",
        "#EXT-X-IMAGES-ONLY",
    ]
    for index, span in enumerate(spans, start=1):
        lines += [
            f"#EXTINF:{span:.3f},",
            f"#EXT-X-TILES:RESOLUTION={tiles.width}x{tiles.height},"
            f"LAYOUT={tiles.columns}x{tiles.rows},DURATION={float(tiles.interval_s):.3f}",
            tile_name(base, tiles, index),
        ]
    lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


def image_stream_inf(tiles: TileSet, uri: str, bandwidth: int) -> str:
    """The multivariant playlist's line for a set (``EXT-X-IMAGE-STREAM-INF``)."""
    return (
        f"#EXT-X-IMAGE-STREAM-INF:BANDWIDTH={bandwidth},"
        f'RESOLUTION={tiles.width}x{tiles.height},CODECS="jpeg",URI="{uri}"'
    )


def tile_bandwidth(sizes: list[int], spans: list[float]) -> int:
    """Peak bits per second of a set: each tile's bytes over the time it covers."""
    return max(
        (round(size * 8 / max(span, 1e-3)) for size, span in zip(sizes, spans, strict=True)),
        default=0,
    )


# -- reading an image playlist ---------------------------------------------------------------

_SIZE = re.compile(r"(\d{1,5})x(\d{1,5})")
_NUMBER = re.compile(r"\d{1,9}(?:\.\d{1,9})?")


@dataclass(frozen=True)
class Tile:
    uri: str
    extinf: float
    resolution: tuple[int, int]
    layout: tuple[int, int]
    duration: float


class ImagePlaylistError(ValueError):
    """An image playlist that does not follow the specification (the message says how)."""


def _attributes(value: str) -> dict[str, str]:
    pairs = (part.partition("=") for part in value.split(","))
    return {key.strip(): val.strip() for key, _, val in pairs}


def _tiles_tag(value: str, line: int) -> tuple[tuple[int, int], tuple[int, int], float]:
    attrs = _attributes(value)
    resolution = _SIZE.fullmatch(attrs.get("RESOLUTION", ""))
    layout = _SIZE.fullmatch(attrs.get("LAYOUT", ""))
    duration = attrs.get("DURATION", "")
    if resolution is None or layout is None or not _NUMBER.fullmatch(duration):
        raise ImagePlaylistError(f"line {line}: EXT-X-TILES needs RESOLUTION, LAYOUT, DURATION")
    size = (int(resolution[1]), int(resolution[2]))
    grid = (int(layout[1]), int(layout[2]))
    if 0 in size or 0 in grid or float(duration) <= 0:
        raise ImagePlaylistError(f"line {line}: EXT-X-TILES with a zero size, grid or duration")
    return size, grid, float(duration)


def parse_image_playlist(text: str) -> list[Tile]:
    """The tiles of an image media playlist, in order.

    Raises:
        ImagePlaylistError: not an ``EXT-X-IMAGES-ONLY`` VOD playlist whose every tile has
            an ``EXTINF`` and a well-formed ``EXT-X-TILES``.
    """
    lines = [line.strip() for line in text.splitlines()]
    if not lines or lines[0] != "#EXTM3U":
        raise ImagePlaylistError("does not start with #EXTM3U")
    if "#EXT-X-IMAGES-ONLY" not in lines:
        raise ImagePlaylistError("lacks EXT-X-IMAGES-ONLY")
    if "#EXT-X-ENDLIST" not in lines:
        raise ImagePlaylistError("lacks EXT-X-ENDLIST")
    tiles: list[Tile] = []
    extinf: float | None = None
    tag: tuple[tuple[int, int], tuple[int, int], float] | None = None
    for number, line in enumerate(lines, start=1):
        if line.startswith("#EXTINF:"):
            value = line[len("#EXTINF:") :].partition(",")[0]
            if not _NUMBER.fullmatch(value):
                raise ImagePlaylistError(f"line {number}: EXTINF {value!r} is not a duration")
            extinf = float(value)
        elif line.startswith("#EXT-X-TILES:"):
            tag = _tiles_tag(line[len("#EXT-X-TILES:") :], number)
        elif line and not line.startswith("#"):
            if extinf is None or tag is None:
                raise ImagePlaylistError(f"line {number}: {line} lacks EXTINF or EXT-X-TILES")
            tiles.append(Tile(line, extinf, *tag))
            extinf = None  # EXTINF is per tile; EXT-X-TILES may be written once
    if not tiles:
        raise ImagePlaylistError("lists no tile")
    return tiles

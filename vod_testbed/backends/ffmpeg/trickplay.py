"""Image-based trick play in the FFmpeg backend (docs/packaging.md, "Image-based trick
play").

The tiles come from the ladder's own ffmpeg process: each tile set is one more branch of
the decoded, normalised picture the renditions are split from (no second decode), which
keeps every ``interval`` th frame, scales it to the thumbnail's box and lays the
thumbnails out with ffmpeg's ``tile`` filter into JPEGs named as MediaConvert names them.
After the encode, :func:`write_image_playlists` writes each set's image playlist from the
tiles found and returns the multivariant playlist's ``EXT-X-IMAGE-STREAM-INF`` lines.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import ffmpeg

from vod_testbed.backends import trickplay
from vod_testbed.backends.ladder import Geometry, Ladder, RenditionPlan, fit_geometry
from vod_testbed.backends.trickplay import TileSet
from vod_testbed.common import errors

# mjpeg's qscale for tiles: MediaConvert documents no quality for trick-play images.
TILE_QSCALE = "4"


def plan_tile_sets(
    ladder: Ladder,
    display: tuple[int, int],
    frame_rate: Fraction,
    renditions: tuple[RenditionPlan, ...],
) -> tuple[TileSet, ...]:
    """The tile sets a ladder's trick play gives for this source; none without trick play.

    Raises:
        TranscodeError: the tile would be taller than MediaConvert accepts (a settings
            error, as AWS rejects the job).
    """
    if ladder.trick_play is None or ladder.audio_outputs_only or not renditions:
        return ()  # no picture, no thumbnails
    largest = max(renditions, key=lambda r: r.geometry.box_width * r.geometry.box_height)
    full_frame = (largest.geometry.box_width, largest.geometry.box_height)
    try:
        return trickplay.tile_sets(
            ladder.trick_play, display, frame_rate, Fraction(ladder.gop_seconds), full_frame
        )
    except ValueError as exc:
        raise errors.TranscodeError(
            errors.SETTINGS_ERROR, f"ImageBasedTrickPlaySettings: {exc}."
        ) from exc


def tile_outputs(
    branches: list[Any],
    tile_sets: tuple[TileSet, ...],
    frame_rate: Fraction,
    size: tuple[int, int],
    folder: Path,
    base: str,
    picture: Callable[[Any, Geometry, tuple[int, int]], Any],
) -> list[Any]:
    """One image2 output per tile set, each from its own branch of the split picture
    (``size`` is the branches' picture size, ``picture`` the ladder's scale-and-pad rule,
    :func:`vod_testbed.backends.ffmpeg.command.picture`). The picture is constant frame rate at
    ``frame_rate``, so keeping frame ``n`` where ``n`` is a multiple of the interval's
    frames is exact and never drifts."""
    outputs = []
    for branch, tiles in zip(branches, tile_sets, strict=True):
        every = max(1, round(tiles.interval_s * frame_rate))
        box = fit_geometry(tiles.width, tiles.height, *size)
        stream = picture(branch.filter("select", f"not(mod(n,{every}))"), box, size)
        stream = stream.filter("tile", f"{tiles.columns}x{tiles.rows}")
        outputs.append(
            ffmpeg.output(
                stream,
                str(folder / trickplay.tile_pattern(base, tiles)),
                f="image2",
                start_number="1",
                fps_mode="vfr",
                **{"c:v": "mjpeg", "q:v": TILE_QSCALE},
            )
        )
    return outputs


def tile_files(folder: Path, base: str, tiles: TileSet) -> list[Path]:
    """The tiles ffmpeg wrote for a set, in order."""
    return sorted(folder.glob(trickplay.tile_pattern(base, tiles).replace("%09d", "[0-9]" * 9)))


def write_image_playlists(
    folder: Path, base: str, tile_sets: tuple[TileSet, ...], duration_s: float
) -> tuple[list[str], list[Path], list[Path]]:
    """Write each set's image playlist; returns the master's lines, the playlists and the
    tiles.

    Raises:
        TranscodeError: the encoder wrote another number of tiles than the duration gives.
    """
    lines: list[str] = []
    playlists: list[Path] = []
    images: list[Path] = []
    for tiles in tile_sets:
        found = tile_files(folder, base, tiles)
        expected = trickplay.tile_count(duration_s, tiles)
        if not found or abs(len(found) - expected) > 1:
            raise errors.TranscodeError(
                errors.UNKNOWN_ERROR,
                f"The encoder wrote {len(found)} trick-play tile(s) where {expected} were due.",
            )
        spans = trickplay.tile_spans(duration_s, tiles, len(found))
        name = trickplay.image_playlist_name(base, tiles)
        (folder / name).write_text(trickplay.image_playlist(base, tiles, spans), encoding="utf-8")
        bandwidth = trickplay.tile_bandwidth([p.stat().st_size for p in found], spans)
        lines.append(trickplay.image_stream_inf(tiles, name, bandwidth))
        playlists.append(folder / name)
        images += found
    return lines, playlists, images

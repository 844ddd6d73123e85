"""A WebVTT storyboard of a video's trick-play tiles, for players that do not read image
playlists (hls.js among them): ``GET /play/{id}/thumbs.vtt?token=...``.

The multivariant playlist names its image playlists (``EXT-X-IMAGE-STREAM-INF``); the
smallest is read as playback serves it (each tile presigned), and each thumbnail of each
tile becomes one cue: its time span, and the tile's URL with a ``#xywh=x,y,w,h`` fragment
naming the thumbnail's place in the tile, the form video.js, Shaka and most seek-bar
preview code read (docs/packaging.md, "Seek-bar previews in the console").
"""

from __future__ import annotations

import m3u8

from vod_testbed.backends.trickplay import ImagePlaylistError, Tile, parse_image_playlist
from vod_testbed.pipeline.playback.service import (
    MASTER_NAME,
    PlaybackService,
    PlaylistNotFound,
)

STORYBOARD_NAME = "thumbs.vtt"
VTT_MIME = "text/vtt"


def _timestamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def storyboard_vtt(tiles: list[Tile]) -> str:
    """One cue per thumbnail: tiles in order, thumbnails left to right, top to bottom."""
    lines = ["WEBVTT", ""]
    start = 0.0
    for tile in tiles:
        width, height = tile.resolution
        columns, rows = tile.layout
        end_of_tile = start + tile.extinf
        for place in range(columns * rows):
            begin = start + place * tile.duration
            if begin >= end_of_tile - 1e-6:
                break
            end = min(begin + tile.duration, end_of_tile)
            x, y = (place % columns) * width, (place // columns) * height
            lines += [
                f"{_timestamp(begin)} --> {_timestamp(end)}",
                f"{tile.uri}#xywh={x},{y},{width},{height}",
                "",
            ]
        start = end_of_tile
    return "\n".join(lines)


def _preview_playlist(master_text: str) -> str | None:
    """The image playlist with the smallest thumbnails (the previews, not full frames)."""
    master = m3u8.loads(master_text)
    candidates = [
        (p.image_stream_info.resolution or (0, 0), str(p.uri))
        for p in master.image_playlists
        if p.uri and p.image_stream_info is not None
    ]
    if not candidates:
        return None
    _, uri = min(candidates, key=lambda c: c[0][0] * c[0][1])
    return uri.split("?", 1)[0]


def storyboard(service: PlaybackService, video_id: str, token: str | None) -> str:
    """The storyboard of a ready video, its tiles presigned until the token expires.

    Raises:
        PlaybackDenied: the token does not grant this video now.
        PlaylistNotFound: the video is not ready or has no trick play.
    """
    name = _preview_playlist(service.playlist(video_id, MASTER_NAME, token))
    if name is None:
        raise PlaylistNotFound(f"video {video_id} has no trick-play images")
    try:
        tiles = parse_image_playlist(service.playlist(video_id, name, token))
    except ImagePlaylistError as exc:
        raise PlaylistNotFound(f"{name} of {video_id} is not an image playlist: {exc}") from exc
    return storyboard_vtt(tiles)

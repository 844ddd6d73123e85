"""``/play/{id}/thumbs.vtt``: the WebVTT storyboard of a video's trick-play tiles, one cue
per thumbnail pointing into its presigned tile, behind the same token as the playlists."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient

from tests.support.pipeline import playback_app, publish_ready
from vod_testbed.backends import trickplay
from vod_testbed.backends.trickplay import Tile, TileSet
from vod_testbed.common.clock import ManualClock
from vod_testbed.pipeline.assets.content_service import ContentService
from vod_testbed.pipeline.playback.storyboard import storyboard_vtt
from vod_testbed.storage.s3 import Storage

TILES = TileSet("Thumbnail", 312, 176, 3, 3, Fraction(2))
FULL = TileSet("FullFrame", 1280, 720, 1, 1, Fraction(2))
MASTER = (
    "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=640x360\nmaster_360p.m3u8\n"
    + trickplay.image_stream_inf(FULL, "master_FullFrame.m3u8", 9000)
    + "\n"
    + trickplay.image_stream_inf(TILES, "master_Thumbnail.m3u8", 9000)
    + "\n"
)


@pytest.fixture
def app(service: ContentService) -> Flask:
    return playback_app(service, ManualClock(1.9e9))


@pytest.fixture
def video_with_tiles(
    service: ContentService, storage: Storage, new_asset: Callable[..., dict[str, Any]]
) -> Callable[[str], dict[str, Any]]:
    def make(master: str) -> dict[str, Any]:
        video = new_asset()
        prefix = f"video/u/{uuid.uuid4().hex}-clip_processed/hls"
        spans = trickplay.tile_spans(20.0, TILES)  # ten thumbnails: two tiles
        objects = {
            f"{prefix}/master.m3u8": master,
            f"{prefix}/master_Thumbnail.m3u8": trickplay.image_playlist("master", TILES, spans),
            f"{prefix}/master_Thumbnail_000000001.jpg": "tile one",
            f"{prefix}/master_Thumbnail_000000002.jpg": "tile two",
        }
        encoded = {key: body.encode() for key, body in objects.items()}
        publish_ready(service, storage, video, encoded, f"{prefix}/master.m3u8")
        return video

    return make


def vtt_url(client: FlaskClient, video_id: str) -> str:
    playback = client.get(f"/videos/{video_id}").get_json()["playback"]
    master = playback["master_playlist_url"]
    return master.replace("master.m3u8", "thumbs.vtt").split("://", 1)[1].split("/", 1)[1]


def test_the_storyboard_has_a_cue_per_thumbnail_in_presigned_tiles(
    client: FlaskClient, video_with_tiles: Callable[[str], dict[str, Any]]
) -> None:
    video = video_with_tiles(MASTER)
    response = client.get("/" + vtt_url(client, video["id"]))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/vtt"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "WEBVTT"
    times = [line for line in lines if "-->" in line]
    assert len(times) == 10
    assert times[0] == "00:00:00.000 --> 00:00:02.000"
    assert times[-1] == "00:00:18.000 --> 00:00:20.000"
    targets = [line for line in lines if "#xywh=" in line]
    assert targets[0].endswith("#xywh=0,0,312,176")
    assert targets[4].endswith("#xywh=312,176,312,176")
    assert targets[9].endswith("#xywh=0,0,312,176") and "_000000002.jpg" in targets[9]
    tile = requests.get(targets[9].split("#", 1)[0], timeout=10)
    assert (tile.status_code, tile.content) == (200, b"tile two")


def test_a_bad_token_and_a_video_without_tiles_are_refused(
    client: FlaskClient, video_with_tiles: Callable[[str], dict[str, Any]]
) -> None:
    video = video_with_tiles(MASTER)
    url = vtt_url(client, video["id"])
    forged = client.get("/" + url[:-3] + ("AAA" if not url.endswith("AAA") else "BBB"))
    assert forged.status_code == 403 and forged.get_json() == {"error": "forbidden"}
    bare = video_with_tiles("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nmaster_360p.m3u8\n")
    assert client.get("/" + vtt_url(client, bare["id"])).status_code == 404


def test_a_last_tile_that_is_not_full_gets_only_its_thumbnails() -> None:
    tiles = [
        Tile("a.jpg", 18.0, (160, 90), (3, 3), 2.0),
        Tile("b.jpg", 3.0, (160, 90), (3, 3), 2.0),
    ]
    cues = [line for line in storyboard_vtt(tiles).splitlines() if "-->" in line]
    assert cues[-2:] == ["00:00:18.000 --> 00:00:20.000", "00:00:20.000 --> 00:00:21.000"]
    assert len(cues) == 11

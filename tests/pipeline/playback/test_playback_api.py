"""``GET /videos/{id}`` grants playback; ``/play/...`` serves rewritten playlists that a
player can follow with nothing but the URL, and refuses bad tokens with a bare 403."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import m3u8
import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient

from tests.support.pipeline import playback_app, publish_ready
from vod_testbed.common.clock import ManualClock
from vod_testbed.pipeline.assets.content_service import ContentService
from vod_testbed.pipeline.playback.service import GRANT_REUSE_S
from vod_testbed.storage.s3 import Storage

MASTER = """#EXTM3U
#EXT-X-VERSION:3
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=640x360
master_360p.m3u8
#EXT-X-STREAM-INF:BANDWIDTH=5400000,RESOLUTION=1920x1080
master_1080p.m3u8
"""


def media_playlist(rung: str) -> str:
    return (
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:6\n#EXT-X-PLAYLIST-TYPE:VOD\n"
        f"#EXTINF:6.0,\nmaster_{rung}_00001.ts\n#EXTINF:2.0,\nmaster_{rung}_00002.ts\n"
        "#EXT-X-ENDLIST\n"
    )


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(1_900_000_000.0)


@pytest.fixture
def app(service: ContentService, clock: ManualClock) -> Flask:
    return playback_app(service, clock)


@pytest.fixture
def ready_video(
    service: ContentService, storage: Storage, new_asset: Callable[..., dict[str, Any]]
) -> Callable[[], dict[str, Any]]:
    """A video whose ladder (two rungs, fake TS bytes) is in the bucket, made ready."""

    def make() -> dict[str, Any]:
        video = new_asset()
        prefix = f"video/u/{uuid.uuid4().hex}-clip_processed"
        objects = {f"{prefix}/hls/master.m3u8": MASTER.encode()}
        for rung in ("360p", "1080p"):
            objects[f"{prefix}/hls/master_{rung}.m3u8"] = media_playlist(rung).encode()
            for n in (1, 2):
                objects[f"{prefix}/hls/master_{rung}_0000{n}.ts"] = b"\x47" + rung.encode() * 50
        thumbnail = f"{prefix}/thumbnails/master_thumb.0000000.jpg"
        objects[thumbnail] = b"\xff\xd8jpeg"
        publish_ready(service, storage, video, objects, f"{prefix}/hls/master.m3u8", (thumbnail,))
        return video

    return make


def master_path(client: FlaskClient, video_id: str) -> str:
    playback = client.get(f"/videos/{video_id}").get_json()["playback"]
    url = urlsplit(playback["master_playlist_url"])
    return f"{url.path}?{url.query}"


def token_of(client: FlaskClient, video_id: str) -> str:
    return parse_qs(urlsplit(master_path(client, video_id)).query)["token"][0]


def get_playlist(client: FlaskClient, video_id: str, name: str) -> Any:
    """GET one of the video's playlists with a token minted for it."""
    return client.get(f"/play/{video_id}/{name}?token={token_of(client, video_id)}")


def test_a_ready_video_gets_a_tokened_playback_url_on_the_pipeline(
    client: FlaskClient, ready_video: Callable[[], dict[str, Any]]
) -> None:
    video = ready_video()
    playback = client.get(f"/videos/{video['id']}").get_json()["playback"]
    url = urlsplit(playback["master_playlist_url"])
    assert (url.scheme, url.netloc, url.path) == (
        "http",
        "localhost",
        f"/play/{video['id']}/master.m3u8",
    )
    assert parse_qs(url.query)["token"]
    assert playback["expires_in"] == 15 * 60


def test_a_grant_is_handed_out_again_for_a_minute_then_minted_anew(
    client: FlaskClient, ready_video: Callable[[], dict[str, Any]], clock: ManualClock
) -> None:
    video = ready_video()
    first = client.get(f"/videos/{video['id']}").get_json()["playback"]
    clock.advance(GRANT_REUSE_S - 1)
    again = client.get(f"/videos/{video['id']}").get_json()["playback"]
    # The same token and thumbnail URLs (a browser caches the images), a shorter life left.
    assert again["master_playlist_url"] == first["master_playlist_url"]
    assert again["thumbnail_urls"] == first["thumbnail_urls"]
    assert again["expires_at"] == first["expires_at"]
    assert again["expires_in"] == first["expires_in"] - (GRANT_REUSE_S - 1)
    clock.advance(1)
    fresh = client.get(f"/videos/{video['id']}").get_json()["playback"]
    assert fresh["master_playlist_url"] != first["master_playlist_url"]
    assert fresh["expires_at"] == first["expires_at"] + GRANT_REUSE_S
    assert fresh["expires_in"] == 15 * 60


def test_the_video_list_mints_no_playback_urls(
    client: FlaskClient, ready_video: Callable[[], dict[str, Any]]
) -> None:
    ready_video()
    (listed,) = client.get("/videos").get_json()["videos"]
    assert listed["status"] == "ready"
    assert listed["playback"] is None


def test_the_master_names_each_variant_by_a_tokened_relative_url(
    client: FlaskClient, ready_video: Callable[[], dict[str, Any]]
) -> None:
    video = ready_video()
    path = master_path(client, video["id"])
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.apple.mpegurl"
    token = parse_qs(urlsplit(path).query)["token"][0]  # the master's own token
    uris = [p.uri for p in m3u8.loads(response.get_data(as_text=True)).playlists]
    assert uris == [f"master_360p.m3u8?token={token}", f"master_1080p.m3u8?token={token}"]


def test_a_variant_names_each_segment_by_a_presigned_url_that_storage_serves(
    client: FlaskClient, ready_video: Callable[[], dict[str, Any]]
) -> None:
    response = get_playlist(client, ready_video()["id"], "master_1080p.m3u8")
    assert response.status_code == 200
    segments = m3u8.loads(response.get_data(as_text=True)).segments
    assert len(segments) == 2
    for segment in segments:
        assert "X-Amz-Signature=" in segment.uri
        got = requests.get(segment.uri, timeout=10)
        assert (got.status_code, got.content[:6]) == (200, b"\x471080p")


def test_thumbnails_are_presigned(
    client: FlaskClient, ready_video: Callable[[], dict[str, Any]]
) -> None:
    video = ready_video()
    playback = client.get(f"/videos/{video['id']}").get_json()["playback"]
    (thumbnail,) = playback["thumbnail_urls"]
    assert requests.get(thumbnail, timeout=10).content == b"\xff\xd8jpeg"


def assert_forbidden(response: Any) -> None:
    assert response.status_code == 403
    assert response.get_json() == {"error": "forbidden"}


def test_an_expired_token_gets_a_bare_403(
    client: FlaskClient, ready_video: Callable[[], dict[str, Any]], clock: ManualClock
) -> None:
    path = master_path(client, ready_video()["id"])
    clock.now += 15 * 60
    assert_forbidden(client.get(path))


def test_another_videos_token_gets_a_bare_403(
    client: FlaskClient, ready_video: Callable[[], dict[str, Any]]
) -> None:
    mine, theirs = ready_video(), ready_video()
    token = token_of(client, theirs["id"])
    assert_forbidden(client.get(f"/play/{mine['id']}/master.m3u8?token={token}"))
    assert_forbidden(client.get(f"/play/{mine['id']}/master_360p.m3u8?token={token}"))


@pytest.mark.parametrize("query", ["", "?token=", "?token=forged.token"])
def test_a_missing_or_forged_token_gets_a_bare_403_even_for_an_unknown_video(
    client: FlaskClient, ready_video: Callable[[], dict[str, Any]], query: str
) -> None:
    video = ready_video()
    assert_forbidden(client.get(f"/play/{video['id']}/master.m3u8{query}"))
    assert_forbidden(client.get(f"/play/{uuid.uuid4()}/master.m3u8{query}"))


def test_a_playlist_the_master_does_not_name_is_404(
    client: FlaskClient, ready_video: Callable[[], dict[str, Any]]
) -> None:
    response = get_playlist(client, ready_video()["id"], "master_720p.m3u8")
    assert response.status_code == 404
    assert response.get_json() == {"error": "no playlist 'master_720p.m3u8' for this video"}


def test_a_video_that_is_not_ready_has_no_playback(
    client: FlaskClient, new_asset: Callable[..., dict[str, Any]]
) -> None:
    video = new_asset()
    assert client.get(f"/videos/{video['id']}").get_json()["playback"] is None

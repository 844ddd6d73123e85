"""Encrypted ladders in the product: the trigger encrypts each video under its own derived
key, the media playlists point EXT-X-KEY at ``/play/<id>/key`` with the viewer's token, and
only a valid token for that video gets the key."""

from __future__ import annotations

import dataclasses
import logging
import uuid
from collections.abc import Callable
from typing import Any

import m3u8
import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.support.doubles import RecordingTranscoder
from tests.support.packaged import token_of
from tests.support.pipeline import AUTH_SECRET, SECRET, playback_app, publish_ready
from vod_testbed.backends.ladder import Ladder
from vod_testbed.common.clock import ManualClock
from vod_testbed.pipeline.assets.content_service import ContentService
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.hls_keys import KEY_URI, video_encryption, video_key
from vod_testbed.pipeline.trigger.handler import UploadTrigger
from vod_testbed.storage.s3 import Storage

KEY_SECRET = "hls-key-secret-for-tests"
MASTER = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-STREAM-INF:BANDWIDTH=900000\nmaster_360p.m3u8\n"
MEDIA = (
    "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:6\n#EXT-X-MEDIA-SEQUENCE:1\n"
    "#EXT-X-PLAYLIST-TYPE:VOD\n"
    f'#EXT-X-KEY:METHOD=AES-128,URI="{KEY_URI}",IV=0x{1:032X}\n'
    "#EXTINF:6.0,\nmaster_360p_00001.ts\n"
    f'#EXT-X-KEY:METHOD=AES-128,URI="{KEY_URI}",IV=0x{2:032X}\n'
    "#EXTINF:2.0,\nmaster_360p_00002.ts\n#EXT-X-ENDLIST\n"
)


@pytest.fixture
def pipeline_settings(backend_settings: Any, database_url: str) -> PipelineSettings:
    return PipelineSettings(
        backend=backend_settings,
        database_url=database_url,
        webhook_secret=SECRET,
        auth_jwt_secret=AUTH_SECRET,
        port=0,
        hls_encryption=True,
        hls_key_secret=KEY_SECRET,
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
    def make() -> dict[str, Any]:
        video = new_asset()
        prefix = f"video/u/{uuid.uuid4().hex}-clip_processed"
        objects = {
            f"{prefix}/hls/master.m3u8": MASTER.encode(),
            f"{prefix}/hls/master_360p.m3u8": MEDIA.encode(),
            f"{prefix}/hls/master_360p_00001.ts": b"encrypted",
            f"{prefix}/hls/master_360p_00002.ts": b"encrypted",
        }
        publish_ready(service, storage, video, objects, f"{prefix}/hls/master.m3u8")
        return video

    return make


def test_each_video_has_its_own_key_derived_from_the_secret() -> None:
    first, second = video_key(KEY_SECRET, "a"), video_key(KEY_SECRET, "b")
    assert len(first) == 16 and first != second
    assert video_key(KEY_SECRET, "a") == first != video_key(KEY_SECRET + "x", "a")
    with pytest.raises(ValueError, match="HLS_KEY_SECRET"):
        video_key("", "a")


def test_encryption_needs_a_secret() -> None:
    with pytest.raises(ValueError, match="HLS_KEY_SECRET"):
        PipelineSettings.from_env({"HLS_ENCRYPTION": "on"})
    on = PipelineSettings.from_env({"HLS_ENCRYPTION": "on", "HLS_KEY_SECRET": KEY_SECRET})
    assert on.hls_encryption and KEY_SECRET not in repr(on)


def test_the_media_playlist_points_its_keys_at_the_tokened_key_url(
    client: FlaskClient, ready_video: Callable[[], dict[str, Any]]
) -> None:
    video = ready_video()
    token = token_of(client, video["id"])
    text = client.get(f"/play/{video['id']}/master_360p.m3u8?token={token}").get_data(True)
    playlist = m3u8.loads(text)
    assert [k.uri for k in playlist.keys] == [f"key?token={token}"] * 2
    assert [k.iv for k in playlist.keys] == [f"0x{1:032X}", f"0x{2:032X}"]
    assert all("X-Amz-Signature=" in s.uri for s in playlist.segments)


def test_a_valid_token_gets_the_videos_key_and_nothing_caches_it(
    client: FlaskClient, ready_video: Callable[[], dict[str, Any]], caplog: Any
) -> None:
    video = ready_video()
    caplog.set_level(logging.DEBUG)
    response = client.get(f"/play/{video['id']}/key?token={token_of(client, video['id'])}")
    assert response.status_code == 200
    assert response.data == video_key(KEY_SECRET, video["id"])
    assert response.mimetype == "application/octet-stream"
    assert response.headers["Cache-Control"] == "no-store"
    key = video_key(KEY_SECRET, video["id"])
    assert all(key.hex() not in r.getMessage() for r in caplog.records)


def test_a_wrong_expired_or_other_videos_token_gets_no_key(
    client: FlaskClient, ready_video: Callable[[], dict[str, Any]], clock: ManualClock
) -> None:
    video, other = ready_video(), ready_video()
    token = token_of(client, video["id"])
    for bad in ("", "forged", token[:-2] + "xx", token_of(client, other["id"])):
        response = client.get(f"/play/{video['id']}/key?token={bad}")
        assert (response.status_code, response.get_json()) == (403, {"error": "forbidden"})
    clock.advance(15 * 60)
    assert client.get(f"/play/{video['id']}/key?token={token}").status_code == 403


def test_the_trigger_encrypts_the_ladder_under_the_videos_key(
    pipeline_settings: PipelineSettings,
) -> None:
    def ladder(settings: PipelineSettings) -> Ladder:
        trigger = UploadTrigger(settings, RecordingTranscoder(), reporter=None)  # type: ignore[arg-type]
        return trigger._ladder("video-1")

    encrypted = ladder(pipeline_settings)
    plain = ladder(pipeline_settings.replace(hls_encryption=False))
    assert encrypted.encryption == video_encryption(KEY_SECRET, "video-1")
    assert plain.encryption is None
    assert dataclasses.replace(encrypted, encryption=None) == plain

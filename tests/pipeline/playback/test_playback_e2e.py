"""End to end: a video uploaded through the API, transcoded for real, played by a Python
HLS client from its playback URL alone (the session's S3: embedded, or MinIO with
``TEST_S3=minio``)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tests.pipeline.playback.hls_client import follow
from tests.support.e2e_helpers import AUTH_SECRET, bearer, upload, wait_for
from vod_testbed.backends.ffmpeg.backend import FFmpegBackend
from vod_testbed.fixtures.media import clip_path
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.server import PipelineServer

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def played(
    backend_settings_module: PipelineSettings, ffmpeg_backend: FFmpegBackend
) -> Iterator[tuple[PipelineServer, str, str]]:
    server = PipelineServer(backend_settings_module, transcoder=ffmpeg_backend, port=0).start()
    try:
        video_id = upload(server.url, clip_path("short_2s"))
        assert wait_for(server.url, video_id, timeout_s=180)["status"] == "ready"
        detail = requests.get(
            f"{server.url}/videos/{video_id}", headers=bearer("e2e"), timeout=10
        ).json()
        yield server, video_id, detail["playback"]["master_playlist_url"]
    finally:
        server.stop()


@pytest.fixture(scope="module")
def backend_settings_module(backend_settings: object, module_database_url: str) -> PipelineSettings:
    return PipelineSettings(backend=backend_settings).replace(  # type: ignore[arg-type]
        database_url=module_database_url,
        webhook_secret="e2e",
        auth_jwt_secret=AUTH_SECRET,
        watch_interval_s=0.2,
        port=0,
    )


def test_a_player_follows_the_playback_url_through_every_variant_and_a_segment_of_each(
    played: tuple[PipelineServer, str, str],
) -> None:
    _server, _video_id, master_url = played
    walk = follow(master_url)
    assert [v.resolution for v in walk.variants] == [
        "1920x1080",
        "1280x720",
        "854x480",
        "640x360",
    ]
    for variant in walk.variants:
        assert variant.first_segment_bytes > 10_000
        assert all("X-Amz-Signature=" in url for url in variant.segment_urls)


def test_another_videos_token_is_refused_over_http(
    played: tuple[PipelineServer, str, str],
) -> None:
    server, video_id, master_url = played
    other = upload(server.url, clip_path("not_video"), "other.mp4")
    token = parse_qs(urlsplit(master_url).query)["token"][0]
    response = requests.get(f"{server.url}/play/{other}/master.m3u8?token={token}", timeout=10)
    assert (response.status_code, response.json()) == (403, {"error": "forbidden"})
    assert video_id != other


def test_a_video_without_an_mp4_offers_no_download(
    played: tuple[PipelineServer, str, str],
) -> None:
    server, video_id, master_url = played
    detail = requests.get(f"{server.url}/videos/{video_id}", headers=bearer("e2e"), timeout=10)
    assert "download_url" not in detail.json()["playback"]
    token = parse_qs(urlsplit(master_url).query)["token"][0]
    response = requests.get(f"{server.url}/play/{video_id}/download?token={token}", timeout=10)
    assert (response.status_code, response.json()) == (
        404,
        {"error": "this video has no MP4 download"},
    )

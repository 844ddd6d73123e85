"""End to end with MP4_DOWNLOADS on: an upload through the API, transcoded for real by the
FFmpeg backend, ends with a progressive MP4 beside its ladder, which a viewer with a
playback grant downloads through a short-lived URL, and nobody else can."""

from __future__ import annotations

import io
import posixpath
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import av
import pytest
import requests

from tests.support.e2e_helpers import AUTH_SECRET, bearer, upload, upload_with_captions, wait_for
from vod_testbed.backends.ffmpeg.backend import FFmpegBackend
from vod_testbed.fixtures.media import clip_path
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.server import PipelineServer
from vod_testbed.storage.s3 import Storage

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def ready(
    pipeline_settings_module: PipelineSettings, ffmpeg_backend: FFmpegBackend
) -> Iterator[tuple[PipelineServer, dict[str, Any]]]:
    settings = pipeline_settings_module.replace(mp4_downloads=True)
    server = PipelineServer(settings, transcoder=ffmpeg_backend, port=0).start()
    try:
        video_id = upload(server.url, clip_path("short_2s"), "Mon été (1).mp4")
        video = wait_for(server.url, video_id, timeout_s=120)
        assert video["status"] == "ready", video
        yield server, video
    finally:
        server.stop()


@pytest.fixture(scope="module")
def pipeline_settings_module(
    backend_settings: object, module_database_url: str
) -> PipelineSettings:
    return PipelineSettings(backend=backend_settings).replace(  # type: ignore[arg-type]
        database_url=module_database_url,
        webhook_secret="e2e",
        auth_jwt_secret=AUTH_SECRET,
        watch_interval_s=0.2,
        port=0,
    )


def _top_level_boxes(data: bytes) -> list[str]:
    boxes, offset = [], 0
    while offset + 8 <= len(data):
        size = int.from_bytes(data[offset : offset + 4], "big")
        boxes.append(data[offset + 4 : offset + 8].decode("latin-1"))
        if size < 8:
            break
        offset += size
    return boxes


def test_the_mp4_lies_beside_the_ladder_moov_first_and_plays(
    ready: tuple[PipelineServer, dict[str, Any]], storage: Storage
) -> None:
    server, video = ready
    prefix = posixpath.dirname(posixpath.dirname(video["master_playlist_key"]))
    body = storage.client.get_object(
        Bucket=server.settings.bucket, Key=f"{prefix}/mp4/master_720p.mp4"
    )["Body"].read()
    boxes = _top_level_boxes(body)
    assert boxes.index("moov") < boxes.index("mdat"), boxes
    with av.open(io.BytesIO(body), "r") as container:
        (picture,) = container.streams.video
        (sound,) = container.streams.audio
        assert (picture.codec_context.name, picture.width, picture.height) == ("h264", 1280, 720)
        assert sound.codec_context.name == "aac"
        frames = len(list(container.decode(video=0)))
    assert frames >= 50  # 2 s at 30 fps (MediaConvert keeps the source's rate)
    # The MP4's group is no frame capture: the thumbnails are still the JPEGs alone.
    assert video["thumbnail_keys"]
    assert all(key.endswith(".jpg") for key in video["thumbnail_keys"])
    # The ladder is untouched: its HLS outputs are where they always were.
    assert video["master_playlist_key"].endswith("_processed/hls/master.m3u8")


def _playback(server: PipelineServer, video_id: str, user: str = "e2e") -> dict[str, Any]:
    response = requests.get(f"{server.url}/videos/{video_id}", headers=bearer(user), timeout=10)
    assert response.status_code == 200, response.text
    block: dict[str, Any] = response.json()["playback"]
    return block


def test_a_viewer_with_a_grant_downloads_the_mp4_as_an_attachment(
    ready: tuple[PipelineServer, dict[str, Any]], storage: Storage
) -> None:
    server, video = ready
    link = _playback(server, video["id"])["download_url"]
    assert link.startswith(f"{server.url}/play/{video['id']}/download?token=")
    redirect = requests.get(link, allow_redirects=False, timeout=10)
    assert redirect.status_code == 302
    signed = redirect.headers["Location"]
    query = parse_qs(urlsplit(signed).query)
    assert "X-Amz-Signature" in query
    assert 0 < int(query["X-Amz-Expires"][0]) <= 300  # short-lived, whatever the token's life
    got = requests.get(signed, timeout=30)
    assert got.status_code == 200
    assert got.headers["Content-Disposition"] == 'attachment; filename="Mon-ete-1.mp4"'
    prefix = posixpath.dirname(posixpath.dirname(video["master_playlist_key"]))
    stored = storage.client.get_object(
        Bucket=server.settings.bucket, Key=f"{prefix}/mp4/master_720p.mp4"
    )["Body"].read()
    assert got.content == stored
    # The signature covers the disposition: a changed one is refused by the storage.
    tampered = signed.replace("Mon-ete-1.mp4", "other.mp4")
    assert requests.get(tampered, timeout=10).status_code == 403


def test_no_download_without_a_grant_for_this_video(
    ready: tuple[PipelineServer, dict[str, Any]],
) -> None:
    server, video = ready
    # A token of this video opens no other video's download.
    other = upload(server.url, clip_path("not_video"), "other.mp4")
    token = _playback_token(server, video["id"])
    for url in (
        f"{server.url}/play/{video['id']}/download",
        f"{server.url}/play/{video['id']}/download?token=forged",
        f"{server.url}/play/{other}/download?token={token}",
    ):
        response = requests.get(url, allow_redirects=False, timeout=10)
        assert (response.status_code, response.json()) == (403, {"error": "forbidden"}), url
    # A viewer outside the video's course gets no grant, so no link.
    response = requests.get(
        f"{server.url}/videos/{video['id']}", headers=bearer("intruder"), timeout=10
    )
    assert response.status_code in (403, 404)
    assert "download_url" not in response.text


def _playback_token(server: PipelineServer, video_id: str) -> str:
    link = _playback(server, video_id)["download_url"]
    return str(link.rpartition("token=")[2])


def test_a_video_with_caption_files_keeps_its_ladder_job_and_offers_no_mp4(
    ready: tuple[PipelineServer, dict[str, Any]],
) -> None:
    server, _video = ready
    english = b"WEBVTT\n\n00:00.000 --> 00:01.500\nHello\n"
    video_id, _ticket = upload_with_captions(
        server.url, clip_path("short_2s"), [("talk.en.vtt", english, "eng", "English")]
    )
    video = wait_for(server.url, video_id, timeout_s=120)
    assert video["status"] == "ready", video["error"]
    assert "download_url" not in _playback(server, video_id)


def test_a_video_without_sound_keeps_its_ladder_job_and_offers_no_mp4(
    ready: tuple[PipelineServer, dict[str, Any]],
) -> None:
    server, _video = ready
    video_id = upload(server.url, clip_path("no_audio"))
    video = wait_for(server.url, video_id, timeout_s=120)
    assert video["status"] == "ready", video["error"]
    assert "download_url" not in _playback(server, video_id)

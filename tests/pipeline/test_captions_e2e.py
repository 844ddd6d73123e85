"""Captions through the pipeline: caption files registered with a video, uploaded the same
presigned way, handed to the job; the ready video plays with its SUBTITLES group."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from tests.support.e2e_helpers import bearer, upload_with_captions, wait_for
from vod_testbed.backends.ffmpeg.backend import FFmpegBackend
from vod_testbed.fixtures.media import clip_path
from vod_testbed.hls.validation import validate_hls
from vod_testbed.pipeline.assets.content_service import ContentService
from vod_testbed.pipeline.assets.upload_requests import RegistrationUnavailable
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.db import Database
from vod_testbed.pipeline.server import PipelineServer
from vod_testbed.storage.s3 import Storage

pytestmark = pytest.mark.e2e

ENGLISH = b"1\n00:00:00,000 --> 00:00:02,900\nWelcome to the course\n"
FRENCH = b"WEBVTT\n\n00:00.000 --> 00:02.900\nBienvenue dans le cours\n"


@pytest.fixture
def server(
    pipeline_settings: PipelineSettings, ffmpeg_backend: FFmpegBackend
) -> Iterator[PipelineServer]:
    running = PipelineServer(pipeline_settings, transcoder=ffmpeg_backend, port=0).start()
    yield running
    running.stop()


def test_caption_files_become_the_videos_subtitle_tracks(
    server: PipelineServer, storage: Storage
) -> None:
    video_id, ticket = upload_with_captions(
        server.url,
        clip_path("small"),
        [("talk.en.srt", ENGLISH, "eng", "English"), ("talk.fr.vtt", FRENCH, "fra", "Français")],
    )
    assert [(c["language"], c["label"], c["format"]) for c in ticket["captions"]] == [
        ("eng", "English", "SRT"),
        ("fra", "Français", "WEBVTT"),
    ]
    assert ticket["captions"][0]["key"].endswith("_processed/captions/1.eng.srt")
    video = wait_for(server.url, video_id, timeout_s=120)
    assert video["status"] == "ready", video["error"]

    master_key = video["master_playlist_key"]
    report = validate_hls(f"s3://{server.settings.bucket}/{master_key}", storage=storage)
    assert report.ok, report.render_text()

    # Through playback, as a player gets it: the SUBTITLES group with the labels given.
    master = requests.get(video["playback"]["master_playlist_url"], timeout=10).content.decode()
    assert 'NAME="English",DEFAULT=YES' in master
    assert 'NAME="Français",DEFAULT=NO' in master
    subtitles = next(
        line.split('URI="', 1)[1].rstrip('"')
        for line in master.splitlines()
        if 'LANGUAGE="fra"' in line
    )
    base = video["playback"]["master_playlist_url"].rsplit("/", 1)[0]
    playlist = requests.get(f"{base}/{subtitles}", timeout=10)
    assert playlist.status_code == 200, playlist.text
    segment_url = next(line for line in playlist.text.splitlines() if line.startswith("http"))
    segment = requests.get(segment_url, timeout=10).text
    assert "Bienvenue dans le cours" in segment


def test_a_video_whose_captions_were_not_uploaded_first_fails_with_the_reason(
    server: PipelineServer,
) -> None:
    clip = clip_path("small")
    created = requests.post(
        f"{server.url}/videos",
        json={
            "filename": clip.name,
            "content_type": "video/mp4",
            "size": clip.stat().st_size,
            "course_id": "course-1",
            "captions": [
                {"filename": "a.srt", "content_type": "text/plain", "size": 10, "language": "eng"}
            ],
        },
        headers=bearer("e2e", roles=["instructor"]),
        timeout=10,
    ).json()
    with clip.open("rb") as body:
        requests.put(
            created["upload_url"], data=body, headers=created["upload_headers"], timeout=30
        )
    video = wait_for(server.url, created["id"], timeout_s=60)
    assert video["status"] == "failed"
    assert video["error"]["code"] == 1404
    assert (
        "caption file(s) 1 of 1 were not uploaded before the video" in (video["error"]["message"])
    )


def test_a_bad_caption_file_fails_the_video_with_the_jobs_reason(server: PipelineServer) -> None:
    video_id, _ = upload_with_captions(
        server.url, clip_path("small"), [("talk.srt", b"\x00\x01\x02 not text", "eng", "English")]
    )
    video = wait_for(server.url, video_id, timeout_s=60)
    assert video["status"] == "failed"
    assert video["error"]["code"] == 1010
    assert "Caption file 1.eng.srt (SRT, eng) is not a text file" in video["error"]["message"]


@pytest.mark.parametrize(
    ("caption", "field"),
    [
        ({"filename": "a.txt", "content_type": "text/plain", "size": 5, "language": "eng"},
         "captions[0].filename"),
        ({"filename": "a.srt", "content_type": "image/png", "size": 5, "language": "eng"},
         "captions[0].content_type"),
        ({"filename": "a.srt", "content_type": "text/plain", "size": 10**9, "language": "eng"},
         "captions[0].size"),
        ({"filename": "a.srt", "content_type": "text/plain", "size": 5, "language": "xx"},
         "captions[0].language"),
        ({"filename": "a.srt", "content_type": "text/plain", "size": 5, "language": "eng",
          "label": "x" * 65}, "captions[0].label"),
        ({"filename": "a.srt", "content_type": "text/plain", "size": 5, "language": "eng",
          "colour": "red"}, "captions[0].colour"),
    ],
)  # fmt: skip
def test_caption_fields_are_checked_by_name(server: PipelineServer, caption, field) -> None:
    answer = requests.post(
        f"{server.url}/videos",
        json={
            "filename": "a.mp4",
            "content_type": "video/mp4",
            "size": 100,
            "course_id": "course-1",
            "captions": [caption],
        },
        headers=bearer("e2e", roles=["instructor"]),
        timeout=10,
    )
    assert answer.status_code == 400
    assert answer.json()["field"] == field


def test_when_storage_does_not_answer_nothing_is_registered(
    pipeline_settings: PipelineSettings, database: Database
) -> None:
    settings = pipeline_settings.replace(
        backend=pipeline_settings.backend.replace(s3_bucket="no-such-bucket")
    )
    service = ContentService(settings, database)
    caption = {"filename": "a.srt", "content_type": "text/plain", "size": 5, "language": "eng"}
    with pytest.raises(RegistrationUnavailable, match="the upload was not registered"):
        service.handle_video_upload("e2e", "a.mp4", "video/mp4", 100, "course-1", [caption])
    assert service.list(user_id="e2e") == []

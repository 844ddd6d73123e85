"""Hostile caption labels and caption manifests: a label that would break a line of the
multivariant playlist is refused by name over real HTTP; a name that reaches the playlist
writer some other way (CreateJob's ``LanguageDescription`` or ``StreamName``) stays on its
line; a caption manifest that is not what the pipeline wrote fails the upload with a code
and a sentence instead of crashing the trigger."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import m3u8
import pytest
import requests

from tests.support.doubles import RecordingTranscoder
from tests.support.e2e_helpers import AUTH_SECRET, COURSE, bearer
from vod_testbed.backends.captions import CaptionTrack
from vod_testbed.backends.ffmpeg.captions import CaptionFiles, media_lines
from vod_testbed.fixtures.media import clip_path
from vod_testbed.media.captions import CaptionFormat
from vod_testbed.pipeline.assets.content_service import ContentService
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.server import PipelineServer
from vod_testbed.pipeline.trigger import captions
from vod_testbed.pipeline.trigger.handler import UploadTrigger
from vod_testbed.pipeline.workers.watcher import object_created_event
from vod_testbed.storage.s3 import Storage

# Characters Python's str.splitlines (and so the m3u8 library) and other readers take as
# the end of a line, and a bidi override that makes a label read as something else.
LINE_BREAKING = ["\u2028", "\u2029", "\x85", "\x1c", "\x0b", "\u202e"]


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, backend_settings: Any) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("captions")
    settings = PipelineSettings(
        backend=backend_settings,
        database_url=f"sqlite:///{folder / 'pipeline.sqlite3'}",
        webhook_secret="hostile-captions-secret",
        auth_jwt_secret=AUTH_SECRET,
        port=0,
    )
    running = PipelineServer(settings, transcoder=RecordingTranscoder(), port=0, watch=False)
    running.start()
    yield running.url
    running.stop()


@pytest.mark.parametrize("char", LINE_BREAKING)
def test_a_caption_label_that_breaks_a_playlist_line_is_refused_by_name(
    api: str, char: str
) -> None:
    answer = requests.post(
        f"{api}/videos",
        json={
            "filename": "talk.mp4",
            "content_type": "video/mp4",
            "size": 100,
            "course_id": COURSE,
            "captions": [
                {
                    "filename": "talk.srt",
                    "content_type": "text/plain",
                    "size": 10,
                    "language": "eng",
                    "label": f"English{char}#EXT-X-ENDLIST",
                }
            ],
        },
        headers=bearer("user-1", roles=["instructor"]),
        timeout=10,
    )
    assert answer.status_code == 400, answer.text
    assert answer.json()["field"] == "captions[0].label"


def test_quotes_and_commas_in_a_label_stay_inside_its_name(api: str) -> None:
    answer = requests.post(
        f"{api}/videos",
        json={
            "filename": "talk.mp4",
            "content_type": "video/mp4",
            "size": 100,
            "course_id": COURSE,
            "captions": [
                {
                    "filename": "talk.srt",
                    "content_type": "text/plain",
                    "size": 10,
                    "language": "eng",
                    "label": 'English, "SDH"',
                }
            ],
        },
        headers=bearer("user-1", roles=["instructor"]),
        timeout=10,
    )
    assert answer.status_code == 201, answer.text
    track = CaptionTrack(
        "s3://b/k.srt", CaptionFormat.SRT, "eng", answer.json()["captions"][0]["label"]
    )
    master = _master(
        media_lines([CaptionFiles(track, Path("master_captions_eng.m3u8"), ())], "subs")
    )
    (media,) = m3u8.loads(master).media
    assert (media.name, media.uri, media.language) == (
        "English, 'SDH'",
        "master_captions_eng.m3u8",
        "eng",
    )


def _master(media: list[str]) -> str:
    return "\n".join(
        ["#EXTM3U", *media, '#EXT-X-STREAM-INF:BANDWIDTH=1000,SUBTITLES="subs"', "v.m3u8", ""]
    )


@pytest.mark.parametrize("char", LINE_BREAKING)
def test_a_name_from_createjob_stays_on_its_playlist_line(char: str) -> None:
    # CreateJob's LanguageDescription has no pattern in the service model, and StreamName's
    # ``\s`` matches Unicode line separators in Python: the writer is the last line of defence.
    track = CaptionTrack("s3://b/k.srt", CaptionFormat.SRT, "eng", f"English{char}#EXT-X-ENDLIST")
    master = _master(
        media_lines([CaptionFiles(track, Path("master_captions_eng.m3u8"), ())], "subs")
    )
    assert len(master.splitlines()) == 4
    (media,) = m3u8.loads(master).media
    assert media.uri == "master_captions_eng.m3u8"
    assert media.name.startswith("English") and media.name.endswith("#EXT-X-ENDLIST")


# -- a caption manifest that is not the one the pipeline wrote --------------------------------


def _registered(
    service: ContentService, storage: Storage, settings: PipelineSettings
) -> dict[str, Any]:
    clip = clip_path("short_2s")
    video = service.handle_video_upload(
        "user-1", "talk.mp4", "video/mp4", clip.stat().st_size, COURSE
    ).video
    storage.put(clip, f"s3://{settings.bucket}/{video['key']}")
    return video


def _folder(video: dict[str, Any]) -> str:
    return captions.caption_folder(video["key"])


HOSTILE_MANIFESTS = {
    "not-json": lambda v: b"\xff\xfe{",
    "a-list": lambda v: b"[]",
    "captions-not-a-list": lambda v: b'{"captions": "all"}',
    "no-language": lambda v: json.dumps(
        {"captions": [{"key": f"{_folder(v)}/1.eng.srt", "format": "SRT"}]}
    ).encode(),
    "unknown-format": lambda v: json.dumps(
        {"captions": [{"key": f"{_folder(v)}/1.eng.srt", "format": "DFXP", "language": "eng"}]}
    ).encode(),
    "bad-language": lambda v: json.dumps(
        {"captions": [{"key": f"{_folder(v)}/1.eng.srt", "format": "SRT", "language": "e\ng"}]}
    ).encode(),
    "label-breaking-a-line": lambda v: json.dumps(
        {
            "captions": [
                {
                    "key": f"{_folder(v)}/1.eng.srt",
                    "format": "SRT",
                    "language": "eng",
                    "label": "x\u2028#EXT-X-ENDLIST",
                }
            ]
        }
    ).encode(),
    "huge": lambda v: b'{"captions": [' + b"{}," * 2_000_000 + b"{}]}",
}


@pytest.mark.e2e  # its upload is a clip the fixtures make with ffmpeg
@pytest.mark.parametrize("kind", sorted(HOSTILE_MANIFESTS))
def test_a_caption_manifest_not_written_by_the_pipeline_fails_the_upload_with_a_code(
    kind: str,
    trigger: UploadTrigger,
    service: ContentService,
    storage: Storage,
    pipeline_settings: PipelineSettings,
) -> None:
    video = _registered(service, storage, pipeline_settings)
    bucket = pipeline_settings.bucket
    put = storage.client.put_object
    put(Bucket=bucket, Key=captions.manifest_key(video["key"]), Body=HOSTILE_MANIFESTS[kind](video))
    put(
        Bucket=bucket,
        Key=f"{_folder(video)}/1.eng.srt",
        Body=b"1\n00:00:00,000 --> 00:00:01,000\nHi\n",
    )
    handled = trigger.handle(object_created_event(bucket, video["key"], video["size_bytes"]))
    assert handled["rejected"] == [video["key"]]
    found = service.get(video["id"])
    assert found is not None and found["status"] == "failed"
    assert found["error"]["code"] == 1010
    assert "caption manifest" in found["error"]["message"]

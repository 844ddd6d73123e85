"""DASH and CMAF HLS play from the private bucket through the tokened path: manifests
served (an MPD checked, HLS playlists presigned, ``EXT-X-MAP`` too), every other object a
short-lived redirect, a wrong token 403, a hostile MPD a clear 422.

The fixtures are small CMAF outputs written by ffmpeg itself (``-f dash`` and ``-f hls
-hls_segment_type fmp4``), uploaded to the embedded S3 beside a ready video's ladder."""

from __future__ import annotations

import re
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import m3u8
import pytest
import requests
from defusedxml.ElementTree import fromstring
from flask import Flask
from flask.testing import FlaskClient

from tests.support.pipeline import record_job
from vod_testbed.backends.ffmpeg.binary import find_ffmpeg
from vod_testbed.backends.mediaconvert.events import EventStatus
from vod_testbed.common.clock import ManualClock
from vod_testbed.pipeline.config import PlaybackSettings
from vod_testbed.pipeline.content_service import ContentService
from vod_testbed.pipeline.http.app import create_app
from vod_testbed.pipeline.job_events import JobStateChange
from vod_testbed.pipeline.playback import build_playback_service
from vod_testbed.pipeline.playback.manifests import REDIRECT_URL_S, ManifestError, check_mpd
from vod_testbed.storage.s3 import Storage

NS = {"d": "urn:mpeg:dash:schema:mpd:2011"}
SOURCE = ["-f", "lavfi", "-i", "testsrc=size=320x180:rate=25", "-f", "lavfi"]
SOURCE += ["-i", "sine=frequency=440:sample_rate=48000", "-t", "3", "-c:v", "libx264"]
SOURCE += ["-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k"]


def ffmpeg(*args: str | Path) -> None:
    subprocess.run(
        [find_ffmpeg(), "-nostdin", "-loglevel", "error", *SOURCE, *map(str, args)],
        check=True,
        timeout=60,
    )


@pytest.fixture(scope="module")
def packaged(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A 3 s clip as DASH (separate audio and video adaptation sets) and as CMAF HLS."""
    root = tmp_path_factory.mktemp("packaged")
    (root / "dash").mkdir()
    (root / "cmaf").mkdir()
    ffmpeg(
        "-f", "dash", "-seg_duration", "1",
        "-adaptation_sets", "id=0,streams=v id=1,streams=a",
        root / "dash" / "master.mpd",
    )  # fmt: skip
    ffmpeg(
        "-f", "hls", "-hls_segment_type", "fmp4", "-hls_time", "1",
        "-hls_playlist_type", "vod", "-hls_fmp4_init_filename", "master_360p_init.mp4",
        "-hls_segment_filename", root / "cmaf" / "master_360p_%05d.m4s",
        "-master_pl_name", "master.m3u8", root / "cmaf" / "master_360p.m3u8",
    )  # fmt: skip
    return {"dash": root / "dash", "cmaf": root / "cmaf"}


@pytest.fixture
def clock() -> ManualClock:
    # Now: the presigner keeps real time, and a redirect's life is counted from both.
    return ManualClock(time.time())


@pytest.fixture
def app(service: ContentService, clock: ManualClock) -> Flask:
    playback = build_playback_service(
        service, PlaybackSettings(token_secret="playback-secret"), clock=clock
    )
    return create_app({"CONTENT_SERVICE": service, "PLAYBACK_SERVICE": playback, "TESTING": True})


@pytest.fixture
def ready_video(
    service: ContentService,
    storage: Storage,
    new_asset: Callable[..., dict[str, Any]],
    packaged: dict[str, Path],
) -> Callable[..., tuple[dict[str, Any], str]]:
    """A ready video whose outputs folder holds ``dash/`` and ``cmaf/`` (plus a master
    playlist, as every ready video has); ``extra`` objects are put beside them."""

    def make(extra: dict[str, bytes] | None = None) -> tuple[dict[str, Any], str]:
        video = new_asset()
        bucket = service.settings.bucket
        prefix = f"video/u/{uuid.uuid4().hex}-clip_processed"
        objects = {f"{prefix}/hls/master.m3u8": (packaged["cmaf"] / "master.m3u8").read_bytes()}
        for folder, path in packaged.items():
            for file in path.iterdir():
                objects[f"{prefix}/{folder}/{file.name}"] = file.read_bytes()
        for name, body in (extra or {}).items():
            objects[f"{prefix}/{name}"] = body
        for key, body in objects.items():
            storage.client.put_object(Bucket=bucket, Key=key, Body=body)
        job_id = f"job-{video['id'][:8]}"
        record_job(service, video, job_id)
        service.apply_job_change(
            JobStateChange(
                event_id=str(uuid.uuid4()),
                job_id=job_id,
                status=EventStatus.COMPLETE,
                asset_id=video["id"],
                master_playlist_uri=f"s3://{bucket}/{prefix}/hls/master.m3u8",
            )
        )
        return video, prefix

    return make


def token_of(client: FlaskClient, video_id: str) -> str:
    url = client.get(f"/videos/{video_id}").get_json()["playback"]["master_playlist_url"]
    return parse_qs(urlsplit(url).query)["token"][0]


def follow(client: FlaskClient, path: str) -> requests.Response:
    """GET ``path`` on the pipeline, expect a redirect, and GET its target from storage."""
    answer = client.get(path)
    assert answer.status_code == 302, answer.get_data(as_text=True)
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    media = requests.get(answer.headers["Location"], timeout=10)
    media.raise_for_status()
    return media


def expand(template: str, representation: str, number: int) -> str:
    text = template.replace("$RepresentationID$", representation)
    return re.sub(r"\$Number(%0(\d+)d)?\$", lambda m: f"{number:0{m.group(2) or 1}d}", text)


def test_a_dash_player_gets_the_mpd_and_every_segment_of_every_representation(
    client: FlaskClient, ready_video: Callable[..., tuple[dict[str, Any], str]]
) -> None:
    video, _ = ready_video()
    base = f"/play/{video['id']}/t/{token_of(client, video['id'])}/dash/"
    answer = client.get(base + "master.mpd")
    assert answer.status_code == 200
    assert answer.mimetype == "application/dash+xml"
    mpd = fromstring(answer.get_data(as_text=True))
    fetched = 0
    for representation in mpd.iterfind(".//d:Representation", NS):
        template = representation.find("d:SegmentTemplate", NS)
        assert template is not None
        rid = representation.get("id", "")
        init = follow(client, urljoin(base, expand(template.get("initialization", ""), rid, 0)))
        assert init.content[4:8] == b"ftyp", "a CMAF init segment starts with ftyp"
        timeline = template.findall("d:SegmentTimeline/d:S", NS)
        count = sum(1 + int(s.get("r", "0")) for s in timeline)
        for number in range(1, count + 1):
            media = follow(client, urljoin(base, expand(template.get("media", ""), rid, number)))
            assert b"moof" in media.content[:200], "a media segment holds a movie fragment"
            fetched += 1
    assert fetched >= 6  # 3 s of video and of audio in 1 s segments


def test_the_redirect_lives_minutes_not_the_tokens_life(
    client: FlaskClient, ready_video: Callable[..., tuple[dict[str, Any], str]]
) -> None:
    video, _ = ready_video()
    token = token_of(client, video["id"])
    answer = client.get(f"/play/{video['id']}/t/{token}/dash/init-stream0.m4s")
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert REDIRECT_URL_S - 5 <= int(query["X-Amz-Expires"][0]) <= REDIRECT_URL_S
    assert answer.headers["Cache-Control"] == "private, max-age=60"


@pytest.mark.parametrize("name", ["master.mpd", "init-stream0.m4s", "chunk-stream0-00001.m4s"])
def test_a_wrong_or_other_videos_token_gets_a_bare_403(
    client: FlaskClient, ready_video: Callable[..., tuple[dict[str, Any], str]], name: str
) -> None:
    video, _ = ready_video()
    other, _ = ready_video()
    for token in ("forged", token_of(client, other["id"])):
        answer = client.get(f"/play/{video['id']}/t/{token}/dash/{name}")
        assert answer.status_code == 403
        assert answer.get_json() == {"error": "forbidden"}
        assert "Location" not in answer.headers


def test_cmaf_hls_plays_with_its_init_segment_presigned(
    client: FlaskClient, ready_video: Callable[..., tuple[dict[str, Any], str]]
) -> None:
    video, _ = ready_video()
    master_url = f"/play/{video['id']}/t/{token_of(client, video['id'])}/cmaf/master.m3u8"
    master = m3u8.loads(client.get(master_url).get_data(as_text=True))
    media_url = urljoin(master_url, master.playlists[0].uri)
    answer = client.get(media_url)
    assert answer.status_code == 200
    assert answer.mimetype == "application/vnd.apple.mpegurl"
    media = m3u8.loads(answer.get_data(as_text=True))
    init_url = media.segment_map[0].uri
    assert "X-Amz-Signature=" in init_url
    assert requests.get(init_url, timeout=10).content[4:8] == b"ftyp"
    assert len(media.segments) == 3
    for segment in media.segments:
        body = requests.get(segment.uri, timeout=10)
        body.raise_for_status()
        assert b"moof" in body.content[:200]


HOSTILE = {
    "absolute.mpd": (
        '<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static"><Period>'
        "<BaseURL>https://evil.example/</BaseURL></Period></MPD>",
        "BaseURL is an absolute URL",
    ),
    "climbing.mpd": (
        '<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static"><Period><AdaptationSet>'
        '<Representation id="a"><SegmentTemplate media="../../other/$Number$.m4s"/>'
        "</Representation></AdaptationSet></Period></MPD>",
        "SegmentTemplate@media climbs out",
    ),
    "entity.mpd": (
        '<?xml version="1.0"?><!DOCTYPE MPD [<!ENTITY x "xxxxxxxx">]>'
        '<MPD xmlns="urn:mpeg:dash:schema:mpd:2011">&x;</MPD>',
        "not well-formed XML without a DTD",
    ),
    "live.mpd": (
        '<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="dynamic"/>',
        "only static",
    ),
    "broken.mpd": ("<MPD", "not well-formed"),
    "html.mpd": ("<html><body>hello</body></html>", "not an MPD"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_or_broken_mpd_gets_a_clear_422_not_a_500(
    client: FlaskClient, ready_video: Callable[..., tuple[dict[str, Any], str]], name: str
) -> None:
    text, reason = HOSTILE[name]
    video, _ = ready_video({f"dash/{name}": text.encode()})
    answer = client.get(f"/play/{video['id']}/t/{token_of(client, video['id'])}/dash/{name}")
    assert answer.status_code == 422
    assert reason in answer.get_json()["error"]
    with pytest.raises(ManifestError, match=re.escape(reason)):
        check_mpd(text)


def test_an_hls_playlist_naming_another_host_is_refused(
    client: FlaskClient, ready_video: Callable[..., tuple[dict[str, Any], str]]
) -> None:
    playlist = '#EXTM3U\n#EXT-X-MAP:URI="https://evil.example/init.mp4"\n#EXTINF:1,\na.m4s\n'
    video, _ = ready_video({"cmaf/evil.m3u8": playlist.encode()})
    answer = client.get(f"/play/{video['id']}/t/{token_of(client, video['id'])}/cmaf/evil.m3u8")
    assert answer.status_code == 422
    assert "absolute URL" in answer.get_json()["error"]


@pytest.mark.parametrize("rest", ["dash/missing.mpd", "../hls/master.m3u8", "dash/./master.mpd"])
def test_names_outside_the_outputs_or_missing_are_404(
    client: FlaskClient, ready_video: Callable[..., tuple[dict[str, Any], str]], rest: str
) -> None:
    video, _ = ready_video()
    answer = client.get(f"/play/{video['id']}/t/{token_of(client, video['id'])}/{rest}")
    assert answer.status_code == 404

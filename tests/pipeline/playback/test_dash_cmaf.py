"""DASH and CMAF HLS play from the private bucket through the tokened path: manifests
served (an MPD checked, HLS playlists presigned, ``EXT-X-MAP`` too), every other object a
short-lived redirect, a wrong token 403, a hostile MPD a clear 422.

The fixtures are small CMAF outputs written by ffmpeg itself (``-f dash`` and ``-f hls
-hls_segment_type fmp4``), uploaded to the embedded S3 beside a ready video's ladder."""

from __future__ import annotations

import functools
import re
import time
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

from tests.support.packaged import DURATION_S, package, token_of
from tests.support.packaged import ready_video as packaged_video
from tests.support.pipeline import playback_app
from vod_testbed.common.clock import ManualClock
from vod_testbed.pipeline.assets.content_service import ContentService
from vod_testbed.pipeline.playback.manifests import REDIRECT_URL_S, ManifestError, check_mpd
from vod_testbed.pipeline.playback.mpd import sign_mpd
from vod_testbed.storage.s3 import Storage

NS = {"d": "urn:mpeg:dash:schema:mpd:2011"}


@pytest.fixture(scope="module")
def packaged(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return package(tmp_path_factory.mktemp("packaged"))


@pytest.fixture
def clock() -> ManualClock:
    # Now: the presigner keeps real time, and a redirect's life is counted from both.
    return ManualClock(time.time())


@pytest.fixture
def app(service: ContentService, clock: ManualClock) -> Flask:
    return playback_app(service, clock)


@pytest.fixture
def ready_video(
    service: ContentService,
    storage: Storage,
    new_asset: Callable[..., dict[str, Any]],
    packaged: dict[str, Path],
) -> Callable[..., tuple[dict[str, Any], str]]:
    return functools.partial(packaged_video, service, storage, new_asset, packaged)


def test_a_dash_player_gets_every_segment_of_every_representation_signed_in_the_mpd(
    client: FlaskClient,
    ready_video: Callable[..., tuple[dict[str, Any], str]],
    packaged: dict[str, Path],
) -> None:
    video, _ = ready_video()
    base = f"/play/{video['id']}/t/{token_of(client, video['id'])}/dash/"
    answer = client.get(base + "master.mpd")
    assert answer.status_code == 200
    assert answer.mimetype == "application/dash+xml"
    mpd = fromstring(answer.get_data(as_text=True))
    written = fromstring((packaged["dash"] / "master.mpd").read_text())
    representations = mpd.findall(".//d:Representation", NS)
    assert len(representations) == 2  # video and audio, in their own adaptation sets
    for representation, original in zip(
        representations, written.iterfind(".//d:Representation", NS), strict=True
    ):
        assert representation.find("d:SegmentTemplate", NS) is None
        init = representation.find("d:SegmentList/d:Initialization", NS)
        assert init is not None
        assert requests.get(init.get("sourceURL", ""), timeout=10).content[4:8] == b"ftyp"
        urls = [
            u.get("media", "") for u in representation.iterfind("d:SegmentList/d:SegmentURL", NS)
        ]
        timeline = original.findall("d:SegmentTemplate/d:SegmentTimeline/d:S", NS)
        assert len(urls) == sum(1 + int(s.get("r", "0")) for s in timeline)
        for url in urls:
            assert "X-Amz-Signature=" in url
            media = requests.get(url, timeout=10)
            media.raise_for_status()
            assert b"moof" in media.content[:200], "a media segment holds a movie fragment"


def test_a_template_of_fixed_duration_is_expanded_to_the_periods_end() -> None:
    text = (
        '<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" '
        'mediaPresentationDuration="PT1M0.5S"><Period><BaseURL>v/</BaseURL><AdaptationSet>'
        '<SegmentTemplate timescale="1000" duration="6000" startNumber="1" '
        'media="$RepresentationID$_$Number%05d$.mp4" initialization="$RepresentationID$_init.mp4"/>'
        '<Representation id="720p" bandwidth="1"/></AdaptationSet></Period></MPD>'
    )
    signed = fromstring(sign_mpd(text, "out/dash", lambda key: f"https://s/{key}?sig"))
    listed = signed.find(".//d:Representation/d:SegmentList", NS)
    assert listed is not None
    init = listed.find("d:Initialization", NS)
    assert init is not None and init.get("sourceURL") == "https://s/out/dash/v/720p_init.mp4?sig"
    media = [u.get("media") for u in listed.iterfind("d:SegmentURL", NS)]
    assert len(media) == 11  # 60.5 s in 6 s segments
    assert media[0] == "https://s/out/dash/v/720p_00001.mp4?sig"
    assert media[-1] == "https://s/out/dash/v/720p_00011.mp4?sig"
    assert signed.find(".//d:BaseURL", NS) is None


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
    assert len(media.segments) == DURATION_S
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


def test_an_encrypted_cmaf_playlist_names_the_services_key_for_this_token(
    client: FlaskClient, ready_video: Callable[..., tuple[dict[str, Any], str]]
) -> None:
    playlist = (
        '#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI="https://keys.example/k"\n'
        '#EXT-X-MAP:URI="master_360p_init.mp4"\n#EXTINF:1,\nmaster_360p_00000.m4s\n'
    )
    video, _ = ready_video({"cmaf/encrypted.m3u8": playlist.encode()})
    token = token_of(client, video["id"])
    url = f"/play/{video['id']}/t/{token}/cmaf/encrypted.m3u8"
    media = m3u8.loads(client.get(url).get_data(as_text=True))
    key_url = urljoin(f"http://localhost{url}", media.keys[0].uri)
    assert key_url == f"http://localhost/play/{video['id']}/key?token={token}"

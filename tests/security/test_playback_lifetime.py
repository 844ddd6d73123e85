"""Playback of a user who lost access stops within the token's documented lifetime
(``PLAYBACK_URL_EXPIRES_S``, 15 min by default), over real HTTP: the tokened master playlist
is refused once it has passed, the presigned segment URLs expire with the token, and a user
still allowed gets a fresh URL from ``GET /videos/{id}`` that plays. Time is a manual clock
of the playback service."""

from __future__ import annotations

import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tests.support.e2e_helpers import bearer
from tests.support.pipeline import record_job
from vod_testbed.backends.mediaconvert.events import EventStatus
from vod_testbed.common.clock import ManualClock
from vod_testbed.common.serving import BackgroundServer
from vod_testbed.pipeline.assets.content_service import ContentService
from vod_testbed.pipeline.assets.job_events import JobStateChange
from vod_testbed.pipeline.config import PipelineSettings, PlaybackSettings
from vod_testbed.pipeline.http.app import create_app
from vod_testbed.pipeline.playback import build_playback_service
from vod_testbed.storage.s3 import Storage

# The documented default (docs/configuration.md).
LIFETIME_S = 15 * 60
COURSE = "astro-1"
MASTER = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360\nmaster_360p.m3u8\n"
MEDIA = (
    "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:6\n#EXT-X-PLAYLIST-TYPE:VOD\n"
    "#EXTINF:6.0,\nmaster_360p_00001.ts\n#EXT-X-ENDLIST\n"
)


def test_the_default_lifetime_is_the_documented_one() -> None:
    assert PipelineSettings().playback_url_expires_s == LIFETIME_S


@pytest.fixture
def clock() -> ManualClock:
    # From now: the presigned segment URLs are signed on real time, until the token's expiry.
    return ManualClock(float(int(time.time())))


@pytest.fixture
def api(service: ContentService, clock: ManualClock) -> Iterator[str]:
    playback = build_playback_service(service, PlaybackSettings(token_secret="s"), clock=clock)
    app = create_app(service, playback=playback)
    server = BackgroundServer(app, "127.0.0.1", 0, name="playback-lifetime").start()
    yield server.url
    server.stop()


@pytest.fixture
def video_id(api: str, service: ContentService, storage: Storage) -> str:
    body = {"filename": "sky.mp4", "content_type": "video/mp4", "size": 10, "course_id": COURSE}
    headers = bearer("lecturer", roles=["instructor"])
    video = requests.post(f"{api}/videos", json=body, headers=headers, timeout=10).json()["video"]
    prefix = video["key"].rsplit(".", 1)[0] + "_processed/hls"
    bucket = service.settings.bucket
    for name, text in (("master.m3u8", MASTER), ("master_360p.m3u8", MEDIA)):
        storage.client.put_object(Bucket=bucket, Key=f"{prefix}/{name}", Body=text.encode())
    record_job(service, video, "job-1")  # only the recorded job's events move the video
    service.apply_job_change(
        JobStateChange(
            event_id="complete",
            job_id="job-1",
            status=EventStatus.COMPLETE,
            asset_id=video["id"],
            master_playlist_uri=f"s3://{bucket}/{prefix}/master.m3u8",
            thumbnail_uris=(),
        )
    )
    return str(video["id"])


def master_url(api: str, video_id: str, **claims: object) -> requests.Response:
    return requests.get(f"{api}/videos/{video_id}", headers=bearer("student", **claims), timeout=10)


def test_an_unenrolled_users_playback_stops_within_the_lifetime(
    api: str, video_id: str, clock: ManualClock
) -> None:
    granted = master_url(api, video_id, courses=[COURSE]).json()["playback"]
    assert granted["expires_in"] <= LIFETIME_S
    url = granted["master_playlist_url"]
    assert requests.get(url, timeout=10).status_code == 200
    media = requests.get(url.replace("master.m3u8", "master_360p.m3u8"), timeout=10)
    assert media.status_code == 200
    # The segment URLs are presigned for no longer than the token lives.
    [segment] = [line for line in media.text.splitlines() if line.startswith("http")]
    # (The token's expiry is rounded up to a whole second, the signer's now down.)
    assert int(parse_qs(urlsplit(segment).query)["X-Amz-Expires"][0]) <= LIFETIME_S + 1

    # Un-enrolled (the token no longer lists the course): no new grant...
    assert master_url(api, video_id).status_code == 404
    clock.advance(LIFETIME_S - 1)
    assert requests.get(url, timeout=10).status_code == 200
    # ...and the old one stops working at the lifetime.
    clock.advance(1)
    assert requests.get(url, timeout=10).status_code == 403
    # A user still allowed gets a fresh URL, which plays.
    fresh = master_url(api, video_id, courses=[COURSE]).json()["playback"]["master_playlist_url"]
    assert fresh != url
    assert requests.get(fresh, timeout=10).status_code == 200

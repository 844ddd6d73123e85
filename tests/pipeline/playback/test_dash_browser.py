"""dash.js and hls.js, the pinned releases the console vendors, play a DASH output and a
CMAF (fMP4) HLS output from the private bucket in a real headless Chromium, with nothing
but the tokened manifest URL: past 2 s, every segment and init segment signed by the
pipeline. A forged token plays nothing.
Leaves ``.cache/screenshots/dash-player.png`` and ``cmaf-hls-player.png``."""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.support.browser import SCREENSHOTS, wait_until
from tests.support.packaged import package, token_of
from tests.support.packaged import ready_video as packaged_video
from tests.support.pipeline import playback_app
from vod_testbed.common.serving import BackgroundServer
from vod_testbed.pipeline.assets.content_service import ContentService
from vod_testbed.pipeline.console.vendor import DASH_JS, HLS_JS
from vod_testbed.storage.cors import allow_origins, console_origins
from vod_testbed.storage.s3 import Storage

pytestmark = pytest.mark.e2e

PAGE = """<!doctype html>
<html><body style="margin:0;background:#222">
<video id="video" muted width="640" height="360"></video>
<script src="DASH_JS"></script>
<script>
window.playerErrors = [];
const player = dashjs.MediaPlayer().create();
player.on(dashjs.MediaPlayer.events.ERROR, (e) => window.playerErrors.push(e.error || e));
player.initialize(document.getElementById("video"), MPD_URL, true);
</script>
</body></html>
"""

HLS_PAGE = """<!doctype html>
<html><body style="margin:0;background:#222">
<video id="video" muted autoplay width="640" height="360"></video>
<script src="HLS_JS"></script>
<script>
window.playerErrors = [];
const video = document.getElementById("video");
const hls = new Hls();
hls.on(Hls.Events.ERROR, (_, data) => { if (data.fatal) window.playerErrors.push(data.details); });
hls.loadSource(MPD_URL);
hls.attachMedia(video);
hls.on(Hls.Events.MANIFEST_PARSED, () => video.play());
</script>
</body></html>
"""


@pytest.fixture
def app(service: ContentService) -> Flask:
    return playback_app(service, time.time, "dash-browser")


@pytest.fixture
def served(app: Flask) -> Iterator[str]:
    server = BackgroundServer(app, name="dash-browser").start()
    yield server.url
    server.stop()


@pytest.fixture
def player_page(served: str, service: ContentService, storage: Storage) -> Iterator[str]:
    """A page of another origin (a platform's site) with dash.js; ``?mpd=`` names what it
    plays. Served from 127.0.0.1 for real: Chromium lets only a local page reach the
    embedded S3 on the loopback address."""

    def page(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        query = parse_qs(environ.get("QUERY_STRING", ""))
        mpd = query.get("mpd", [""])[0]
        if query.get("player") == ["hls"]:
            html = HLS_PAGE.replace("HLS_JS", f"{served}/console/static/vendor/hls.min.js")
        else:
            html = PAGE.replace("DASH_JS", f"{served}/console/static/vendor/dash.all.min.js")
        body = html.replace("MPD_URL", json.dumps(mpd)).encode()
        start_response(
            "200 OK", [("Content-Type", "text/html"), ("Content-Length", str(len(body)))]
        )
        return [body]

    server = BackgroundServer(page, name="dash-page").start()
    allow_origins(storage.client, service.settings.bucket, console_origins(server.url))
    yield server.url
    server.stop()


@pytest.fixture
def ready_video(
    service: ContentService,
    storage: Storage,
    new_asset: Callable[..., dict[str, Any]],
    tmp_path: Path,
) -> Callable[..., tuple[dict[str, Any], str]]:
    return functools.partial(packaged_video, service, storage, new_asset, package(tmp_path))


def open_player(browser: Any, page_url: str, mpd_url: str, player: str = "dash") -> Any:
    """A page whose dash.js (or hls.js, ``player="hls"``) plays ``mpd_url``."""
    page = browser.new_context(viewport={"width": 640, "height": 360}).new_page()
    page.goto(f"{page_url}/?{urlencode({'mpd': mpd_url, 'player': player})}")
    return page


def test_dash_js_plays_the_tokened_mpd_past_two_seconds_and_a_forged_token_plays_nothing(
    served: str,
    player_page: str,
    client: FlaskClient,
    ready_video: Callable[..., tuple[dict[str, Any], str]],
    browser: Any,
) -> None:
    if not DASH_JS.target.is_file():
        pytest.fail("dash.js is not vendored: run make install")
    video, _ = ready_video()
    token = token_of(client, video["id"])
    page = open_player(
        browser, player_page, f"{served}/play/{video['id']}/t/{token}/dash/master.mpd"
    )
    wait_until(page, "document.getElementById('video').currentTime > 2", timeout_s=60)
    assert page.evaluate("window.playerErrors.length") == 0
    assert page.evaluate("document.getElementById('video').videoWidth") == 320
    frames = "document.getElementById('video').getVideoPlaybackQuality().totalVideoFrames"
    assert page.evaluate(frames) > 10  # pictures were decoded, not only the audio clock
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "dash-player.png"))

    forged = open_player(
        browser, player_page, f"{served}/play/{video['id']}/t/forged/dash/master.mpd"
    )
    wait_until(forged, "window.playerErrors.length > 0", timeout_s=30)
    assert forged.evaluate("document.getElementById('video').currentTime") == 0


def test_hls_js_plays_the_tokened_cmaf_hls_past_two_seconds_and_a_forged_token_plays_nothing(
    served: str,
    player_page: str,
    client: FlaskClient,
    ready_video: Callable[..., tuple[dict[str, Any], str]],
    browser: Any,
) -> None:
    if not HLS_JS.target.is_file():
        pytest.fail("hls.js is not vendored: run make install")
    video, _ = ready_video()
    token = token_of(client, video["id"])
    master = f"{served}/play/{video['id']}/t/{token}/cmaf/master.m3u8"
    page = open_player(browser, player_page, master, player="hls")
    wait_until(page, "document.getElementById('video').currentTime > 2", timeout_s=60)
    assert page.evaluate("window.playerErrors.length") == 0
    assert page.evaluate("document.getElementById('video').videoWidth") == 320
    frames = "document.getElementById('video').getVideoPlaybackQuality().totalVideoFrames"
    assert page.evaluate(frames) > 10  # fMP4 pictures decoded behind their init segment
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "cmaf-hls-player.png"))

    forged = open_player(
        browser, player_page, master.replace(f"/t/{token}/", "/t/forged/"), player="hls"
    )
    wait_until(forged, "window.playerErrors.length > 0", timeout_s=30)
    assert forged.evaluate("document.getElementById('video').currentTime") == 0

"""Captions in the console's player, in a real headless Chromium: a video uploaded with two
caption files plays with the default track showing, and the track menu switches language
or turns captions off. Leaves ``.cache/screenshots/console-captions.png``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.browser import SCREENSHOTS, console_server, wait_until
from tests.support.e2e_helpers import AUTH_SECRET, upload_with_captions, wait_for
from vod_testbed.backends.ffmpeg.backend import FFmpegBackend
from vod_testbed.fixtures.media import clip_path
from vod_testbed.pipeline.auth import mint_token
from vod_testbed.pipeline.server import PipelineServer

pytestmark = pytest.mark.e2e

USER = "caption-viewer"
ENGLISH = b"1\n00:00:00,000 --> 00:00:03,000\nWelcome to the course\n"
FRENCH = b"WEBVTT\n\n00:00.000 --> 00:03.000\nBienvenue dans le cours\n"
# The text track a viewer sees: hls.js gives each SUBTITLES rendition a TextTrack.
SHOWING_CUES = """() => {
  const video = document.querySelector('#video');
  for (const track of video.textTracks) {
    if (track.mode === 'showing' && track.activeCues && track.activeCues.length)
      return [track.language, track.activeCues[0].text];
  }
  return null;
}"""


@pytest.fixture(scope="module")
def server(
    backend_settings: Any, ffmpeg_backend: FFmpegBackend, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PipelineServer]:
    database = f"sqlite:///{tmp_path_factory.mktemp('captions') / 'pipeline.sqlite3'}"
    with console_server(backend_settings, ffmpeg_backend, database, "console-captions") as running:
        yield running


@pytest.fixture(scope="module")
def ready_video(server: PipelineServer) -> str:
    video_id, _ = upload_with_captions(
        server.url,
        clip_path("small"),
        [("talk.en.srt", ENGLISH, "eng", "English"), ("talk.fr.vtt", FRENCH, "fra", "French")],
        user_id=USER,
    )
    assert wait_for(server.url, video_id, timeout_s=120, user_id=USER)["status"] == "ready"
    return video_id


@pytest.fixture(scope="module")
def page(server: PipelineServer, ready_video: str, chromium_browser: Any) -> Iterator[Any]:
    context = chromium_browser.new_context(viewport={"width": 1360, "height": 1000})
    opened = context.new_page()
    opened.goto(f"{server.url}/console#token={mint_token(AUTH_SECRET, USER)}")
    opened.locator(f'.video-row[data-id="{ready_video}"]').click()
    # Every test starts once hls.js has read the master's SUBTITLES group (the menu
    # shows): a test may run first in its worker.
    wait_until(opened, "!document.querySelector('#captions-label').hidden", timeout_s=60)
    yield opened
    context.close()


def test_the_default_caption_track_shows_while_the_video_plays(page: Any) -> None:
    wait_until(page, f"({SHOWING_CUES})() !== null", timeout_s=60)
    assert page.evaluate(SHOWING_CUES) == ["eng", "Welcome to the course"]
    page.evaluate("document.querySelector('#video').pause()")
    assert page.locator("#player-error").is_hidden()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#player-card").screenshot(path=str(SCREENSHOTS / "console-captions.png"))


def test_the_track_menu_lists_every_track_and_switches_language(page: Any) -> None:
    assert page.locator("#captions-label").is_visible()
    assert page.locator("#captions option").all_inner_texts() == [
        "Off",
        "English (eng)",
        "French (fra)",
    ]
    assert page.input_value("#captions") == "0"
    page.select_option("#captions", label="French (fra)")
    page.evaluate("document.querySelector('#video').currentTime = 1")
    wait_until(
        page,
        f"(() => {{ const c = ({SHOWING_CUES})(); return c && c[0] === 'fra'; }})()",
        timeout_s=30,
    )
    assert page.evaluate(SHOWING_CUES) == ["fra", "Bienvenue dans le cours"]
    page.locator("#player-card").screenshot(path=str(SCREENSHOTS / "console-captions-fr.png"))


def test_captions_can_be_turned_off(page: Any) -> None:
    page.select_option("#captions", label="Off")
    wait_until(page, f"({SHOWING_CUES})() === null", timeout_s=10)
    showing = page.evaluate(
        "[...document.querySelector('#video').textTracks].filter(t => t.mode === 'showing').length"
    )
    assert showing == 0


def test_the_ladder_report_lists_the_caption_tracks(page: Any) -> None:
    rows = page.locator(".captions-table tbody tr")
    rows.first.wait_for(timeout=120_000)
    assert [row.split("\t")[:3] for row in rows.all_inner_texts()] == [
        ["English", "eng", "yes"],
        ["French", "fra", "no"],
    ]

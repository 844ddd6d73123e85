"""The console in a real headless Chromium: a video uploaded through the page reaches
ready, plays, switches rung on request, and a tampered token fails visibly. The run
leaves a screenshot of the console playing at ``.cache/screenshots/console.png``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.support.browser import (
    SCREENSHOTS,
    console_server,
    signed_in_tab,
    upload_through,
    wait_until,
)
from tests.support.e2e_helpers import AUTH_SECRET
from vod_testbed.backends.ffmpeg.backend import FFmpegBackend
from vod_testbed.fixtures.media import clip_path
from vod_testbed.pipeline.auth import mint_token
from vod_testbed.pipeline.server import PipelineServer

pytestmark = pytest.mark.e2e

CLIP = "three_segments"  # 13.5 s of 720p: long enough to switch rung while it plays
READY_TIMEOUT_MS = 180_000


@pytest.fixture(scope="module")
def server(
    backend_settings: Any, ffmpeg_backend: FFmpegBackend, module_database_url: str
) -> Iterator[PipelineServer]:
    # MP4_DOWNLOADS on: the player offers the video's MP4.
    with console_server(
        backend_settings, ffmpeg_backend, module_database_url, "console-e2e", mp4_downloads=True
    ) as running:
        yield running


@pytest.fixture(scope="module")
def page(chromium_browser: Any, server: PipelineServer) -> Iterator[Any]:
    opened = signed_in_tab(chromium_browser, server, height=1100)
    yield opened
    opened.context.close()


@pytest.fixture(scope="module")
def uploaded(page: Any) -> str:
    """The clip uploaded through the page's file picker; returns its row's video id."""
    video_id: str = upload_through(page, clip_path(CLIP)).get_attribute("data-id")
    return video_id


def video_time(page: Any) -> float:
    return float(page.evaluate("document.querySelector('#video').currentTime"))


def test_the_console_lists_a_video_uploaded_through_it_and_shows_it_reach_ready(
    page: Any, uploaded: str
) -> None:
    assert page.url.endswith("/console#" + uploaded)
    assert page.locator(".upload-status").inner_text() == "Uploaded. Processing starts shortly."
    pill = page.locator(f'.video-row[data-id="{uploaded}"] .pill')
    pill.filter(has_text="Ready").wait_for(timeout=READY_TIMEOUT_MS)
    page.locator("#panel-status", has_text="Ready").wait_for(timeout=10_000)
    assert "COMPLETE" in page.locator(".events").inner_text()


def test_the_console_plays_the_ready_video_past_two_seconds(page: Any, uploaded: str) -> None:
    page.locator(f'.video-row[data-id="{uploaded}"] .pill', has_text="Ready").wait_for(
        timeout=READY_TIMEOUT_MS
    )
    wait_until(page, "document.querySelector('#video').currentTime > 2", timeout_s=60)
    assert page.locator("#player-error").is_hidden()
    assert page.locator("#now-playing").inner_text().startswith("Playing ")
    assert page.locator("#thumbs img").count() >= 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "console.png"), full_page=True)


def test_the_player_offers_the_mp4_as_a_download(page: Any, uploaded: str) -> None:
    link = page.locator("#download")
    link.wait_for(state="visible", timeout=READY_TIMEOUT_MS)
    assert link.inner_text() == "Download MP4"
    href = link.get_attribute("href")
    assert f"/play/{uploaded}/download?token=" in href
    got = requests.get(href, timeout=30)
    assert got.status_code == 200
    expected = f'attachment; filename="{clip_path(CLIP).stem}.mp4"'
    assert got.headers["Content-Disposition"] == expected
    assert got.content[4:8] == b"ftyp"


def test_the_rung_selector_switches_to_the_chosen_rung(page: Any, uploaded: str) -> None:
    wait_until(page, "document.querySelector('#rung').options.length > 2", timeout_s=60)
    labels = page.locator("#rung option").all_inner_texts()
    assert labels[0] == "Auto"
    assert [re.sub(r"^(\d+p).*", r"\1", label) for label in labels[1:]] == [
        "1080p",
        "720p",
        "480p",
        "360p",
    ]
    page.select_option("#rung", label=labels[-1])
    wait_until(
        page, "document.querySelector('#now-playing').dataset.height === '360'", timeout_s=30
    )
    assert "640x360" in page.locator("#now-playing").inner_text()
    assert page.locator("#player-error").is_hidden()


def test_the_ladder_report_shows_every_rung_with_its_quality_and_chart(
    page: Any, uploaded: str
) -> None:
    page.locator("#report .report[data-quality='done']").wait_for(timeout=180_000)
    rows = page.locator(".report-table tbody tr")
    assert rows.count() == 4
    assert page.locator("svg.chart polyline.rate").count() == 4
    for quality in page.locator(".report-table td.quality").all_inner_texts():
        assert re.search(r"PSNR \d+\.\d dB", quality), quality
    page.locator("#report-card").screenshot(path=str(SCREENSHOTS / "console-report.png"))


def sign_in_by_pasting(tab: Any, server: PipelineServer) -> None:
    tab.goto(f"{server.url}/console")
    tab.fill("#token", mint_token(AUTH_SECRET, "console-user"))
    tab.click("#signin-button")
    assert tab.inner_text("#whoami") == "Signed in as console-user"


def test_a_tab_without_a_token_shows_no_video_and_asks_to_sign_in(
    browser: Any, server: PipelineServer, uploaded: str
) -> None:
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(f"{server.url}/console#{uploaded}")
    assert tab.inner_text("#whoami") == "Not signed in"
    assert tab.locator(".video-row").count() == 0
    context.close()


def test_a_token_pasted_into_the_page_signs_in_and_lists_the_users_videos(
    browser: Any, server: PipelineServer, uploaded: str
) -> None:
    context = browser.new_context()
    tab = context.new_page()
    sign_in_by_pasting(tab, server)
    tab.locator(f".video-row[data-id='{uploaded}']").wait_for(timeout=10_000)
    context.close()


def test_a_tampered_token_fails_visibly(
    browser: Any, server: PipelineServer, uploaded: str
) -> None:
    context = browser.new_context()
    tab = context.new_page()

    def tamper(route: Any) -> None:
        response = route.fetch()
        body = response.json()
        url = body["playback"]["master_playlist_url"]
        body["playback"]["master_playlist_url"] = url[:-3] + ("AAA" if url[-3:] != "AAA" else "BBB")
        route.fulfill(response=response, body=json.dumps(body))

    tab.route(f"**/videos/{uploaded}", tamper)
    sign_in_by_pasting(tab, server)
    tab.evaluate(f"location.hash = {json.dumps(uploaded)}")
    error = tab.locator("#player-error")
    error.wait_for(state="visible", timeout=30_000)
    assert error.inner_text() == "Playback failed: manifestLoadError (HTTP 403)"
    assert video_time(tab) == 0
    context.close()


def test_the_screenshot_path_is_the_one_the_console_page_names() -> None:
    repo = Path(__file__).resolve().parents[3]
    page = (repo / "docs" / "console.md").read_text()
    assert (SCREENSHOTS / "console.png").relative_to(repo).as_posix() in page


def test_hovering_the_scrub_bar_shows_a_trick_play_tile(page: Any, uploaded: str) -> None:
    """The ladder's THUMBNAIL tiles, read through thumbs.vtt, preview the time under the
    pointer: the second half of the clip shows a thumbnail further along in its tile."""
    wait_until(page, "Number(document.querySelector('#scrub')?.dataset.cues) > 0", timeout_s=60)
    cues = int(page.locator("#scrub").get_attribute("data-cues"))
    assert cues == 7  # 13.5 s at one thumbnail per 2 s GOP
    bar = page.locator("#scrub")
    box = bar.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.75, box["y"] + box["height"] / 2)
    preview = page.locator("#scrub-preview")
    preview.wait_for(state="visible", timeout=10_000)
    assert preview.get_attribute("data-tile") == "master_Thumbnail_000000001.jpg"
    assert preview.get_attribute("data-xywh") == "624,176,312,176"  # the sixth thumbnail
    assert 9.5 < float(preview.get_attribute("data-time")) < 10.5
    wait_until(
        page,
        "(() => { const p = document.querySelector('#scrub-preview');"
        " const url = getComputedStyle(p).backgroundImage.slice(5, -2);"
        " if (!url) return false; const img = new Image(); img.src = url;"
        " return img.complete && img.naturalWidth === 936; })()",
        timeout_s=20,
    )
    page.locator("#player-card").screenshot(path=str(SCREENSHOTS / "console-scrub.png"))

"""An audio-only upload in the console, in a real headless Chromium: uploaded through the
page's file picker, it reaches ready and plays past 2 s as audio.
Leaves ``.cache/screenshots/console-audio.png``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.browser import (
    SCREENSHOTS,
    console_server,
    signed_in_tab,
    upload_through,
    wait_until,
)
from vod_testbed.backends.ffmpeg.backend import FFmpegBackend
from vod_testbed.fixtures.media import clip_path
from vod_testbed.pipeline.server import PipelineServer

pytestmark = pytest.mark.e2e


@pytest.fixture
def server(
    backend_settings: Any, ffmpeg_backend: FFmpegBackend, tmp_path: Any
) -> Iterator[PipelineServer]:
    database = f"sqlite:///{tmp_path / 'pipeline.sqlite3'}"
    with console_server(backend_settings, ffmpeg_backend, database, "console-audio") as running:
        yield running


def test_an_audio_upload_plays_in_the_console_past_two_seconds(
    server: PipelineServer, browser: Any
) -> None:
    clip = clip_path("audio_mp3")
    page = signed_in_tab(browser, server, user="listener", height=900)
    row = upload_through(page, clip)
    row.locator(".pill", has_text="Ready").wait_for(timeout=120_000)
    wait_until(page, "document.querySelector('#video').currentTime > 2", timeout_s=60)
    assert page.locator("#player-error").is_hidden()
    assert page.locator("#now-playing").inner_text().startswith("Playing audio only")
    labels = page.locator("#rung option").all_inner_texts()
    assert page.locator("#captions-label").is_hidden()  # no caption track to choose
    # Auto, then the three audio variants (their measured bit rates), highest first.
    assert labels[0] == "Auto" and len(labels) == 4
    assert all(label.startswith("audio · ") for label in labels[1:]), labels
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "console-audio.png"))
    page.context.close()

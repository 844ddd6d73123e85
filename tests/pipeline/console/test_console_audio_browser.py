"""An audio-only upload in the console, in a real headless Chromium: uploaded through the
page's file picker, it reaches ready and plays past 2 s as audio.
Leaves ``.cache/screenshots/console-audio.png``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.pipeline.console.browser import SCREENSHOTS, chromium, wait_until
from tests.support.e2e_helpers import AUTH_SECRET
from vod_testbed.backends.ffmpeg.backend import FFmpegBackend
from vod_testbed.fixtures.media import clip_path
from vod_testbed.pipeline.auth import mint_token
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.server import PipelineServer
from vod_testbed.storage.cors import allow_origins, console_origins
from vod_testbed.storage.s3 import Storage

pytestmark = pytest.mark.e2e


@pytest.fixture
def server(
    backend_settings: Any, ffmpeg_backend: FFmpegBackend, tmp_path: Any
) -> Iterator[PipelineServer]:
    settings = PipelineSettings(
        backend=backend_settings,
        database_url=f"sqlite:///{tmp_path / 'pipeline.sqlite3'}",
        webhook_secret="console-audio",
        auth_jwt_secret=AUTH_SECRET,
        watch_interval_s=0.2,
        port=0,
    )
    running = PipelineServer(settings, transcoder=ffmpeg_backend, port=0).start()
    allow_origins(Storage(backend_settings).client, settings.bucket, console_origins(running.url))
    yield running
    running.stop()


def test_an_audio_upload_plays_in_the_console_past_two_seconds(server: PipelineServer) -> None:
    clip = clip_path("audio_mp3")
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1360, "height": 900})
        page = context.new_page()
        token = mint_token(AUTH_SECRET, "listener", roles=["instructor"])
        page.goto(f"{server.url}/console#token={token}")
        page.set_input_files("#file", str(clip))
        row = page.locator(".video-row", has_text=clip.name)
        row.wait_for(timeout=30_000)
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
        context.close()

"""An encrypted ladder in a real headless Chromium: with ``HLS_ENCRYPTION`` the console's
hls.js fetches the key from ``/play/<id>/key`` with the viewer's token and plays past 2 s;
with a wrong token it gets no key and says so. The run leaves a screenshot at
``.cache/screenshots/console-encrypted.png``."""

from __future__ import annotations

import re
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
from vod_testbed.pipeline.hls_keys import video_key
from vod_testbed.pipeline.server import PipelineServer
from vod_testbed.storage.s3 import Storage

pytestmark = pytest.mark.e2e

CLIP = "small"  # 640x360, 4 s: past 2 s of playback is past the first segment's start
KEY_SECRET = "browser-test-hls-key-secret"
READY_TIMEOUT_MS = 180_000


@pytest.fixture(scope="module")
def server(
    backend_settings: Any, ffmpeg_backend: FFmpegBackend, module_database_url: str
) -> Iterator[PipelineServer]:
    with console_server(
        backend_settings,
        ffmpeg_backend,
        module_database_url,
        "encrypted-e2e",
        hls_encryption=True,
        hls_key_secret=KEY_SECRET,
    ) as running:
        yield running


@pytest.fixture(scope="module")
def uploaded(chromium_browser: Any, server: PipelineServer) -> Iterator[str]:
    """The clip uploaded through the page and ready; returns its video id."""
    tab = signed_in_tab(chromium_browser, server)
    row = upload_through(tab, clip_path(CLIP))
    video_id: str = row.get_attribute("data-id")
    row.locator(".pill", has_text="Ready").wait_for(timeout=READY_TIMEOUT_MS)
    yield video_id
    tab.context.close()


def test_hls_js_plays_the_encrypted_ladder_with_the_key_its_token_gets(
    browser: Any, server: PipelineServer, uploaded: str, storage: Storage
) -> None:
    tab = signed_in_tab(browser, server)
    keys: list[tuple[int, bytes]] = []
    segments: list[bytes] = []

    def seen(response: Any) -> None:
        if re.search(rf"/play/{uploaded}/key\?token=", response.url):
            keys.append((response.status, response.body()))
        elif ".ts?" in response.url and response.ok:
            segments.append(response.body())

    tab.on("response", seen)
    tab.evaluate(f"location.hash = {uploaded!r}")
    wait_until(tab, "document.querySelector('#video').currentTime > 2", timeout_s=60)
    assert tab.locator("#player-error").is_hidden()
    assert keys and all(k == (200, video_key(KEY_SECRET, uploaded)) for k in keys)
    # What the browser fetched from storage is ciphertext, not MPEG-TS (sync byte 0x47
    # every 188 bytes).
    assert segments and not any(s[0] == 0x47 and s[188] == 0x47 for s in segments)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / "console-encrypted.png"), full_page=True)
    tab.context.close()


def test_the_ladder_report_measures_the_encrypted_ladder_decrypted(
    browser: Any, server: PipelineServer, uploaded: str
) -> None:
    tab = signed_in_tab(browser, server)
    tab.evaluate(f"location.hash = {uploaded!r}")
    tab.locator("#report .report[data-quality='done']").wait_for(timeout=180_000)
    text = tab.locator("#report").inner_text()
    assert "HLS validation: valid" in text, text
    for quality in tab.locator(".report-table td.quality").all_inner_texts():
        assert re.search(r"PSNR \d+\.\d dB", quality), quality
    tab.locator("#report-card").screenshot(path=str(SCREENSHOTS / "console-encrypted-report.png"))
    tab.context.close()


def test_with_a_wrong_token_hls_js_gets_no_key_and_plays_nothing(
    browser: Any, server: PipelineServer, uploaded: str
) -> None:
    tab = signed_in_tab(browser, server)
    answers: list[int] = []

    def wrong_token(route: Any) -> None:
        url = re.sub(r"token=[^&]+", "token=not-a-token", route.request.url)
        response = route.fetch(url=url)
        answers.append(response.status)
        route.fulfill(response=response)

    tab.route(f"**/play/{uploaded}/key*", wrong_token)
    tab.evaluate(f"location.hash = {uploaded!r}")
    error = tab.locator("#player-error")
    error.wait_for(state="visible", timeout=60_000)
    assert "keyLoadError" in error.inner_text(), error.inner_text()
    assert answers and set(answers) == {403}
    assert float(tab.evaluate("document.querySelector('#video').currentTime")) == 0
    tab.context.close()

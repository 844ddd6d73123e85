"""The console in headless Chromium: a link carrying another user's token never switches a
signed-in tab without asking (login CSRF: a page that sends the tab to
``/console#token=<its own token>`` would otherwise receive the user's next uploads), and
the page is served with a Content-Security-Policy that forbids framing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.support.browser import SCREENSHOTS
from tests.support.e2e_helpers import AUTH_SECRET
from vod_testbed.backends.ffmpeg.backend import FFmpegBackend
from vod_testbed.common.settings import BackendSettings
from vod_testbed.pipeline.auth import mint_token
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.server import PipelineServer

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(
    backend_settings: BackendSettings,
    ffmpeg_backend: FFmpegBackend,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[PipelineServer]:
    settings = PipelineSettings(
        backend=backend_settings,
        database_url=f"sqlite:///{tmp_path_factory.mktemp('signin') / 'pipeline.sqlite3'}",
        webhook_secret="sign-in",
        auth_jwt_secret=AUTH_SECRET,
        port=0,
    )
    running = PipelineServer(settings, transcoder=ffmpeg_backend, port=0).start()
    yield running
    running.stop()


@pytest.fixture
def page(server: PipelineServer, browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1200, "height": 500})
    opened = context.new_page()
    opened.refused = []  # CSP reports the browser printed
    opened.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and opened.refused.append(message.text)
        ),
    )
    yield opened
    context.close()


def _signed_in_as(page: Any, user: str) -> None:
    page.locator("#whoami", has_text=f"Signed in as {user}").wait_for(timeout=10_000)


def _open_link(page: Any, server: PipelineServer, user: str) -> None:
    """The tab leaves the console, then a link brings it back with ``user``'s token: a new
    document, as when another site navigates the tab."""
    page.goto("about:blank")
    page.goto(f"{server.url}/console#token={mint_token(AUTH_SECRET, user)}")


def test_a_link_for_another_user_asks_and_staying_keeps_the_user(page, server):
    _open_link(page, server, "alice")
    _signed_in_as(page, "alice")
    _open_link(page, server, "mallory")
    prompt = page.locator("#switch-user")
    prompt.wait_for(state="visible", timeout=10_000)
    assert "mallory" in prompt.inner_text() and "alice" in prompt.inner_text()
    _signed_in_as(page, "alice")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "console-switch-user.png"))
    page.click("#switch-stay")
    assert prompt.is_hidden()
    _signed_in_as(page, "alice")


def test_switching_to_the_links_user_takes_a_click(page, server):
    _open_link(page, server, "alice")
    _signed_in_as(page, "alice")
    _open_link(page, server, "bob")
    page.locator("#switch-user").wait_for(state="visible", timeout=10_000)
    page.click("#switch-to")
    _signed_in_as(page, "bob")


def test_a_fresh_token_of_the_same_user_is_taken_without_asking(page, server):
    _open_link(page, server, "alice")
    _signed_in_as(page, "alice")
    _open_link(page, server, "alice")
    _signed_in_as(page, "alice")
    assert page.locator("#switch-user").is_hidden()


def test_the_console_forbids_framing_and_runs_under_its_policy(page, server):
    response = requests.get(f"{server.url}/console", timeout=10)
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    _open_link(page, server, "alice")
    _signed_in_as(page, "alice")
    assert page.refused == []

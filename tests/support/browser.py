"""Headless Chromium for the console's browser tests: Debian's ``chromium`` driven by
Playwright (never a browser of Playwright's own download), and what those tests share: a
pipeline serving the console, a signed-in tab, an upload through the page."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.support.e2e_helpers import AUTH_SECRET
from vod_testbed.backends.interface import Transcoder
from vod_testbed.common.settings import BackendSettings
from vod_testbed.pipeline.auth import mint_token
from vod_testbed.pipeline.config import PipelineSettings, PlaybackSettings
from vod_testbed.pipeline.server import PipelineServer
from vod_testbed.storage.cors import allow_origins, console_origins
from vod_testbed.storage.s3 import Storage

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]
# The console's ladder reports compare each rung's first second with the source (30 frames):
# enough for the figures and the chart the tests read, a tenth of what the whole clip costs.
REPORT_QUALITY_S = 1.0
SCREENSHOTS = Path(__file__).resolve().parents[2] / ".cache" / "screenshots"


def chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM_BINARY")
    if configured:
        return configured
    for name in ("/usr/bin/chromium", "chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Any]:
    """One headless Chromium per test worker, shared by every browser test (a launch costs
    about a second of CPU): each opens contexts of its own (cookies, storage, routes and pages
    are per context). A module-scoped fixture takes this one and closes what it opens."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def browser(chromium_browser: Any) -> Iterator[Any]:
    """The shared Chromium, every context the test opened on it closed after the test."""
    before = set(chromium_browser.contexts)
    yield chromium_browser
    for context in chromium_browser.contexts:
        if context not in before:
            context.close()


@contextmanager
def chromium() -> Iterator[Any]:
    """A Playwright browser on the system's Chromium; skips the test when there is none."""
    executable = chromium_path()
    if executable is None:
        pytest.skip("no Chromium installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright is not installed (pip install playwright)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def wait_until(page: Any, expression: str, timeout_s: float, interval_s: float = 0.1) -> None:
    """Poll ``expression`` in ``page`` until it is truthy. Playwright's
    ``wait_for_function`` compiles its string inside the page, which the console's
    Content-Security-Policy (no ``unsafe-eval``) forbids; ``evaluate`` runs it from the
    debugging protocol, outside the page's policy."""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"{expression} still false after {timeout_s} s")
        page.wait_for_timeout(interval_s * 1000)


@contextmanager
def console_server(
    backend: BackendSettings,
    transcoder: Transcoder,
    database_url: str,
    webhook_secret: str,
    **settings: Any,
) -> Iterator[PipelineServer]:
    """A pipeline serving the console on a free port, its bucket open to the console's
    origin (CORS), watching for uploads every 0.2 s, its ladder reports' quality over each
    rung's first ``REPORT_QUALITY_S``; ``settings`` are further fields."""
    settings.setdefault("playback", PlaybackSettings(quality_seconds=REPORT_QUALITY_S))
    config = PipelineSettings(
        backend=backend,
        database_url=database_url,
        webhook_secret=webhook_secret,
        auth_jwt_secret=AUTH_SECRET,
        watch_interval_s=0.2,
        port=0,
        **settings,
    )
    running = PipelineServer(config, transcoder=transcoder, port=0).start()
    allow_origins(Storage(backend).client, config.bucket, console_origins(running.url))
    try:
        yield running
    finally:
        running.stop()


def signed_in_tab(
    browser: Any, server: PipelineServer, user: str = "console-user", height: int = 1000
) -> Any:
    """A new tab on the console, signed in as an instructor ``user`` the way
    ``vod-testbed dev`` hands the token over: once, in the fragment."""
    context = browser.new_context(viewport={"width": 1360, "height": height})
    tab = context.new_page()
    token = mint_token(AUTH_SECRET, user, roles=["instructor"])
    tab.goto(f"{server.url}/console#token={token}")
    return tab


def upload_through(tab: Any, clip: Path) -> Any:
    """Upload ``clip`` with the page's file picker; its row, once listed and the upload done.

    The row is listed as soon as the video is registered, before the file is sent; the
    upload is done when the page says so and selects the video (``#<id>`` in the URL)."""
    tab.set_input_files("#file", str(clip))
    row = tab.locator(".video-row", has_text=clip.name)
    row.wait_for(timeout=30_000)
    tab.wait_for_url(f"**#{row.get_attribute('data-id')}", timeout=30_000)
    return row

"""Headless Chromium for the console's browser tests: Debian's ``chromium`` driven by
Playwright (never a browser of Playwright's own download)."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

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
SCREENSHOTS = Path(__file__).resolve().parents[3] / ".cache" / "screenshots"


def chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM_BINARY")
    if configured:
        return configured
    for name in ("/usr/bin/chromium", "chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


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

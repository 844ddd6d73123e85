"""The console never changes who is signed in without asking, and cannot be framed, in a
real Chromium over real HTTP: a ``#token=`` link for another user while signed in asks
first (refusing keeps the user), and every console answer carries a Content-Security-Policy
with ``frame-ancestors 'none'``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.pipeline.console.browser import chromium, wait_until
from tests.pipeline.doubles import RecordingTranscoder
from tests.pipeline.e2e_helpers import AUTH_SECRET
from vod_testbed.pipeline.auth import mint_token
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.server import PipelineServer

pytestmark = pytest.mark.e2e


@pytest.fixture
def server(pipeline_settings: PipelineSettings) -> Iterator[PipelineServer]:
    running = PipelineServer(
        pipeline_settings, transcoder=RecordingTranscoder(), port=0, watch=False
    ).start()
    yield running
    running.stop()


def signed_in_as(page: Any) -> str:
    wait_until(page, "document.querySelector('#whoami').textContent !== ''")
    text: str = page.text_content("#whoami")
    return text


@pytest.mark.parametrize("answer", ["refuse", "accept"])
def test_a_link_with_another_users_token_asks_before_switching(
    server: PipelineServer, answer: str
) -> None:
    asked: list[str] = []

    def on_dialog(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.accept() if answer == "accept" else dialog.dismiss()

    with chromium() as browser:
        page = browser.new_page()
        page.on("dialog", on_dialog)
        page.goto(f"{server.url}/console#token={mint_token(AUTH_SECRET, 'alice')}")
        assert signed_in_as(page) == "Signed in as alice"
        assert asked == []
        page.goto("about:blank")
        page.goto(f"{server.url}/console#token={mint_token(AUTH_SECRET, 'mallory')}")
        expected = "mallory" if answer == "accept" else "alice"
        assert signed_in_as(page) == f"Signed in as {expected}"
        assert asked == ["This link signs you in as mallory instead of alice. Switch?"]


def test_the_console_cannot_be_framed(server: PipelineServer) -> None:
    for path in ("/console", "/console/static/console.js"):
        policy = requests.get(f"{server.url}{path}", timeout=10).headers.get(
            "Content-Security-Policy", ""
        )
        assert "frame-ancestors 'none'" in policy
        assert "script-src 'self'" in policy

"""Our webhook, running for the test session, receives the emulator's job events too."""

from __future__ import annotations

import secrets
import threading

import pytest
from pipeline.webhook import JobBoard, create_app
from werkzeug.serving import make_server

WEBHOOK_SECRET = secrets.token_urlsafe(16)


@pytest.fixture(scope="session")
def our_webhook():
    board = JobBoard()
    server = make_server("127.0.0.1", 0, create_app(WEBHOOK_SECRET, board), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    board.url = f"http://127.0.0.1:{server.port}/mediaconvert-events"
    yield board
    server.shutdown()


@pytest.fixture(scope="session")
def vod_stack_settings(vod_stack_settings, our_webhook):
    """The stack as the plugin configures it, plus our webhook and its secret."""
    emulator = vod_stack_settings.emulator.replace(webhook_urls=(our_webhook.url,))
    return vod_stack_settings.replace(emulator=emulator, webhook_secret=WEBHOOK_SECRET)

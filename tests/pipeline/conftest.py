"""Fixtures of the pipeline tests: the pipeline's Flask app and a signed-in client, signed
webhook posts, a transcoder that records what it is asked, uploads in place. The settings,
database and content service the attack tests share are in ``tests/support/pipeline.py``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.support.doubles import RecordingTranscoder
from tests.support.e2e_helpers import COURSE, bearer
from tests.support.pipeline import SECRET
from vod_testbed.common import signing
from vod_testbed.pipeline.assets.content_service import ContentService
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.http.app import create_app
from vod_testbed.storage.s3 import Storage


@pytest.fixture
def app(service: ContentService) -> Flask:
    return create_app(service, config={"TESTING": True})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A client signed in as ``user-1``, an instructor (who creates courses by uploading to
    them), the owner ``new_asset`` registers by default."""
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = bearer("user-1", roles=["instructor"])[
        "Authorization"
    ]
    return client


@pytest.fixture
def post_event(client: FlaskClient) -> Callable[..., Any]:
    """POST an event to the webhook, signed with the test secret unless told otherwise."""

    def post(
        event: dict[str, Any], secret: str | None = SECRET, headers: dict[str, str] | None = None
    ) -> Any:
        body = json.dumps(event).encode()
        sent = {"Content-Type": "application/json", **(headers or {})}
        if secret is not None:
            sent.update(signing.sign(body, secret))
        return client.post("/webhooks/mediaconvert", data=body, headers=sent)

    return post


@pytest.fixture
def transcoder() -> RecordingTranscoder:
    return RecordingTranscoder()


@pytest.fixture
def uploaded(
    service: ContentService, storage: Storage, pipeline_settings: PipelineSettings
) -> Callable[..., dict[str, Any]]:
    """Register an upload and put ``clip`` at its key (as the presigned PUT would)."""

    def upload(clip: Path, filename: str = "clip.mp4") -> dict[str, Any]:
        video = service.handle_video_upload(
            "user-1", filename, "video/mp4", clip.stat().st_size, COURSE
        ).video
        storage.put(clip, f"s3://{pipeline_settings.bucket}/{video['key']}")
        return video

    return upload

"""Policy as users expect it, over real HTTP: a non-owner never sees a video's storage keys
(nor a pending upload's size); registrations waiting for their upload are limited per user
(429 with a sentence), and those never uploaded expire."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import requests

from tests.support.doubles import RecordingTranscoder
from tests.support.e2e_helpers import bearer
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.db import utcnow
from vod_testbed.pipeline.server import PipelineServer

COURSE = "physics-101"


@pytest.fixture
def server(pipeline_settings: PipelineSettings) -> Iterator[PipelineServer]:
    settings = pipeline_settings.replace(max_pending_uploads=3, max_pending_bytes=10_000)
    running = PipelineServer(settings, transcoder=RecordingTranscoder(), port=0, watch=False)
    yield running.start()
    running.stop()


def register(server: PipelineServer, size: int = 1000, user: str = "teacher") -> Any:
    body = {"filename": "a.mp4", "content_type": "video/mp4", "size": size, "course_id": COURSE}
    return requests.post(
        f"{server.url}/videos", json=body, headers=bearer(user, roles=["instructor"]), timeout=10
    )


def test_an_enrolled_student_sees_no_storage_key_nor_a_pending_size(
    server: PipelineServer,
) -> None:
    video = register(server).json()["video"]
    headers = bearer("student", courses=[COURSE])
    seen = requests.get(f"{server.url}/videos/{video['id']}", headers=headers, timeout=10).json()
    assert (seen["key"], seen["size_bytes"], seen["master_playlist_key"]) == (None, None, None)
    listed = requests.get(f"{server.url}/videos", headers=headers, timeout=10).json()["videos"]
    assert [(v["id"], v["key"], v["size_bytes"]) for v in listed] == [(video["id"], None, None)]
    own = requests.get(f"{server.url}/videos/{video['id']}", headers=bearer("teacher"), timeout=10)
    assert (own.json()["key"], own.json()["size_bytes"]) == (video["key"], 1000)


def test_too_many_pending_registrations_are_429_with_a_sentence(server: PipelineServer) -> None:
    assert [register(server).status_code for _ in range(3)] == [201] * 3
    refused = register(server)
    assert refused.status_code == 429
    assert "3 uploads registered and not yet uploaded" in refused.json()["error"]


def test_too_many_pending_bytes_are_429_with_a_sentence(server: PipelineServer) -> None:
    assert register(server, size=9_000).status_code == 201
    refused = register(server, size=2_000)
    assert refused.status_code == 429
    assert "would hold 11000 bytes; at most 10000" in refused.json()["error"]


def test_registrations_never_uploaded_expire_and_free_the_quota(server: PipelineServer) -> None:
    videos = [register(server).json()["video"] for _ in range(3)]
    assert register(server).status_code == 429
    server.reaper.clock = lambda: utcnow() + timedelta(hours=2)
    assert server.reaper.sweep() == 3
    url = f"{server.url}/videos/{videos[0]['id']}"
    expired = requests.get(url, headers=bearer("teacher"), timeout=10).json()
    assert expired["status"] == "failed"
    assert "registration expired" in expired["error"]["message"]
    assert register(server).status_code == 201

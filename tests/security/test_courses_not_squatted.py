"""Courses are created by instructors and administrators, not squatted, over real HTTP: a
user without the role who names an unknown course gets 403 with a sentence and creates
nothing, so the instructor who comes later creates and owns it; the local stack's token
carries the role, so `vod-testbed dev` users upload to new courses as before."""

from __future__ import annotations

from collections.abc import Iterator

import jwt
import pytest
import requests

from tests.support.doubles import RecordingTranscoder
from tests.support.e2e_helpers import AUTH_SECRET, bearer
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.server import PipelineServer
from vod_testbed.stack.settings import StackSettings
from vod_testbed.stack.stack import Stack

NEW_VIDEO = {"filename": "l.mp4", "content_type": "video/mp4", "size": 1000}


@pytest.fixture
def server(pipeline_settings: PipelineSettings) -> Iterator[PipelineServer]:
    running = PipelineServer(
        pipeline_settings, transcoder=RecordingTranscoder(), port=0, watch=False
    )
    yield running.start()
    running.stop()


def register(api: str, course: str, user: str, **claims: object) -> requests.Response:
    body = {**NEW_VIDEO, "course_id": course}
    return requests.post(f"{api}/videos", json=body, headers=bearer(user, **claims), timeout=10)


@pytest.mark.parametrize(
    "roles", [[], ["student"], ["Instructor"]], ids=["none", "student", "case"]
)
def test_a_user_without_the_role_cannot_create_a_course(
    server: PipelineServer, roles: list[str]
) -> None:
    squat = register(server.url, "chem-300", "squatter", roles=roles)
    assert squat.status_code == 403
    message = squat.json()["error"]
    assert "does not exist" in message and "instructor" in message
    # Nothing was created: the instructor then creates the course, owns it, and the squatter
    # still cannot add to it.
    assert register(server.url, "chem-300", "prof", roles=["instructor"]).status_code == 201
    roster = requests.get(
        f"{server.url}/courses/chem-300/enrollments",
        headers=bearer("prof", roles=["instructor"]),
        timeout=10,
    )
    assert roster.status_code == 200
    assert register(server.url, "chem-300", "squatter", roles=roles).status_code == 403


def test_an_administrator_creates_a_course_and_an_instructor_cannot_take_anothers(
    server: PipelineServer,
) -> None:
    assert register(server.url, "bio-1", "registrar", roles=["admin"]).status_code == 201
    taken = register(server.url, "bio-1", "prof", roles=["instructor"])
    assert taken.status_code == 403
    assert "belongs to another user" in taken.json()["error"]


def test_the_local_stacks_token_carries_the_instructor_role() -> None:
    stack = Stack(StackSettings.from_env({"AUTH_JWT_SECRET": AUTH_SECRET}))
    assert stack.user_token is not None
    claims = jwt.decode(stack.user_token, AUTH_SECRET, algorithms=["HS256"])
    assert claims["roles"] == ["instructor"]

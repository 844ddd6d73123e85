"""Users are authenticated as the real thing does it, over real HTTP: a bearer JWT names the
caller, and a video is seen and played only by its owner and its course's active enrollees;
only its owner deletes it; only a course's owner manages its enrollments."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import jwt
import pytest
import requests

from tests.support.doubles import RecordingTranscoder
from tests.support.e2e_helpers import AUTH_SECRET, bearer
from tests.support.pipeline import record_job
from vod_testbed.backends.mediaconvert.events import EventStatus
from vod_testbed.pipeline.assets.job_events import JobStateChange
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.server import PipelineServer
from vod_testbed.storage.s3 import Storage

COURSE = "physics-101"
FORGED_KEY = "another-secret-of-32-bytes-long-x"
NEW_VIDEO = {"filename": "lecture.mp4", "content_type": "video/mp4", "size": 1000}


@pytest.fixture
def server(pipeline_settings: PipelineSettings) -> Iterator[PipelineServer]:
    running = PipelineServer(
        pipeline_settings, transcoder=RecordingTranscoder(), port=0, watch=False
    ).start()
    yield running
    running.stop()


def register(api: str, user: str = "teacher", course: str = COURSE) -> requests.Response:
    body = {**NEW_VIDEO, "course_id": course}
    headers = bearer(user, roles=["instructor"])
    return requests.post(f"{api}/videos", json=body, headers=headers, timeout=10)


@pytest.fixture
def ready_video(server: PipelineServer, storage: Any) -> dict[str, Any]:
    """A ready video of ``teacher`` in COURSE, its outputs in storage."""
    video: dict[str, Any] = register(server.url).json()["video"]
    prefix = video["key"].rsplit(".", 1)[0] + "_processed"
    master = f"{prefix}/hls/master.m3u8"
    storage.client.put_object(Bucket=server.settings.bucket, Key=master, Body=b"#EXTM3U\n")
    record_job(server.service, video, "job-1")
    server.service.apply_job_change(
        JobStateChange(
            event_id="complete-1",
            job_id="job-1",
            status=EventStatus.COMPLETE,
            asset_id=video["id"],
            master_playlist_uri=f"s3://{server.settings.bucket}/{master}",
            thumbnail_uris=(),
            percent=100,
        )
    )
    return video


def enroll(api: str, user: str, status: str, as_user: str = "teacher") -> requests.Response:
    return requests.put(
        f"{api}/courses/{COURSE}/enrollments/{user}",
        json={"status": status},
        headers=bearer(as_user),
        timeout=10,
    )


def get(api: str, video_id: str, user: str) -> requests.Response:
    return requests.get(f"{api}/videos/{video_id}", headers=bearer(user), timeout=10)


def test_a_request_without_a_token_is_401_with_a_bearer_challenge(server: PipelineServer) -> None:
    answer = requests.get(f"{server.url}/videos", timeout=10)
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert answer.json() == {
        "error": "an Authorization: Bearer <token> header is required",
        "field": "Authorization",
    }


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (jwt.encode({"sub": "teacher", "exp": time.time() + 86400}, FORGED_KEY),
         "not valid: Signature verification failed"),
        (jwt.encode({"sub": "teacher", "exp": time.time() - 3600}, AUTH_SECRET), "expired"),
        (jwt.encode({"sub": "teacher", "exp": time.time() + 86400}, "", algorithm="none"),
         "not valid"),
        (jwt.encode({"sub": "teacher"}, AUTH_SECRET), 'not valid: Token is missing the "exp"'),
        (jwt.encode({"sub": "../x", "exp": time.time() + 86400}, AUTH_SECRET), "sub must be"),
        ("not-a-jwt", "not valid"),
    ],
    ids=["forged", "expired", "alg-none", "no-exp", "bad-sub", "garbage"],
)  # fmt: skip
def test_a_forged_expired_or_malformed_token_is_401(
    server: PipelineServer, token: str, message: str
) -> None:
    answer = requests.get(
        f"{server.url}/videos", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert answer.status_code == 401
    assert message in answer.json()["error"]


def test_the_owner_comes_from_the_token_and_a_user_id_in_the_body_is_refused(
    server: PipelineServer,
) -> None:
    body = {**NEW_VIDEO, "course_id": COURSE, "user_id": "victim"}
    answer = requests.post(f"{server.url}/videos", json=body, headers=bearer("me"), timeout=10)
    assert answer.status_code == 400
    assert answer.json()["field"] == "user_id"
    assert register(server.url, "me").json()["video"]["user_id"] == "me"


def test_a_stranger_neither_lists_nor_sees_nor_plays_a_video(
    server: PipelineServer, ready_video: dict[str, Any]
) -> None:
    listed = requests.get(f"{server.url}/videos", headers=bearer("stranger"), timeout=10)
    assert listed.json()["videos"] == []
    answer = get(server.url, ready_video["id"], "stranger")
    assert answer.status_code == 404
    assert "playback" not in answer.json()


def test_an_actively_enrolled_user_lists_sees_and_gets_a_playback_url(
    server: PipelineServer, ready_video: dict[str, Any]
) -> None:
    assert enroll(server.url, "student", "active").status_code == 200
    listed = requests.get(f"{server.url}/videos", headers=bearer("student"), timeout=10)
    assert [v["id"] for v in listed.json()["videos"]] == [ready_video["id"]]
    seen = get(server.url, ready_video["id"], "student").json()
    played = requests.get(seen["playback"]["master_playlist_url"], timeout=10)
    assert played.status_code == 200
    assert played.text.startswith("#EXTM3U")


@pytest.mark.parametrize("status", ["pending", "suspended", "completed", "dropped"])
def test_an_enrollment_that_is_not_active_grants_nothing(
    server: PipelineServer, ready_video: dict[str, Any], status: str
) -> None:
    enroll(server.url, "student", status)
    assert get(server.url, ready_video["id"], "student").status_code == 404


def test_a_courses_claim_counts_as_active_enrollment(
    server: PipelineServer, ready_video: dict[str, Any]
) -> None:
    headers = bearer("lti-student", courses=[COURSE])
    seen = requests.get(f"{server.url}/videos/{ready_video['id']}", headers=headers, timeout=10)
    assert seen.status_code == 200
    assert seen.json()["playback"]["master_playlist_url"]


def test_an_enrolled_user_may_not_delete_a_video(
    server: PipelineServer, ready_video: dict[str, Any]
) -> None:
    enroll(server.url, "student", "active")
    url = f"{server.url}/videos/{ready_video['id']}"
    answer = requests.delete(url, headers=bearer("student"), timeout=10)
    assert answer.status_code == 403
    assert answer.json() == {"error": "only the video's owner may delete it"}


def test_the_owner_deletes_a_video_its_outputs_and_its_playback(
    server: PipelineServer, ready_video: dict[str, Any]
) -> None:
    playback = get(server.url, ready_video["id"], "teacher").json()["playback"]
    url = f"{server.url}/videos/{ready_video['id']}"
    assert requests.delete(url, headers=bearer("teacher"), timeout=10).status_code == 204
    assert get(server.url, ready_video["id"], "teacher").status_code == 404
    outputs = ready_video["key"].rsplit(".", 1)[0] + "_processed/"
    storage = Storage(server.settings.backend)
    assert list(storage.list(f"s3://{server.settings.bucket}/{outputs}")) == []
    assert requests.get(playback["master_playlist_url"], timeout=10).status_code == 404


def test_only_the_course_owner_manages_its_enrollments(
    server: PipelineServer, ready_video: dict[str, Any]
) -> None:
    answer = enroll(server.url, "intruder", "active", as_user="intruder")
    assert answer.status_code == 403
    assert "owner" in answer.json()["error"]
    assert get(server.url, ready_video["id"], "intruder").status_code == 404


def test_no_one_adds_a_video_to_another_users_course(
    server: PipelineServer, ready_video: dict[str, Any]
) -> None:
    answer = register(server.url, "intruder")
    assert answer.status_code == 403
    assert answer.json() == {"error": f"course {COURSE!r} belongs to another user"}


def test_the_console_rows_show_only_what_the_caller_may_see(
    server: PipelineServer, ready_video: dict[str, Any]
) -> None:
    rows = f"{server.url}/console/rows"
    assert requests.get(rows, timeout=10).status_code == 401
    assert ready_video["id"] not in requests.get(rows, headers=bearer("x"), timeout=10).text
    assert ready_video["id"] in requests.get(rows, headers=bearer("teacher"), timeout=10).text


def test_two_first_videos_of_one_course_at_once_both_register(server: PipelineServer) -> None:
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: register(server.url, course="new-course"), range(8)))
    assert [a.status_code for a in answers] == [201] * 8

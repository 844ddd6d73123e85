"""Hostile bytes at the pipeline API's own entry points get a 4xx naming the problem, over
real HTTP: a lone surrogate in a file name, non-ASCII digits in ``?limit=``, huge numbers,
deeply nested JSON, unknown fields."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from tests.support.doubles import RecordingTranscoder
from tests.support.e2e_helpers import bearer
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.server import PipelineServer

GOOD = '{"filename": %s, "content_type": "video/mp4", "size": %s, "course_id": "c1"}'


@pytest.fixture(scope="module")
def api(
    pipeline_settings_module: PipelineSettings,
) -> Iterator[str]:
    running = PipelineServer(
        pipeline_settings_module, transcoder=RecordingTranscoder(), port=0, watch=False
    ).start()
    yield running.url
    running.stop()


@pytest.fixture(scope="module")
def pipeline_settings_module(
    backend_settings: object, tmp_path_factory: pytest.TempPathFactory
) -> PipelineSettings:
    from tests.support.e2e_helpers import AUTH_SECRET

    folder = tmp_path_factory.mktemp("hostile")
    return PipelineSettings(
        backend=backend_settings,  # type: ignore[arg-type]
        database_url=f"sqlite:///{folder / 'pipeline.sqlite3'}",
        webhook_secret="hostile-webhook-secret",
        auth_jwt_secret=AUTH_SECRET,
        port=0,
    )


def post_raw(api: str, body: bytes) -> requests.Response:
    headers = {"Content-Type": "application/json", **bearer("user-1", roles=["instructor"])}
    return requests.post(f"{api}/videos", data=body, headers=headers, timeout=10)


def test_a_lone_surrogate_in_a_file_name_is_400(api: str) -> None:
    answer = post_raw(api, (GOOD % ('"clip\\ud800.mp4"', 10)).encode())
    assert answer.status_code == 400
    assert answer.json()["field"] == "body"


@pytest.mark.parametrize(
    "limit", ["²", "\u0661\u0660", "1e3", "-1", "0", "501", " 5", "99999999999999999999"]
)
def test_a_limit_that_is_not_ascii_digits_in_range_is_400(api: str, limit: str) -> None:
    answer = requests.get(
        f"{api}/videos", params={"limit": limit}, headers=bearer("user-1"), timeout=10
    )
    assert answer.status_code == 400
    assert answer.json() == {"error": "must be an integer from 1 to 500", "field": "limit"}


@pytest.mark.parametrize("size", ["1" + "0" * 400, "1e400", "-0", "12.5"])
def test_a_huge_or_odd_number_as_size_is_400(api: str, size: str) -> None:
    answer = post_raw(api, (GOOD % ('"clip.mp4"', size)).encode())
    assert answer.status_code == 400
    assert answer.json()["field"] in ("size", "body")


def test_deeply_nested_json_is_400(api: str) -> None:
    answer = post_raw(api, b"[" * 100_000 + b"]" * 100_000)
    assert answer.status_code == 400
    assert answer.json()["field"] == "body"


def test_an_unknown_field_is_400_naming_it(api: str) -> None:
    answer = post_raw(api, (GOOD[:-1] % ('"clip.mp4"', 10) + ', "owner": "x"}').encode())
    assert answer.status_code == 400
    assert answer.json() == {"error": "is not a field of a new video", "field": "owner"}


def test_invalid_utf8_in_a_path_is_a_4xx(api: str) -> None:
    answer = requests.get(f"{api}/videos/%ff%fe", headers=bearer("user-1"), timeout=10)
    assert answer.status_code == 404
    assert answer.json()["field"] == "id"


def test_a_course_id_with_a_slash_or_dots_is_400(api: str) -> None:
    answer = requests.put(
        f"{api}/courses/..%2Fetc/enrollments/bob",
        json={"status": "active"},
        headers=bearer("user-1"),
        timeout=10,
    )
    assert answer.status_code in (400, 404)
    assert "Traceback" not in answer.text

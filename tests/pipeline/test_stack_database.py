"""The local stack (what ``vod-testbed dev`` starts) runs on the database its settings name
(``DATABASE_URL``): on SQLite, or on PostgreSQL with ``TEST_DATABASE=postgresql``; a second
start on the same database finds what the first one wrote."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from tests.support.e2e_helpers import COURSE
from vod_testbed.stack.settings import StackSettings
from vod_testbed.stack.stack import start_stack

pytestmark = pytest.mark.e2e


def _settings(data_dir: Path, database_url: str) -> StackSettings:
    return StackSettings(
        data_dir=data_dir, s3_port=0, emulator_port=0, api_port=0, database_url=database_url
    )


def test_a_video_registered_on_one_start_is_there_on_the_next(
    tmp_path: Path, database_url: str
) -> None:
    settings = _settings(tmp_path / "data", database_url)
    with start_stack(settings) as stack:
        assert stack.endpoints is not None
        created = requests.post(
            f"{stack.endpoints.pipeline}/videos",
            json={
                "filename": "a.mp4",
                "content_type": "video/mp4",
                "size": 10,
                "course_id": COURSE,
            },
            headers={"Authorization": f"Bearer {stack.user_token}"},
            timeout=10,
        )
        assert created.status_code == 201, created.text
    with start_stack(settings) as stack:
        assert stack.endpoints is not None
        found = requests.get(
            f"{stack.endpoints.pipeline}/videos/{created.json()['id']}",
            headers={"Authorization": f"Bearer {stack.user_token}"},
            timeout=10,
        )
    assert (found.status_code, found.json()["status"]) == (200, "pending_upload")
    # The database named, not the stack's default file in its data dir.
    assert not (tmp_path / "data" / "pipeline.sqlite3").exists()

"""POST/GET /videos: validation, presigned PUT constraints, lookups."""

from __future__ import annotations

import urllib.parse
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.support.e2e_helpers import bearer
from tests.support.pipeline import record_job
from vod_testbed.pipeline.assets.content_service import ContentService

GOOD = {"filename": "clip.mp4", "content_type": "video/mp4", "size": 1234, "course_id": "c-1"}


def create(client: FlaskClient, user: str | None = None, **overrides: Any) -> Any:
    """POST /videos as the client's user, or as ``user``."""
    headers = bearer(user, roles=["instructor"]) if user else {}
    return client.post("/videos", json={**GOOD, **overrides}, headers=headers)


def test_create_answers_201_with_a_presigned_put(client: FlaskClient) -> None:
    response = create(client)
    assert response.status_code == 201
    body = response.get_json()
    assert body["key"].startswith("video/user-1/")
    assert body["key"].endswith("-clip.mp4")
    assert body["upload_headers"] == {"Content-Type": "video/mp4", "Content-Length": "1234"}
    assert body["expires_in"] == 900
    assert body["video"]["status"] == "pending_upload"
    assert body["id"] in body["key"]


def test_the_put_signature_binds_content_type_and_length(client: FlaskClient) -> None:
    body = create(client).get_json()
    query = urllib.parse.parse_qs(urllib.parse.urlparse(body["upload_url"]).query)
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert query["X-Amz-SignedHeaders"][0].split(";") == ["content-length", "content-type", "host"]
    assert query["X-Amz-Expires"] == ["900"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("filename", "", "non-empty"),
        ("filename", None, "non-empty"),
        ("filename", "x" * 300, "at most 255"),
        # The S3 notification that starts transcoding matches video extensions only.
        ("filename", "lecture", "must end with a video or audio file extension (.mp4, .mov"),
        ("filename", "capture.ts", "must end with a video or audio file extension"),
        ("content_type", "image/png", "not accepted"),
        ("content_type", "video/mp4; codecs=avc1", "bare MIME type"),
        ("content_type", 7, "MIME type"),
        ("size", 0, "between 1 and"),
        ("size", 5 * 2**30 + 1, "between 1 and"),
        ("size", "12", "integer"),
        ("size", True, "integer"),
        ("course_id", "../admin", "A-Z"),
        ("course_id", None, "A-Z"),
        ("user_id", "user-1", "bearer token"),
    ],
)
def test_bad_fields_answer_400_naming_the_field(
    client: FlaskClient, field: str, value: Any, message: str
) -> None:
    response = create(client, **{field: value})
    assert response.status_code == 400
    body = response.get_json()
    assert body["field"] == field
    assert message in body["error"]


def test_a_body_that_is_not_an_object_is_a_400(client: FlaskClient) -> None:
    response = client.post("/videos", data="[1]", content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["field"] == "body"


def test_unknown_id_is_404(client: FlaskClient) -> None:
    response = client.get("/videos/6f1c1a43-0000-4000-8000-000000000000")
    assert response.status_code == 404
    assert response.get_json()["field"] == "id"


def test_get_returns_status_progress_and_no_playback_before_ready(client: FlaskClient) -> None:
    created = create(client).get_json()
    video = client.get(f"/videos/{created['id']}").get_json()
    assert (video["status"], video["progress"], video["playback"], video["error"]) == (
        "pending_upload",
        0,
        None,
        None,
    )


def test_list_filters_by_user_and_status(client: FlaskClient) -> None:
    alice = bearer("alice")
    mine = create(client, "alice").get_json()["id"]
    assert create(client, "bob", course_id="c-2").status_code == 201
    listed = client.get("/videos?user_id=alice&status=pending_upload", headers=alice)
    assert [v["id"] for v in listed.get_json()["videos"]] == [mine]
    ready = client.get("/videos?user_id=alice&status=ready", headers=alice)
    assert ready.get_json()["videos"] == []


def test_list_refuses_an_unknown_status(client: FlaskClient) -> None:
    response = client.get("/videos?status=done")
    assert response.status_code == 400
    assert response.get_json()["field"] == "status"


def test_ready_video_has_a_tokened_playback_url_and_presigned_thumbnails(
    service: ContentService, client: FlaskClient
) -> None:
    from vod_testbed.backends.mediaconvert.events import EventStatus
    from vod_testbed.pipeline.assets.job_events import JobStateChange

    video = create(client).get_json()["video"]
    record_job(service, video, "1-abc")
    service.apply_job_change(
        JobStateChange(
            event_id="e1",
            job_id="1-abc",
            status=EventStatus.COMPLETE,
            asset_id=video["id"],
            master_playlist_uri="s3://b/out/hls/master.m3u8",
            thumbnail_uris=("s3://b/out/thumbnails/master_thumb.0000000.jpg",),
        )
    )
    playback = client.get(f"/videos/{video['id']}").get_json()["playback"]
    assert f"/play/{video['id']}/master.m3u8?token=" in playback["master_playlist_url"]
    assert "/out/thumbnails/master_thumb.0000000.jpg?" in playback["thumbnail_urls"][0]

"""The console's pages through Flask's test client: redirect, list, panel, report state."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.support.pipeline import record_job
from vod_testbed.backends.mediaconvert.events import EventStatus
from vod_testbed.pipeline.assets.content_service import ContentService
from vod_testbed.pipeline.assets.job_events import JobStateChange
from vod_testbed.pipeline.console.reports import ReportCache
from vod_testbed.pipeline.http.app import create_app
from vod_testbed.report.model import LadderReport


class Builder:
    """Stands in for the report builder: records calls, finishes when told."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str | None]] = []
        self.release = threading.Event()

    def __call__(self, master: str, source: str | None, on_measured: Any) -> LadderReport:
        self.calls.append((master, source))
        report = LadderReport(master, True, [], [], [], quality_status="pending", source=source)
        on_measured(report)
        self.release.wait(10)
        report.quality_status = "done"
        return report


@pytest.fixture
def builder() -> Builder:
    return Builder()


@pytest.fixture
def app(service: ContentService, builder: Builder) -> Flask:
    return create_app(service, reports=ReportCache(builder), config={"TESTING": True})


def change(video_id: str, status: EventStatus, event_id: str, **extra: Any) -> JobStateChange:
    return JobStateChange(
        event_id=event_id, job_id="job-1", status=status, asset_id=video_id, **extra
    )


def test_the_root_redirects_to_the_console(client: FlaskClient) -> None:
    response = client.get("/")
    assert (response.status_code, response.headers["Location"]) == (302, "/console")


def test_the_console_lists_videos_newest_first(
    client: FlaskClient, new_asset: Callable[..., dict[str, Any]]
) -> None:
    for name in ("first.mp4", "second.mp4", "third.mp4"):
        new_asset(filename=name)
    page = client.get("/console/rows").get_data(as_text=True)
    assert page.index("third.mp4") < page.index("second.mp4") < page.index("first.mp4")
    assert 'integrity="sha384-' in page or "hls.min.js" not in page


def test_a_failed_video_shows_its_error_in_words(
    client: FlaskClient, service: ContentService, new_asset: Callable[..., dict[str, Any]]
) -> None:
    video = new_asset()
    record_job(service, video, "job-1")
    message = "The input is not a media file that can be read."
    service.apply_job_change(
        change(video["id"], EventStatus.ERROR, "e1", error_code=1010, error_message=message)
    )
    panel = client.get(f"/console/videos/{video['id']}/panel").get_data(as_text=True)
    assert f"<strong>Failed (error 1010):</strong>\n    {message}" in panel


def test_the_event_history_folds_a_run_of_status_updates_into_one_line(
    client: FlaskClient, service: ContentService, new_asset: Callable[..., dict[str, Any]]
) -> None:
    video = new_asset()
    record_job(service, video, "job-1")
    for n in range(5):
        service.apply_job_change(
            change(video["id"], EventStatus.STATUS_UPDATE, f"u{n}", percent=n * 10)
        )
    panel = client.get(f"/console/videos/{video['id']}/panel").get_data(as_text=True)
    assert panel.count("STATUS_UPDATE") == 1
    assert "\N{MULTIPLICATION SIGN}5" in panel


def test_an_unknown_video_has_no_panel(client: FlaskClient) -> None:
    response = client.get("/console/videos/nope/panel")
    assert response.status_code == 404
    assert "No video with id <code>nope</code>" in response.get_data(as_text=True)


def test_a_video_that_is_not_ready_has_no_report_yet(
    client: FlaskClient, new_asset: Callable[..., dict[str, Any]], builder: Builder
) -> None:
    response = client.get(f"/console/videos/{new_asset()['id']}/report.json")
    assert response.status_code == 409
    assert response.get_json()["error"] == "the video is not ready"
    assert builder.calls == []


def test_the_report_is_computed_in_the_background_and_asking_never_waits(
    client: FlaskClient,
    service: ContentService,
    new_asset: Callable[..., dict[str, Any]],
    builder: Builder,
) -> None:
    video = new_asset()
    record_job(service, video, "job-1")
    master = "s3://b/out/hls/master.m3u8"
    service.apply_job_change(
        change(video["id"], EventStatus.COMPLETE, "c1", master_playlist_uri=master)
    )
    first = client.get(f"/console/videos/{video['id']}/report.json").get_json()
    assert first["status"] in ("queued", "measuring", "ready")
    # The builder is still blocked: every ask answers at once with the figures so far.
    for _ in range(50):
        state = client.get(f"/console/videos/{video['id']}/report.json").get_json()
        if state["report"]:
            break
        threading.Event().wait(0.02)
    assert state["report"]["quality_status"] == "pending"
    builder.release.set()
    for _ in range(100):
        state = client.get(f"/console/videos/{video['id']}/report.json").get_json()
        if state["report"]["quality_status"] == "done":
            break
        threading.Event().wait(0.02)
    assert state["report"]["quality_status"] == "done"
    bucket = service.settings.bucket
    assert builder.calls == [
        (master.replace("s3://b/", f"s3://{bucket}/"), f"s3://{bucket}/{video['key']}")
    ]


def test_a_report_that_fails_says_why(
    client: FlaskClient, service: ContentService, new_asset: Callable[..., dict[str, Any]]
) -> None:
    def broken(master: str, source: str | None, on_measured: Any) -> LadderReport:
        raise RuntimeError("storage is gone")

    app = create_app(service, reports=ReportCache(broken), config={"TESTING": True})
    video = new_asset()
    record_job(service, video, "job-1")
    service.apply_job_change(
        change(video["id"], EventStatus.COMPLETE, "c1", master_playlist_uri="s3://b/m.m3u8")
    )
    with app.test_client() as other:
        other.environ_base.update(client.environ_base)
        for _ in range(100):
            state = other.get(f"/console/videos/{video['id']}/report.json").get_json()
            if state["status"] == "failed":
                break
            threading.Event().wait(0.02)
    assert state == {"status": "failed", "report": None, "error": "RuntimeError: storage is gone"}

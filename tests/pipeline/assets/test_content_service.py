"""The content service under concurrent, duplicated deliveries."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

from tests.support.pipeline import RecordingNotifier, complete_detail, mc_event, record_job
from vod_testbed.backends.mediaconvert.events import EventStatus
from vod_testbed.pipeline.assets.content_service import ContentService
from vod_testbed.pipeline.assets.job_events import JobStateChange, parse_mediaconvert_event
from vod_testbed.pipeline.trigger.notices import NoticeStatus, TriggerNotice

JOB = "1764064325000-conc01"


def run_concurrently(calls: list[Callable[[], Any]]) -> list[Any]:
    results: list[Any] = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def worker(index: int) -> None:
        start.wait()
        results[index] = calls[index]()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_racing_status_updates_never_overwrite_complete(
    service: ContentService, new_asset: Callable[..., dict[str, Any]]
) -> None:
    asset = new_asset()
    record_job(service, asset, JOB)
    changes = [
        parse_mediaconvert_event(
            mc_event("STATUS_UPDATE", JOB, asset["id"], jobPercentComplete=percent)
        )
        for percent in range(10, 90, 10)
    ]
    changes.append(
        parse_mediaconvert_event(mc_event("COMPLETE", JOB, asset["id"], **complete_detail()))
    )
    outcomes = run_concurrently([functools.partial(service.apply_job_change, c) for c in changes])
    assert set(outcomes) <= {"applied", "ignored"}
    found = service.get(asset["id"])
    assert found is not None
    assert (found["status"], found["progress"]) == ("ready", 100)


def test_the_same_event_delivered_concurrently_is_applied_once(
    service: ContentService,
    new_asset: Callable[..., dict[str, Any]],
    notifier: RecordingNotifier,
) -> None:
    asset = new_asset()
    record_job(service, asset, JOB)
    change = JobStateChange(
        event_id="same",
        job_id=JOB,
        status=EventStatus.ERROR,
        asset_id=asset["id"],
        error_code=1040,
        error_message="Settings error",
    )
    outcomes = run_concurrently([lambda: service.apply_job_change(change)] * 4)
    assert sorted(outcomes) == ["applied", "duplicate", "duplicate", "duplicate"]
    assert len(notifier.videos) == 1


def test_schema_renders_for_postgresql() -> None:
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.schema import CreateTable

    from vod_testbed.pipeline.db import Base

    ddl = [
        str(CreateTable(t).compile(dialect=postgresql.dialect()))
        for t in Base.metadata.sorted_tables
    ]
    joined = "\n".join(ddl)
    assert "CREATE TABLE video_assets" in joined
    assert "thumbnail_keys JSON" in joined
    assert "TIMESTAMP WITH TIME ZONE" in joined


def test_videos_whose_in_process_job_was_lost_are_failed(
    service: ContentService, new_asset: Callable[..., dict[str, Any]]
) -> None:
    lost, alive = new_asset(), new_asset()
    for asset, job_id in ((lost, "1764064325000-lost01"), (alive, "1764064325000-alive1")):
        service.apply_trigger_notice(
            TriggerNotice(NoticeStatus.JOB_SUBMITTED, asset["id"], asset["key"], 10, job_id)
        )
    assert service.fail_lost_jobs(lambda job_id: job_id.endswith("alive1")) == 1
    failed, running = service.get(lost["id"]), service.get(alive["id"])
    assert failed is not None and running is not None
    assert failed["status"] == "failed"
    assert failed["error"]["code"] == 1999
    assert "Upload the video again" in failed["error"]["message"]
    assert running["status"] == "processing"
    assert service.fail_lost_jobs(lambda job_id: False) == 1  # only the one still processing

"""The upload trigger: S3 event shapes, key filtering, probing, job creation, reports."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from tests.pipeline.conftest import SECRET, load_event
from tests.pipeline.doubles import RecordingTranscoder
from tests.pipeline.trigger.lambda_imports import modules_the_handler_loads
from vod_testbed.backends.job import Job, JobRequest
from vod_testbed.backends.source import fetch_sample, probe_object
from vod_testbed.common.clock import ManualClock
from vod_testbed.common.errors import InvalidRequestError
from vod_testbed.common.signed_post import DeliveryError
from vod_testbed.fixtures.media import clip_path
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.content_service import ContentService
from vod_testbed.pipeline.trigger.handler import (
    UploadTrigger,
    WebhookReporter,
    default_trigger,
    handler,
    parse_s3_event,
)
from vod_testbed.pipeline.trigger.notices import NoticeStatus, TriggerNotice
from vod_testbed.pipeline.watcher import UploadWatcher, object_created_event
from vod_testbed.storage.s3 import Storage

DECODED = (
    "video/user-1/2026/11/0b7e3c2a-5d1e-4f7a-9c1b-2f3e4d5a6b7c-20261125T095205Z-"
    "My holiday été (1).mp4"
)


class RecordingReporter:
    def __init__(self, needed: bool = True) -> None:
        self.notices: list[TriggerNotice] = []
        self.needed = needed

    def report(self, notice: TriggerNotice) -> None:
        self.notices.append(notice)

    def needs_job(self, asset_id: str) -> bool:
        return self.needed


def event_of(video: dict[str, Any], settings: PipelineSettings) -> dict[str, Any]:
    """The ObjectCreated event S3 sends once ``video`` is uploaded."""
    return object_created_event(settings.bucket, video["key"], video["size_bytes"])


# -- event shapes -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["s3-object-created-aws.json", "s3-object-created-minio.json"])
def test_aws_and_minio_events_give_the_decoded_key(name: str) -> None:
    (created,) = parse_s3_event(load_event(name))
    assert created.bucket == "vod-testbed"
    assert created.key == DECODED
    assert created.size == 1048576


def test_records_other_than_object_created_are_left_out() -> None:
    event = load_event("s3-object-created-aws.json")
    event["Records"][0]["eventName"] = "ObjectRemoved:Delete"
    assert parse_s3_event(event) == []


def test_watcher_events_round_trip_through_the_parser() -> None:
    (created,) = parse_s3_event(object_created_event("b", DECODED, 5))
    assert created.key == DECODED


# -- handling -----------------------------------------------------------------------------


@pytest.mark.e2e  # its upload is a clip the fixtures make with ffmpeg
def test_a_video_gets_a_job_with_the_asset_in_user_metadata(
    trigger: UploadTrigger,
    transcoder: RecordingTranscoder,
    uploaded: Callable[..., dict[str, Any]],
    service: ContentService,
    pipeline_settings: PipelineSettings,
) -> None:
    video = uploaded(clip_path("short_2s"))
    event = event_of(video, pipeline_settings)
    assert trigger.handle(event)["submitted"] == [video["key"]]
    (job,) = transcoder.jobs.values()
    assert job.request.user_metadata == {"assetId": video["id"], "userId": "user-1"}
    stem = video["key"].rsplit(".", 1)[0]
    assert (
        job.request.hls_destination
        == f"s3://{pipeline_settings.bucket}/{stem}_processed/hls/master"
    )
    found = service.get(video["id"])
    assert found is not None
    assert (found["status"], found["job_id"]) == ("processing", job.id)


@pytest.mark.e2e  # its upload is a clip the fixtures make with ffmpeg
def test_text_named_mp4_is_rejected_with_the_reason(
    trigger: UploadTrigger,
    transcoder: RecordingTranscoder,
    uploaded: Callable[..., dict[str, Any]],
    service: ContentService,
    pipeline_settings: PipelineSettings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    video = uploaded(clip_path("not_video"))
    event = event_of(video, pipeline_settings)
    assert trigger.handle(event)["rejected"] == [video["key"]]
    assert transcoder.jobs == {}
    found = service.get(video["id"])
    assert found is not None
    assert found["status"] == "failed"
    assert found["error"]["reason"] == "invalid_input"
    assert found["error"]["code"] == 1010
    assert "not a media file" in found["error"]["message"]
    assert any("not a usable video" in r.getMessage() for r in caplog.records)


@pytest.mark.e2e  # its upload is a clip the fixtures make with ffmpeg
def test_a_job_the_transcoder_refuses_fails_the_asset_instead_of_retrying(
    trigger: UploadTrigger,
    transcoder: RecordingTranscoder,
    uploaded: Callable[..., dict[str, Any]],
    service: ContentService,
    pipeline_settings: PipelineSettings,
) -> None:
    def refuse(request: JobRequest) -> Job:
        raise InvalidRequestError("settings/outputGroups/0", "MP4 outputs are not supported")

    transcoder.submit = refuse  # type: ignore[method-assign]
    video = uploaded(clip_path("short_2s"))
    assert trigger.handle(event_of(video, pipeline_settings))["rejected"] == [video["key"]]
    found = service.get(video["id"])
    assert found is not None
    assert found["status"] == "failed"
    assert found["error"]["code"] == 1040
    assert "MP4 outputs are not supported" in found["error"]["message"]


@pytest.mark.e2e  # its upload is a clip the fixtures make with ffmpeg
def test_watcher_backs_off_while_handling_fails(pipeline_settings: PipelineSettings) -> None:
    class FailingTrigger:
        def __init__(self, s3: Any) -> None:
            self.s3 = s3
            self.calls = 0

        def handle(self, event: dict[str, Any]) -> None:
            self.calls += 1
            raise ConnectionError("transcoder unreachable")

    storage = Storage(pipeline_settings.backend)
    bucket = f"watch-{uuid.uuid4().hex[:12]}"  # its own bucket: exactly one upload in it
    storage.ensure_bucket(bucket)
    key = "video/u1/2026/11/0b0e0f0e-1700000000-clip.mp4"
    storage.put(clip_path("short_2s"), f"s3://{bucket}/{key}")
    failing = FailingTrigger(storage.client)
    clock = ManualClock()
    watcher = UploadWatcher(failing, bucket, interval_s=10, clock=clock)  # type: ignore[arg-type]
    assert watcher.poll_once() == 1
    clock.advance(9.9)
    assert watcher.poll_once() == 0  # backing off: not retried before 10 s
    clock.advance(0.1)
    assert watcher.poll_once() == 1
    clock.advance(19.9)
    assert watcher.poll_once() == 0  # the second delay is twice the first
    clock.advance(0.1)
    assert watcher.poll_once() == 1
    assert failing.calls == 3


@pytest.mark.e2e  # its upload is a clip the fixtures make with ffmpeg
def test_oversized_upload_is_rejected_without_probing(
    pipeline_settings: PipelineSettings,
    transcoder: RecordingTranscoder,
    uploaded: Callable[..., dict[str, Any]],
) -> None:
    reporter = RecordingReporter()
    small = PipelineSettings(**{**pipeline_settings.__dict__, "max_upload_bytes": 100})
    video = uploaded(clip_path("short_2s"))
    UploadTrigger(small, transcoder, reporter).handle(
        object_created_event(small.bucket, video["key"], video["size_bytes"])
    )
    assert [n.status for n in reporter.notices] == [
        NoticeStatus.UPLOAD_RECEIVED,
        NoticeStatus.UPLOAD_REJECTED,
    ]
    assert "limit is 100" in (reporter.notices[1].error_message or "")


def test_job_outputs_under_video_are_skipped(
    pipeline_settings: PipelineSettings, transcoder: RecordingTranscoder
) -> None:
    reporter = RecordingReporter()
    trigger = UploadTrigger(pipeline_settings, transcoder, reporter)
    key = (
        "video/user-1/2026/11/0b7e3c2a-5d1e-4f7a-9c1b-2f3e4d5a6b7c-20261125T095205Z-"
        "clip_processed/hls/master_720p_00001.ts"
    )
    assert trigger.handle(object_created_event(pipeline_settings.bucket, key, 10))["skipped"] == [
        key
    ]
    assert (reporter.notices, transcoder.jobs) == ([], {})


@pytest.mark.e2e  # its upload is a clip the fixtures make with ffmpeg
def test_redelivered_upload_event_starts_no_second_job(
    trigger: UploadTrigger,
    transcoder: RecordingTranscoder,
    uploaded: Callable[..., dict[str, Any]],
    pipeline_settings: PipelineSettings,
) -> None:
    video = uploaded(clip_path("short_2s"))
    event = event_of(video, pipeline_settings)
    trigger.handle(event)
    assert trigger.handle(event)["skipped"] == [video["key"]]
    assert len(transcoder.jobs) == 1


@pytest.mark.e2e  # its upload is a clip the fixtures make with ffmpeg
def test_encoded_key_with_spaces_and_non_ascii_reaches_the_right_object(
    pipeline_settings: PipelineSettings,
    transcoder: RecordingTranscoder,
    storage: Storage,
    tmp_path: Path,
) -> None:
    storage.put(clip_path("short_2s"), f"s3://{pipeline_settings.bucket}/{DECODED}")
    event = load_event("s3-object-created-aws.json")
    event["Records"][0]["s3"]["bucket"]["name"] = pipeline_settings.bucket
    event["Records"][0]["s3"]["object"]["size"] = clip_path("short_2s").stat().st_size
    reporter = RecordingReporter()
    UploadTrigger(pipeline_settings, transcoder, reporter).handle(event)
    (job,) = transcoder.jobs.values()
    stem = DECODED.rsplit(".", 1)[0]
    # The job reads its own copy of exactly that object.
    pinned = f"s3://{pipeline_settings.bucket}/{stem}_processed/source/{DECODED.split('/')[-1]}"
    assert job.request.input_uri == pinned
    assert storage.fetch(pinned, tmp_path / "pinned.mp4").read_bytes() == (
        clip_path("short_2s").read_bytes()
    )
    assert reporter.notices[-1].status is NoticeStatus.JOB_SUBMITTED


def test_webhook_reporter_posts_signed_notices(
    pipeline_settings: PipelineSettings, transcoder: RecordingTranscoder
) -> None:
    reporter = WebhookReporter("http://127.0.0.1:9/unreachable", "s")
    assert reporter.needs_job("any")
    notice = TriggerNotice(NoticeStatus.UPLOAD_RECEIVED, "a", "video/k", 1)
    with pytest.raises(DeliveryError, match="unreachable"):
        reporter.report(notice)


# -- probing from head and tail ------------------------------------------------------------


@pytest.mark.e2e  # its upload is a clip the fixtures make with ffmpeg
def test_sparse_sample_keeps_head_and_tail_at_their_offsets(
    storage: Storage, s3_prefix: str, tmp_path: Path
) -> None:
    source = clip_path("landscape_1080p")
    uri = f"{s3_prefix}/whole.mp4"
    storage.put(source, uri)
    bucket, key = uri[5:].split("/", 1)
    size = source.stat().st_size
    sample = 64 * 1024
    dest = fetch_sample(storage.client, bucket, key, size, sample, tmp_path / "s.mp4")
    data, original = dest.read_bytes(), source.read_bytes()
    assert len(data) == size
    assert data[:sample] == original[:sample]
    assert data[-sample:] == original[-sample:]
    assert data[sample:-sample].count(0) == size - 2 * sample


def test_handler_path_imports_no_web_framework_or_database() -> None:
    loaded = modules_the_handler_loads()
    assert "vod_testbed.pipeline.trigger.handler" in loaded
    unwanted = ("flask", "werkzeug", "sqlalchemy", "vod_testbed.emulator", "requests")
    assert [m for m in unwanted if m in loaded] == []


@pytest.mark.e2e  # its upload is a clip the fixtures make with ffmpeg
def test_moov_at_end_mp4_probes_from_its_head_and_tail(
    storage: Storage, s3_prefix: str, tmp_path: Path
) -> None:
    source = clip_path("landscape_1080p")
    assert source.read_bytes().rfind(b"moov") > source.stat().st_size // 2  # index at the end
    uri = f"{s3_prefix}/camera.mp4"
    storage.put(source, uri)
    bucket, key = uri[5:].split("/", 1)
    info = probe_object(storage.client, bucket, key, source.stat().st_size, 2**20, tmp_path)
    assert info.video is not None
    assert (info.video.width, info.video.height) == (1920, 1080)
    assert info.duration_s == pytest.approx(4, abs=0.2)


# -- as a Lambda function -----------------------------------------------------------------


@pytest.fixture
def served_app(app: Any) -> Iterator[str]:
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.port}/webhooks/mediaconvert"
    http.shutdown()
    http.server_close()


@pytest.mark.e2e  # its upload is a clip the fixtures make with ffmpeg
def test_reports_posted_to_the_webhook_move_the_asset(
    served_app: str,
    pipeline_settings: PipelineSettings,
    transcoder: RecordingTranscoder,
    uploaded: Callable[..., dict[str, Any]],
    service: ContentService,
) -> None:
    video = uploaded(clip_path("short_2s"))
    trigger = UploadTrigger(pipeline_settings, transcoder, WebhookReporter(served_app, SECRET))
    trigger.handle(event_of(video, pipeline_settings))
    (job,) = transcoder.jobs.values()
    found = service.get(video["id"])
    assert found is not None
    assert (found["status"], found["job_id"]) == ("processing", job.id)


def test_reports_with_the_wrong_secret_are_refused_without_retry(served_app: str) -> None:
    notice = TriggerNotice(NoticeStatus.UPLOAD_RECEIVED, "a", "video/k", 1)
    with pytest.raises(DeliveryError, match="HTTP 401"):
        WebhookReporter(served_app, "wrong").report(notice)


def test_lambda_handler_is_configured_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, pipeline_settings: PipelineSettings
) -> None:
    monkeypatch.setenv("S3_ENDPOINT_URL", pipeline_settings.backend.s3_endpoint_url or "")
    monkeypatch.setenv("S3_BUCKET", pipeline_settings.bucket)
    monkeypatch.setenv("PIPELINE_WEBHOOK_URL", "http://127.0.0.1:9/webhooks/mediaconvert")
    monkeypatch.setenv("TRANSCODER_BACKEND", "ffmpeg")
    default_trigger.cache_clear()
    try:
        output = (
            "video/u/2026/11/0b7e3c2a-5d1e-4f7a-9c1b-2f3e4d5a6b7c-20261125T095205Z-c_processed/x.ts"
        )
        event = object_created_event(pipeline_settings.bucket, output, 1)
        assert handler(event, None) == {"submitted": [], "rejected": [], "skipped": [output]}
        assert isinstance(default_trigger().reporter, WebhookReporter)
    finally:
        default_trigger().transcoder.close()
        default_trigger.cache_clear()


def test_the_lambda_handler_without_a_webhook_url_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PIPELINE_WEBHOOK_URL", raising=False)
    default_trigger.cache_clear()
    try:
        with pytest.raises(ValueError, match="PIPELINE_WEBHOOK_URL is not set"):
            handler({"Records": []}, None)
    finally:
        default_trigger.cache_clear()

"""The upload trigger: S3 event shapes, key filtering, probing, job creation, reports."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.doubles import RecordingTranscoder
from tests.support.lambda_imports import modules_the_handler_loads
from tests.support.net import serving
from tests.support.pipeline import SECRET, load_event, s3_notification
from vod_testbed.backends.job import Job, JobRequest
from vod_testbed.backends.jobmodel.model import FileGroup, Mp4
from vod_testbed.backends.source import fetch_sample, probe_object
from vod_testbed.common.clock import ManualClock
from vod_testbed.common.errors import InvalidRequestError
from vod_testbed.common.signed_post import DeliveryError
from vod_testbed.fixtures.media import clip_path
from vod_testbed.pipeline.assets.content_service import ContentService, ServiceReporter
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.trigger.handler import (
    UploadTrigger,
    WebhookReporter,
    default_trigger,
    handler,
    parse_s3_event,
)
from vod_testbed.pipeline.trigger.notices import NoticeStatus, TriggerNotice
from vod_testbed.pipeline.workers.watcher import UploadWatcher, object_created_event
from vod_testbed.storage.s3 import Storage, parse_s3_uri

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


# Any notice: these tests are about how a notice is sent, not what it says.
NOTICE = TriggerNotice(NoticeStatus.UPLOAD_RECEIVED, "a", "video/k", 1)
Handled = tuple[dict[str, Any], dict[str, list[str]]]


def event_of(video: dict[str, Any], settings: PipelineSettings) -> dict[str, Any]:
    """The ObjectCreated event S3 sends once ``video`` is uploaded."""
    return object_created_event(settings.bucket, video["key"], video["size_bytes"])


def asset(service: ContentService, video: dict[str, Any]) -> dict[str, Any]:
    """The content service's record of ``video`` as it is now."""
    found = service.get(video["id"])
    assert found is not None
    return found


def failure(service: ContentService, video: dict[str, Any]) -> dict[str, Any]:
    """The error of ``video``'s asset, which must have failed."""
    found = asset(service, video)
    assert found["status"] == "failed"
    error: dict[str, Any] = found["error"]
    return error


@pytest.fixture
def handle_upload(
    trigger: UploadTrigger,
    uploaded: Callable[..., dict[str, Any]],
    pipeline_settings: PipelineSettings,
) -> Callable[[str], Handled]:
    """Upload the fixture clip ``name`` and hand S3's event about it to the trigger; returns
    the video and what the trigger did with it."""

    def handle(name: str) -> Handled:
        video = uploaded(clip_path(name))
        return video, trigger.handle(event_of(video, pipeline_settings))

    return handle


@pytest.fixture
def uploaded_1080p(storage: Storage, s3_prefix: str) -> tuple[Path, str, str]:
    """The 1080p fixture clip, its moov atom at the end, put in S3: (source, bucket, key)."""
    source = clip_path("landscape_1080p")
    uri = f"{s3_prefix}/camera.mp4"
    storage.put(source, uri)
    location = parse_s3_uri(uri)
    return source, location.bucket, location.key


@pytest.fixture
def fresh_default_trigger() -> Iterator[None]:
    """The Lambda handler's cached trigger is built from this test's environment, and
    closed and forgotten after it."""
    default_trigger.cache_clear()
    yield
    if default_trigger.cache_info().currsize:
        default_trigger().transcoder.close()
    default_trigger.cache_clear()


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
    handle_upload: Callable[[str], Handled],
    transcoder: RecordingTranscoder,
    service: ContentService,
    pipeline_settings: PipelineSettings,
) -> None:
    video, handled = handle_upload("short_2s")
    assert handled["submitted"] == [video["key"]]
    (job,) = transcoder.jobs.values()
    assert job.request.user_metadata == {"assetId": video["id"], "userId": "user-1"}
    stem = video["key"].rsplit(".", 1)[0]
    assert (
        job.request.hls_destination
        == f"s3://{pipeline_settings.bucket}/{stem}_processed/hls/master"
    )
    found = asset(service, video)
    assert (found["status"], found["job_id"]) == ("processing", job.id)


@pytest.mark.e2e  # its upload is a clip the fixtures make with ffmpeg
def test_text_named_mp4_is_rejected_with_the_reason(
    handle_upload: Callable[[str], Handled],
    transcoder: RecordingTranscoder,
    service: ContentService,
    caplog: pytest.LogCaptureFixture,
) -> None:
    video, handled = handle_upload("not_video")
    assert handled["rejected"] == [video["key"]]
    assert transcoder.jobs == {}
    error = failure(service, video)
    assert (error["reason"], error["code"]) == ("invalid_input", 1010)
    assert "not a media file" in error["message"]
    assert any("not a usable video" in r.getMessage() for r in caplog.records)


@pytest.mark.e2e  # its upload is a clip the fixtures make with ffmpeg
def test_a_job_the_transcoder_refuses_fails_the_asset_instead_of_retrying(
    handle_upload: Callable[[str], Handled],
    transcoder: RecordingTranscoder,
    service: ContentService,
) -> None:
    def refuse(request: JobRequest) -> Job:
        raise InvalidRequestError("settings/outputGroups/0", "MP4 outputs are not supported")

    transcoder.submit = refuse  # type: ignore[method-assign]
    video, handled = handle_upload("short_2s")
    assert handled["rejected"] == [video["key"]]
    error = failure(service, video)
    assert error["code"] == 1040
    assert "MP4 outputs are not supported" in error["message"]


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
    UploadTrigger(small, transcoder, reporter).handle(event_of(video, small))
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
    handle_upload: Callable[[str], Handled],
    trigger: UploadTrigger,
    transcoder: RecordingTranscoder,
    pipeline_settings: PipelineSettings,
) -> None:
    video, _ = handle_upload("short_2s")
    assert trigger.handle(event_of(video, pipeline_settings))["skipped"] == [video["key"]]
    assert len(transcoder.jobs) == 1


@pytest.mark.e2e  # its upload is a clip the fixtures make with ffmpeg
def test_encoded_key_with_spaces_and_non_ascii_reaches_the_right_object(
    pipeline_settings: PipelineSettings,
    transcoder: RecordingTranscoder,
    storage: Storage,
    tmp_path: Path,
) -> None:
    storage.put(clip_path("short_2s"), f"s3://{pipeline_settings.bucket}/{DECODED}")
    event = s3_notification(
        "s3-object-created-aws.json",
        bucket=pipeline_settings.bucket,
        size_bytes=clip_path("short_2s").stat().st_size,
    )
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
    # Tagged for staging's lifecycle rule, which expires the pinned copies.
    tags = storage.client.get_object_tagging(
        Bucket=pipeline_settings.bucket, Key=pinned.split("/", 3)[3]
    )["TagSet"]
    assert tags == [{"Key": "vod-testbed", "Value": "pinned-source"}]
    assert reporter.notices[-1].status is NoticeStatus.JOB_SUBMITTED


def test_webhook_reporter_posts_signed_notices(
    pipeline_settings: PipelineSettings, transcoder: RecordingTranscoder
) -> None:
    waits: list[float] = []
    reporter = WebhookReporter("http://127.0.0.1:9/unreachable", "s", sleep=waits.append)
    assert reporter.needs_job("any")
    with pytest.raises(DeliveryError, match="unreachable"):
        reporter.report(NOTICE)
    assert waits == [0.5, 1.0]  # three tries, the wait doubling


# -- probing from head and tail ------------------------------------------------------------


@pytest.mark.e2e  # its upload is a clip the fixtures make with ffmpeg
def test_sparse_sample_keeps_head_and_tail_at_their_offsets(
    storage: Storage, uploaded_1080p: tuple[Path, str, str], tmp_path: Path
) -> None:
    source, bucket, key = uploaded_1080p
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
    storage: Storage, uploaded_1080p: tuple[Path, str, str], tmp_path: Path
) -> None:
    source, bucket, key = uploaded_1080p
    assert source.read_bytes().rfind(b"moov") > source.stat().st_size // 2  # index at the end
    info = probe_object(storage.client, bucket, key, source.stat().st_size, 2**20, tmp_path)
    assert info.video is not None
    assert (info.video.width, info.video.height) == (1920, 1080)
    assert info.duration_s == pytest.approx(4, abs=0.2)


# -- as a Lambda function -----------------------------------------------------------------


@pytest.fixture
def served_app(app: Any) -> Iterator[str]:
    with serving(app, name="pipeline") as url:
        yield f"{url}/webhooks/mediaconvert"


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
    found = asset(service, video)
    assert (found["status"], found["job_id"]) == ("processing", job.id)


def test_reports_with_the_wrong_secret_are_refused_without_retry(served_app: str) -> None:
    with pytest.raises(DeliveryError, match="HTTP 401"):
        WebhookReporter(served_app, "wrong").report(NOTICE)


@pytest.mark.usefixtures("fresh_default_trigger")
def test_lambda_handler_is_configured_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, pipeline_settings: PipelineSettings
) -> None:
    monkeypatch.setenv("S3_ENDPOINT_URL", pipeline_settings.backend.s3_endpoint_url or "")
    monkeypatch.setenv("S3_BUCKET", pipeline_settings.bucket)
    monkeypatch.setenv("PIPELINE_WEBHOOK_URL", "http://127.0.0.1:9/webhooks/mediaconvert")
    monkeypatch.setenv("TRANSCODER_BACKEND", "ffmpeg")
    output = (
        "video/u/2026/11/0b7e3c2a-5d1e-4f7a-9c1b-2f3e4d5a6b7c-20261125T095205Z-c_processed/x.ts"
    )
    event = object_created_event(pipeline_settings.bucket, output, 1)
    assert handler(event, None) == {"submitted": [], "rejected": [], "skipped": [output]}
    assert isinstance(default_trigger().reporter, WebhookReporter)


@pytest.mark.usefixtures("fresh_default_trigger")
def test_the_lambda_handler_without_a_webhook_url_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PIPELINE_WEBHOOK_URL", raising=False)
    with pytest.raises(ValueError, match="PIPELINE_WEBHOOK_URL is not set"):
        handler({"Records": []}, None)


@pytest.mark.e2e  # its uploads are clips the fixtures make with ffmpeg
def test_with_mp4_downloads_a_video_gets_the_mp4_group_and_sound_alone_does_not(
    uploaded: Callable[..., dict[str, Any]],
    transcoder: RecordingTranscoder,
    service: ContentService,
    pipeline_settings: PipelineSettings,
) -> None:
    settings = pipeline_settings.replace(mp4_downloads=True)
    trigger = UploadTrigger(settings, transcoder, ServiceReporter(service))
    requests: dict[str, JobRequest] = {}
    for name in ("short_2s", "audio_only"):
        video = uploaded(clip_path(name))
        assert trigger.handle(event_of(video, settings))["submitted"] == [video["key"]]
        requests[name] = transcoder.jobs[asset(service, video)["job_id"]].request
    model = requests["short_2s"].model
    assert model is not None
    mp4 = model.output_groups[-1]
    assert isinstance(mp4, FileGroup)
    assert mp4.destination == requests["short_2s"].hls_destination.replace("/hls/", "/mp4/")
    assert [o.container for o in mp4.outputs] == [Mp4(moov_first=True)]
    # Sound alone keeps its audio-only ladder job: there is no picture to download.
    assert requests["audio_only"].model is None

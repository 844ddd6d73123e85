"""MediaConvertBackend: requests, job mapping, events, polling and retries, without AWS.

Mapping is checked with botocore's Stubber (fast, validates every request against the
service model); retries need the HTTP layer, so they run against a tiny local server.
"""

from __future__ import annotations

import datetime as dt
import http.server
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from tests.support.settings_builders import INPUT, PREFIX, read_back, request
from tests.support.sources import LANDSCAPE, media_info
from vod_testbed.backends.job import Job, JobPhase, JobRequest, JobStatus
from vod_testbed.backends.ladder import DEFAULT_LADDER, AudioSpec, UpscalePolicy
from vod_testbed.backends.mediaconvert.backend import MediaConvertAPIError, MediaConvertBackend
from vod_testbed.backends.mediaconvert.render import render_job_settings
from vod_testbed.common import errors
from vod_testbed.common.settings import BackendSettings
from vod_testbed.media.probe import MediaInfo
from vod_testbed.storage.s3 import Storage

ROLE = "arn:aws:iam::111122223333:role/MediaConvertRole"
QUEUE = "arn:aws:mediaconvert:us-east-1:111122223333:queues/Ladder"
JOB_ID = "1700000000000-abc123"
T0 = dt.datetime(2026, 1, 1, 12, 0, 0, tzinfo=dt.UTC)


class ListingStorage(Storage):
    """Storage whose S3 listing is a fixed set of objects (no S3 needed)."""

    def __init__(self, objects: tuple[str, ...] = ()) -> None:
        super().__init__(BackendSettings())
        self.objects = objects

    def list(self, prefix_uri: str) -> Iterator[str]:
        return iter([o for o in self.objects if o.startswith(prefix_uri)])


def make_client(endpoint: str = "https://mediaconvert.test", attempts: int = 1) -> Any:
    from botocore.config import Config

    return boto3.client(
        "mediaconvert",
        region_name="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"mode": "standard", "total_max_attempts": attempts}),
    )


def settings(queue: str | None = QUEUE) -> BackendSettings:
    return BackendSettings().replace(mediaconvert_role_arn=ROLE, mediaconvert_queue_arn=queue)


def backend_on(
    client: Any, backend_settings: BackendSettings | None = None, **options: Any
) -> MediaConvertBackend:
    """A backend on ``client`` (settings() unless given) whose every source probes as
    LANDSCAPE unless ``options`` say otherwise."""
    options.setdefault("source_prober", lambda _uri: LANDSCAPE)
    return MediaConvertBackend(backend_settings or settings(), client=client, **options)


def raw_job(req: JobRequest, status: str = "SUBMITTED", **extra: Any) -> dict[str, Any]:
    return {
        "Id": JOB_ID,
        "Arn": f"arn:aws:mediaconvert:us-east-1:111122223333:jobs/{JOB_ID}",
        "Role": ROLE,
        "Queue": QUEUE,
        "Status": status,
        "CreatedAt": T0,
        "Settings": render_job_settings(req, source=LANDSCAPE),
        "UserMetadata": dict(req.user_metadata),
        **extra,
    }


def create_job_params(req: JobRequest, source: MediaInfo = LANDSCAPE) -> dict[str, Any]:
    """What CreateJob must be sent for ``req`` with settings() and a ``source``."""
    return {
        "Role": ROLE,
        "Queue": QUEUE,
        "Settings": render_job_settings(req, source=source),
        "UserMetadata": dict(req.user_metadata),
        "StatusUpdateInterval": "SECONDS_10",
    }


def got(stubbed: tuple[MediaConvertBackend, Stubber], raw: dict[str, Any]) -> Job:
    """The backend's snapshot of the job GetJob answers ``raw`` for."""
    backend, stubber = stubbed
    stubber.add_response("get_job", {"Job": raw}, {"Id": JOB_ID})
    return backend.get(JOB_ID)


@pytest.fixture
def request_() -> JobRequest:
    return request(user_metadata={"videoId": "v-1"})


@pytest.fixture
def stubbed() -> Iterator[tuple[MediaConvertBackend, Stubber]]:
    client = make_client()
    stubber = Stubber(client)
    thumbs = tuple(f"{PREFIX}/thumbnails/master_thumb.{i:07d}.jpg" for i in range(3))
    backend = backend_on(client, storage=ListingStorage((*thumbs, f"{PREFIX}/thumbnails/x.txt")))
    with stubber:
        yield backend, stubber
    backend.close()
    stubber.assert_no_pending_responses()


def test_submit_creates_the_job_with_role_queue_metadata(
    stubbed: tuple[MediaConvertBackend, Stubber], request_: JobRequest
) -> None:
    backend, stubber = stubbed
    sent = create_job_params(request_)
    assert sent["UserMetadata"] == {"videoId": "v-1"}
    stubber.add_response("create_job", {"Job": raw_job(request_)}, expected_params=sent)
    seen: list[Job] = []
    backend.subscribe(seen.append)
    job = backend.submit(request_)
    assert job.id == JOB_ID
    assert job.status is JobStatus.SUBMITTED
    assert job.request == request_
    assert job.created_at == T0.timestamp()
    assert seen == [job]


def test_submit_without_a_queue_uses_the_default(request_: JobRequest) -> None:
    client = make_client()
    backend = backend_on(client, settings(queue=None))
    sent = create_job_params(request_)
    del sent["Queue"]
    with Stubber(client) as stubber:
        stubber.add_response("create_job", {"Job": raw_job(request_)}, expected_params=sent)
        backend.submit(request_)


@pytest.mark.e2e  # its upload is a clip the fixtures make with ffmpeg
def test_drop_ladder_probes_the_source_and_renders_only_kept_rungs(tmp_path: Path) -> None:
    from vod_testbed.fixtures.media import clip_path

    source = str(clip_path("small"))  # 640x360: only the 360p rung needs no upscaling
    req = JobRequest(
        input_uri=source,
        hls_destination=f"{PREFIX}/hls/master",
        thumbnail_destination=f"{PREFIX}/thumbnails/master",
        ladder=DEFAULT_LADDER.with_policies(upscale=UpscalePolicy.DROP),
    )
    client = make_client()
    backend = MediaConvertBackend(
        settings().replace(work_dir=tmp_path), client=client, storage=Storage(settings())
    )
    small = media_info(640, 360)
    with Stubber(client) as stubber:
        sent = create_job_params(req, source=small)
        stubber.add_response("create_job", {"Job": raw_job(req)}, expected_params=sent)
        job = backend.submit(req)
    sent = render_job_settings(req, source=small)["OutputGroups"][0]["Outputs"]
    assert [o["NameModifier"] for o in sent] == ["_360p"]
    assert sent[0]["VideoDescription"]["ScalingBehavior"] == "DEFAULT"
    assert job.request == req  # the caller's request, policies included
    assert list(tmp_path.iterdir()) == []  # the probe copy is gone


def test_an_unrenderable_ladder_is_refused_before_any_call(
    stubbed: tuple[MediaConvertBackend, Stubber], request_: JobRequest
) -> None:
    backend, _ = stubbed  # no response queued: any API call would fail the test
    bad = replace(request_, ladder=replace(DEFAULT_LADDER, audio=AudioSpec(channels=6)))
    with pytest.raises(errors.InvalidRequestError) as caught:
        backend.submit(bad)
    assert caught.value.field == "ladder"


def test_get_maps_a_progressing_job(
    stubbed: tuple[MediaConvertBackend, Stubber], request_: JobRequest
) -> None:
    raw = raw_job(
        request_,
        "PROGRESSING",
        CurrentPhase="TRANSCODING",
        JobPercentComplete=42,
        Timing={"SubmitTime": T0, "StartTime": T0 + dt.timedelta(seconds=3)},
        Warnings=[{"Code": 230001, "Count": 2}],
    )
    job = got(stubbed, raw)
    assert job.status is JobStatus.PROGRESSING
    assert job.phase is JobPhase.TRANSCODING
    assert job.percent_complete == 42
    assert job.started_at == T0.timestamp() + 3
    assert job.finished_at is None
    assert job.outputs is None
    assert job.warnings == ("230001 (x2)",)
    # A job submitted elsewhere: its request is read back from its settings.
    assert job.request == read_back(request_)


def test_get_maps_a_complete_job_onto_outputs(
    stubbed: tuple[MediaConvertBackend, Stubber], request_: JobRequest
) -> None:
    backend, _ = stubbed
    sizes = [(1920, 1080), (1280, 720), (854, 480), (640, 360)]
    details = [
        {
            "OutputDetails": [
                {"DurationInMs": 4000, "VideoDetails": {"WidthInPx": w, "HeightInPx": h}}
                for w, h in sizes
            ]
        },
        {
            "OutputDetails": [
                {"DurationInMs": 4000, "VideoDetails": {"WidthInPx": 1280, "HeightInPx": 720}}
            ]
        },
    ]
    raw = raw_job(
        request_,
        "COMPLETE",
        JobPercentComplete=100,
        Timing={"SubmitTime": T0, "StartTime": T0, "FinishTime": T0 + dt.timedelta(seconds=9)},
        OutputGroupDetails=details,
    )
    job = got(stubbed, raw)
    assert job.status is JobStatus.COMPLETE
    assert job.finished_at == T0.timestamp() + 9
    assert job.outputs is not None
    assert job.outputs.master_playlist_uri == f"{PREFIX}/hls/master.m3u8"
    assert [
        (r.name, r.playlist_uri, r.width, r.height, r.duration_ms) for r in job.outputs.renditions
    ] == [
        (name, f"{PREFIX}/hls/master_{name}.m3u8", w, h, 4000)
        for name, (w, h) in zip(("1080p", "720p", "480p", "360p"), sizes, strict=True)
    ]
    assert job.outputs.thumbnail_uris == tuple(
        f"{PREFIX}/thumbnails/master_thumb.{i:07d}.jpg" for i in range(3)
    )
    assert (job.outputs.thumbnail_width, job.outputs.thumbnail_height) == (1280, 720)
    # Final snapshots are kept: no second GetJob (the stubber would fail on one).
    assert backend.get(JOB_ID) == job


def test_get_maps_an_error(
    stubbed: tuple[MediaConvertBackend, Stubber], request_: JobRequest
) -> None:
    raw = raw_job(request_, "ERROR", ErrorCode=1404, ErrorMessage="Unable to open input file")
    job = got(stubbed, raw)
    assert (job.status, job.error_code, job.error_message) == (
        JobStatus.ERROR,
        1404,
        "Unable to open input file",
    )


def test_a_foreign_job_that_is_not_a_ladder_still_maps(
    stubbed: tuple[MediaConvertBackend, Stubber], request_: JobRequest
) -> None:
    raw = raw_job(request_, "SUBMITTED")
    raw["Settings"]["OutputGroups"][0]["OutputGroupSettings"]["HlsGroupSettings"][
        "SegmentControl"
    ] = "SINGLE_FILE"
    job = got(stubbed, raw)
    assert job.request.input_uri == INPUT
    assert job.request.hls_destination == f"{PREFIX}/hls/master"
    assert "segmentControl" in job.warnings[0]


@pytest.mark.parametrize(
    ("code", "status", "message", "expected", "field"),
    [
        (
            "BadRequestException",
            400,
            "/outputGroups/0/outputs/0/nameModifier: 'x' is not valid",
            errors.InvalidRequestError,
            "settings/outputGroups/0/outputs/0/nameModifier",
        ),
        (
            "BadRequestException",
            400,
            "The 'settings' field is required.",
            errors.InvalidRequestError,
            "request",
        ),
        ("ForbiddenException", 403, "no", MediaConvertAPIError, None),
        ("ServiceQuotaExceededException", 402, "quota", MediaConvertAPIError, None),
    ],
)
def test_create_job_errors_map_to_clear_exceptions(
    stubbed: tuple[MediaConvertBackend, Stubber],
    request_: JobRequest,
    code: str,
    status: int,
    message: str,
    expected: type[Exception],
    field: str | None,
) -> None:
    backend, stubber = stubbed
    stubber.add_client_error("create_job", code, message, status)
    with pytest.raises(expected) as caught:
        backend.submit(request_)
    if field is not None:
        assert isinstance(caught.value, errors.InvalidRequestError)
        assert caught.value.field == field
    else:
        assert isinstance(caught.value, MediaConvertAPIError)
        assert (caught.value.code, caught.value.status) == (code, status)


def test_get_and_cancel_errors(stubbed: tuple[MediaConvertBackend, Stubber]) -> None:
    backend, stubber = stubbed
    stubber.add_client_error("get_job", "NotFoundException", "gone", 404)
    with pytest.raises(errors.JobNotFoundError):
        backend.get("nope")
    stubber.add_client_error("cancel_job", "ConflictException", "job is COMPLETE", 409)
    with pytest.raises(errors.InvalidRequestError) as caught:
        backend.cancel(JOB_ID)
    assert caught.value.field == "job_id"


def test_cancel_returns_the_canceled_job(
    stubbed: tuple[MediaConvertBackend, Stubber], request_: JobRequest
) -> None:
    backend, stubber = stubbed
    stubber.add_response("cancel_job", {}, {"Id": JOB_ID})
    stubber.add_response("get_job", {"Job": raw_job(request_, "CANCELED")}, {"Id": JOB_ID})
    assert backend.cancel(JOB_ID).status is JobStatus.CANCELED


def test_list_pages_newest_first_in_the_configured_queue(
    stubbed: tuple[MediaConvertBackend, Stubber], request_: JobRequest
) -> None:
    backend, stubber = stubbed
    first = raw_job(request_, "COMPLETE") | {"Id": "2-b", "OutputGroupDetails": []}
    second = raw_job(request_, "COMPLETE") | {"Id": "1-a", "OutputGroupDetails": []}
    query = {"Order": "DESCENDING", "Status": "COMPLETE", "Queue": "Ladder"}
    stubber.add_response("list_jobs", {"Jobs": [first], "NextToken": "t1"}, query)
    stubber.add_response("list_jobs", {"Jobs": [second]}, query | {"NextToken": "t1"})
    seen: list[Job] = []
    backend.subscribe(seen.append)
    jobs = backend.list(JobStatus.COMPLETE)
    assert [j.id for j in jobs] == ["2-b", "1-a"]
    assert seen == []  # listing is not a change of any job


# --- EventBridge --------------------------------------------------------------------------


def event(status: str, **detail: Any) -> dict[str, Any]:
    return {
        "version": "0",
        "id": "1234abcd-12ab-34cd-56ef-1234567890ab",
        "detail-type": "MediaConvert Job State Change",
        "source": "aws.mediaconvert",
        "account": "111122223333",
        "time": "2026-01-01T12:00:05Z",
        "region": "us-east-1",
        "resources": [f"arn:aws:mediaconvert:us-east-1:111122223333:jobs/{JOB_ID}"],
        "detail": {
            "timestamp": 1767268805000,
            "accountId": "111122223333",
            "queue": QUEUE,
            "jobId": JOB_ID,
            "status": status,
            "userMetadata": {"videoId": "v-1"},
            **detail,
        },
    }


def _complete_event() -> dict[str, Any]:
    def variant(name: str, w: int, h: int) -> dict[str, Any]:
        return {
            "outputFilePaths": [f"{PREFIX}/hls/master_{name}.m3u8"],
            "durationInMs": 4004,
            "videoDetails": {"widthInPx": w, "heightInPx": h},
        }

    return event(
        "COMPLETE",
        outputGroupDetails=[
            {
                "type": "HLS_GROUP",
                "playlistFilePaths": [f"{PREFIX}/hls/master.m3u8"],
                # Not in settings order, as in AWS's own example.
                "outputDetails": [
                    variant("720p", 1280, 720),
                    variant("1080p", 1920, 1080),
                    variant("360p", 640, 360),
                    variant("480p", 854, 480),
                ],
            },
            {
                "type": "FILE_GROUP",
                "outputDetails": [
                    {
                        "outputFilePaths": [f"{PREFIX}/thumbnails/master_thumb.0000001.jpg"],
                        "durationInMs": 4004,
                        "videoDetails": {"widthInPx": 1280, "heightInPx": 720},
                    }
                ],
            },
        ],
        warnings=[],
    )


def test_events_map_onto_snapshots(
    stubbed: tuple[MediaConvertBackend, Stubber], request_: JobRequest
) -> None:
    backend, stubber = stubbed
    # An unseen job is fetched once, to learn its request.
    stubber.add_response("get_job", {"Job": raw_job(request_, "PROGRESSING")}, {"Id": JOB_ID})
    seen: list[Job] = []
    backend.subscribe(seen.append)

    update = backend.handle_event(
        event(
            "STATUS_UPDATE",
            framesDecoded=10,
            jobProgress={"jobPercentComplete": 7, "currentPhase": "TRANSCODING", "retryCount": 0},
        )
    )
    assert update is not None
    assert (update.status, update.phase, update.percent_complete) == (
        JobStatus.PROGRESSING,
        JobPhase.TRANSCODING,
        7,
    )
    assert update.request == read_back(request_)

    done = backend.handle_event(_complete_event())
    assert done is not None and done.outputs is not None
    assert done.status is JobStatus.COMPLETE
    assert done.finished_at == 1767268805.0
    assert [r.name for r in done.outputs.renditions] == ["1080p", "720p", "480p", "360p"]
    assert done.outputs.renditions[0].playlist_uri == f"{PREFIX}/hls/master_1080p.m3u8"
    assert done.outputs.renditions[0].width == 1920
    assert done.outputs.master_playlist_uri == f"{PREFIX}/hls/master.m3u8"
    assert done.outputs.thumbnail_uris == (
        f"{PREFIX}/thumbnails/master_thumb.0000000.jpg",
        f"{PREFIX}/thumbnails/master_thumb.0000001.jpg",
    )

    # A late, duplicated STATUS_UPDATE must not move the job backwards for listeners.
    late = backend.handle_event(event("STATUS_UPDATE", jobPercentComplete=50))
    assert late is not None
    assert backend.get(JOB_ID).status is JobStatus.COMPLETE
    assert [j.status for j in seen] == [
        JobStatus.PROGRESSING,
        JobStatus.PROGRESSING,
        JobStatus.COMPLETE,
    ]


def test_error_and_foreign_events(
    stubbed: tuple[MediaConvertBackend, Stubber], request_: JobRequest
) -> None:
    backend, stubber = stubbed
    assert backend.handle_event({"detail-type": "Object Created", "source": "aws.s3"}) is None
    stubber.add_response("get_job", {"Job": raw_job(request_, "PROGRESSING")}, {"Id": JOB_ID})
    failed = backend.handle_event(event("ERROR", errorCode=1040, errorMessage="Settings error"))
    assert failed is not None
    assert (failed.status, failed.error_code, failed.error_message) == (
        JobStatus.ERROR,
        1040,
        "Settings error",
    )


# --- polling ------------------------------------------------------------------------------


def test_subscribe_polls_until_the_job_is_final(request_: JobRequest) -> None:
    client = make_client()
    backend = backend_on(client, storage=ListingStorage(), poll_interval_s=0.02)
    with Stubber(client) as stubber:
        stubber.add_response("create_job", {"Job": raw_job(request_)})
        progressing = raw_job(
            request_, "PROGRESSING", CurrentPhase="TRANSCODING", JobPercentComplete=50
        )
        stubber.add_response("get_job", {"Job": progressing}, {"Id": JOB_ID})
        stubber.add_response("get_job", {"Job": raw_job(request_, "CANCELED")}, {"Id": JOB_ID})
        statuses: list[JobStatus] = []
        done = threading.Event()

        def listener(job: Job) -> None:
            statuses.append(job.status)
            if job.status.is_final:
                done.set()

        backend.subscribe(listener)
        backend.submit(request_)
        assert done.wait(5)
        poller = backend._poller
        backend.close()
        assert statuses == [JobStatus.SUBMITTED, JobStatus.PROGRESSING, JobStatus.CANCELED]
        # Only this backend's poller: other tests' backends may still be polling.
        assert not poller.alive


# --- retries over HTTP --------------------------------------------------------------------


class _Script(http.server.BaseHTTPRequestHandler):
    """Answers each request with the next (status, error type) of the server's script."""

    def do_POST(self) -> None:
        server: Any = self.server
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        server.hits += 1
        status, error = server.script.pop(0) if server.script else (201, None)
        body: dict[str, Any] = {"message": error} if error else {"job": server.job}
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        if error:
            self.send_header("x-amzn-ErrorType", error)
        payload = json.dumps(body).encode()
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def scripted_server() -> Iterator[Any]:
    server: Any = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Script)
    server.hits = 0
    server.script = []
    server.job = {"id": JOB_ID, "status": "SUBMITTED", "createdAt": time.time(), "role": ROLE}
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _http_backend(server: Any, attempts: int) -> MediaConvertBackend:
    endpoint = f"http://127.0.0.1:{server.server_address[1]}"
    return backend_on(
        make_client(endpoint, attempts), settings().replace(mediaconvert_endpoint=endpoint)
    )


def test_throttling_and_server_errors_are_retried(
    scripted_server: Any, request_: JobRequest
) -> None:
    scripted_server.script = [
        (429, "TooManyRequestsException"),
        (503, "InternalServerErrorException"),
    ]
    job = _http_backend(scripted_server, attempts=4).submit(request_)
    assert job.id == JOB_ID
    assert scripted_server.hits == 3


def test_retries_give_up_after_max_attempts(scripted_server: Any, request_: JobRequest) -> None:
    scripted_server.script = [(500, "InternalServerErrorException")] * 5
    with pytest.raises(MediaConvertAPIError) as caught:
        _http_backend(scripted_server, attempts=3).submit(request_)
    assert caught.value.code == "InternalServerErrorException"
    assert scripted_server.hits == 3


def test_the_default_client_retries_in_standard_mode() -> None:
    backend = MediaConvertBackend(
        settings().replace(mediaconvert_endpoint="http://127.0.0.1:9"), max_attempts=7
    )
    config: Any = backend.client.meta.config  # its stubs omit the options it was built with
    assert config.retries == {"mode": "standard", "total_max_attempts": 7}
    assert backend.client.meta.endpoint_url == "http://127.0.0.1:9"


@pytest.mark.parametrize(
    ("source", "names_it"), [(LANDSCAPE, True), (media_info(audio=False), False)]
)
def test_a_job_names_the_job_template_only_when_its_settings_cover_it(
    request_: JobRequest, source: MediaInfo, names_it: bool
) -> None:
    """MediaConvert layers a job's settings over its template's: a job for a silent source
    (no audio) naming the ladder's template would get its audio back, so it goes without."""
    client = make_client()
    stubber = Stubber(client)
    with_template = settings().replace(mediaconvert_job_template="vod-testbed-ladder")
    backend = backend_on(client, with_template, source_prober=lambda _uri: source)
    sent = create_job_params(request_, source)
    if names_it:
        sent["JobTemplate"] = "vod-testbed-ladder"
    with stubber:
        stubber.add_response("create_job", {"Job": raw_job(request_)}, expected_params=sent)
        backend.submit(request_)
        stubber.assert_no_pending_responses()
    backend.close()

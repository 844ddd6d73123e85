"""The MediaConvert backend: the Transcoder interface over the MediaConvert API (boto3).

The same code talks to the emulator (``MEDIACONVERT_ENDPOINT=http://127.0.0.1:...``) and to
AWS (the account's regional endpoint): nothing here knows which one answers (see
docs/ARCHITECTURE.md, "Staging is a setting"). A :class:`~vod_testbed.backends.job.JobRequest`
is rendered into job ``Settings`` by :mod:`.render`; MediaConvert jobs (GetJob/ListJobs) and
EventBridge "MediaConvert Job State Change" events are mapped back onto
:class:`~vod_testbed.backends.job.Job` snapshots by :mod:`.jobs`.

Every job probes its input first (the head and tail of the object, not all of it:
:mod:`vod_testbed.backends.source`) and is rendered for that source as the FFmpeg backend
would run it: the rungs and boxes its policies keep, no audio for a source without any, an
explicit frame rate above 60 fps. An input the probe cannot read (missing, not media) is
still submitted, so MediaConvert reports its problem as the job's error, as the FFmpeg
backend's job would. Throttling (429) and server errors (5xx) are retried by botocore's
standard retry mode: exponential backoff with jitter, ``max_attempts`` requests in all.
"""

from __future__ import annotations

import builtins
import logging
import re
import tempfile
import threading
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from vod_testbed.backends import naming
from vod_testbed.backends.interface import JobListener, Transcoder
from vod_testbed.backends.job import Job, JobRequest, JobStatus
from vod_testbed.backends.jobmodel.ladder import ladder_request
from vod_testbed.backends.ladder import PortraitPolicy, UpscalePolicy
from vod_testbed.backends.mediaconvert import events
from vod_testbed.backends.mediaconvert.jobs import apply_event, job_from_api, request_from_settings
from vod_testbed.backends.mediaconvert.model import to_wire_case
from vod_testbed.backends.mediaconvert.render import render_job_settings, render_template_settings
from vod_testbed.backends.mediaconvert.render_model import render_model_settings
from vod_testbed.backends.source import DEFAULT_SAMPLE_BYTES, probe_object
from vod_testbed.common import errors
from vod_testbed.common.settings import BackendSettings
from vod_testbed.common.worker import Worker
from vod_testbed.media.probe import MediaInfo, probe
from vod_testbed.storage.s3 import Storage, is_s3, parse_s3_uri, storage_error

# Probe failures that say the input itself is unusable: the job is submitted anyway and
# fails on MediaConvert's side with its own code.
_INPUT_PROBLEMS = frozenset(
    {errors.FILE_NOT_FOUND, errors.INPUT_ERROR, errors.UNSUPPORTED_CODEC, errors.VIDEO_ERROR}
)

log = logging.getLogger(__name__)

# A MediaConvert validation message: "/outputGroups/0/outputs/0/nameModifier: problem".
_POINTER_MESSAGE = re.compile(r"^(/[^:\s]*):\s*(.*)$", re.S)


class MediaConvertAPIError(RuntimeError):
    """A MediaConvert call that failed for a reason other than the request's content:
    permissions, quotas, throttling or server errors that outlasted the retries, or an
    unreachable endpoint."""

    def __init__(self, code: str, message: str, status: int | None = None) -> None:
        super().__init__(f"MediaConvert {code}: {message}")
        self.code = code
        self.message = message
        self.status = status


def _api_error(exc: Exception, job_id: str | None = None) -> Exception:
    """The exception a caller of the Transcoder interface gets for a failed API call."""
    if not isinstance(exc, ClientError):
        return MediaConvertAPIError("ConnectionError", str(exc))
    error = exc.response.get("Error", {})
    code = str(error.get("Code", ""))
    message = str(error.get("Message", "")) or code
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    if code == "NotFoundException" and job_id is not None:
        return errors.JobNotFoundError(job_id)
    if code == "BadRequestException":
        pointer = _POINTER_MESSAGE.match(message)
        if pointer:
            return errors.InvalidRequestError(f"settings{pointer.group(1)}", pointer.group(2))
        return errors.InvalidRequestError("request", message)
    if code == "ConflictException":
        return errors.InvalidRequestError("job_id", message)
    return MediaConvertAPIError(code, message, status)


def gives_every_member(template: Any, settings: Any) -> bool:
    """Whether ``settings`` gives every member ``template`` has. MediaConvert layers a job's
    settings over its template (objects key by key, lists element by element; see
    ``emulator/settings_merge.py``), so then the job runs exactly ``settings``: a job with
    fewer rungs or no audio must not name the template, or it would get them back."""
    if isinstance(template, dict):
        return isinstance(settings, dict) and all(
            key in settings and gives_every_member(value, settings[key])
            for key, value in template.items()
        )
    if isinstance(template, list):
        return (
            isinstance(settings, list)
            and len(settings) >= len(template)
            and all(gives_every_member(t, s) for t, s in zip(template, settings, strict=False))
        )
    return True


def _same_state(a: Job, b: Job) -> bool:
    keys = ("status", "phase", "percent_complete", "error_code", "outputs", "warnings")
    return all(getattr(a, k) == getattr(b, k) for k in keys)


class MediaConvertBackend(Transcoder):
    """Transcoder on the MediaConvert API: the emulator locally, AWS in staging.

    Args:
        settings: endpoint, role, queue and region (``MEDIACONVERT_*``, ``AWS_REGION``).
        client: a boto3 ``mediaconvert`` client to use instead of building one.
        storage: S3 access, used to probe inputs and to list frame captures.
        poll_interval_s: how often subscribed jobs are polled.
        status_update_interval: MediaConvert's ``StatusUpdateInterval`` for new jobs.
        max_attempts: requests per API call, retries of throttling and 5xx included.
        list_limit: the most jobs :meth:`list` returns (newest first).
        source_prober: reads an input URI into what a job is rendered for (None: the input
            itself is unusable); default the head-and-tail probe of the object.
    """

    name = "mediaconvert"

    def __init__(
        self,
        settings: BackendSettings | None = None,
        *,
        client: Any = None,
        storage: Storage | None = None,
        poll_interval_s: float = 2.0,
        status_update_interval: str = "SECONDS_10",
        max_attempts: int = 6,
        list_limit: int = 100,
        source_prober: Callable[[str], MediaInfo | None] | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings or BackendSettings.from_env()
        self.client = client or boto3.client(
            "mediaconvert",
            endpoint_url=self.settings.mediaconvert_endpoint,
            region_name=self.settings.aws_region,
            aws_access_key_id=self.settings.aws_access_key_id,
            aws_secret_access_key=self.settings.aws_secret_access_key,
            config=Config(
                retries={"mode": "standard", "total_max_attempts": max_attempts},
                connect_timeout=5,
                read_timeout=30,
            ),
        )
        self.storage = storage or Storage(self.settings)
        self.poll_interval_s = poll_interval_s
        self.status_update_interval = status_update_interval
        self.list_limit = list_limit
        self.source_prober = source_prober or self._probe_source
        self._lock = threading.Lock()
        self._requests: dict[str, JobRequest] = {}
        self._snapshots: dict[str, Job] = {}
        self._watched: set[str] = set()
        self._poller = Worker("mediaconvert-poll", self._poll_once)

    # -- the interface -------------------------------------------------------------------

    def submit(self, request: JobRequest) -> Job:
        """CreateJob for ``request``; its snapshot is SUBMITTED (or later, on a fast queue).

        Raises:
            InvalidRequestError: the ladder or model cannot be rendered (``field`` is
                ``ladder`` or ``model``), or
                MediaConvert refused the settings (``field`` is ``settings/<pointer>``).
            TranscodeError: the input could not be read for a reason other than its own
                content (permissions, storage unreachable).
            MediaConvertAPIError: any other API failure, after retries.
        """
        for field_name in ("input_uri", "hls_destination", "thumbnail_destination"):
            if not getattr(request, field_name):
                raise errors.InvalidRequestError(field_name, "must not be empty")
        if request.model is not None:
            # A ladder job is rendered as one (below); any other job as its model.
            ladder = ladder_request(request.model)
            if ladder is None:
                try:
                    settings = render_model_settings(request.model)
                except ValueError as exc:
                    raise errors.InvalidRequestError("model", str(exc)) from exc
                return self._create(request, settings)
            request = ladder
        source = self.source_prober(request.input_uri)
        rendered = request
        if source is None:
            # The job will fail on its input: policies that need the source are moot.
            unresolved = request.ladder.with_policies(UpscalePolicy.UPSCALE, PortraitPolicy.PAD)
            rendered = replace(request, ladder=unresolved)
        try:
            settings = render_job_settings(rendered, source=source)
        except ValueError as exc:
            raise errors.InvalidRequestError("ladder", str(exc)) from exc
        template = self.settings.mediaconvert_job_template
        if template and gives_every_member(render_template_settings(request.ladder), settings):
            return self._create(request, settings, template)
        return self._create(request, settings)

    def _create(
        self, request: JobRequest, settings: dict[str, Any], job_template: str | None = None
    ) -> Job:
        kwargs: dict[str, Any] = {
            "Role": self.settings.mediaconvert_role_arn,
            "Settings": settings,
            "UserMetadata": dict(request.user_metadata),
            "StatusUpdateInterval": self.status_update_interval,
        }
        if self.settings.mediaconvert_queue_arn:
            kwargs["Queue"] = self.settings.mediaconvert_queue_arn
        if job_template:
            kwargs["JobTemplate"] = job_template
        raw = self._call("create_job", **kwargs)["Job"]
        with self._lock:
            self._requests[raw["Id"]] = request
        return self._remember(self._to_job(raw))

    def get(self, job_id: str) -> Job:
        with self._lock:
            known = self._snapshots.get(job_id)
        if known is not None and known.status.is_final:
            return known  # a final job never changes
        raw = self._call("get_job", job_id=job_id, Id=job_id)["Job"]
        return self._remember(self._to_job(raw))

    def list(self, status: JobStatus | None = None) -> list[Job]:
        """Jobs of the configured queue (all queues if none), newest first, at most
        ``list_limit`` of them."""
        params: dict[str, Any] = {"Order": "DESCENDING"}
        if status is not None:
            params["Status"] = status.value
        if self.settings.mediaconvert_queue_arn:
            # ListJobs filters by queue *name*; the setting is an ARN (or a name).
            params["Queue"] = self.settings.mediaconvert_queue_arn.rsplit("/", 1)[-1]
        paginator = self.client.get_paginator("list_jobs")
        jobs: list[Job] = []
        try:
            pages = paginator.paginate(**params, PaginationConfig={"MaxItems": self.list_limit})
            for page in pages:
                jobs.extend(
                    self._remember(self._to_job(raw), watch=False) for raw in page.get("Jobs", [])
                )
        except (ClientError, BotoCoreError) as exc:
            raise _api_error(exc) from exc
        return jobs

    def cancel(self, job_id: str) -> Job:
        """CancelJob, then the job as MediaConvert now reports it.

        Raises:
            JobNotFoundError: no such job.
            InvalidRequestError: the job is already COMPLETE, ERROR or CANCELED.
        """
        self._call("cancel_job", job_id=job_id, Id=job_id)
        return self.get(job_id)

    def subscribe(self, listener: JobListener) -> Callable[[], None]:
        """As :meth:`Transcoder.subscribe`; changes are found by polling the jobs this
        backend submitted or fetched, every ``poll_interval_s``, on a daemon thread."""
        unsubscribe = super().subscribe(listener)
        with self._lock:
            if not self._poller.stopping:
                self._poller.start()
        return unsubscribe

    def wait(self, job_id: str, timeout: float | None = None, poll_s: float | None = None) -> Job:
        """As :meth:`Transcoder.wait`, polling GetJob at ``poll_interval_s``: a real account's
        GetJob is rate-limited."""
        return super().wait(job_id, timeout, self.poll_interval_s if poll_s is None else poll_s)

    def close(self) -> None:
        """Stop the polling thread."""
        self._poller.stop(timeout_s=self.poll_interval_s + 5)

    # -- EventBridge ---------------------------------------------------------------------

    def handle_event(self, event: Mapping[str, Any]) -> Job | None:
        """The snapshot an EventBridge "MediaConvert Job State Change" event describes.

        Returns None for any other event, or a malformed one. Events may arrive late,
        twice or out of order: listeners are told only of changes, and a final state is
        never left; the returned snapshot is the event's own view. A job this backend has
        not seen is fetched once (GetJob) to learn its request.

        Raises:
            JobNotFoundError: the API does not know the event's job.
        """
        try:
            read = events.parse_event(event)
        except events.EventFormatError:
            return None
        with self._lock:
            base = self._snapshots.get(read.job_id)
        if base is None:
            base = self.get(read.job_id)
        job = apply_event(base, read)
        self._remember(job)
        return job

    # -- mapping -------------------------------------------------------------------------

    def _to_job(self, raw: Mapping[str, Any]) -> Job:
        settings = to_wire_case(raw.get("Settings") or {})
        request, notes = self._request_for(str(raw["Id"]), settings, raw.get("UserMetadata") or {})
        return job_from_api(raw, settings, request, notes, self._list_captures)

    def _request_for(
        self, job_id: str, settings: Mapping[str, Any], user_metadata: Mapping[str, str]
    ) -> tuple[JobRequest, builtins.list[str]]:
        """The request of a job: as submitted here, else read back from its settings."""
        with self._lock:
            known = self._requests.get(job_id)
        if known is not None:
            return known, []
        request, notes = request_from_settings(settings, user_metadata)
        if not notes:
            with self._lock:
                self._requests[job_id] = request
        return request, notes

    def _list_captures(self, folder: str, base: str, modifier: str) -> tuple[str, ...]:
        pattern = naming.thumbnail_regex(base, modifier)
        found: builtins.list[tuple[int, str]] = []
        try:
            for uri in self.storage.list(folder + "/"):
                match = pattern.fullmatch(uri.rsplit("/", 1)[-1])
                if match:
                    found.append((int(match.group(1)), uri))
        except (errors.TranscodeError, ClientError, BotoCoreError, OSError) as exc:
            log.warning("could not list frame captures under %s: %s", folder, exc)
            return ()
        return tuple(uri for _, uri in sorted(found))

    # -- plumbing ------------------------------------------------------------------------

    def _call(self, operation: str, job_id: str | None = None, **kwargs: Any) -> dict[str, Any]:
        try:
            response: dict[str, Any] = getattr(self.client, operation)(**kwargs)
        except (ClientError, BotoCoreError) as exc:
            raise _api_error(exc, job_id) from exc
        return response

    def _probe_source(self, input_uri: str) -> MediaInfo | None:
        """The input as probed from its head and tail; None when the input itself is
        unusable (MediaConvert will say why).

        Raises:
            TranscodeError: the input could not be read (permissions, storage unreachable).
        """
        try:
            # Sound alone is described too: the ladder decides what an audio-only
            # source gets (render.py).
            if not is_s3(input_uri):
                return probe(input_uri, audio_only=True)
            location = parse_s3_uri(input_uri)
            work = Path(self.settings.work_dir)
            work.mkdir(parents=True, exist_ok=True)
            try:
                head = self.storage.client.head_object(Bucket=location.bucket, Key=location.key)
                with tempfile.TemporaryDirectory(dir=work, prefix="mediaconvert-probe-") as tmp:
                    return probe_object(
                        self.storage.client,
                        location.bucket,
                        location.key,
                        int(head["ContentLength"]),
                        DEFAULT_SAMPLE_BYTES,
                        Path(tmp),
                        audio_only=True,
                    )
            except (ClientError, BotoCoreError) as exc:
                raise storage_error(exc, input_uri, "probe") from exc
        except errors.TranscodeError as exc:
            if exc.code in _INPUT_PROBLEMS:
                log.warning("input %s not probed (%s); submitted as asked", input_uri, exc)
                return None
            raise

    def _remember(self, job: Job, *, watch: bool = True) -> Job:
        """Store ``job``; tell listeners if it is new or changed; a final state is never
        left. Watched jobs are polled while subscribers listen; jobs that only passed
        through :meth:`list` are not watched, nor announced when first seen."""
        with self._lock:
            previous = self._snapshots.get(job.id)
            if previous is not None and previous.status.is_final and not job.status.is_final:
                return job
            if previous is not None and _same_state(previous, job):
                return job
            self._snapshots[job.id] = job
            if watch:
                self._watched.add(job.id)
            announce = job.id in self._watched
        if announce:
            self._notify(job)
        return job

    def _poll_once(self) -> float:
        """GetJob for every watched job not yet final; returns the wait before the next."""
        with self._lock:
            pending = [
                job_id for job_id in self._watched if not self._snapshots[job_id].status.is_final
            ]
        for job_id in pending:
            if self._poller.stopping:
                break
            # One job's failed poll must not skip the others.
            try:
                self.get(job_id)
            except (errors.JobNotFoundError, MediaConvertAPIError):
                pass  # unreachable or not yet visible: the next poll may succeed
            except Exception:
                log.exception("polling job %s failed", job_id, extra={"job_id": job_id})
        return self.poll_interval_s

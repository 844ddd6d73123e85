"""The upload trigger: an S3 ObjectCreated event in, a transcoding job out.

Deployed unchanged as an AWS Lambda function (``vod_testbed.pipeline.trigger.handler.handler``)
and called in-process by :mod:`vod_testbed.pipeline.workers.watcher` where storage cannot
notify. Its folder, ``pipeline/trigger/``, is what the Lambda zip ships of the pipeline: it
imports no web framework, no database and nothing else of the pipeline but its configuration
and the upload-key contract, and reads its configuration from the environment.

For each created object it:

1. keeps only upload keys under ``video/`` of the configured bucket (job outputs land
   there too and are skipped: this is what stops the trigger from triggering itself);
2. skips an asset that already has a job (S3 delivers events at least once);
3. acts only on the upload registered for the asset: the key, size and content type the
   object has (from a HEAD) must be the registered ones, or the object is ignored with a
   log line and the asset left alone (the asset id in a key proves nothing: anyone who
   can write under ``video/`` can put it there);
4. probes the object's head and tail - the extension is not trusted - and rejects a
   non-video (the asset fails with the reason, a log line says so);
5. pins what it checked: the object, at the ETag the HEAD saw, is copied to a key only the
   job uses (``<input>_processed/source/<file>``), so a second write to the upload key
   cannot swap the content under a running job;
6. creates the job on the pinned copy through the transcoder interface with
   ``userMetadata = {"assetId", "userId"}`` and reports it.

Reports (:class:`~vod_testbed.pipeline.trigger.notices.TriggerNotice`) go to the content
service directly in-process, or, as a Lambda function, as signed POSTs to the pipeline's
webhook (``PIPELINE_WEBHOOK_URL``).
"""

from __future__ import annotations

import functools
import json
import logging
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from botocore.exceptions import ClientError

from vod_testbed.backends import naming
from vod_testbed.backends.captions import CaptionTrack
from vod_testbed.backends.interface import Transcoder
from vod_testbed.backends.job import JobRequest
from vod_testbed.backends.jobmodel.from_ladder import ladder_job, with_mp4_download
from vod_testbed.backends.ladder import DEFAULT_LADDER, Ladder
from vod_testbed.backends.registry import create_transcoder
from vod_testbed.backends.source import probe_object
from vod_testbed.common import errors
from vod_testbed.common.logs import configure_logging, log_context
from vod_testbed.common.signed_post import post_signed
from vod_testbed.media.probe import MediaInfo
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.hls_keys import video_encryption
from vod_testbed.pipeline.trigger import captions, upload_keys
from vod_testbed.pipeline.trigger.notices import NoticeStatus, TriggerNotice
from vod_testbed.storage.s3 import s3_client

log = logging.getLogger(__name__)

SUBMITTED, REJECTED, SKIPPED = "submitted", "rejected", "skipped"
MAX_KEY_BYTES = 1024  # S3's limit on a key
# Content-service outcomes that mean "not the registered upload of that asset".
NOT_REGISTERED = frozenset({"refused", "unknown_asset"})
# S3 error codes of a copy or read whose If-Match no longer holds: the object changed.
CHANGED = frozenset({"PreconditionFailed", "412"})
# The job's own copy of its input, beside its outputs (``<input>_processed/source/``).
PINNED_FOLDER = "source"
# Its tag: staging's lifecycle rule expires what carries it (docs/aws-staging.md).
PINNED_TAG = ("vod-testbed", "pinned-source")


@dataclass(frozen=True)
class CreatedObject:
    """One ObjectCreated record: the bucket, the decoded key and the size if given."""

    bucket: str
    key: str
    size: int | None
    event_name: str


class S3EventFormatError(ValueError):
    """A notification that is not S3's (no ``Records`` list); ``field`` names the part."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def parse_s3_event(event: Any) -> list[CreatedObject]:
    """The created objects of an S3 notification (malformed records left out)."""
    return read_s3_event(event)[0]


def read_s3_event(event: Any) -> tuple[list[CreatedObject], list[str]]:
    """The created objects of an S3 notification, in AWS's or MinIO's format, and why each
    malformed record was left out.

    Both put records under ``Records``; AWS names them ``ObjectCreated:Put``, MinIO
    ``s3:ObjectCreated:Put``. Keys arrive URL-encoded (``+`` for a space, UTF-8 percent
    escapes) and are decoded here. Records of other kinds are left out silently.

    Raises:
        S3EventFormatError: ``event`` is not an object with a ``Records`` list.
    """
    records = event.get("Records") if isinstance(event, dict) else None
    if not isinstance(records, list):
        raise S3EventFormatError("Records", "an S3 notification holds a Records list")
    created: list[CreatedObject] = []
    malformed: list[str] = []
    for index, record in enumerate(records):
        name = record.get("eventName") if isinstance(record, dict) else None
        if not isinstance(name, str):
            malformed.append(f"Records[{index}]: not a record with an eventName")
            continue
        if not name.removeprefix("s3:").startswith("ObjectCreated:"):
            continue
        s3 = _mapping(record.get("s3"))
        obj, where = _mapping(s3.get("object")), _mapping(s3.get("bucket"))
        bucket, raw_key, size = where.get("name"), obj.get("key"), obj.get("size")
        if not (isinstance(bucket, str) and bucket and isinstance(raw_key, str) and raw_key):
            malformed.append(f"Records[{index}]: no s3.bucket.name or s3.object.key string")
            continue
        key = urllib.parse.unquote_plus(raw_key)
        if len(key.encode("utf-8", "surrogatepass")) > MAX_KEY_BYTES:
            malformed.append(f"Records[{index}]: the key is longer than S3 allows")
            continue
        valid_size = isinstance(size, int) and not isinstance(size, bool) and size >= 0
        created.append(CreatedObject(bucket, key, size if valid_size else None, name))
    for problem in malformed:
        log.warning("S3 notification record skipped: %s", problem)
    return created, malformed


class TriggerReporter(Protocol):
    """Where the trigger's notices go. ``report`` returns the content service's outcome
    when known: ``refused`` or ``unknown_asset`` for an upload that is not registered."""

    def report(self, notice: TriggerNotice) -> str | None: ...

    def needs_job(self, asset_id: str) -> bool: ...


class WebhookReporter:
    """Posts notices, signed, to the pipeline's webhook (the trigger as a Lambda function);
    ``sleep`` waits between tries (tests pass one that records instead)."""

    def __init__(self, url: str, secret: str, sleep: Callable[[float], None] = time.sleep) -> None:
        self.url = url
        self.secret = secret
        self._sleep = sleep

    def report(self, notice: TriggerNotice) -> str | None:
        _, answer = post_signed(self.url, notice.to_event(), self.secret, sleep=self._sleep)
        try:
            outcome = json.loads(answer).get("outcome")
        except (ValueError, AttributeError):
            return None
        return outcome if isinstance(outcome, str) else None

    def needs_job(self, asset_id: str) -> bool:
        # No database here: a redelivered upload event may start a second job, and the
        # content service keeps the first (the second's events are ignored).
        return True


class UploadTrigger:
    """Turns created uploads into transcoding jobs (see the module docstring).

    Args:
        settings: the pipeline's settings (bucket, limits, probe sample size, work dir).
        transcoder: where jobs are created.
        reporter: where notices go.
        s3: an S3 client for probing (default: from the settings).
    """

    def __init__(
        self,
        settings: PipelineSettings,
        transcoder: Transcoder,
        reporter: TriggerReporter,
        s3: Any = None,
    ) -> None:
        self.settings = settings
        self.transcoder = transcoder
        self.reporter = reporter
        self._given_s3 = s3

    @functools.cached_property
    def s3(self) -> Any:
        # Made on first use, as the content service's presigner is.
        return self._given_s3 or s3_client(self.settings.backend)

    def handle(self, event: dict[str, Any]) -> dict[str, list[str]]:
        """Handle one S3 notification; returns the keys by outcome (and, under
        ``malformed``, why records were left out).

        Raises:
            S3EventFormatError: not an S3 notification.
            botocore.exceptions.ClientError and friends: storage or transcoder trouble
                before a job exists; the event should be delivered again.
        """
        created, malformed = read_s3_event(event)
        outcomes: dict[str, list[str]] = {SUBMITTED: [], REJECTED: [], SKIPPED: []}
        for obj in created:
            outcomes[self.handle_object(obj)].append(obj.key)
        if malformed:
            outcomes["malformed"] = malformed
        return outcomes

    def handle_object(self, obj: CreatedObject) -> str:
        """Handle one created object; returns ``submitted``, ``rejected`` or ``skipped``."""
        if obj.bucket != self.settings.bucket:
            # Uploads are registered in the configured bucket only: an object of another
            # bucket at a registered key is not the registered upload.
            log.warning("not the pipeline's bucket %r: %s", obj.bucket, obj.key)
            return SKIPPED
        if not obj.key.startswith(upload_keys.UPLOAD_PREFIX):
            log.debug("not under %s: %s", upload_keys.UPLOAD_PREFIX, obj.key)
            return SKIPPED
        upload = upload_keys.parse_upload_key(obj.key)
        if upload is None:
            # Job outputs (``..._processed/...``) arrive here too.
            log.debug("not an upload key: %s", obj.key)
            return SKIPPED
        with log_context(asset_id=upload.asset_id):
            if not self.reporter.needs_job(upload.asset_id):
                log.info("upload skipped: the asset has a job or is over", extra={"key": obj.key})
                return SKIPPED
            head = self.s3.head_object(Bucket=obj.bucket, Key=obj.key)
            size, etag = int(head["ContentLength"]), str(head["ETag"])
            received = TriggerNotice(
                NoticeStatus.UPLOAD_RECEIVED,
                upload.asset_id,
                obj.key,
                size,
                content_type=head.get("ContentType"),
            )
            rejected = functools.partial(
                TriggerNotice, NoticeStatus.UPLOAD_REJECTED, upload.asset_id, obj.key, size
            )
            if self.reporter.report(received) in NOT_REGISTERED:
                log.warning("upload ignored: not the registered upload", extra={"key": obj.key})
                return SKIPPED
            try:
                checked = self._check(obj, size, etag)
                problem = checked if isinstance(checked, errors.TranscodeError) else None
                pinned = None if problem else self._pin(obj, etag)
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") not in CHANGED:
                    raise
                pinned = problem = checked = None
            if problem is None and pinned is None:
                log.warning("upload changed while checked; its new event follows")
                return SKIPPED
            if problem is not None:
                log.warning(
                    "upload skipped, not a usable video: %s",
                    problem.message,
                    extra={"key": obj.key, "error_code": problem.code},
                )
                self.reporter.report(
                    rejected(error_code=problem.code, error_message=problem.message)
                )
                return REJECTED
            assert pinned is not None  # no problem: pinned above
            tracks = self._caption_tracks(obj)
            if isinstance(tracks, errors.TranscodeError):
                log.warning("upload rejected: %s", tracks.message, extra={"key": obj.key})
                self.reporter.report(rejected(error_code=tracks.code, error_message=tracks.message))
                return REJECTED
            request = JobRequest.for_prefix(
                pinned,
                naming.default_output_prefix(f"s3://{obj.bucket}/{obj.key}"),
                ladder=self._ladder(upload.asset_id),
                user_metadata={"assetId": upload.asset_id, "userId": upload.user_id},
                captions=tracks,
            )
            # Only a video with sound gets the MP4; the others keep their ladder job (docs/
            # playback.md, "MP4 downloads"): sound alone has no picture to download, a model
            # asking for audio fails 1021 on a silent source (the ladder makes video-only
            # renditions), and the FFmpeg backend's model path does not yet run sidecar
            # captions beside a file group.
            if (
                self.settings.mp4_downloads
                and isinstance(checked, MediaInfo)
                and checked.video
                and checked.audio
                and not tracks
            ):
                request = mp4_request(request)
            try:
                job = self.transcoder.submit(request)
            except (errors.InvalidRequestError, errors.TranscodeError) as exc:
                # The transcoder refused this job: retrying the event would not change that.
                code = getattr(exc, "code", errors.SETTINGS_ERROR)
                log.error("job refused: %s", exc, extra={"key": obj.key})
                self.reporter.report(
                    rejected(
                        error_code=code, error_message=f"The transcoder refused the job: {exc}"
                    )
                )
                return REJECTED
            with log_context(job_id=job.id):
                log.info("job submitted", extra={"key": obj.key})
                try:
                    self.reporter.report(
                        TriggerNotice(
                            NoticeStatus.JOB_SUBMITTED, upload.asset_id, obj.key, size, job.id
                        )
                    )
                except Exception:
                    # Not raised: a retry would start a second job. The job's events are
                    # held, never applied, until its asset's job is recorded; the reaper
                    # fails the asset when that never happens.
                    log.exception("job submitted but not reported")
            return SUBMITTED

    def _ladder(self, asset_id: str) -> Ladder:
        """The ladder of every upload (audio-only for a source without picture, with
        ``AUDIO_ONLY_UPLOADS``), encrypted under the video's own key with
        ``HLS_ENCRYPTION`` (pipeline/hls_keys.py)."""
        ladder = replace(DEFAULT_LADDER, audio_only=self.settings.audio_only_uploads)
        if not self.settings.hls_encryption:
            return ladder
        return replace(ladder, encryption=video_encryption(self.settings.hls_key_secret, asset_id))

    def _caption_tracks(
        self, obj: CreatedObject
    ) -> tuple[CaptionTrack, ...] | errors.TranscodeError:
        """The caption files registered with this upload (uploaded before it), or why
        they cannot be used: not all there (1404), or a manifest registration did not
        write (1010)."""
        try:
            answer = self.s3.get_object(Bucket=obj.bucket, Key=captions.manifest_key(obj.key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return ()  # no caption registered with this video
            raise
        try:
            tracks = captions.read_manifest(
                answer["Body"].read(captions.MAX_MANIFEST_BYTES + 1), obj.key
            )
        except captions.CaptionManifestError as exc:
            return errors.TranscodeError(
                errors.INPUT_ERROR, f"The upload's caption manifest {exc}."
            )
        listing = self.s3.list_objects_v2(
            Bucket=obj.bucket, Prefix=captions.caption_folder(obj.key) + "/"
        )
        present = {item["Key"] for item in listing.get("Contents", [])}
        missing = captions.missing_captions(tracks, present)
        if missing is not None:
            return errors.TranscodeError(errors.FILE_NOT_FOUND, f"The upload's {missing}.")
        return captions.caption_tracks(obj.bucket, tracks)

    def _pin(self, obj: CreatedObject, etag: str) -> str | None:
        """Copy the object as it was at ``etag`` to the job's own key; its s3:// URI, or
        None when the object changed since (then nothing is left at that key).

        Raises:
            botocore.exceptions.ClientError: ``PreconditionFailed`` when the object changed.
        """
        stem = naming.default_output_prefix(obj.key)
        key = f"{stem}/{PINNED_FOLDER}/{obj.key.rsplit('/', 1)[-1]}"
        copied = self.s3.copy_object(
            Bucket=obj.bucket,
            Key=key,
            CopySource={"Bucket": obj.bucket, "Key": obj.key},
            CopySourceIfMatch=etag,
            Tagging=f"{PINNED_TAG[0]}={PINNED_TAG[1]}",
            TaggingDirective="REPLACE",
        )
        # A single-part ETag is the MD5 of the bytes and survives the copy; compare it too,
        # for stores that ignore CopySourceIfMatch (moto does).
        copied_etag = copied.get("CopyObjectResult", {}).get("ETag")
        if "-" not in etag and copied_etag and copied_etag != etag:
            self.s3.delete_object(Bucket=obj.bucket, Key=key)
            return None
        return f"s3://{obj.bucket}/{key}"

    def _check(self, obj: CreatedObject, size: int, etag: str) -> MediaInfo | errors.TranscodeError:
        """What the upload's head and tail say it holds, or why it is no usable media."""
        if size > self.settings.max_upload_bytes:
            return errors.TranscodeError(
                errors.INPUT_ERROR,
                f"The upload is {size} bytes; the limit is {self.settings.max_upload_bytes}.",
            )
        work_dir = self.settings.backend.work_dir
        work_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=work_dir, prefix="probe-") as scratch:
            try:
                return probe_object(
                    self.s3,
                    obj.bucket,
                    obj.key,
                    size,
                    self.settings.probe_sample_bytes,
                    Path(scratch),
                    if_match=etag,
                    audio_only=self.settings.audio_only_uploads,
                )
            except errors.TranscodeError as exc:
                return exc


def mp4_request(request: JobRequest) -> JobRequest:
    """The ladder job plus its progressive MP4 download, as a job model; the MP4 group's
    destination is ``<prefix>/mp4/master`` beside ``<prefix>/hls/master``."""
    prefix = naming.split_destination(naming.split_destination(request.hls_destination)[0])[0]
    destination = naming.join_uri(prefix, naming.MP4_FOLDER, naming.DEFAULT_BASE_NAME)
    return JobRequest.for_model(with_mp4_download(ladder_job(request), request.ladder, destination))


@functools.cache
def default_trigger() -> UploadTrigger:
    """The trigger configured from the environment, built once per process (a Lambda
    container reuses it across invocations).

    Raises:
        ValueError: ``PIPELINE_WEBHOOK_URL`` is not set. The Lambda function reports to the
            pipeline's webhook; in-process callers (the watcher, ``POST /webhooks/s3``) build
            an :class:`UploadTrigger` with a reporter on the content service instead.
    """
    configure_logging()
    settings = PipelineSettings.from_env()
    if not settings.pipeline_webhook_url:
        raise ValueError(
            "PIPELINE_WEBHOOK_URL is not set: the upload trigger's Lambda handler reports "
            "to the pipeline's webhook"
        )
    reporter = WebhookReporter(settings.pipeline_webhook_url, settings.webhook_secret)
    return UploadTrigger(settings, create_transcoder(settings=settings.backend), reporter)


def handler(event: dict[str, Any], context: Any) -> dict[str, list[str]]:
    """AWS Lambda entry point for S3 ObjectCreated notifications."""
    return default_trigger().handle(event)

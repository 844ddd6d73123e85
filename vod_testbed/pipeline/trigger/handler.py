"""The upload trigger: an S3 ObjectCreated event in, a transcoding job out.

Deployed unchanged as an AWS Lambda function (``vod_testbed.pipeline.trigger.handler.handler``)
and called in-process by :mod:`vod_testbed.pipeline.watcher` where storage cannot notify. Its
folder, ``pipeline/trigger/``, is what the Lambda zip ships of the pipeline: it imports no
web framework, no database and nothing else of the pipeline but its configuration and the
upload-key contract, and reads its configuration from the environment.

For each created object it:

1. keeps only upload keys under ``video/`` (job outputs land there too and are skipped:
   this is what stops the trigger from triggering itself);
2. skips an asset that already has a job (S3 delivers events at least once);
3. probes the object's head and tail - the extension is not trusted - and rejects a
   non-video (the asset fails with the reason, a log line says so);
4. creates the job through the transcoder interface with
   ``userMetadata = {"assetId", "userId"}`` and reports it.

Reports (:class:`~vod_testbed.pipeline.trigger.notices.TriggerNotice`) go to the content
service directly in-process, or, as a Lambda function, as signed POSTs to the pipeline's
webhook (``PIPELINE_WEBHOOK_URL``).
"""

from __future__ import annotations

import functools
import logging
import tempfile
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from vod_testbed.backends.interface import Transcoder
from vod_testbed.backends.job import JobRequest
from vod_testbed.backends.registry import create_transcoder
from vod_testbed.backends.source import probe_object
from vod_testbed.common import errors
from vod_testbed.common.logs import configure_logging, log_context
from vod_testbed.common.signed_post import post_signed
from vod_testbed.pipeline import upload_keys
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.trigger.notices import NoticeStatus, TriggerNotice
from vod_testbed.storage.s3 import s3_client

log = logging.getLogger(__name__)

SUBMITTED, REJECTED, SKIPPED = "submitted", "rejected", "skipped"


@dataclass(frozen=True)
class CreatedObject:
    """One ObjectCreated record: the bucket, the decoded key and the size if given."""

    bucket: str
    key: str
    size: int | None
    event_name: str


def parse_s3_event(event: dict[str, Any]) -> list[CreatedObject]:
    """The created objects of an S3 notification, in AWS's or MinIO's format.

    Both put records under ``Records``; AWS names them ``ObjectCreated:Put``, MinIO
    ``s3:ObjectCreated:Put``. Keys arrive URL-encoded (``+`` for a space, UTF-8 percent
    escapes) and are decoded here. Records of other kinds are left out.
    """
    created: list[CreatedObject] = []
    records = event.get("Records")
    for record in records if isinstance(records, list) else []:
        name = str(record.get("eventName", ""))
        if not name.removeprefix("s3:").startswith("ObjectCreated:"):
            continue
        s3 = record.get("s3") or {}
        obj = s3.get("object") or {}
        bucket = (s3.get("bucket") or {}).get("name")
        raw_key = obj.get("key")
        if not bucket or not raw_key:
            log.warning("ObjectCreated record without bucket or key skipped")
            continue
        size = obj.get("size")
        created.append(
            CreatedObject(
                bucket=str(bucket),
                key=urllib.parse.unquote_plus(str(raw_key)),
                size=size if isinstance(size, int) else None,
                event_name=name,
            )
        )
    return created


class TriggerReporter(Protocol):
    """Where the trigger's notices go."""

    def report(self, notice: TriggerNotice) -> None: ...

    def needs_job(self, asset_id: str) -> bool: ...


class WebhookReporter:
    """Posts notices, signed, to the pipeline's webhook (the trigger as a Lambda function)."""

    def __init__(self, url: str, secret: str) -> None:
        self.url = url
        self.secret = secret

    def report(self, notice: TriggerNotice) -> None:
        post_signed(self.url, notice.to_event(), self.secret)

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
        self.s3 = s3 or s3_client(settings.backend)

    def handle(self, event: dict[str, Any]) -> dict[str, list[str]]:
        """Handle one S3 notification; returns the keys by outcome.

        Raises:
            botocore.exceptions.ClientError and friends: storage or transcoder trouble
                before a job exists; the event should be delivered again.
        """
        outcomes: dict[str, list[str]] = {SUBMITTED: [], REJECTED: [], SKIPPED: []}
        for obj in parse_s3_event(event):
            outcomes[self.handle_object(obj)].append(obj.key)
        return outcomes

    def handle_object(self, obj: CreatedObject) -> str:
        """Handle one created object; returns ``submitted``, ``rejected`` or ``skipped``."""
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
            size = obj.size if obj.size is not None else self._size(obj)
            self.reporter.report(
                TriggerNotice(NoticeStatus.UPLOAD_RECEIVED, upload.asset_id, obj.key, size)
            )
            rejected = functools.partial(
                TriggerNotice, NoticeStatus.UPLOAD_REJECTED, upload.asset_id, obj.key, size
            )
            problem = self._check(obj, size)
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
            request = JobRequest.for_prefix(
                f"s3://{obj.bucket}/{obj.key}",
                user_metadata={"assetId": upload.asset_id, "userId": upload.user_id},
            )
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
                    # Not raised: a retry would start a second job. The job's own events
                    # carry the asset id and will move the asset along.
                    log.exception("job submitted but not reported")
            return SUBMITTED

    def _size(self, obj: CreatedObject) -> int:
        head = self.s3.head_object(Bucket=obj.bucket, Key=obj.key)
        size: int = head["ContentLength"]
        return size

    def _check(self, obj: CreatedObject, size: int) -> errors.TranscodeError | None:
        if size > self.settings.max_upload_bytes:
            return errors.TranscodeError(
                errors.INPUT_ERROR,
                f"The upload is {size} bytes; the limit is {self.settings.max_upload_bytes}.",
            )
        work_dir = self.settings.backend.work_dir
        work_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=work_dir, prefix="probe-") as scratch:
            try:
                probe_object(
                    self.s3,
                    obj.bucket,
                    obj.key,
                    size,
                    self.settings.probe_sample_bytes,
                    Path(scratch),
                )
            except errors.TranscodeError as exc:
                return exc
        return None


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

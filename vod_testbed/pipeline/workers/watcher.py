"""Where storage cannot notify (the embedded S3 server), poll for new uploads.

The watcher lists ``video/`` in the bucket every ``UPLOAD_WATCH_INTERVAL_S`` seconds and
hands each object it has not seen before to the upload trigger, wrapped in the same S3
ObjectCreated event shape AWS sends (key URL-encoded), so the trigger takes one path
whichever way the event came. An object whose handling raised is tried again on the next
poll; the trigger's own check keeps that from starting a second job.
"""

from __future__ import annotations

import logging
import urllib.parse
from datetime import UTC, datetime
from typing import Any

from vod_testbed.common.clock import Clock, system_clock
from vod_testbed.common.worker import Worker
from vod_testbed.pipeline.trigger import upload_keys
from vod_testbed.pipeline.trigger.handler import UploadTrigger

log = logging.getLogger(__name__)

MAX_RETRY_DELAY_S = 60.0


def object_created_event(
    bucket: str, key: str, size: int, etag: str = "", at_s: float | None = None
) -> dict[str, Any]:
    """An S3 ObjectCreated:Put notification for one object, as AWS shapes it, sent at
    ``at_s`` (Unix seconds; default now)."""
    at = datetime.now(UTC) if at_s is None else datetime.fromtimestamp(at_s, UTC)
    return {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "eventTime": at.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                "eventName": "ObjectCreated:Put",
                "s3": {
                    "s3SchemaVersion": "1.0",
                    "configurationId": "vod-testbed-upload-watcher",
                    "bucket": {"name": bucket, "arn": f"arn:aws:s3:::{bucket}"},
                    "object": {
                        "key": urllib.parse.quote_plus(key, safe="/"),
                        "size": size,
                        "eTag": etag.strip('"'),
                    },
                },
            }
        ]
    }


class UploadWatcher:
    """Polls the bucket and feeds new objects under ``video/`` to ``trigger``.

    Args:
        trigger: the upload trigger to feed.
        bucket: the bucket to watch.
        interval_s: seconds between polls.
        clock: the time retries are scheduled by.
    """

    def __init__(
        self,
        trigger: UploadTrigger,
        bucket: str,
        interval_s: float = 1.0,
        clock: Clock = system_clock,
    ) -> None:
        self.trigger = trigger
        self.bucket = bucket
        self.interval_s = interval_s
        self.clock = clock
        self._seen: set[tuple[str, str]] = set()
        # Uploads whose handling failed: (failures so far, clock time of the next try).
        self._retry: dict[tuple[str, str], tuple[int, float]] = {}
        self._worker = Worker("upload-watcher", self._step)

    def poll_once(self) -> int:
        """List the bucket once and handle every new object; returns how many were new."""
        fresh = 0
        paginator = self.trigger.s3.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=upload_keys.UPLOAD_PREFIX):
            for obj in page.get("Contents", []):
                # (key, ETag): an object overwritten with new bytes counts as new.
                marker = (obj["Key"], obj.get("ETag", ""))
                if marker in self._seen:
                    continue
                failures, next_try = self._retry.get(marker, (0, 0.0))
                now = self.clock()
                if now < next_try:
                    continue
                fresh += 1
                event = object_created_event(
                    self.bucket, obj["Key"], obj["Size"], marker[1], at_s=now
                )
                try:
                    self.trigger.handle(event)
                except Exception:
                    # Storage or transcoder trouble: retry, backing off to once a minute.
                    delay = min(MAX_RETRY_DELAY_S, self.interval_s * 2 ** min(failures, 16))
                    self._retry[marker] = (failures + 1, now + delay)
                    log.exception("upload %s not handled; retrying in %.0f s", obj["Key"], delay)
                    continue
                self._retry.pop(marker, None)
                self._seen.add(marker)
        return fresh

    def start(self) -> UploadWatcher:
        """Poll from a background thread until :meth:`stop`."""
        prefix = upload_keys.UPLOAD_PREFIX
        log.info("watching s3://%s/%s every %.1f s", self.bucket, prefix, self.interval_s)
        self._worker.start()
        return self

    def stop(self, timeout_s: float = 10.0) -> None:
        self._worker.stop(timeout_s)

    def _step(self) -> float:
        self.poll_once()  # a failed listing is logged by the worker and tried next time
        return self.interval_s

"""Nothing stuck, nothing reported that storage does not hold.

* :meth:`Reaper.sweep` expires registrations whose upload never came
  (``PENDING_UPLOAD_EXPIRES_S``: they then no longer count against their user's limits),
  and fails videos left ``uploaded`` (no job was created: the process died
  between the upload and CreateJob) or ``processing`` (no event of their job arrived) past
  the configured limits, logs each and counts them; the clock is injectable, so tests move
  time instead of sleeping.
* :meth:`Reaper.check_outputs` runs at start: a ``ready`` video whose master playlist is
  gone (the embedded S3 keeps objects in memory, so a restart loses them) is failed with a
  sentence that says so - the one move out of ``ready``, because it states a fact about
  storage, not an event of a job.

Failing rather than resubmitting: the upload may be gone too, and a new upload is what
the owner is told to do either way.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from vod_testbed.common import errors
from vod_testbed.common.logs import log_context
from vod_testbed.pipeline.assets.asset_states import AssetStatus, FailureReason
from vod_testbed.pipeline.assets.content_service import ContentService
from vod_testbed.pipeline.assets.videos import Video
from vod_testbed.pipeline.db import VideoAsset, utcnow

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


class Reaper:
    """Fails stuck videos of ``service``.

    Args:
        service: the content service whose videos are watched.
        stuck_uploaded_s: limit of ``uploaded`` without progress.
        stuck_processing_s: limit of ``processing`` without an event.
        clock: now, as an aware UTC datetime.
    """

    def __init__(
        self,
        service: ContentService,
        stuck_uploaded_s: float,
        stuck_processing_s: float,
        clock: Clock = utcnow,
        pending_upload_s: float | None = None,
    ) -> None:
        self.service = service
        self.limits_s = {
            AssetStatus.PENDING_UPLOAD: (
                service.settings.pending_upload_expires_s
                if pending_upload_s is None
                else pending_upload_s
            ),
            AssetStatus.UPLOADED: stuck_uploaded_s,
            AssetStatus.PROCESSING: stuck_processing_s,
        }
        self.clock = clock
        self.stuck_failed_total = 0
        self.outputs_lost_total = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def sweep(self) -> int:
        """Fail every video stuck past its limit; returns how many were failed now."""
        now = self.clock()
        failed = 0
        for status, limit_s in self.limits_s.items():
            cutoff = now - timedelta(seconds=limit_s)
            query = select(VideoAsset.id).where(
                VideoAsset.status == status.value, VideoAsset.updated_at < cutoff
            )
            with self.service.db.sessions() as session:
                stuck = list(session.scalars(query))
            for asset_id in stuck:
                message = (
                    f"The video stayed {status.value} for more than {limit_s:.0f} s without "
                    "news of its transcoding job. Upload the video again."
                    if status is not AssetStatus.PENDING_UPLOAD
                    else f"The upload did not arrive within {limit_s:.0f} s of its "
                    "registration; the registration expired. Register the video again."
                )
                if self._fail(asset_id, status, FailureReason.STUCK, message, cutoff):
                    failed += 1
        self.stuck_failed_total += failed
        return failed

    def check_outputs(self, exists: Callable[[str], bool]) -> int:
        """Fail each ``ready`` video whose master playlist key ``exists`` denies; returns
        how many."""
        query = select(VideoAsset.id, VideoAsset.master_playlist_key).where(
            VideoAsset.status == AssetStatus.READY.value
        )
        with self.service.db.sessions() as session:
            ready = list(session.execute(query))
        lost = 0
        for asset_id, key in ready:
            if key and exists(key):
                continue
            message = "The video's HLS outputs are gone from storage. Upload the video again."
            if self._fail(asset_id, AssetStatus.READY, FailureReason.OUTPUTS_LOST, message):
                lost += 1
        self.outputs_lost_total += lost
        return lost

    def _fail(
        self,
        asset_id: str,
        expected: AssetStatus,
        reason: FailureReason,
        message: str,
        unchanged_since: datetime | None = None,
    ) -> bool:
        with log_context(asset_id=asset_id), self.service.db.sessions() as session:
            asset = session.get(VideoAsset, asset_id)
            if asset is None or asset.status != expected.value:
                return False
            if unchanged_since is not None and _aware(asset.updated_at) >= unchanged_since:
                return False
            asset.status = AssetStatus.FAILED.value
            asset.failure_reason = reason.value
            asset.error_code = errors.UNKNOWN_ERROR
            asset.error_message = message
            asset.finished_at = utcnow()
            try:
                session.commit()
            except StaleDataError:
                # An event moved it meanwhile: it is not stuck.
                session.rollback()
                return False
            log.error("video failed: %s", message, extra={"reason": reason.value})
            described = Video.of(asset)
        self.service.notifier.notify(described)
        return True

    def start(self, interval_s: float) -> None:
        """Sweep every ``interval_s`` on a daemon thread until :meth:`stop`."""
        self._thread = threading.Thread(
            target=self._run, args=(interval_s,), name="pipeline-reaper", daemon=True
        )
        self._thread.start()

    def _run(self, interval_s: float) -> None:
        while not self._stop.wait(interval_s):
            try:
                self.sweep()
            except Exception:
                log.exception("reaper sweep failed; trying again in %s s", interval_s)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)


def _aware(value: datetime) -> datetime:
    # SQLite hands datetimes back without their zone; they were written in UTC.
    return value if value.tzinfo else value.replace(tzinfo=utcnow().tzinfo)

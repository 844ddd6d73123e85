"""The content service: video assets from upload request to playback.

* :meth:`ContentService.register_upload` registers an asset and hands out a presigned
  PUT bound to the declared content type and length (:mod:`.registrations`).
* :meth:`ContentService.apply_job_change` and :meth:`ContentService.apply_trigger_notice`
  move assets along ``pending_upload < uploaded < processing < ready | failed``, never
  backwards (rules in :mod:`vod_testbed.pipeline.assets.asset_states`), once per event id.

Concurrent deliveries about one asset are serialised by optimistic locking (a version
column): the loser of a race re-reads the asset and applies its event again, so a late
STATUS_UPDATE can never overwrite a COMPLETE that committed in between.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, object_session
from sqlalchemy.orm.exc import StaleDataError

from vod_testbed.backends.mediaconvert.events import EventStatus
from vod_testbed.backends.naming import default_output_prefix
from vod_testbed.common import errors
from vod_testbed.common.errors import InvalidRequestError
from vod_testbed.common.logs import log_context
from vod_testbed.pipeline.assets.access import VISIBLE, access_params, visible_clause
from vod_testbed.pipeline.assets.asset_states import AssetStatus
from vod_testbed.pipeline.assets.job_events import JobStateChange
from vod_testbed.pipeline.assets.ready_notifier import VideoReadyNotifier
from vod_testbed.pipeline.assets.registrations import Registrations, presigning_client
from vod_testbed.pipeline.assets.thumbnails import list_thumbnails
from vod_testbed.pipeline.assets.transitions import job_transition, notice_transition
from vod_testbed.pipeline.assets.videos import Video
from vod_testbed.pipeline.auth import Caller
from vod_testbed.pipeline.config import PipelineSettings
from vod_testbed.pipeline.db import Database, ProcessedEvent, VideoAsset, utcnow
from vod_testbed.pipeline.trigger.handler import PINNED_FOLDER
from vod_testbed.pipeline.trigger.notices import NoticeStatus, TriggerNotice
from vod_testbed.storage.s3 import Storage

log = logging.getLogger(__name__)

OPTIMISTIC_RETRIES = 8

# Outcomes of applying an event.
APPLIED, IGNORED, DUPLICATE, UNKNOWN_ASSET = "applied", "ignored", "duplicate", "unknown_asset"
# A trigger notice about an object that is not the asset's registered upload.
REFUSED = "refused"
# An event of a job not recorded for its asset yet, kept until the asset's job is recorded.
HELD = "held"

# GET /videos/{id}, the API's hottest path: the asset and whether its caller may see it, in
# one statement built once (Core: no identity map to fill for a read-only answer).
_VISIBLE_ASSET = select(VideoAsset.__table__, VISIBLE.label("visible")).where(
    VideoAsset.id == bindparam("asset_id")
)


class ContentService(Registrations):
    """Assets in the database, presigned URLs for their objects.

    Args:
        settings: the pipeline's settings.
        database: where assets live (schema already created).
        notifier: told when an asset becomes ready or failed (default: from settings).
        presigner: an S3 client used only to presign (default: one for
            ``S3_PUBLIC_ENDPOINT_URL``, else ``S3_ENDPOINT_URL``).
        storage: lists a finished job's thumbnails (default: the backends' S3).
    """

    def __init__(
        self,
        settings: PipelineSettings,
        database: Database,
        notifier: VideoReadyNotifier | None = None,
        presigner: Any = None,
        storage: Storage | None = None,
    ) -> None:
        self.settings = settings
        self.db = database
        self.notifier = notifier or VideoReadyNotifier(
            settings.video_ready_webhook_url, settings.webhook_secret
        )
        self._given_presigner = presigner
        self.storage = storage or Storage(settings.backend)

    @functools.cached_property
    def _presigner(self) -> Any:
        # Made on first use: a client takes about 10 ms to build, and many services never sign.
        return self._given_presigner or presigning_client(self.settings)

    # -- reading ---------------------------------------------------------------------------

    def get(self, asset_id: str) -> dict[str, Any] | None:
        """The description of asset ``asset_id``, or ``None``."""
        with self.db.sessions() as session:
            asset = session.get(VideoAsset, asset_id)
            return Video.of(asset) if asset else None

    def get_visible(self, asset_id: str, caller: Caller) -> dict[str, Any] | None:
        """The description of asset ``asset_id`` if ``caller`` may see it (:mod:`.access`),
        else ``None``, as for an unknown id."""
        with self.db.engine.connect() as connection:
            row = connection.execute(
                _VISIBLE_ASSET, {"asset_id": asset_id, **access_params(caller)}
            ).one_or_none()
        # The token's courses claim is the part of the rule not stored (access.visible_clause).
        if row is None or not (row.visible or row.course_id in caller.courses):
            return None
        return Video.of(row, caller)

    def list(
        self,
        user_id: str | None = None,
        status: str | None = None,
        limit: int = 100,
        visible_to: Caller | None = None,
    ) -> list[dict[str, Any]]:
        """Assets, newest first, optionally of one user and/or in one status, and only
        those ``visible_to`` may see (:mod:`.access`) when given.

        Raises:
            InvalidRequestError: ``status`` is not an asset status.
        """
        # Rows of the table, not mapped objects: a read-only list fills no identity map.
        query = select(VideoAsset.__table__).order_by(VideoAsset.created_at.desc()).limit(limit)
        if user_id:
            query = query.where(VideoAsset.user_id == user_id)
        params: dict[str, Any] = {}
        if visible_to is not None:
            query = query.where(visible_clause(visible_to))
            params = access_params(visible_to)
        if status:
            try:
                query = query.where(VideoAsset.status == AssetStatus(status).value)
            except ValueError:
                known = ", ".join(s.value for s in AssetStatus)
                raise InvalidRequestError("status", f"must be one of {known}") from None
        with self.db.engine.connect() as connection:
            rows = connection.execute(query, params)
            return [Video.of(row, visible_to) for row in rows]

    def needs_job(self, asset_id: str) -> bool:
        """Whether asset ``asset_id`` exists and still waits for a transcoding job (a
        redelivered upload event must not start a second one)."""
        with self.db.sessions() as session:
            asset = session.get(VideoAsset, asset_id)
            return asset is not None and asset.job_id is None and not asset.asset_status.is_final

    def fail_lost_jobs(self, job_exists: Callable[[str], bool]) -> int:
        """Fail every asset whose job no longer exists (an in-process job dies with its
        process); without this they would stay ``processing`` for ever. Returns how many."""
        query = select(VideoAsset.id, VideoAsset.job_id).where(
            VideoAsset.status.in_([AssetStatus.UPLOADED.value, AssetStatus.PROCESSING.value]),
            VideoAsset.job_id.is_not(None),
        )
        with self.db.sessions() as session:
            candidates = list(session.execute(query))
        lost = 0
        for asset_id, job_id in candidates:
            if job_id is None or job_exists(job_id):
                continue
            lost += 1
            self.apply_job_change(
                JobStateChange(
                    event_id=f"lost-{job_id}",
                    job_id=job_id,
                    status=EventStatus.ERROR,
                    asset_id=asset_id,
                    error_code=errors.UNKNOWN_ERROR,
                    error_message="The transcoding job was lost when the pipeline stopped "
                    "while it ran. Upload the video again.",
                )
            )
        return lost

    # -- state changes ---------------------------------------------------------------------

    def apply_job_change(self, change: JobStateChange) -> str:
        """Apply a transcoding job's state change to its asset, found by
        ``userMetadata.assetId``, else by job id.

        A COMPLETE change records every thumbnail in the job's thumbnails folder, not only
        those it names (MediaConvert's event names the last one).

        Only the job recorded for the asset (the trigger's JOB_SUBMITTED) moves it. An event
        of another job is ignored with a log line, whatever its ``userMetadata.assetId``
        says; one that names an asset with no job recorded yet is held (its job may be the
        one whose CreateJob answer is on its way) and applied or ignored once the asset's
        job is recorded.

        Returns:
            ``applied``, ``ignored`` (it would move the asset backwards, or it belongs to
            another job), ``held``, ``duplicate`` (this event id was applied before) or
            ``unknown_asset``.

        Raises:
            Exception: a failure a retry may cure (database, storage); nothing was applied.
        """
        with log_context(asset_id=change.asset_id, job_id=change.job_id):
            if change.status == EventStatus.COMPLETE and change.master_playlist_uri:
                thumbnails = list_thumbnails(
                    self.storage, change.master_playlist_uri, change.thumbnail_uris
                )
                change = replace(change, thumbnail_uris=thumbnails)

            def find(session: Session) -> VideoAsset | None:
                # The job recorded for an asset names it; userMetadata only says which
                # asset a job not recorded yet claims (anyone who can call CreateJob sets it).
                asset = session.scalars(
                    select(VideoAsset).where(VideoAsset.job_id == change.job_id)
                ).first()
                if asset is None and change.asset_id:
                    asset = session.get(VideoAsset, change.asset_id)
                return asset

            def transition(asset: VideoAsset) -> bool | str:
                if asset.job_id is None and not asset.asset_status.is_final:
                    log.info(
                        "%s of job %s held until the asset's job is recorded",
                        change.status,
                        change.job_id,
                    )
                    # A write to the asset: holding and recording the job serialise on its
                    # version, so an event is never held after the job's held events were read.
                    asset.updated_at = utcnow()
                    return HELD
                return job_transition(asset, change)

            return self._apply(
                change.event_id,
                change.status,
                change.job_id,
                find,
                transition,
                held=change.to_json(),
            )

    def apply_trigger_notice(self, notice: TriggerNotice) -> str:
        """Apply what the upload trigger reported (same outcomes as
        :meth:`apply_job_change`, plus ``refused``: the notice is about an object that is
        not the asset's registered upload - another key, size or content type - and the
        asset is left as it was)."""
        mismatches: list[str] = []

        def transition(asset: VideoAsset) -> bool:
            mismatch = notice.mismatch(asset.input_key, asset.size_bytes, asset.content_type)
            if mismatch is not None:
                mismatches.append(mismatch)
                return False
            if not notice_transition(asset, notice):
                return False
            if notice.status is NoticeStatus.JOB_SUBMITTED:
                _release_held(asset)
            return True

        with log_context(asset_id=notice.asset_id, job_id=notice.job_id):
            outcome = self._apply(
                notice.event_id,
                notice.status.value,
                notice.job_id,
                lambda session: session.get(VideoAsset, notice.asset_id),
                transition,
            )
            if mismatches:
                log.warning("upload ignored: %s", mismatches[0], extra={"key": notice.key})
                return REFUSED
            return outcome

    def _drop_pinned_source(self, input_key: str) -> None:
        """Remove the job's pinned copy of the upload (``<input>_processed/source/``, see
        :mod:`.trigger.handler`) once the video is final: the job that read it has ended,
        and keeping it would store every upload twice. A failure is logged, not raised (the
        event is applied; staging's lifecycle rule removes what is left)."""
        folder = f"s3://{self.settings.bucket}/{default_output_prefix(input_key)}/{PINNED_FOLDER}/"
        try:
            pinned = list(self.storage.list(folder))
            if pinned:
                self.storage.delete_many(pinned)
                log.info("pinned source removed", extra={"objects": len(pinned)})
        except Exception:
            log.exception("the pinned source under %s was not removed", folder)

    def _apply(
        self,
        event_id: str,
        status: str,
        job_id: str | None,
        find: Callable[[Session], VideoAsset | None],
        transition: Callable[[VideoAsset], bool | str],
        held: dict[str, Any] | None = None,
    ) -> str:
        for _attempt in range(OPTIMISTIC_RETRIES):
            finished = None
            with self.db.sessions() as session:
                if session.get(ProcessedEvent, event_id) is not None:
                    log.info("event %s (%s) already applied", event_id, status)
                    return DUPLICATE
                asset = find(session)
                was_final = asset is not None and asset.asset_status.is_final
                if asset is None:
                    outcome = UNKNOWN_ASSET
                    log.warning("event %s (%s) names no known asset", event_id, status)
                else:
                    moved = transition(asset)
                    outcome = moved if isinstance(moved, str) else APPLIED if moved else IGNORED
                session.add(
                    ProcessedEvent(
                        event_id=event_id,
                        asset_id=asset.id if asset else None,
                        job_id=job_id,
                        status=status,
                        outcome=outcome,
                        held_change=held if outcome == HELD else None,
                    )
                )
                try:
                    session.commit()
                except StaleDataError:
                    session.rollback()
                    log.info("asset changed while applying event %s; applying again", event_id)
                    continue
                except IntegrityError:
                    session.rollback()
                    if session.get(ProcessedEvent, event_id) is not None:
                        log.info("event %s (%s) applied concurrently", event_id, status)
                        return DUPLICATE
                    raise
                if asset is not None and asset.asset_status.is_final and not was_final:
                    finished = Video.of(asset)
            if finished is not None:
                self._drop_pinned_source(finished["key"])
                self.notifier.notify(finished)
            return outcome
        raise RuntimeError(f"event {event_id}: asset kept changing; giving up for a retry")


def _release_held(asset: VideoAsset) -> None:
    """The asset's job was just recorded: apply the events of that job held until now, in
    the order they came, and drop every other job's (docs/ARCHITECTURE.md, "A job belongs to
    its asset"). Runs in the transaction that records the job."""
    session = object_session(asset)
    assert session is not None
    held = select(ProcessedEvent).where(
        ProcessedEvent.asset_id == asset.id, ProcessedEvent.outcome == HELD
    )
    # No autoflush: the asset's UPDATE must meet a concurrent change at the commit, where a
    # stale version is retried, not in this query.
    with session.no_autoflush:
        rows = list(session.scalars(held.order_by(ProcessedEvent.received_at)))
    for row in rows:
        change = JobStateChange.from_json(row.held_change or {})
        with log_context(job_id=change.job_id):
            row.outcome = APPLIED if job_transition(asset, change) else IGNORED
        row.held_change = None


class ServiceReporter:
    """The upload trigger's reporter in-process: notices go straight to a content service."""

    def __init__(self, service: ContentService) -> None:
        self.service = service

    def report(self, notice: TriggerNotice) -> str | None:
        return self.service.apply_trigger_notice(notice)

    def needs_job(self, asset_id: str) -> bool:
        return self.service.needs_job(asset_id)

"""How one event moves one video asset: a transcoding job's state change, or the upload
trigger's notice. The rule that assets never move backwards is :mod:`.asset_states`';
:mod:`.content_service` finds the asset, applies these once per event id and commits.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from vod_testbed.backends.mediaconvert.events import EventStatus
from vod_testbed.pipeline.assets.asset_states import AssetStatus, FailureReason, may_transition
from vod_testbed.pipeline.assets.job_events import JobStateChange
from vod_testbed.pipeline.db import VideoAsset, utcnow
from vod_testbed.pipeline.trigger.notices import NoticeStatus, TriggerNotice
from vod_testbed.storage.s3 import is_s3, parse_s3_uri

log = logging.getLogger(__name__)

_JOB_TARGETS = {
    EventStatus.COMPLETE: AssetStatus.READY,
    EventStatus.ERROR: AssetStatus.FAILED,
    EventStatus.CANCELED: AssetStatus.FAILED,
}
_NOTICE_TARGETS = {
    NoticeStatus.UPLOAD_RECEIVED: AssetStatus.UPLOADED,
    NoticeStatus.JOB_SUBMITTED: AssetStatus.PROCESSING,
    NoticeStatus.UPLOAD_REJECTED: AssetStatus.FAILED,
}


def _key(uri: str) -> str:
    return parse_s3_uri(uri).key if is_s3(uri) else uri


def _advance(asset: VideoAsset, target: AssetStatus, what: str) -> bool:
    if not may_transition(asset.asset_status, target):
        log.info("%s ignored: asset is already %s", what, asset.status)
        return False
    asset.status = target.value
    if target.is_final:
        asset.finished_at = utcnow()
    return True


def job_transition(asset: VideoAsset, change: JobStateChange) -> bool:
    """Move ``asset`` as a job state change says; False when the change is ignored (it
    would move the asset backwards, or it belongs to another job)."""
    if asset.job_id != change.job_id:
        log.warning(
            "%s of job %s ignored: the asset belongs to job %s",
            change.status,
            change.job_id,
            asset.job_id or "(none recorded)",
        )
        return False
    target = _JOB_TARGETS.get(change.status, AssetStatus.PROCESSING)
    if change.status == EventStatus.COMPLETE and not change.master_playlist_uri:
        target = AssetStatus.FAILED
        change = replace(change, error_message="The job completed without an HLS playlist.")
    if not _advance(asset, target, change.status):
        return False
    if change.percent is not None and target is not AssetStatus.FAILED:
        asset.progress = max(asset.progress or 0, change.percent)
    if target is AssetStatus.READY:
        assert change.master_playlist_uri is not None
        asset.progress = 100
        asset.master_playlist_key = _key(change.master_playlist_uri)
        asset.thumbnail_keys = [_key(uri) for uri in change.thumbnail_uris]
    elif target is AssetStatus.FAILED:
        canceled = change.status == EventStatus.CANCELED
        asset.failure_reason = (
            FailureReason.CANCELED.value if canceled else FailureReason.JOB_ERROR.value
        )
        asset.error_code = change.error_code
        asset.error_message = change.error_message or (
            "The transcoding job was canceled." if canceled else "The transcoding job failed."
        )
    if change.warning:
        log.warning("job warning %s", change.warning)
    log.info("asset %s (%s, %s%%)", asset.status, change.status, asset.progress)
    return True


def notice_transition(asset: VideoAsset, notice: TriggerNotice) -> bool:
    """Move ``asset`` as an upload trigger's notice says; False when it is ignored."""
    if notice.status is NoticeStatus.JOB_SUBMITTED and asset.job_id not in (
        None,
        notice.job_id,
    ):
        log.warning("job %s ignored: the asset already has job %s", notice.job_id, asset.job_id)
        return False
    if not _advance(asset, _NOTICE_TARGETS[notice.status], notice.status.value):
        return False
    if notice.size_bytes is not None:
        asset.uploaded_bytes = notice.size_bytes
    if notice.status is NoticeStatus.JOB_SUBMITTED:
        asset.job_id = notice.job_id
    elif notice.status is NoticeStatus.UPLOAD_REJECTED:
        asset.failure_reason = FailureReason.INVALID_INPUT.value
        asset.error_code = notice.error_code
        asset.error_message = notice.error_message
    log.info("asset %s (%s)", asset.status, notice.status.value)
    return True
